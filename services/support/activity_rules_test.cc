#include "support/activity_rules.h"

#include <gtest/gtest.h>

#include "google/protobuf/util/time_util.h"

namespace parkline::support {
namespace {

using google::protobuf::util::TimeUtil;

constexpr char kUscc[] = "91350100M000100Y43";

v1::ScheduleActivityRequest Schedule() {
  v1::ScheduleActivityRequest r;
  r.set_request_id("s-1");
  r.set_kind(v1::ACTIVITY_KIND_SPECIAL_TRAINING);
  r.set_title("Export compliance for 9610 parcels");
  r.set_organiser("park-training-office");
  *r.mutable_starts_time() = TimeUtil::SecondsToTimestamp(1'780'000'000);
  *r.mutable_ends_time() = TimeUtil::SecondsToTimestamp(1'780'000'000 + 3 * 3600);
  r.set_place("Service hall, room 2");
  r.set_capacity(40);
  return r;
}

v1::RegisterAttendeesRequest Registration() {
  v1::RegisterAttendeesRequest r;
  r.set_request_id("r-1");
  r.set_activity_id("ACT-20260601-000000000001");
  r.set_enterprise_uscc(kUscc);
  r.set_head_count(3);
  return r;
}

std::vector<std::string> Fields(const errors::Violations& v) {
  std::vector<std::string> out;
  for (const auto& x : v.list()) out.push_back(x.field + ":" + x.reason);
  return out;
}

TEST(ScheduleRules, AWellFormedScheduleHasNoViolation) {
  errors::Violations v;
  CheckSchedule(Schedule(), v);
  EXPECT_TRUE(v.empty()) << v.ToStatus();
}

TEST(ScheduleRules, PlaceAndOnlineAreExclusiveAndOneIsRequired) {
  auto both = Schedule();
  both.set_online_url("https://meet.example.com/x");
  errors::Violations v1s;
  CheckSchedule(both, v1s);
  EXPECT_EQ(Fields(v1s), std::vector<std::string>{"place:PLACE_OR_ONLINE"});
  auto neither = Schedule();
  neither.clear_place();
  errors::Violations v2;
  CheckSchedule(neither, v2);
  EXPECT_EQ(Fields(v2), std::vector<std::string>{"place:PLACE_OR_ONLINE"});
  auto plain = Schedule();
  plain.clear_place();
  plain.set_online_url("http://meet.example.com/x");
  errors::Violations v3;
  CheckSchedule(plain, v3);
  EXPECT_EQ(Fields(v3), std::vector<std::string>{"online_url:NOT_HTTPS"});
}

TEST(ScheduleRules, EndBeforeStartKindAndCapacityAreNamed) {
  auto r = Schedule();
  *r.mutable_ends_time() = r.starts_time();
  r.set_kind(v1::ACTIVITY_KIND_UNSPECIFIED);
  r.set_capacity(kMaxCapacity + 1);
  errors::Violations v;
  CheckSchedule(r, v);
  EXPECT_EQ(Fields(v), (std::vector<std::string>{"kind:REQUIRED", "ends_time:NOT_AFTER_START",
                                                 "capacity:OUT_OF_RANGE"}));
}

TEST(RegistrationRules, HeadCountOrNamesNotBoth) {
  auto r = Registration();
  auto* a = r.add_attendees();
  a->set_name("Lin Wei");
  a->set_consent(true);
  errors::Violations v;
  CheckRegistration(r, v);
  EXPECT_EQ(Fields(v), std::vector<std::string>{"head_count:COUNT_OR_NAMES"});
}

TEST(RegistrationRules, NobodyIsNamedWithoutConsent) {
  auto r = Registration();
  r.clear_head_count();
  auto* a = r.add_attendees();
  a->set_name("Lin Wei");
  errors::Violations v;
  CheckRegistration(r, v);
  EXPECT_EQ(Fields(v), std::vector<std::string>{"attendees[0].consent:NO_CONSENT"});
  a->set_consent(true);
  errors::Violations ok;
  CheckRegistration(r, ok);
  EXPECT_TRUE(ok.empty());
  EXPECT_EQ(SeatsAsked(r), 1);
}

TEST(RegistrationRules, ABadUsccAndAnOversizedCountAreRefused) {
  auto r = Registration();
  r.set_enterprise_uscc("91350100M000100Y44");
  r.set_head_count(kMaxSeatsPerRegistration + 1);
  errors::Violations v;
  CheckRegistration(r, v);
  EXPECT_EQ(Fields(v),
            (std::vector<std::string>{"enterprise_uscc:INVALID_USCC", "head_count:OUT_OF_RANGE"}));
}

TEST(WaitingList, ARegistrationTakesSeatsOnlyWhenAllFitAndNobodyWaits) {
  EXPECT_EQ(Place(10, 7, false, 3), v1::REGISTRATION_STATUS_CONFIRMED);
  EXPECT_EQ(Place(10, 7, false, 4), v1::REGISTRATION_STATUS_WAITING);
  // One seat is free, but somebody is already waiting: no jumping the queue.
  EXPECT_EQ(Place(10, 9, true, 1), v1::REGISTRATION_STATUS_WAITING);
}

TEST(WaitingList, FreedSeatsGoInRegistrationOrderAndAnUnfitHeadStopsThePromotion) {
  std::vector<Waiting> queue = {{"a", 2}, {"b", 5}, {"c", 1}};
  EXPECT_EQ(Promote(10, 5, queue), (std::vector<std::string>{"a"}));
  EXPECT_EQ(Promote(10, 2, queue), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_TRUE(Promote(10, 9, queue).empty());
}

v1::Registration Stored(v1::RegistrationStatus status, int seats) {
  v1::Registration r;
  r.set_registration_id("REG-1");
  r.set_enterprise_uscc(kUscc);
  r.set_status(status);
  r.set_seats(seats);
  return r;
}

TEST(StateMachine, OnlyHeldOrWaitingRegistrationsAreCancelledBeforeTheStart) {
  absl::Time starts = absl::FromUnixSeconds(1'780'000'000);
  absl::Time before = starts - absl::Hours(1);
  EXPECT_TRUE(CheckCancellable(Stored(v1::REGISTRATION_STATUS_CONFIRMED, 2), starts, before).ok());
  EXPECT_TRUE(CheckCancellable(Stored(v1::REGISTRATION_STATUS_WAITING, 2), starts, before).ok());
  EXPECT_EQ(CheckCancellable(Stored(v1::REGISTRATION_STATUS_ATTENDED, 2), starts, before).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(CheckCancellable(Stored(v1::REGISTRATION_STATUS_CONFIRMED, 2), starts, starts).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(StateMachine, AttendanceIsConfirmedAfterTheEndOnAHeldRegistrationWithinItsSeats) {
  absl::Time ends = absl::FromUnixSeconds(1'780'000'000);
  auto held = Stored(v1::REGISTRATION_STATUS_CONFIRMED, 3);
  EXPECT_TRUE(CheckAttendance(held, ends, ends, 3).ok());
  EXPECT_TRUE(CheckAttendance(held, ends, ends, 0).ok());
  EXPECT_EQ(CheckAttendance(held, ends, ends - absl::Seconds(1), 2).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(CheckAttendance(held, ends, ends, 4).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CheckAttendance(Stored(v1::REGISTRATION_STATUS_WAITING, 3), ends, ends, 1).code(),
            absl::StatusCode::kFailedPrecondition);
}

v1::Activity Held(v1::ActivityStatus status) {
  v1::Activity a;
  a.set_activity_id("ACT-1");
  a.set_status(status);
  *a.mutable_starts_time() = TimeUtil::SecondsToTimestamp(1'780'000'000);
  *a.mutable_ends_time() = TimeUtil::SecondsToTimestamp(1'780'000'000 + 3 * 3600);
  return a;
}

TEST(ActivityCancellation, AScheduledActivityIsCancelledBeforeItsEndOnceAndNamesItsState) {
  absl::Time starts = absl::FromUnixSeconds(1'780'000'000);
  v1::Activity a = Held(v1::ACTIVITY_STATUS_SCHEDULED);
  EXPECT_TRUE(CheckActivityCancellable(a, starts - absl::Hours(24)).ok());
  // Under way (called off halfway): still cancellable; ended: the record stands.
  EXPECT_TRUE(CheckActivityCancellable(a, starts + absl::Hours(1)).ok());
  EXPECT_EQ(CheckActivityCancellable(a, starts + absl::Hours(3)).code(),
            absl::StatusCode::kFailedPrecondition);
  absl::Status twice =
      CheckActivityCancellable(Held(v1::ACTIVITY_STATUS_CANCELLED), starts - absl::Hours(24));
  EXPECT_EQ(twice.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(twice.message().find("ACTIVITY_STATUS_CANCELLED"), absl::string_view::npos) << twice;
}

TEST(ActivityCancellation, HeldAndWaitingRegistrationsAreReleasedNothingElse) {
  EXPECT_TRUE(Releases(Stored(v1::REGISTRATION_STATUS_CONFIRMED, 1)));
  EXPECT_TRUE(Releases(Stored(v1::REGISTRATION_STATUS_WAITING, 1)));
  EXPECT_FALSE(Releases(Stored(v1::REGISTRATION_STATUS_CANCELLED, 1)));
  EXPECT_FALSE(Releases(Stored(v1::REGISTRATION_STATUS_ATTENDED, 1)));
}

TEST(ActivityCancellation, ACancelledActivityTakesNoRegistrationNorAttendance) {
  absl::Time before = absl::FromUnixSeconds(1'780'000'000) - absl::Hours(1);
  v1::Activity off = Held(v1::ACTIVITY_STATUS_CANCELLED);
  for (bool staff : {false, true}) {
    EXPECT_EQ(CheckRegistrationOpen(off, staff, before, v1::REGISTRATION_STATUS_CONFIRMED).code(),
              absl::StatusCode::kFailedPrecondition);
  }
  EXPECT_EQ(CheckNotCancelled(off, "confirmed").code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(CheckNotCancelled(Held(v1::ACTIVITY_STATUS_SCHEDULED), "confirmed").ok());
}

TEST(SignInSheet, AfterTheStartOnlyTheParkRecordsARegistrationAndOnlyIntoAFreeSeat) {
  absl::Time starts = absl::FromUnixSeconds(1'780'000'000);
  v1::Activity a = Held(v1::ACTIVITY_STATUS_SCHEDULED);
  auto seated = v1::REGISTRATION_STATUS_CONFIRMED, waiting = v1::REGISTRATION_STATUS_WAITING;
  EXPECT_TRUE(CheckRegistrationOpen(a, false, starts - absl::Seconds(1), waiting).ok());
  EXPECT_EQ(CheckRegistrationOpen(a, false, starts, seated).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(CheckRegistrationOpen(a, true, starts + absl::Hours(48), seated).ok());
  absl::Status full = CheckRegistrationOpen(a, true, starts, waiting);
  EXPECT_EQ(full.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(full.message().find("FULL"), absl::string_view::npos);
}

TEST(TenantRule, TheStoredOwnerAndTheParkMayActNobodyElse) {
  auto r = Stored(v1::REGISTRATION_STATUS_CONFIRMED, 1);
  auth::Viewer owner{"acme-erp", false, kUscc};
  owner.codes = {kUscc};
  auth::Viewer other{"other-erp", false, "91110000100000000R"};
  other.codes = {"91110000100000000R"};
  auth::Viewer staff{"staff-li", true, ""};
  auth::Viewer analyst{"analyst-bi", false, ""};
  EXPECT_TRUE(MayActOn(owner, r));
  EXPECT_TRUE(MayActOn(staff, r));
  EXPECT_FALSE(MayActOn(other, r));
  EXPECT_FALSE(MayActOn(analyst, r));
}

}  // namespace
}  // namespace parkline::support
