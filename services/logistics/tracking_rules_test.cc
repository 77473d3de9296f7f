// A carrier's batch is checked whole before anything is stored: size limit, empty codes, times
// in the future beyond the tolerance or long before the shipment existed, bad UTC offsets; every
// broken rule is named. The same event reported twice has one dedup key, whatever its text.
// Also the customs milestones made of clearance events, the coverage report and the watch hub.
// (The CEB513 reader has its own tests: waybill_status_message_test.cc.)
#include "logistics/tracking_rules.h"

#include <gtest/gtest.h>

#include <thread>

#include "errors/violations.h"
#include "google/protobuf/util/time_util.h"
#include "logistics/coverage.h"
#include "logistics/customs_milestones.h"
#include "logistics/watch_hub.h"
#include "parkline/clearance/v1/events.pb.h"

namespace parkline::logistics {
namespace {

using google::protobuf::util::TimeUtil;
const absl::Time kNow = absl::FromUnixSeconds(1'800'000'000);

v1::TrackingEvent Event(const std::string& waybill, const std::string& code, absl::Time when) {
  v1::TrackingEvent e;
  e.set_waybill_no(waybill);
  e.set_event_code(code);
  *e.mutable_event_time() = TimeUtil::SecondsToTimestamp(absl::ToUnixSeconds(when));
  e.set_utc_offset_minutes(480);
  e.set_location("Hangzhou");
  return e;
}

std::vector<std::string> Fields(const errors::Violations& v) {
  std::vector<std::string> out;
  for (const auto& x : v.list()) out.push_back(x.field + ":" + x.reason);
  return out;
}

TEST(LogisticsTrackingRules, AGoodBatchPasses) {
  v1::ReportTrackingEventsRequest r;
  r.set_carrier_code("SF");
  *r.add_events() = Event("SF1", "揽收", kNow - absl::Hours(2));
  *r.add_events() = Event("SF1", "在途", kNow + absl::Minutes(5));  // a clock a little ahead
  errors::Violations v;
  CheckBatch(r, kNow, {}, v);
  EXPECT_TRUE(v.empty()) << v.ToStatus();
}

TEST(LogisticsTrackingRules, EveryBrokenRuleIsNamed) {
  v1::ReportTrackingEventsRequest r;
  *r.add_events() = Event("", " ", kNow + absl::Hours(2));
  v1::TrackingEvent no_time = Event("SF2", "EMA", kNow);
  no_time.clear_event_time();
  no_time.set_utc_offset_minutes(7);
  *r.add_events() = no_time;
  errors::Violations v;
  CheckBatch(r, kNow, {}, v);
  EXPECT_EQ(Fields(v),
            (std::vector<std::string>{
                "carrier_code:REQUIRED", "events[0].waybill_no:REQUIRED",
                "events[0].event_code:REQUIRED", "events[0].event_time:IN_FUTURE",
                "events[1].utc_offset_minutes:UTC_OFFSET", "events[1].event_time:REQUIRED"}));
  EXPECT_EQ(v.ToStatus().code(), absl::StatusCode::kInvalidArgument);
}

TEST(LogisticsTrackingRules, ABatchOverTheLimitIsRefusedAsAWhole) {
  v1::ReportTrackingEventsRequest r;
  r.set_carrier_code("SF");
  TrackingLimits limits;
  limits.max_batch = 3;
  for (int i = 0; i < 4; ++i) *r.add_events() = Event("SF1", "EMA", kNow);
  errors::Violations v;
  CheckBatch(r, kNow, limits, v);
  EXPECT_EQ(Fields(v), (std::vector<std::string>{"events:BATCH_TOO_LARGE"}));
  r.clear_events();
  errors::Violations empty;
  CheckBatch(r, kNow, limits, empty);
  EXPECT_EQ(Fields(empty), (std::vector<std::string>{"events:REQUIRED"}));
}

TEST(LogisticsTrackingRules, AnEventLongBeforeTheShipmentExistedIsImpossible) {
  TrackingLimits limits;
  limits.max_backdate = absl::Hours(24);
  errors::Violations v;
  CheckAgainstShipment(Event("SF1", "EMA", kNow - absl::Hours(23)), "events[0]", kNow, limits, v);
  EXPECT_TRUE(v.empty());
  CheckAgainstShipment(Event("SF1", "EMA", kNow - absl::Hours(25)), "events[1]", kNow, limits, v);
  EXPECT_EQ(Fields(v), (std::vector<std::string>{"events[1].event_time:BEFORE_SHIPMENT"}));
}

TEST(LogisticsTrackingRules, TheSameEventHasOneDedupKeyWhateverItsText) {
  Normalized n{true, v1::SHIPMENT_STATUS_PICKED_UP, {}, "cn_express"};
  v1::TrackingEvent a = Event("SF1", "揽收", kNow);
  v1::TrackingEvent b = a;
  b.set_description("picked up (resent with other words)");
  b.set_event_code(" 揽收 ");
  EXPECT_EQ(DedupKey(CarrierEntry(a, n)), DedupKey(CarrierEntry(b, n)));
  v1::TrackingEvent later = Event("SF1", "揽收", kNow + absl::Seconds(1));
  EXPECT_NE(DedupKey(CarrierEntry(a, n)), DedupKey(CarrierEntry(later, n)));
  v1::TrackingEvent elsewhere = a;
  elsewhere.set_location("Ningbo");
  EXPECT_NE(DedupKey(CarrierEntry(a, n)), DedupKey(CarrierEntry(elsewhere, n)));
}

TEST(LogisticsTrackingRules, AnUnmappedEventKeepsItsRawCode) {
  v1::TimelineEntry e = CarrierEntry(Event("SF1", "X9", kNow), Normalized{});
  EXPECT_FALSE(e.mapped());
  EXPECT_EQ(e.raw_code(), "X9");
  EXPECT_EQ(e.status(), v1::SHIPMENT_STATUS_UNSPECIFIED);
  EXPECT_EQ(e.location(), "Hangzhou");
  EXPECT_EQ(e.utc_offset_minutes(), 480);
}

// A carrier's "清关" (CUSTOMS: by direction) reported while the shipment's direction was unknown
// is import customs; once the shipment is known to be an export, it is export customs. Codes of
// one status and other sources' entries stay as they are.
TEST(LogisticsTrackingRules, ADirectionDependentEntryIsMappedAgainWhenTheDirectionIsKnown) {
  auto mapping = StatusMapping::Load("");
  ASSERT_TRUE(mapping.ok()) << mapping.status();
  const auto unknown = parkline::declarations::v1::DIRECTION_UNSPECIFIED;
  const auto exported = parkline::declarations::v1::DIRECTION_EXPORT;
  const auto imported = parkline::declarations::v1::DIRECTION_IMPORT;
  auto entry = [&](const std::string& code) {
    return CarrierEntry(Event("SF1", code, kNow), mapping->Normalize("SF", code, unknown));
  };
  v1::TimelineEntry customs = entry("清关");
  ASSERT_EQ(customs.status(), v1::SHIPMENT_STATUS_IMPORT_CUSTOMS);
  v1::TimelineEntry for_import = customs;
  EXPECT_FALSE(RemapForDirection(*mapping, "SF", imported, for_import));
  EXPECT_EQ(for_import.status(), v1::SHIPMENT_STATUS_IMPORT_CUSTOMS);
  EXPECT_TRUE(RemapForDirection(*mapping, "SF", exported, customs));
  EXPECT_EQ(customs.status(), v1::SHIPMENT_STATUS_EXPORT_CUSTOMS);
  EXPECT_EQ(customs.reason(), v1::STATUS_REASON_CUSTOMS_DECLARED);
  EXPECT_EQ(customs.raw_code(), "清关");
  EXPECT_FALSE(RemapForDirection(*mapping, "SF", exported, customs));  // once is enough

  v1::TimelineEntry departed = entry("EMC");
  EXPECT_FALSE(RemapForDirection(*mapping, "SF", exported, departed));
  EXPECT_EQ(departed.status(), v1::SHIPMENT_STATUS_DEPARTED_ORIGIN);
  v1::TimelineEntry unmapped = entry("X9");
  EXPECT_FALSE(RemapForDirection(*mapping, "SF", exported, unmapped));
  // Customs' own milestones carry their direction already.
  v1::TimelineEntry from_customs = entry("清关");
  from_customs.set_source(v1::EVENT_SOURCE_CUSTOMS);
  EXPECT_FALSE(RemapForDirection(*mapping, "SF", exported, from_customs));
  EXPECT_EQ(from_customs.status(), v1::SHIPMENT_STATUS_IMPORT_CUSTOMS);
}

TEST(LogisticsCustomsMilestones, ClearanceEventsBecomeCustomsEntries) {
  namespace cv1 = parkline::clearance::v1;
  cv1::CaseFacts facts;
  facts.set_order_key("3301960001/ORD-1");
  facts.set_direction(parkline::declarations::v1::DIRECTION_IMPORT);
  *facts.mutable_submit_time() = TimeUtil::SecondsToTimestamp(100);

  cv1::ClearanceSubmitted submitted;
  *submitted.mutable_facts() = facts;
  auto m = MilestoneOf(submitted);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->order_key, "3301960001/ORD-1");
  EXPECT_EQ(m->entry.source(), v1::EVENT_SOURCE_CUSTOMS);
  EXPECT_EQ(m->entry.status(), v1::SHIPMENT_STATUS_IMPORT_CUSTOMS);
  EXPECT_EQ(m->entry.reason(), v1::STATUS_REASON_CUSTOMS_DECLARED);

  cv1::ClearanceStatusChanged inspection;
  *inspection.mutable_facts() = facts;
  inspection.set_return_status(500);
  inspection.set_status(cv1::CASE_STATUS_INSPECTION);
  *inspection.mutable_return_time() = TimeUtil::SecondsToTimestamp(200);
  m = MilestoneOf(inspection);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->entry.reason(), v1::STATUS_REASON_CUSTOMS_HELD);
  EXPECT_EQ(m->entry.raw_code(), "500");

