// The shipment desk against a real database, on every backend: shipments from waybills and
// registrations, batches stored all or nothing, the same event stored once, late events in their
// place by event time, the status forward-only, customs milestones on the same timeline (also
// when they come before the shipment), staleness, the coverage report, paging, the official
// CEB513 sample, and every effect with its event in the outbox.
#include "logistics/shipment_desk.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "errors/violations.h"
#include "events/outbox.h"
#include "events/schema.h"
#include "google/protobuf/util/time_util.h"
#include "logistics/schema.h"
#include "logistics/waybill_status_message.h"
#include "parkline/clearance/v1/events.pb.h"
#include "parkline/declarations/v1/events.pb.h"
#include "tests/support/backend_test.h"
#include "tests/support/ceb_reference.h"
#include "tests/support/logistics_waybills.h"
#include "tests/support/test_env.h"

namespace parkline::logistics {
namespace {

using google::protobuf::util::TimeUtil;
namespace dv1 = parkline::declarations::v1;
namespace cv1 = parkline::clearance::v1;

const absl::Time kNow = absl::FromUnixSeconds(1'795'000'000);  // 2026-11-18

google::protobuf::Timestamp Stamp(absl::Time t) {
  return TimeUtil::SecondsToTimestamp(absl::ToUnixSeconds(t));
}

constexpr char kCarrier[] = "3301960004";

v1::ShipmentKey Key(const std::string& waybill, const std::string& carrier = kCarrier) {
  v1::ShipmentKey k;
  k.set_carrier_code(carrier);
  k.set_waybill_no(waybill);
  return k;
}

v1::TrackingEvent Event(const std::string& waybill, const std::string& code, absl::Time when,
                        const std::string& location = "Hangzhou") {
  v1::TrackingEvent e;
  e.set_waybill_no(waybill);
  e.set_event_code(code);
  *e.mutable_event_time() = Stamp(when);
  e.set_utc_offset_minutes(480);
  e.set_location(location);
  return e;
}

v1::RegisterShipmentRequest Registration(const std::string& waybill, const std::string& order_key,
                                         const std::string& carrier = kCarrier) {
  v1::RegisterShipmentRequest r;
  *r.mutable_key() = Key(waybill, carrier);
  r.set_order_key(order_key);
  r.set_direction(dv1::DIRECTION_IMPORT);
  r.set_business_mode("9610");
  return r;
}

v1::ReportTrackingEventsRequest Batch(std::vector<v1::TrackingEvent> events,
                                      const std::string& carrier = "3301960004") {
  v1::ReportTrackingEventsRequest r;
  r.set_carrier_code(carrier);
  for (auto& e : events) *r.add_events() = std::move(e);
  return r;
}

class ShipmentDeskTest : public testing::BackendTest<ApplySchema> {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto mapping = StatusMapping::Load("");
    ASSERT_TRUE(mapping.ok());
    mapping_ = std::make_unique<StatusMapping>(std::move(*mapping));
    TrackerOptions options;
    options.stale_after = absl::Hours(72);
    desk_ = std::make_unique<ShipmentDesk>(
        *db_, *mapping_, hub_, [this] { ++notified_; }, options);
  }

  // The carrier's shipment. One of an order is tied to it by the carrier's waybill, received
  // first as declarations publishes it (the waybill makes the shipment; registering it again
  // returns it).
  v1::Shipment Register(const std::string& waybill, const std::string& order_key = "",
                        absl::Time at = kNow - absl::Hours(48)) {
    if (!order_key.empty()) {
      EXPECT_TRUE(testing::ReceiveWaybill(
                      *db_, *desk_, testing::WaybillReceived(kCarrier, waybill, order_key), at)
                      .ok());
    }
    auto s =
        desk_->Register(testing::CarrierViewer(kCarrier), Registration(waybill, order_key), at);
    EXPECT_TRUE(s.ok()) << s.status();
    return s.ok() ? *s : v1::Shipment();
  }

  v1::Shipment Get(const std::string& waybill) {
    v1::GetShipmentRequest r;
    *r.mutable_key() = Key(waybill);
    auto s = desk_->Get(r);
    EXPECT_TRUE(s.ok()) << s.status();
    return s.ok() ? *s : v1::Shipment();
  }

  std::vector<v1::TimelineEntry> Timeline(const std::string& waybill) {
    v1::GetShipmentRequest r;
    *r.mutable_key() = Key(waybill);
    auto t = desk_->Timeline(r);
    EXPECT_TRUE(t.ok()) << t.status();
    if (!t.ok()) return {};
    return {t->entries().begin(), t->entries().end()};
  }

  std::vector<std::string> Types(const std::string& subject) {
    std::vector<std::string> out;
    for (const auto& e : Outbox()) {
      if (e.subject == subject) out.push_back(e.type.substr(strlen("parkline.logistics.v1.")));
    }
    return out;
  }

  // Applies an event as the service's consumers do (FollowDeclarations, FollowClearance); `at`
  // is the event's time.
  absl::Status Apply(const dv1::DocumentReceived& m, absl::Time at = kNow) {
    return db_->Transact(
        [&](store::Transaction& tx) { return desk_->ApplyDocumentReceived(tx, m, at); });
  }
  absl::Status Apply(const dv1::DeclarationMatched& m, absl::Time at = kNow) {
    return db_->Transact(
        [&](store::Transaction& tx) { return desk_->ApplyDeclarationMatched(tx, m, at); });
  }
  // A clearance event.
  template <typename M>
  absl::Status Apply(const M& m) {
    return db_->Transact(
        [&](store::Transaction& tx) { return desk_->ApplyMilestone(tx, MilestoneOf(m)); });
  }

  std::unique_ptr<StatusMapping> mapping_;
  WatchHub hub_;
  std::unique_ptr<ShipmentDesk> desk_;
  int notified_ = 0;
};

PARKLINE_BACKEND_TESTS(ShipmentDeskTest);

TEST_P(ShipmentDeskTest, RegistrationIsIdempotentAndOtherDataIsAlreadyExists) {
  v1::Shipment s = Register("SF0001", "3301960001/ORD-1");
  EXPECT_EQ(s.status(), v1::SHIPMENT_STATUS_UNSPECIFIED);
  EXPECT_EQ(Register("SF0001", "3301960001/ORD-1").key().waybill_no(), "SF0001");
  EXPECT_EQ(Types("3301960004/SF0001"), (std::vector<std::string>{"ShipmentCreated"}));
  v1::RegisterShipmentRequest other = Registration("SF0001", "3301960001/ORD-1");
  other.set_business_mode("9710");
  EXPECT_EQ(desk_->Register(testing::CarrierViewer(kCarrier), other, kNow).status().code(),
            absl::StatusCode::kAlreadyExists);
  v1::RegisterShipmentRequest bad;
  bad.mutable_key()->set_waybill_no(std::string(61, 'x'));
  bad.set_order_key("no-slash");
  bad.set_business_mode("1234");
  auto refused = desk_->Register(testing::CarrierViewer(kCarrier), bad, kNow);
  ASSERT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(errors::ViolationsOf(refused.status()).size(), 4u) << refused.status();
}

TEST_P(ShipmentDeskTest, ACarrierTiesAShipmentToAnOrderOnlyThroughItsOwnWaybill) {
  const std::string order = "3301960001/ORD-100";
  const auth::Viewer carrier = testing::CarrierViewer(kCarrier);
  // Another carrier's waybill for the order, and the carrier's own for another order.
  ASSERT_TRUE(testing::ReceiveWaybill(*db_, *desk_,
                                      testing::WaybillReceived("4401960013", "SF0100", order), kNow)
                  .ok());
  ASSERT_TRUE(
      testing::ReceiveWaybill(
          *db_, *desk_, testing::WaybillReceived(kCarrier, "SF0101", "3301960001/ORD-101"), kNow)
          .ok());
  size_t before = Outbox().size();
  auto expect_refused = [&](const std::string& waybill, const std::string& rule) {
    auto r = desk_->Register(carrier, Registration(waybill, order), kNow);
    EXPECT_EQ(r.status().code(), absl::StatusCode::kPermissionDenied) << waybill;
    EXPECT_NE(r.status().message().find("order_key: " + rule), std::string::npos) << r.status();
  };
  expect_refused("SF0100", "OWN_WAYBILL");  // the other carrier's number, under its own code
  expect_refused("SF0101", "OWN_WAYBILL");  // its waybill of another order
  // Its own waybill for the order, under another number.
  ASSERT_TRUE(testing::ReceiveWaybill(*db_, *desk_,
                                      testing::WaybillReceived(kCarrier, "SF0102", order), kNow)
                  .ok());
  before = Outbox().size();
  expect_refused("SF0103", "WAYBILL_NO");
  expect_refused("SF0101", "WAYBILL_NO");
  EXPECT_EQ(Outbox().size(), before);
  v1::GetShipmentRequest get;
  *get.mutable_key() = Key("SF0103");
  EXPECT_EQ(desk_->Get(get).status().code(), absl::StatusCode::kNotFound);
  // Its own shipment of another order is not moved to this one either.
  EXPECT_EQ(Get("SF0101").order_key(), "3301960001/ORD-101");
  // Through its waybill for the order: the shipment the waybill made.
  auto bound = desk_->Register(carrier, Registration("SF0102", order), kNow);
  ASSERT_TRUE(bound.ok()) << bound.status();
  EXPECT_EQ(bound->order_key(), order);

  // Registered before its waybill, without an order: the waybill ties it when it comes.
  ASSERT_TRUE(desk_->Register(carrier, Registration("SF0104", ""), kNow).ok());
  expect_refused("SF0104", "WAYBILL_NO");
  EXPECT_EQ(Get("SF0104").order_key(), "");
  ASSERT_TRUE(testing::ReceiveWaybill(*db_, *desk_,
                                      testing::WaybillReceived(kCarrier, "SF0104", order), kNow)
                  .ok());
  EXPECT_EQ(Get("SF0104").order_key(), order);

  // Customs' milestones of the order reach the shipments of its waybills, nobody else's.
  cv1::ClearanceSubmitted submitted;
  submitted.mutable_facts()->set_order_key(order);
  submitted.mutable_facts()->set_direction(dv1::DIRECTION_IMPORT);
  *submitted.mutable_facts()->mutable_submit_time() = Stamp(kNow - absl::Hours(1));
  ASSERT_TRUE(Apply(submitted).ok());
  EXPECT_EQ(Timeline("SF0102").size(), 1u);
  EXPECT_EQ(Timeline("SF0104").size(), 1u);
  EXPECT_TRUE(Timeline("SF0101").empty());

  // The admin may tie any shipment; another carrier may not register under this carrier's code.
  auto admin = desk_->Register(testing::AdminViewer(), Registration("SF0105", order), kNow);
  ASSERT_TRUE(admin.ok()) << admin.status();
  auto other =
      desk_->Register(testing::CarrierViewer("4401960013"), Registration("SF0106", ""), kNow);
  EXPECT_EQ(other.status().code(), absl::StatusCode::kPermissionDenied);
}

TEST_P(ShipmentDeskTest, AJourneyToDeliveryPublishesItsEvents) {
  Register("SF0002", "3301960001/ORD-2");
  auto r = desk_->Report(Batch({Event("SF0002", "揽收", kNow - absl::Hours(40)),
                                Event("SF0002", "在途", kNow - absl::Hours(30)),
                                Event("SF0002", "已清关", kNow - absl::Hours(20)),
                                Event("SF0002", "派件", kNow - absl::Hours(3)),
                                Event("SF0002", "签收", kNow - absl::Hours(1), "Shanghai")}),
                         kNow);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->stored(), 5);
  EXPECT_EQ(r->duplicates(), 0);
  v1::Shipment s = Get("SF0002");
  EXPECT_EQ(s.status(), v1::SHIPMENT_STATUS_DELIVERED);
  EXPECT_EQ(TimeUtil::TimestampToSeconds(s.status_time()),
            absl::ToUnixSeconds(kNow - absl::Hours(1)));
  EXPECT_GT(notified_, 0);
  EXPECT_EQ(
      Types("3301960004/SF0002"),
      (std::vector<std::string>{"ShipmentCreated", "ShipmentStatusChanged", "ShipmentDelivered"}));
  for (const auto& e : Outbox()) {
    if (e.type == "parkline.logistics.v1.ShipmentDelivered") {
      v1::ShipmentDelivered d;
      ASSERT_TRUE(d.ParseFromString(e.payload));
      EXPECT_EQ(d.transit_seconds(), 39 * 3600);
      EXPECT_EQ(d.key().waybill_no(), "SF0002");
    }
    if (e.type == "parkline.logistics.v1.ShipmentStatusChanged") {
      v1::ShipmentStatusChanged c;
      ASSERT_TRUE(c.ParseFromString(e.payload));
      EXPECT_EQ(c.previous_status(), v1::SHIPMENT_STATUS_UNSPECIFIED);
      EXPECT_EQ(c.status(), v1::SHIPMENT_STATUS_DELIVERED);
      EXPECT_EQ(c.source(), v1::EVENT_SOURCE_CARRIER);
      EXPECT_EQ(c.location(), "Shanghai");
    }
  }
}

TEST_P(ShipmentDeskTest, TheSameEventTwiceIsStoredOnceAndLateEventsTakeTheirPlace) {
  Register("SF0003");
  ASSERT_TRUE(desk_
                  ->Report(Batch({Event("SF0003", "EMA", kNow - absl::Hours(30)),
                                  Event("SF0003", "EDG", kNow - absl::Hours(2))}),
                           kNow)
                  .ok());
  EXPECT_EQ(Get("SF0003").status(), v1::SHIPMENT_STATUS_OUT_FOR_DELIVERY);
  // Resent (one with other words) plus one that happened in between, reported late.
  v1::TrackingEvent resent = Event("SF0003", "EMA", kNow - absl::Hours(30));
  resent.set_description("Posting (resent)");
  auto r = desk_->Report(Batch({resent, Event("SF0003", "EDC", kNow - absl::Hours(10)),
                                Event("SF0003", "EDG", kNow - absl::Hours(2))}),
                         kNow);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->stored(), 1);
  EXPECT_EQ(r->duplicates(), 2);
  auto timeline = Timeline("SF0003");
  ASSERT_EQ(timeline.size(), 3u);
  EXPECT_EQ(timeline[0].raw_code(), "EMA");
  EXPECT_EQ(timeline[1].raw_code(), "EDC");  // by event time, though stored last
  EXPECT_EQ(timeline[2].raw_code(), "EDG");
  EXPECT_GT(timeline[1].seq(), timeline[2].seq());
  // The late customs release is earlier on the journey: the status stays where it was.
  EXPECT_EQ(Get("SF0003").status(), v1::SHIPMENT_STATUS_OUT_FOR_DELIVERY);
  EXPECT_EQ(Types("3301960004/SF0003"),
            (std::vector<std::string>{"ShipmentCreated", "ShipmentStatusChanged"}));
}

