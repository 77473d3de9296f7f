// The status rules: the timeline sorts by event time whatever the arrival order, the current
// status only moves forward except into and out of exception states, unmapped entries and the
// park's STALE entries do not move it, and the stale mark wins until news comes.
#include "logistics/status_model.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "google/protobuf/util/time_util.h"

namespace parkline::logistics {
namespace {

using google::protobuf::util::TimeUtil;

v1::TimelineEntry At(int minute, v1::ShipmentStatus status,
                     v1::StatusReason reason = v1::STATUS_REASON_UNSPECIFIED, int64_t seq = 0) {
  v1::TimelineEntry e;
  e.set_status(status);
  e.set_reason(reason);
  e.set_mapped(status != v1::SHIPMENT_STATUS_UNSPECIFIED);
  *e.mutable_event_time() = TimeUtil::SecondsToTimestamp(1'700'000'000 + minute * 60);
  e.set_seq(seq == 0 ? minute : seq);
  return e;
}

v1::ShipmentStatus Fold(std::vector<v1::TimelineEntry> entries, bool stale = false) {
  SortTimeline(entries);
  return FoldTimeline(entries, stale).status;
}

TEST(LogisticsStatusModel, AJourneyMovesForward) {
  EXPECT_EQ(
      Fold({At(1, v1::SHIPMENT_STATUS_INFO_RECEIVED), At(2, v1::SHIPMENT_STATUS_PICKED_UP),
            At(3, v1::SHIPMENT_STATUS_IN_TRANSIT),
            At(4, v1::SHIPMENT_STATUS_IMPORT_CUSTOMS, v1::STATUS_REASON_CUSTOMS_RELEASED),
            At(5, v1::SHIPMENT_STATUS_OUT_FOR_DELIVERY), At(6, v1::SHIPMENT_STATUS_DELIVERED)}),
      v1::SHIPMENT_STATUS_DELIVERED);
}

TEST(LogisticsStatusModel, AnEarlierPhaseLaterInTimeDoesNotMoveItBack) {
  // Domestic transport after import customs: the entry is on the timeline, the status stays.
  EXPECT_EQ(Fold({At(1, v1::SHIPMENT_STATUS_PICKED_UP),
                  At(2, v1::SHIPMENT_STATUS_IMPORT_CUSTOMS, v1::STATUS_REASON_CUSTOMS_RELEASED),
                  At(3, v1::SHIPMENT_STATUS_IN_TRANSIT)}),
            v1::SHIPMENT_STATUS_IMPORT_CUSTOMS);
  EXPECT_EQ(Fold({At(1, v1::SHIPMENT_STATUS_DELIVERED), At(2, v1::SHIPMENT_STATUS_PICKED_UP)}),
            v1::SHIPMENT_STATUS_DELIVERED);
}

TEST(LogisticsStatusModel, EqualPhasesReplaceEachOther) {
  EXPECT_EQ(Fold({At(1, v1::SHIPMENT_STATUS_IN_TRANSIT), At(2, v1::SHIPMENT_STATUS_ARRIVED_AT_SITE),
                  At(3, v1::SHIPMENT_STATUS_IN_TRANSIT)}),
            v1::SHIPMENT_STATUS_IN_TRANSIT);
}

TEST(LogisticsStatusModel, CustomsReasonsMoveForwardToo) {
  std::vector<v1::TimelineEntry> t = {
      At(1, v1::SHIPMENT_STATUS_IMPORT_CUSTOMS, v1::STATUS_REASON_CUSTOMS_RELEASED),
      At(2, v1::SHIPMENT_STATUS_IMPORT_CUSTOMS, v1::STATUS_REASON_CUSTOMS_DECLARED)};
  SortTimeline(t);
  EXPECT_EQ(FoldTimeline(t, false).reason, v1::STATUS_REASON_CUSTOMS_RELEASED);
}

TEST(LogisticsStatusModel, ExceptionsAreEnteredFromAnywhereAndLeftForAnything) {
  EXPECT_EQ(Fold({At(1, v1::SHIPMENT_STATUS_IMPORT_CUSTOMS),
                  At(2, v1::SHIPMENT_STATUS_EXCEPTION, v1::STATUS_REASON_LOST)}),
            v1::SHIPMENT_STATUS_EXCEPTION);
  // Found again: an earlier phase follows an exception.
  EXPECT_EQ(Fold({At(1, v1::SHIPMENT_STATUS_IMPORT_CUSTOMS), At(2, v1::SHIPMENT_STATUS_EXCEPTION),
                  At(3, v1::SHIPMENT_STATUS_IN_TRANSIT)}),
            v1::SHIPMENT_STATUS_IN_TRANSIT);
  EXPECT_EQ(
      Fold({At(1, v1::SHIPMENT_STATUS_OUT_FOR_DELIVERY), At(2, v1::SHIPMENT_STATUS_DELIVERY_FAILED),
            At(3, v1::SHIPMENT_STATUS_OUT_FOR_DELIVERY), At(4, v1::SHIPMENT_STATUS_DELIVERED)}),
      v1::SHIPMENT_STATUS_DELIVERED);
}

TEST(LogisticsStatusModel, NothingFallsIntoAnExceptionAfterTheEnd) {
  EXPECT_EQ(Fold({At(1, v1::SHIPMENT_STATUS_DELIVERED), At(2, v1::SHIPMENT_STATUS_EXCEPTION)}),
            v1::SHIPMENT_STATUS_DELIVERED);
  EXPECT_EQ(Fold({At(1, v1::SHIPMENT_STATUS_RETURNED), At(2, v1::SHIPMENT_STATUS_DELIVERY_FAILED)}),
            v1::SHIPMENT_STATUS_RETURNED);
}

TEST(LogisticsStatusModel, UnmappedAndParkStaleEntriesDoNotMoveIt) {
  EXPECT_EQ(Fold({At(1, v1::SHIPMENT_STATUS_PICKED_UP), At(2, v1::SHIPMENT_STATUS_UNSPECIFIED),
                  At(3, v1::SHIPMENT_STATUS_STALE)}),
            v1::SHIPMENT_STATUS_PICKED_UP);
}

TEST(LogisticsStatusModel, TheStaleMarkWins) {
  std::vector<v1::TimelineEntry> t = {At(1, v1::SHIPMENT_STATUS_PICKED_UP)};
  CurrentStatus c = FoldTimeline(t, true);
  EXPECT_EQ(c.status, v1::SHIPMENT_STATUS_STALE);
  EXPECT_EQ(c.entry, &t[0]);
}

TEST(LogisticsStatusModel, ArrivalOrderDoesNotMatter) {
  std::vector<v1::TimelineEntry> journey = {
      At(1, v1::SHIPMENT_STATUS_PICKED_UP),
      At(2, v1::SHIPMENT_STATUS_DEPARTED_ORIGIN),
      At(3, v1::SHIPMENT_STATUS_EXCEPTION, v1::STATUS_REASON_DAMAGED),
      At(4, v1::SHIPMENT_STATUS_ARRIVED_DESTINATION),
      At(5, v1::SHIPMENT_STATUS_IMPORT_CUSTOMS, v1::STATUS_REASON_CUSTOMS_HELD),
      At(6, v1::SHIPMENT_STATUS_IMPORT_CUSTOMS, v1::STATUS_REASON_CUSTOMS_RELEASED),
      At(7, v1::SHIPMENT_STATUS_IN_TRANSIT),
      At(8, v1::SHIPMENT_STATUS_OUT_FOR_DELIVERY)};
  std::mt19937 random(7);
  for (int round = 0; round < 50; ++round) {
    std::vector<v1::TimelineEntry> shuffled = journey;
    std::shuffle(shuffled.begin(), shuffled.end(), random);
    // Storage order is arrival order; the fold must not care.
    for (size_t i = 0; i < shuffled.size(); ++i) shuffled[i].set_seq(static_cast<int64_t>(i + 1));
    SortTimeline(shuffled);
    for (size_t i = 1; i < shuffled.size(); ++i) {
      EXPECT_LE(shuffled[i - 1].event_time().seconds(), shuffled[i].event_time().seconds());
    }
    CurrentStatus c = FoldTimeline(shuffled, false);
    EXPECT_EQ(c.status, v1::SHIPMENT_STATUS_OUT_FOR_DELIVERY);
  }
}

TEST(LogisticsStatusModel, EqualTimesKeepStorageOrder) {
  std::vector<v1::TimelineEntry> t = {At(1, v1::SHIPMENT_STATUS_ARRIVED_AT_SITE, {}, 2),
                                      At(1, v1::SHIPMENT_STATUS_IN_TRANSIT, {}, 1)};
  SortTimeline(t);
  EXPECT_EQ(t[0].seq(), 1);
  EXPECT_EQ(FoldTimeline(t, false).status, v1::SHIPMENT_STATUS_ARRIVED_AT_SITE);
}

TEST(LogisticsStatusModel, StalenessCountsFromTheLastNewsAndNotAfterTheEnd) {
  absl::Time news = absl::FromUnixSeconds(1'700'000'000);
  absl::Duration after = absl::Hours(72);
  EXPECT_FALSE(
      BecomesStale(v1::SHIPMENT_STATUS_IN_TRANSIT, false, news, news + absl::Hours(71), after));
  EXPECT_TRUE(
      BecomesStale(v1::SHIPMENT_STATUS_IN_TRANSIT, false, news, news + absl::Hours(72), after));
  EXPECT_TRUE(
      BecomesStale(v1::SHIPMENT_STATUS_UNSPECIFIED, false, news, news + absl::Hours(80), after));
  EXPECT_FALSE(
      BecomesStale(v1::SHIPMENT_STATUS_IN_TRANSIT, true, news, news + absl::Hours(80), after));
  EXPECT_FALSE(
      BecomesStale(v1::SHIPMENT_STATUS_DELIVERED, false, news, news + absl::Hours(80), after));
  EXPECT_FALSE(
      BecomesStale(v1::SHIPMENT_STATUS_RETURNED, false, news, news + absl::Hours(80), after));
}

}  // namespace
}  // namespace parkline::logistics