  // A receipt that is no milestone adds nothing.
  inspection.set_return_status(120);
  inspection.set_status(cv1::CASE_STATUS_ACCEPTED);
  EXPECT_FALSE(MilestoneOf(inspection).has_value());

  // Released twice (the status change to 800 and ClearanceReleased): one entry.
  cv1::ClearanceStatusChanged to800;
  *to800.mutable_facts() = facts;
  to800.set_return_status(800);
  to800.set_status(cv1::CASE_STATUS_RELEASED);
  *to800.mutable_return_time() = TimeUtil::SecondsToTimestamp(300);
  cv1::ClearanceReleased released;
  *released.mutable_facts() = facts;
  *released.mutable_release_time() = TimeUtil::SecondsToTimestamp(300);
  auto a = MilestoneOf(to800);
  auto b = MilestoneOf(released);
  ASSERT_TRUE(a.has_value() && b.has_value());
  EXPECT_EQ(b->entry.reason(), v1::STATUS_REASON_CUSTOMS_RELEASED);
  EXPECT_EQ(DedupKey(a->entry), DedupKey(b->entry));

  cv1::ClearanceRejected rejected;
  *rejected.mutable_facts() = facts;
  rejected.mutable_facts()->set_direction(parkline::declarations::v1::DIRECTION_EXPORT);
  rejected.set_return_status(100);
  m = MilestoneOf(rejected);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->entry.status(), v1::SHIPMENT_STATUS_EXPORT_CUSTOMS);
  EXPECT_EQ(m->entry.reason(), v1::STATUS_REASON_CUSTOMS_REJECTED);