TEST_P(ShipmentDeskTest, ExceptionsAreEnteredAndLeftAndPublished) {
  Register("SF0004");
  ASSERT_TRUE(desk_
                  ->Report(Batch({Event("SF0004", "EMA", kNow - absl::Hours(30)),
                                  Event("SF0004", "EMD", kNow - absl::Hours(20))}),
                           kNow)
                  .ok());
  ASSERT_TRUE(desk_->Report(Batch({Event("SF0004", "丢失", kNow - absl::Hours(10))}), kNow).ok());
  v1::Shipment s = Get("SF0004");
  EXPECT_EQ(s.status(), v1::SHIPMENT_STATUS_EXCEPTION);
  EXPECT_EQ(s.reason(), v1::STATUS_REASON_LOST);
  // Found again, in transit: out of the exception, though transit is an earlier phase.
  ASSERT_TRUE(desk_->Report(Batch({Event("SF0004", "在途", kNow - absl::Hours(5))}), kNow).ok());
  EXPECT_EQ(Get("SF0004").status(), v1::SHIPMENT_STATUS_IN_TRANSIT);
  EXPECT_EQ(
      Types("3301960004/SF0004"),
      (std::vector<std::string>{"ShipmentCreated", "ShipmentStatusChanged", "ShipmentStatusChanged",
                                "ShipmentException", "ShipmentStatusChanged"}));
}

