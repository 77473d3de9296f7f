// The support desk's activities on both backends: seats and the waiting list as they are stored,
// promotion on cancellation, attendance after the event, the events each step appends, the
// retried requests, the sealed names and the yearly figures.
#include "support/support_desk.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "google/protobuf/util/time_util.h"
#include "parkline/enterprises/v1/events.pb.h"
#include "parkline/support/v1/events.pb.h"
#include "residents/residents.h"
#include "store/group_commit.h"
#include "support/schema.h"
#include "tests/support/backend_test.h"

namespace parkline::support {
namespace {

using google::protobuf::util::TimeUtil;

const std::string kAcme = testing::NumberedUscc(1);
const std::string kBeta = testing::NumberedUscc(2);
const std::string kGamma = testing::NumberedUscc(3);
const std::string kStranger = testing::NumberedUscc(4);  // never admitted

// 2026-06-01 10:00 park time.
const absl::Time kStart = absl::FromUnixSeconds(1780279200);

class SupportDeskTest : public testing::BackendTest<ApplySchema> {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    writer_ = std::make_unique<store::GroupCommitter>(*db_);
    desk_ = std::make_unique<SupportDesk>(*db_, *writer_, nullptr, secrets::KeyRing::Generate("k1"),
                                          [this] { return now_; });
    for (const std::string& uscc : {kAcme, kBeta, kGamma}) {
      enterprises::v1::EnterpriseAdmitted admitted;
      admitted.mutable_enterprise()->set_uscc(uscc);
      ASSERT_TRUE(
          db_->Transact([&](store::Transaction& tx) { return residents::OnAdmitted(tx, admitted); })
              .ok());
    }
  }

  v1::Activity Training(int capacity, const std::string& request_id = "sched-1") {
    v1::ScheduleActivityRequest r;
    r.set_request_id(request_id);
    r.set_kind(v1::ACTIVITY_KIND_PRACTICAL_TRAINING);
    r.set_title("Customs declaration practice");
    r.set_organiser("park-training-office");
    r.set_partner_organisation("Hangzhou Cross-border Academy");
    *r.mutable_starts_time() = TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(kStart));
    *r.mutable_ends_time() =
        TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(kStart + absl::Hours(3)));
    r.set_place("Service hall, room 2");
    r.set_capacity(capacity);
    auto a = desk_->Schedule(r);
    EXPECT_TRUE(a.ok()) << a.status();
    return a.ok() ? *a : v1::Activity();
  }

  static auth::Viewer Of(const std::string& uscc) {
    auth::Viewer v{uscc + "-erp", false, uscc};
    v.codes = {uscc};
    return v;
  }

  absl::StatusOr<v1::Registration> Register(const std::string& uscc, int seats,
                                            const std::string& activity_id) {
    v1::RegisterAttendeesRequest r;
    r.set_request_id("reg-" + uscc + "-" + std::to_string(seats));
    r.set_activity_id(activity_id);
    r.set_enterprise_uscc(uscc);
    r.set_head_count(seats);
    return desk_->Register(r, Of(uscc));
  }

  v1::Activity Reread(const std::string& id) {
    v1::GetActivityRequest g;
    g.set_activity_id(id);
    auto a = desk_->GetActivity(g);
    EXPECT_TRUE(a.ok()) << a.status();
    return a.ok() ? *a : v1::Activity();
  }

  absl::Time now_ = kStart - absl::Hours(48);
  const auth::Viewer staff_{"staff-li", true, ""};
  std::unique_ptr<store::GroupCommitter> writer_;
  std::unique_ptr<SupportDesk> desk_;
};