  // A case opened without a declaration has no shipment to join.
  cv1::ClearanceReleased orderless;
  *orderless.mutable_release_time() = TimeUtil::SecondsToTimestamp(300);
  EXPECT_FALSE(MilestoneOf(orderless).has_value());
}

std::vector<v1::ShipmentStatus> Trail(std::initializer_list<v1::ShipmentStatus> s) { return s; }

TEST(LogisticsCoverage, CountsCompleteTrailsAndSaysWhatTheOthersLack) {
  auto key = [](const char* no) {
    v1::ShipmentKey k;
    k.set_carrier_code("SF");
    k.set_waybill_no(no);
    return k;
  };
  std::vector<ReleasedShipment> released = {
      {key("1"), "E/1",
       Trail({v1::SHIPMENT_STATUS_PICKED_UP, v1::SHIPMENT_STATUS_IN_TRANSIT,
              v1::SHIPMENT_STATUS_IMPORT_CUSTOMS, v1::SHIPMENT_STATUS_DELIVERED})},
      {key("2"), "E/2", Trail({v1::SHIPMENT_STATUS_IMPORT_CUSTOMS, v1::SHIPMENT_STATUS_DELIVERED})},
      {key("3"), "E/3",
       Trail({v1::SHIPMENT_STATUS_PICKED_UP, v1::SHIPMENT_STATUS_OUT_FOR_DELIVERY})},
  };
  v1::CoverageReport r = BuildCoverageReport(released, 1);
  EXPECT_EQ(r.released(), 3);
  EXPECT_EQ(r.complete(), 1);
  EXPECT_EQ(r.complete_ratio(), "0.3333");
  EXPECT_EQ(r.missing_pick_up(), 1);
  EXPECT_EQ(r.missing_transit(), 1);
  EXPECT_EQ(r.missing_delivery(), 1);
  ASSERT_EQ(r.gaps_size(), 1);  // listed up to max_gaps; counted all
  EXPECT_EQ(r.gaps(0).key().waybill_no(), "2");
  EXPECT_EQ(std::vector<std::string>(r.gaps(0).missing().begin(), r.gaps(0).missing().end()),
            (std::vector<std::string>{"PICKED_UP", "IN_TRANSIT"}));
  EXPECT_EQ(BuildCoverageReport({}, 10).complete_ratio(), "");
  EXPECT_EQ(BuildCoverageReport({released[0]}, 10).complete_ratio(), "1.0000");
  std::vector<ReleasedShipment> two_of_three = {released[0], released[0], released[1]};
  EXPECT_EQ(BuildCoverageReport(two_of_three, 10).complete_ratio(), "0.6667");
}

TEST(LogisticsWatchHub, AWatcherWakesOnItsKeyOnlyAndAtShutdown) {
  WatchHub hub;
  WatchHub::Subscription a(hub, "SF/1");
  EXPECT_EQ(hub.watchers(), 1);
  EXPECT_FALSE(a.Wait(absl::Milliseconds(20)));  // timeout
  hub.Notify("SF/2");
  EXPECT_FALSE(a.Wait(absl::Milliseconds(20)));
  hub.Notify("SF/1");
  EXPECT_TRUE(a.Wait(absl::Seconds(5)));  // a notification before the wait is not lost
  std::thread waker([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    hub.Shutdown();
  });
  absl::Time start = absl::Now();
  a.Wait(absl::Seconds(30));
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
  EXPECT_TRUE(hub.stopping());
  waker.join();
  {
    WatchHub::Subscription b(hub, "SF/1");
    EXPECT_EQ(hub.watchers(), 2);
  }
  EXPECT_EQ(hub.watchers(), 1);
}

}  // namespace
}  // namespace parkline::logistics