TEST_P(ShipmentDeskTest, ARejectedBatchStoresNothing) {
  Register("SF0005");
  size_t before = Outbox().size();
  v1::TrackingEvent empty_code = Event("SF0005", "", kNow - absl::Hours(1));
  auto r = desk_->Report(Batch({Event("SF0005", "EMA", kNow - absl::Hours(2)), empty_code}), kNow);
  ASSERT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("events[1].event_code"), std::string::npos);
  // A good event with an unknown waybill, and one from before the shipment existed.
  r = desk_->Report(Batch({Event("SF0005", "EMA", kNow - absl::Hours(2)),
                           Event("NO-SUCH", "EMA", kNow - absl::Hours(2)),
                           Event("SF0005", "EMB", kNow - absl::Hours(24 * 60))}),
                    kNow);
  ASSERT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  auto violations = errors::ViolationsOf(r.status());
  ASSERT_EQ(violations.size(), 2u) << r.status();
  EXPECT_EQ(violations[0].field, "events[1].waybill_no");
  EXPECT_EQ(violations[0].reason, "UNKNOWN_SHIPMENT");
  EXPECT_EQ(violations[1].field, "events[2].event_time");
  EXPECT_EQ(violations[1].reason, "BEFORE_SHIPMENT");
  // In the future beyond the tolerance.
  r = desk_->Report(Batch({Event("SF0005", "EMA", kNow + absl::Hours(1))}), kNow);
  ASSERT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(Timeline("SF0005").empty());
  EXPECT_EQ(Outbox().size(), before);
}