TEST_P(SupportDeskTest, BeyondCapacityARegistrationWaitsAndACancellationPromotesInOrder) {
  v1::Activity a = Training(5);
  auto acme = Register(kAcme, 3, a.activity_id());
  ASSERT_TRUE(acme.ok()) << acme.status();
  EXPECT_EQ(acme->status(), v1::REGISTRATION_STATUS_CONFIRMED);
  auto beta = Register(kBeta, 3, a.activity_id());
  ASSERT_TRUE(beta.ok()) << beta.status();
  EXPECT_EQ(beta->status(), v1::REGISTRATION_STATUS_WAITING);
  EXPECT_EQ(beta->waiting_position(), 1);
  // Two seats are free, but Beta waits first: Gamma's one seat waits behind it.
  auto gamma = Register(kGamma, 1, a.activity_id());
  ASSERT_TRUE(gamma.ok()) << gamma.status();
  EXPECT_EQ(gamma->status(), v1::REGISTRATION_STATUS_WAITING);
  EXPECT_EQ(gamma->waiting_position(), 2);
  v1::Activity before = Reread(a.activity_id());
  EXPECT_EQ(before.seats_taken(), 3);
  EXPECT_EQ(before.seats_waiting(), 4);

  v1::CancelRegistrationRequest cancel;
  cancel.set_registration_id(acme->registration_id());
  cancel.set_enterprise_uscc(kAcme);
  auto cancelled = desk_->Cancel(cancel, Of(kAcme));
  ASSERT_TRUE(cancelled.ok()) << cancelled.status();
  EXPECT_EQ(cancelled->status(), v1::REGISTRATION_STATUS_CANCELLED);
  v1::Activity after = Reread(a.activity_id());
  EXPECT_EQ(after.seats_taken(), 4);  // Beta's 3 and Gamma's 1
  EXPECT_EQ(after.seats_waiting(), 0);

  v1::ListRegistrationsRequest list;
  list.set_activity_id(a.activity_id());
  auto all = desk_->ListRegistrations(list, staff_);
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->registrations_size(), 3);
  EXPECT_EQ(all->registrations(1).status(), v1::REGISTRATION_STATUS_CONFIRMED);
  EXPECT_EQ(all->registrations(2).status(), v1::REGISTRATION_STATUS_CONFIRMED);

  // Scheduled, three registrations, the cancellation and two promotions.
  auto outbox = Outbox();
  ASSERT_EQ(outbox.size(), 7u);
  EXPECT_EQ(outbox[0].type, "parkline.support.v1.ActivityScheduled");
  for (size_t i = 1; i < outbox.size(); ++i) {
    EXPECT_EQ(outbox[i].type, "parkline.support.v1.RegistrationChanged");
    EXPECT_EQ(outbox[i].subject, a.activity_id());
  }
}