TEST_P(ShipmentDeskTest, AnUnmappedCodeIsKeptRawAndCounted) {
  Register("SF0006");
  auto r = desk_->Report(Batch({Event("SF0006", "EMA", kNow - absl::Hours(5)),
                                Event("SF0006", "ZZ-42", kNow - absl::Hours(4))}),
                         kNow);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->unmapped(), 1);
  v1::Shipment s = Get("SF0006");
  EXPECT_EQ(s.unmapped_events(), 1);
  EXPECT_EQ(s.status(), v1::SHIPMENT_STATUS_PICKED_UP);
  auto timeline = Timeline("SF0006");
  ASSERT_EQ(timeline.size(), 2u);
  EXPECT_EQ(timeline[1].raw_code(), "ZZ-42");
  EXPECT_FALSE(timeline[1].mapped());
}

// A carrier's "清关" is import or export customs by the shipment's direction. Reported while the
// direction is unknown it reads as import customs; when the waybill says export, it is mapped
// again and the status folded again (published), so the parcel can then depart.
TEST_P(ShipmentDeskTest, CustomsReportedBeforeTheDirectionIsMappedAgainWhenItIsKnown) {
  v1::RegisterShipmentRequest undirected;
  *undirected.mutable_key() = Key("SF0110");
  ASSERT_TRUE(
      desk_->Register(testing::CarrierViewer(kCarrier), undirected, kNow - absl::Hours(48)).ok());
  ASSERT_TRUE(desk_->Report(Batch({Event("SF0110", "清关", kNow - absl::Hours(30))}), kNow).ok());
  EXPECT_EQ(Get("SF0110").status(), v1::SHIPMENT_STATUS_IMPORT_CUSTOMS);

  ASSERT_TRUE(
      testing::ReceiveWaybill(
          *db_, *desk_,
          testing::WaybillReceived(kCarrier, "SF0110", "3301960001/ORD-110", dv1::DIRECTION_EXPORT),
          kNow - absl::Hours(20))
          .ok());
  v1::Shipment s = Get("SF0110");
  EXPECT_EQ(s.direction(), dv1::DIRECTION_EXPORT);
  EXPECT_EQ(s.status(), v1::SHIPMENT_STATUS_EXPORT_CUSTOMS);
  auto timeline = Timeline("SF0110");
  ASSERT_EQ(timeline.size(), 1u);
  EXPECT_EQ(timeline[0].raw_code(), "清关");
  EXPECT_EQ(timeline[0].status(), v1::SHIPMENT_STATUS_EXPORT_CUSTOMS);

  ASSERT_TRUE(desk_->Report(Batch({Event("SF0110", "EMC", kNow - absl::Hours(10))}), kNow).ok());
  EXPECT_EQ(Get("SF0110").status(), v1::SHIPMENT_STATUS_DEPARTED_ORIGIN);
  EXPECT_EQ(Types("3301960004/SF0110"),
            (std::vector<std::string>{"ShipmentCreated", "ShipmentStatusChanged",
                                      "ShipmentStatusChanged", "ShipmentStatusChanged"}));
  std::vector<std::pair<v1::ShipmentStatus, v1::ShipmentStatus>> changes;
  for (const auto& e : Outbox()) {
    if (e.subject != "3301960004/SF0110" ||
        e.type != "parkline.logistics.v1.ShipmentStatusChanged") {
      continue;
    }
    v1::ShipmentStatusChanged c;
    ASSERT_TRUE(c.ParseFromString(e.payload));
    changes.emplace_back(c.previous_status(), c.status());
  }
  EXPECT_EQ(changes,
            (std::vector<std::pair<v1::ShipmentStatus, v1::ShipmentStatus>>{
                {v1::SHIPMENT_STATUS_UNSPECIFIED, v1::SHIPMENT_STATUS_IMPORT_CUSTOMS},
                {v1::SHIPMENT_STATUS_IMPORT_CUSTOMS, v1::SHIPMENT_STATUS_EXPORT_CUSTOMS},
                {v1::SHIPMENT_STATUS_EXPORT_CUSTOMS, v1::SHIPMENT_STATUS_DEPARTED_ORIGIN}}));
}

TEST_P(ShipmentDeskTest, WaybillsMakeShipmentsAndCustomsJoinsByOrderInAnyOrder) {
  // Customs speaks first: the case's declaration is not known here yet.
  cv1::CaseFacts facts;
  facts.set_order_key("3301960001/ORD-7");
  facts.set_direction(dv1::DIRECTION_IMPORT);
  *facts.mutable_submit_time() = Stamp(kNow - absl::Hours(20));
  cv1::ClearanceSubmitted submitted;
  *submitted.mutable_facts() = facts;
  ASSERT_TRUE(Apply(submitted).ok());

  // The waybill came before its order: its order key lacks the platform.
  dv1::DocumentReceived waybill;
  waybill.set_kind(dv1::DOCUMENT_KIND_WAYBILL);
  waybill.set_order_key("/ORD-7");
  waybill.set_direction(dv1::DIRECTION_IMPORT);
  waybill.set_enterprise_code("3301960004");
  waybill.set_logistics_no("SF0007");
  ASSERT_TRUE(Apply(waybill, kNow - absl::Hours(30)).ok());
  // The consumer's own dedup aside, creating is idempotent.
  ASSERT_TRUE(Apply(waybill, kNow - absl::Hours(30)).ok());
  v1::Shipment s = Get("SF0007");
  EXPECT_EQ(s.order_key(), "/ORD-7");
  EXPECT_TRUE(Timeline("SF0007").empty());

  // An order's DocumentReceived makes no shipment.
  dv1::DocumentReceived order;
  order.set_kind(dv1::DOCUMENT_KIND_ORDER);
  order.set_order_key("3301960001/ORD-7");
  ASSERT_TRUE(Apply(order).ok());

  dv1::DeclarationMatched matched;
  dv1::Declaration& d = *matched.mutable_declaration();
  d.set_order_key("3301960001/ORD-7");
  d.set_direction(dv1::DIRECTION_IMPORT);
  d.set_business_mode("9610");
  d.set_logistics_code("3301960004");
  d.set_logistics_no("SF0007");
  ASSERT_TRUE(Apply(matched).ok());
  s = Get("SF0007");
  EXPECT_EQ(s.order_key(), "3301960001/ORD-7");
  EXPECT_EQ(s.business_mode(), "9610");
  auto timeline = Timeline("SF0007");
  ASSERT_EQ(timeline.size(), 1u);
  EXPECT_EQ(timeline[0].source(), v1::EVENT_SOURCE_CUSTOMS);
  EXPECT_EQ(s.status(), v1::SHIPMENT_STATUS_IMPORT_CUSTOMS);
  EXPECT_EQ(s.reason(), v1::STATUS_REASON_CUSTOMS_DECLARED);

  // Now the release: straight onto the timeline, and counted for the coverage report.
  cv1::ClearanceReleased released;
  *released.mutable_facts() = facts;
  *released.mutable_release_time() = Stamp(kNow - absl::Hours(10));
  ASSERT_TRUE(Apply(released).ok());
  s = Get("SF0007");
  EXPECT_EQ(s.reason(), v1::STATUS_REASON_CUSTOMS_RELEASED);
  EXPECT_EQ(Timeline("SF0007").size(), 2u);
  EXPECT_EQ(Types("3301960004/SF0007"),
            (std::vector<std::string>{"ShipmentCreated", "ShipmentStatusChanged",
                                      "ShipmentStatusChanged"}));

  v1::CoverageReportRequest c;
  absl::CivilDay day = absl::ToCivilDay(kNow, absl::FixedTimeZone(8 * 3600));
  for (auto* date : {c.mutable_from(), c.mutable_to()}) {
    date->set_year(static_cast<int>(day.year()));
    date->set_month(day.month());
    date->set_day(day.day());
  }
  c.mutable_from()->set_day(day.day() - 1);
  auto report = desk_->Coverage(c);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->released(), 1);
  EXPECT_EQ(report->complete(), 0);
  ASSERT_EQ(report->gaps_size(), 1);
  EXPECT_EQ(report->gaps(0).order_key(), "3301960001/ORD-7");
  EXPECT_EQ(report->gaps(0).missing_size(), 3);

  ASSERT_TRUE(desk_
                  ->Report(Batch({Event("SF0007", "揽收", kNow - absl::Hours(28)),
                                  Event("SF0007", "在途", kNow - absl::Hours(8)),
                                  Event("SF0007", "签收", kNow - absl::Hours(1))}),
                           kNow)
                  .ok());
  report = desk_->Coverage(c);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->complete(), 1);
  EXPECT_EQ(report->complete_ratio(), "1.0000");
}