TEST_P(SupportDeskTest, ARetriedRequestIsAnsweredFromTheStoreAndAReusedIdIsRefused) {
  v1::Activity a = Training(5);
  EXPECT_EQ(Training(5).activity_id(), a.activity_id());
  auto first = Register(kAcme, 2, a.activity_id());
  auto again = Register(kAcme, 2, a.activity_id());
  ASSERT_TRUE(first.ok() && again.ok());
  EXPECT_EQ(first->registration_id(), again->registration_id());
  EXPECT_EQ(Reread(a.activity_id()).seats_taken(), 2);
  v1::RegisterAttendeesRequest other;
  other.set_request_id("reg-" + kAcme + "-2");
  other.set_activity_id(a.activity_id());
  other.set_enterprise_uscc(kAcme);
  other.set_head_count(4);
  EXPECT_EQ(desk_->Register(other, Of(kAcme)).status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(Outbox().size(), 2u);
}

TEST_P(SupportDeskTest, OnlyResidentsRegisterAndOnlyBeforeTheStart) {
  v1::Activity a = Training(5);
  auto stranger = Register(kStranger, 1, a.activity_id());
  EXPECT_EQ(stranger.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(stranger.status().message().find("NOT_RESIDENT"), absl::string_view::npos);
  EXPECT_EQ(Register(kAcme, 1, "ACT-20260601-ffffffffffff").status().code(),
            absl::StatusCode::kNotFound);
  now_ = kStart;
  EXPECT_EQ(Register(kAcme, 1, a.activity_id()).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Reread(a.activity_id()).seats_taken(), 0);
}

TEST_P(SupportDeskTest, ACancelledActivityReleasesEverySeatClearsTheWaitingListAndSaysSo) {
  v1::Activity a = Training(3);
  auto held = Register(kAcme, 2, a.activity_id());
  auto waits = Register(kBeta, 2, a.activity_id());
  ASSERT_TRUE(held.ok() && waits.ok());
  ASSERT_EQ(waits->status(), v1::REGISTRATION_STATUS_WAITING);
  size_t events_before = Outbox().size();

  now_ = kStart + absl::Hours(1);  // under way: called off halfway
  v1::CancelActivityRequest c;
  c.set_activity_id(a.activity_id());
  c.set_reason("The hall lost power.");
  auto cancelled = desk_->CancelActivity(c, staff_);
  ASSERT_TRUE(cancelled.ok()) << cancelled.status();
  EXPECT_EQ(cancelled->status(), v1::ACTIVITY_STATUS_CANCELLED);
  EXPECT_EQ(cancelled->cancel_reason(), "The hall lost power.");
  v1::Activity stored = Reread(a.activity_id());
  EXPECT_EQ(stored.status(), v1::ACTIVITY_STATUS_CANCELLED);
  EXPECT_EQ(stored.seats_taken(), 0);
  EXPECT_EQ(stored.seats_waiting(), 0);
  v1::ListRegistrationsRequest l;
  l.set_activity_id(a.activity_id());
  auto listed = desk_->ListRegistrations(l, staff_);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->registrations_size(), 2);
  for (const auto& r : listed->registrations()) {
    EXPECT_EQ(r.status(), v1::REGISTRATION_STATUS_CANCELLED) << r.registration_id();
  }

  // One event, listing both registrations with what they were.
  auto outbox = Outbox();
  ASSERT_EQ(outbox.size(), events_before + 1);
  EXPECT_EQ(outbox.back().type, "parkline.support.v1.ActivityCancelled");
  EXPECT_EQ(outbox.back().subject, a.activity_id());
  v1::ActivityCancelled e;
  ASSERT_TRUE(e.ParseFromString(outbox.back().payload));
  ASSERT_EQ(e.released_size(), 2);
  EXPECT_EQ(e.released(0).enterprise_uscc(), kAcme);
  EXPECT_EQ(e.released(0).was(), v1::REGISTRATION_STATUS_CONFIRMED);
  EXPECT_EQ(e.released(1).was(), v1::REGISTRATION_STATUS_WAITING);
  EXPECT_EQ(e.reason(), "The hall lost power.");

  // Twice: refused naming the state, nothing added.
  auto twice = desk_->CancelActivity(c, staff_);
  EXPECT_EQ(twice.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(twice.status().message().find("ACTIVITY_STATUS_CANCELLED"), absl::string_view::npos);
  // No attendance afterwards, and the year's figures hold no activity held.
  now_ = kStart + absl::Hours(4);
  v1::ConfirmAttendanceRequest confirm;
  confirm.set_registration_id(held->registration_id());
  confirm.set_attended(2);
  EXPECT_EQ(desk_->ConfirmAttendance(confirm).status().code(),
            absl::StatusCode::kFailedPrecondition);
  v1::GetActivityFiguresRequest f;
  f.set_year(2026);
  auto figures = desk_->Figures(f);
  ASSERT_TRUE(figures.ok());
  EXPECT_EQ(figures->kinds_size(), 0);
  EXPECT_EQ(Outbox().size(), events_before + 1);
  // An ended activity is no longer cancelled: its record stands.
  v1::Activity other = Training(3, "sched-2");
  c.set_activity_id(other.activity_id());
  EXPECT_EQ(desk_->CancelActivity(c, staff_).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_P(SupportDeskTest, AfterTheStartTheParkRecordsFromTheSignInSheetIntoFreeSeatsOnly) {
  v1::Activity a = Training(3);
  now_ = kStart + absl::Hours(5);  // after the end
  v1::RegisterAttendeesRequest r;
  r.set_request_id("sheet-acme");
  r.set_activity_id(a.activity_id());
  r.set_enterprise_uscc(kAcme);
  r.set_head_count(3);
  auto recorded = desk_->Register(r, staff_);
  ASSERT_TRUE(recorded.ok()) << recorded.status();
  EXPECT_EQ(recorded->status(), v1::REGISTRATION_STATUS_CONFIRMED);
  r.set_request_id("sheet-beta");
  r.set_enterprise_uscc(kBeta);
  r.set_head_count(1);
  auto full = desk_->Register(r, staff_);
  EXPECT_EQ(full.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(desk_->Register(r, Of(kBeta)).status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Reread(a.activity_id()).seats_taken(), 3);
  v1::ConfirmAttendanceRequest confirm;
  confirm.set_registration_id(recorded->registration_id());
  confirm.set_attended(3);
  EXPECT_TRUE(desk_->ConfirmAttendance(confirm).ok());
}

TEST_P(SupportDeskTest, NamedAttendeesAreSealedAtRestAndShownToTheirEnterprise) {
  v1::Activity a = Training(5);
  v1::RegisterAttendeesRequest r;
  r.set_request_id("named-1");
  r.set_activity_id(a.activity_id());
  r.set_enterprise_uscc(kAcme);
  auto* p = r.add_attendees();
  p->set_name("Zhuang Xiaoyu");
  p->set_consent(true);
  auto reg = desk_->Register(r, Of(kAcme));
  ASSERT_TRUE(reg.ok()) << reg.status();
  EXPECT_EQ(reg->seats(), 1);
  bool plain = false;
  ASSERT_TRUE(db_->Read([&](store::Transaction& tx) -> absl::Status {
                   auto rows = tx.Query("SELECT payload, names_box FROM registrations");
                   if (!rows.ok()) return rows.status();
                   for (const auto& row : *rows) {
                     for (size_t i = 0; i < 2; ++i) {
                       plain |= row.Text(i).find("Zhuang") != std::string::npos;
                     }
                   }
                   return absl::OkStatus();
                 })
                  .ok());
  EXPECT_FALSE(plain) << "a name is stored in clear";
  v1::ListRegistrationsRequest list;
  list.set_enterprise_uscc(kAcme);
  auto own = desk_->ListRegistrations(list, Of(kAcme));
  ASSERT_TRUE(own.ok()) << own.status();
  ASSERT_EQ(own->registrations_size(), 1);
  ASSERT_EQ(own->registrations(0).attendees_size(), 1);
  EXPECT_EQ(own->registrations(0).attendees(0).name(), "Zhuang Xiaoyu");
  for (const auto& e : Outbox()) {
    EXPECT_EQ(e.payload.find("Zhuang"), std::string::npos) << e.type << " carries a name";
  }
}

TEST_P(SupportDeskTest, AttendanceIsConfirmedAfterTheEventAndCountedInTheYearsFigures) {
  v1::Activity a = Training(10);
  auto acme = Register(kAcme, 4, a.activity_id());
  auto beta = Register(kBeta, 2, a.activity_id());
  ASSERT_TRUE(acme.ok() && beta.ok());
  v1::ConfirmAttendanceRequest c;
  c.set_registration_id(acme->registration_id());
  c.set_attended(3);
  now_ = kStart + absl::Hours(1);
  EXPECT_EQ(desk_->ConfirmAttendance(c).status().code(), absl::StatusCode::kFailedPrecondition);
  now_ = kStart + absl::Hours(4);
  auto confirmed = desk_->ConfirmAttendance(c);
  ASSERT_TRUE(confirmed.ok()) << confirmed.status();
  EXPECT_EQ(confirmed->status(), v1::REGISTRATION_STATUS_ATTENDED);
  EXPECT_EQ(confirmed->attended(), 3);
  ASSERT_TRUE(desk_->ConfirmAttendance(c).ok());  // a retry changes nothing
  c.set_attended(2);
  EXPECT_EQ(desk_->ConfirmAttendance(c).status().code(), absl::StatusCode::kFailedPrecondition);

  auto events = Outbox();
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().type, "parkline.support.v1.AttendanceConfirmed");
  v1::AttendanceConfirmed e;
  ASSERT_TRUE(e.ParseFromString(events.back().payload));
  EXPECT_EQ(e.enterprise_uscc(), kAcme);
  EXPECT_EQ(e.attended(), 3);
  EXPECT_EQ(e.kind(), v1::ACTIVITY_KIND_PRACTICAL_TRAINING);
  EXPECT_EQ(events.size(), 4u);

  v1::GetActivityFiguresRequest f;
  f.set_year(2026);
  auto figures = desk_->Figures(f);
  ASSERT_TRUE(figures.ok()) << figures.status();
  ASSERT_EQ(figures->kinds_size(), 1);
  EXPECT_EQ(figures->kinds(0).kind(), v1::ACTIVITY_KIND_PRACTICAL_TRAINING);
  EXPECT_EQ(figures->kinds(0).activities_held(), 1);
  EXPECT_EQ(figures->kinds(0).attendees_confirmed(), 3);
  EXPECT_EQ(figures->kinds(0).enterprises_attending(), 1);
  f.set_year(2025);
  auto last_year = desk_->Figures(f);
  ASSERT_TRUE(last_year.ok());
  EXPECT_EQ(last_year->kinds_size(), 0);
}

TEST_P(SupportDeskTest, BadInputNamesTheFieldAndStoresNothing) {
  v1::ScheduleActivityRequest r;
  r.set_request_id("bad-1");
  auto s = desk_->Schedule(r);
  EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.status().ToString().find("capacity"), std::string::npos) << s.status();
  EXPECT_TRUE(Outbox().empty());
}

PARKLINE_BACKEND_TESTS(SupportDeskTest);

}  // namespace
}  // namespace parkline::support