TEST_P(ShipmentDeskTest, ShipmentsWithoutNewsBecomeStaleUntilNewsComes) {
  Register("SF0008", "", kNow - absl::Hours(100));
  ASSERT_TRUE(
      desk_->Report(Batch({Event("SF0008", "EMA", kNow - absl::Hours(99))}), kNow - absl::Hours(99))
          .ok());
  Register("SF0009", "", kNow - absl::Hours(10));  // recent: not stale
  auto marked = desk_->MarkStale(kNow);
  ASSERT_TRUE(marked.ok()) << marked.status();
  EXPECT_EQ(*marked, 1);
  EXPECT_EQ(*desk_->MarkStale(kNow), 0);  // marked once
  v1::Shipment s = Get("SF0008");
  EXPECT_EQ(s.status(), v1::SHIPMENT_STATUS_STALE);
  EXPECT_EQ(Get("SF0009").status(), v1::SHIPMENT_STATUS_UNSPECIFIED);
  auto timeline = Timeline("SF0008");
  ASSERT_EQ(timeline.size(), 2u);
  EXPECT_EQ(timeline[1].source(), v1::EVENT_SOURCE_PARK);
  // News (even of an earlier moment) ends it.
  ASSERT_TRUE(desk_->Report(Batch({Event("SF0008", "在途", kNow - absl::Hours(50))}), kNow).ok());
  EXPECT_EQ(Get("SF0008").status(), v1::SHIPMENT_STATUS_IN_TRANSIT);
  EXPECT_EQ(Types("3301960004/SF0008"),
            (std::vector<std::string>{"ShipmentCreated", "ShipmentStatusChanged",
                                      "ShipmentStatusChanged", "ShipmentStatusChanged"}));
}

TEST_P(ShipmentDeskTest, ListFiltersAndPages) {
  for (int i = 0; i < 5; ++i)
    Register("LS" + std::to_string(i), "3301960001/O" + std::to_string(i));
  ASSERT_TRUE(desk_
                  ->Report(Batch({Event("LS1", "EMA", kNow - absl::Hours(1)),
                                  Event("LS3", "EMA", kNow - absl::Hours(1))}),
                           kNow)
                  .ok());
  v1::ListShipmentsRequest r;
  r.mutable_page()->set_page_size(2);
  std::vector<std::string> seen;
  for (int page = 0; page < 5; ++page) {
    auto list = desk_->List(r);
    ASSERT_TRUE(list.ok()) << list.status();
    for (const auto& s : list->shipments()) seen.push_back(s.key().waybill_no());
    if (list->next_page_token().empty()) break;
    r.mutable_page()->set_page_token(list->next_page_token());
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"LS0", "LS1", "LS2", "LS3", "LS4"}));
  v1::ListShipmentsRequest picked;
  picked.set_status(v1::SHIPMENT_STATUS_PICKED_UP);
  picked.set_carrier_code("3301960004");
  picked.set_enterprise_code("3301960001");
  auto list = desk_->List(picked);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->shipments_size(), 2);
  EXPECT_EQ(list->shipments(1).key().waybill_no(), "LS3");
  picked.set_carrier_code("OTHER");
  EXPECT_EQ(desk_->List(picked)->shipments_size(), 0);
  v1::ListShipmentsRequest bad;
  bad.mutable_page()->set_page_token("!!");
  EXPECT_EQ(desk_->List(bad).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_P(ShipmentDeskTest, AnEnterpriseNamingAnotherOrderFindsNothing) {
  Register("SF0010", "3301960001/ORD-10");
  v1::GetShipmentRequest r;
  *r.mutable_key() = Key("SF0010");
  r.set_order_key("3301960001/ORD-10");
  EXPECT_TRUE(desk_->Get(r).ok());
  r.set_order_key("4401960009/ORD-10");
  EXPECT_EQ(desk_->Get(r).status().code(), absl::StatusCode::kNotFound);
  *r.mutable_key() = Key("NONE");
  r.clear_order_key();
  EXPECT_EQ(desk_->Get(r).status().code(), absl::StatusCode::kNotFound);
}

TEST_P(ShipmentDeskTest, AFullBatchIsStoredInOneCall) {
  for (int s = 0; s < 50; ++s) Register("BT" + std::to_string(s));
  std::vector<v1::TrackingEvent> events;
  const char* codes[] = {"EMA", "EMB", "EMC", "EMD", "EDB", "EDC", "EDD", "EDE", "EDG", "EMI"};
  for (int s = 0; s < 50; ++s) {
    for (int i = 0; i < 10; ++i) {
      events.push_back(Event("BT" + std::to_string(s), codes[i], kNow - absl::Hours(40 - i)));
    }
  }
  absl::Time start = absl::Now();
  auto r = desk_->Report(Batch(events), kNow);
  absl::Duration took = absl::Now() - start;
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->stored(), 500);
  std::printf("%s: 500 events for 50 shipments in one batch: %lld ms\n", GetParam().c_str(),
              static_cast<long long>(absl::ToInt64Milliseconds(took)));
  RecordProperty("batch_500_ms", std::to_string(absl::ToInt64Milliseconds(took)));
  EXPECT_EQ(Get("BT7").status(), v1::SHIPMENT_STATUS_DELIVERED);
  // Again: every one a duplicate, nothing published.
  size_t before = Outbox().size();
  r = desk_->Report(Batch(events), kNow);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->duplicates(), 500);
  EXPECT_EQ(Outbox().size(), before);
  // One more than the limit: refused whole.
  TrackerOptions small;
  small.limits.max_batch = 499;
  ShipmentDesk limited(*db_, *mapping_, hub_, nullptr, small);
  EXPECT_EQ(limited.Report(Batch(events), kNow).status().code(),
            absl::StatusCode::kInvalidArgument);
}

// The official sample base64 in a DxpMsg transport envelope (dxp-terminal.xsd), in lines of 76
// characters as MIME writers do; `transfer` adds the DxpMsgSv a transfer node puts around it.
std::string InDxpMsg(const std::string& message, bool transfer) {
  std::string encoded = absl::Base64Escape(message);
  std::string lines;
  for (size_t i = 0; i < encoded.size(); i += 76) {
    absl::StrAppend(&lines, encoded.substr(i, 76), "\n");
  }
  std::string dxp_msg = absl::StrCat(
      R"(<dxp:DxpMsg ver="1.0" xmlns:dxp="http://www.chinaport.gov.cn/dxp"><dxp:TransInfo>)",
      "<dxp:CopMsgId>4CDE1CFD-EDED-46B1-946C-B8022E42FC94</dxp:CopMsgId>",
      "<dxp:SenderId>DXPLGS0000000001</dxp:SenderId>",
      "<dxp:ReceiverIds><dxp:ReceiverId>DXPEDCCEB0000002</dxp:ReceiverId></dxp:ReceiverIds>",
      "<dxp:CreatTime>2015-03-15T15:35:55</dxp:CreatTime><dxp:MsgType>CEB513Message</dxp:MsgType>",
      "</dxp:TransInfo><dxp:Data>", lines, "</dxp:Data></dxp:DxpMsg>");
  if (!transfer) return absl::StrCat(R"(<?xml version="1.0" encoding="UTF-8"?>)", "\n", dxp_msg);
  return absl::StrCat(R"(<dxp:DxpMsgSv ver="1.0" xmlns:dxp="http://www.chinaport.gov.cn/dxp">)",
                      R"(<dxp:SvNo Ver="1.0"><dxp:Sender>DXPLGS0000000001</dxp:Sender></dxp:SvNo>)",
                      dxp_msg, "</dxp:DxpMsgSv>");
}

TEST_P(ShipmentDeskTest, TheOfficialCeb513SampleIsAcceptedOnceBareOrInADxpMsg) {
  PARKLINE_REQUIRE_CEB_REFERENCE("samples/import/CEB513Message.xml");
  std::ifstream in(testing::CebReference("samples/import/CEB513Message.xml"));
  std::stringstream xml;
  xml << in.rdbuf();
  auto batch = ReadWaybillStatusMessage(xml.str());
  ASSERT_TRUE(batch.ok()) << batch.status();
  EXPECT_EQ(batch->carrier_code(), "1101180326");
  ASSERT_EQ(batch->events_size(), 10);
  EXPECT_EQ(batch->events(0).waybill_no(), "L201603081138007");
  // 20150308164611 Beijing time.
  EXPECT_EQ(TimeUtil::ToString(batch->events(0).event_time()), "2015-03-08T08:46:11Z");
  // The same sample in the envelope, and in the transfer node's envelope around it, reads the
  // same.
  for (bool transfer : {false, true}) {
    auto wrapped = ReadWaybillStatusMessage(InDxpMsg(xml.str(), transfer));
    ASSERT_TRUE(wrapped.ok()) << wrapped.status();
    EXPECT_EQ(wrapped->SerializeAsString(), batch->SerializeAsString());
  }

  // The shipment came from its waybill (CEB511) in March 2015.
  dv1::DocumentReceived waybill;
  waybill.set_kind(dv1::DOCUMENT_KIND_WAYBILL);
  waybill.set_enterprise_code("1101180326");
  waybill.set_logistics_no("L201603081138007");
  ASSERT_TRUE(Apply(waybill, absl::FromUnixSeconds(1425800000)).ok());
  auto r = desk_->Report(*ReadWaybillStatusMessage(InDxpMsg(xml.str(), false)),
                         absl::FromUnixSeconds(1426400000));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->stored(), 1);  // ten identical statuses: one event
  EXPECT_EQ(r->duplicates(), 9);
  v1::GetShipmentRequest g;
  *g.mutable_key() = Key("L201603081138007", "1101180326");
  EXPECT_EQ(desk_->Get(g)->status(), v1::SHIPMENT_STATUS_PICKED_UP);
  // The bare message after the wrapped one: the same events, nothing new.
  size_t before = Outbox().size();
  int entries = desk_->Timeline(g)->entries_size();
  r = desk_->Report(*batch, absl::FromUnixSeconds(1426400000));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->stored(), 0);
  EXPECT_EQ(r->duplicates(), 10);
  EXPECT_EQ(Outbox().size(), before);
  EXPECT_EQ(desk_->Timeline(g)->entries_size(), entries);

  EXPECT_EQ(ReadWaybillStatusMessage("<x/>").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ReadWaybillStatusMessage("<!DOCTYPE x><x/>").status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace parkline::logistics
