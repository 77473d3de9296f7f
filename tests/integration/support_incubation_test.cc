// The incubator on both backends: a team or a resident enterprise is admitted once per request
// id (a resident only while not already incubating); its first milestone makes it ACTIVE; it
// graduates only with a milestone, or leaves, and nothing is recorded after either; each step is
// one event that names no team, mentor or reason; a resident incubatee reads and adds to its own
// record and nobody else's; a cohort's figures count survival a year after admission.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "google/protobuf/util/time_util.h"
#include "parkline/enterprises/v1/events.pb.h"
#include "parkline/support/v1/events.pb.h"
#include "residents/residents.h"
#include "store/group_commit.h"
#include "support/incubation_desk.h"
#include "support/schema.h"
#include "tests/support/backend_test.h"

namespace parkline::support {
namespace {

namespace ev = enterprises::v1;
using google::protobuf::util::TimeUtil;

const std::string kStartup = testing::NumberedUscc(1);
const std::string kRival = testing::NumberedUscc(2);
const std::string kNotResident = testing::NumberedUscc(3);
const absl::TimeZone kPark = absl::FixedTimeZone(8 * 3600);
// Wednesday 2026-07-01 10:00 park time.
const absl::Time kJuly = absl::FromCivil(absl::CivilSecond(2026, 7, 1, 10, 0, 0), kPark);

class SupportIncubationTest : public testing::BackendTest<ApplySchema> {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    writer_ = std::make_unique<store::GroupCommitter>(*db_);
    desk_ = std::make_unique<IncubationDesk>(*db_, *writer_, nullptr, [this] { return now_; });
    for (const std::string& uscc : {kStartup, kRival}) {
      ev::EnterpriseAdmitted admitted;
      admitted.mutable_enterprise()->set_uscc(uscc);
      admitted.mutable_enterprise()->add_roles(ev::ENTERPRISE_ROLE_ECOMMERCE_ENTERPRISE);
      ASSERT_TRUE(
          db_->Transact([&](store::Transaction& tx) { return residents::OnAdmitted(tx, admitted); })
              .ok());
    }
  }

  static auth::Viewer Of(const std::string& uscc) {
    auth::Viewer v{uscc + "-erp", false, uscc};
    v.codes = {uscc};
    return v;
  }
  static auth::Viewer Staff() { return auth::Viewer{"staff-li", true, ""}; }

  static v1::AdmitIncubateeRequest Team(const std::string& request_id) {
    v1::AdmitIncubateeRequest r;
    r.set_request_id(request_id);
    r.set_cohort("2026-H2");
    r.mutable_team()->set_name("Tea Leaf Labs");
    r.mutable_team()->set_founders(3);
    r.mutable_team()->set_contact_role("CEO");
    r.mutable_mentor()->set_name("Chen Rui");
    r.mutable_mentor()->set_organisation("Fuzhou Angel Network");
    r.mutable_plan()->set_summary("Fujian white tea to Southeast Asia through 9610.");
    r.mutable_plan()->add_goals("First export by March");
    return r;
  }

  static v1::AdmitIncubateeRequest Resident(const std::string& request_id,
                                            const std::string& uscc) {
    v1::AdmitIncubateeRequest r = Team(request_id);
    r.set_enterprise_uscc(uscc);
    return r;
  }

  v1::RecordMilestoneRequest Milestone(const std::string& request_id, const std::string& id,
                                       v1::MilestoneKind kind) const {
    v1::RecordMilestoneRequest r;
    r.set_request_id(request_id);
    r.set_incubatee_id(id);
    r.set_kind(kind);
    absl::CivilDay today = absl::ToCivilDay(now_, kPark);
    r.mutable_date()->set_year(static_cast<int32_t>(today.year()));
    r.mutable_date()->set_month(today.month());
    r.mutable_date()->set_day(today.day());
    r.set_evidence_ref("evidence-" + request_id);
    if (kind == v1::MILESTONE_KIND_FUNDING_RAISED) {
      r.set_amount("1500000.00");
      r.set_currency("CNY");
    }
    if (kind == v1::MILESTONE_KIND_JOBS_CREATED) r.set_jobs(4);
    return r;
  }

  v1::Incubatee Admit(const v1::AdmitIncubateeRequest& r) {
    auto admitted = desk_->Admit(r);
    EXPECT_TRUE(admitted.ok()) << admitted.status();
    return admitted.ok() ? *admitted : v1::Incubatee();
  }

  absl::Time now_ = kJuly;
  std::unique_ptr<store::GroupCommitter> writer_;
  std::unique_ptr<IncubationDesk> desk_;
};

TEST_P(SupportIncubationTest, AdmissionIsOncePerRequestIdAndAResidentOnceAtATime) {
  v1::Incubatee team = Admit(Team("admit-team"));
  EXPECT_EQ(team.state(), v1::INCUBATEE_STATE_ADMITTED);
  EXPECT_EQ(team.incubatee_id().rfind("INC-20260701-", 0), 0u) << team.incubatee_id();
  auto again = desk_->Admit(Team("admit-team"));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->incubatee_id(), team.incubatee_id());
  v1::AdmitIncubateeRequest other = Team("admit-team");
  other.set_cohort("2027-H1");
  EXPECT_EQ(desk_->Admit(other).status().code(), absl::StatusCode::kAlreadyExists);

  auto stranger = desk_->Admit(Resident("admit-stranger", kNotResident));
  EXPECT_EQ(stranger.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(stranger.status().message().find("NOT_RESIDENT"), absl::string_view::npos);
  v1::Incubatee startup = Admit(Resident("admit-startup", kStartup));
  EXPECT_EQ(startup.enterprise_uscc(), kStartup);
  auto twice = desk_->Admit(Resident("admit-startup-2", kStartup));
  EXPECT_EQ(twice.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(twice.status().message().find("ALREADY_INCUBATING"), absl::string_view::npos);

  v1::AdmitIncubateeRequest bad = Team("admit-bad");
  bad.set_cohort("second half");
  EXPECT_EQ(desk_->Admit(bad).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Outbox().size(), 2u);  // the team and the startup, once each
}

TEST_P(SupportIncubationTest, MilestonesGraduationAndLeavingFollowTheStateMachine) {
  v1::Incubatee team = Admit(Team("admit-team"));
  v1::GraduateIncubateeRequest g;
  g.set_incubatee_id(team.incubatee_id());
  auto early = desk_->Graduate(g);
  EXPECT_EQ(early.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(early.status().message().find("NO_MILESTONE"), absl::string_view::npos);

  now_ += absl::Hours(24 * 30);
  auto launched = desk_->RecordMilestone(
      Milestone("ms-1", team.incubatee_id(), v1::MILESTONE_KIND_PRODUCT_LAUNCHED), Staff());
  ASSERT_TRUE(launched.ok()) << launched.status();
  EXPECT_EQ(launched->state(), v1::INCUBATEE_STATE_ACTIVE);
  // The same milestone again is the record as it was; another under its id is refused.
  auto same = desk_->RecordMilestone(
      Milestone("ms-1", team.incubatee_id(), v1::MILESTONE_KIND_PRODUCT_LAUNCHED), Staff());
  ASSERT_TRUE(same.ok()) << same.status();
  EXPECT_EQ(same->milestones_size(), 1);
  EXPECT_EQ(
      desk_
          ->RecordMilestone(Milestone("ms-1", team.incubatee_id(), v1::MILESTONE_KIND_FIRST_EXPORT),
                            Staff())
          .status()
          .code(),
      absl::StatusCode::kAlreadyExists);
  // A date before the admission day is refused and changes nothing.
  v1::RecordMilestoneRequest before =
      Milestone("ms-early", team.incubatee_id(), v1::MILESTONE_KIND_FIRST_EXPORT);
  before.mutable_date()->set_month(6);
  before.mutable_date()->set_day(30);
  EXPECT_EQ(desk_->RecordMilestone(before, Staff()).status().code(),
            absl::StatusCode::kInvalidArgument);
  auto funded = desk_->RecordMilestone(
      Milestone("ms-2", team.incubatee_id(), v1::MILESTONE_KIND_FUNDING_RAISED), Staff());
  ASSERT_TRUE(funded.ok()) << funded.status();
  ASSERT_EQ(funded->milestones_size(), 2);
  EXPECT_EQ(funded->milestones(1).amount(), "1500000.00");

  auto graduated = desk_->Graduate(g);
  ASSERT_TRUE(graduated.ok()) << graduated.status();
  EXPECT_EQ(graduated->state(), v1::INCUBATEE_STATE_GRADUATED);
  EXPECT_EQ(desk_->Graduate(g).status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(
      desk_
          ->RecordMilestone(Milestone("ms-3", team.incubatee_id(), v1::MILESTONE_KIND_JOBS_CREATED),
                            Staff())
          .status()
          .code(),
      absl::StatusCode::kFailedPrecondition);

  v1::Incubatee quitter = Admit(Resident("admit-startup", kStartup));
  v1::RecordIncubateeLeftRequest l;
  l.set_incubatee_id(quitter.incubatee_id());
  l.set_reason("The founders took jobs at a platform in Hangzhou.");
  auto left = desk_->Leave(l);
  ASSERT_TRUE(left.ok()) << left.status();
  EXPECT_EQ(left->state(), v1::INCUBATEE_STATE_LEFT);
  EXPECT_EQ(left->left_reason(), l.reason());
  EXPECT_EQ(desk_->Leave(l).status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(desk_
                ->RecordMilestone(
                    Milestone("ms-4", quitter.incubatee_id(), v1::MILESTONE_KIND_OTHER), Staff())
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);  // OTHER without a description
  v1::RecordMilestoneRequest other =
      Milestone("ms-4", quitter.incubatee_id(), v1::MILESTONE_KIND_OTHER);
  other.set_description("A pop-up shop in the park's showroom.");
  EXPECT_EQ(desk_->RecordMilestone(other, Staff()).status().code(),
            absl::StatusCode::kFailedPrecondition);
  // Having left, the enterprise may be admitted again.
  EXPECT_TRUE(desk_->Admit(Resident("admit-startup-again", kStartup)).ok());

  std::vector<std::string> types;
  for (const auto& e : Outbox()) {
    types.push_back(e.type);
    EXPECT_EQ(e.payload.find("Tea Leaf"), std::string::npos) << "an event names the team";
    EXPECT_EQ(e.payload.find("Chen Rui"), std::string::npos) << "an event names the mentor";
    EXPECT_EQ(e.payload.find("Hangzhou"), std::string::npos) << "an event carries the reason";
  }
  EXPECT_EQ(types, (std::vector<std::string>{
                       "parkline.support.v1.IncubateeAdmitted",
                       "parkline.support.v1.MilestoneRecorded",
                       "parkline.support.v1.MilestoneRecorded",
                       "parkline.support.v1.IncubateeGraduated",
                       "parkline.support.v1.IncubateeAdmitted",
                       "parkline.support.v1.IncubateeLeft",
                       "parkline.support.v1.IncubateeAdmitted",
                   }));
}

// A milestone and its retry sent at once: while a gate holds the group commit's writer, both
// calls queue behind it, then run one after the other in one transaction. The retry finds the
// milestone its original just recorded and returns the record, rather than failing on the
// request id's key with the database's ALREADY_EXISTS.
TEST_P(SupportIncubationTest, AMilestoneAndItsRetryAtOnceAreOneMilestone) {
  v1::Incubatee team = Admit(Team("admit-team"));
  now_ += absl::Hours(24);
  const v1::RecordMilestoneRequest request =
      Milestone("ms-race", team.incubatee_id(), v1::MILESTONE_KIND_PRODUCT_LAUNCHED);
  struct Gate {
    std::atomic<bool> entered{false}, open{false};
    ~Gate() { open = true; }  // a test that failed early must not hang
  } gate;
  auto held = std::async(std::launch::async, [&] {
    return writer_->Transact([&](store::Transaction&) {
      gate.entered = true;
      while (!gate.open) std::this_thread::sleep_for(std::chrono::milliseconds(1));
      return absl::OkStatus();
    });
  });
  auto wait = [](const std::function<bool()>& done) {
    for (int i = 0; i < 10000 && !done(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return done();
  };
  EXPECT_TRUE(wait([&] { return gate.entered.load(); }));
  std::vector<std::future<absl::StatusOr<v1::Incubatee>>> sends;
  for (int n = 0; n < 2; ++n) {
    size_t before = writer_->pending();
    sends.push_back(
        std::async(std::launch::async, [&] { return desk_->RecordMilestone(request, Staff()); }));
    EXPECT_TRUE(wait([&] { return writer_->pending() == before + 1; }));
  }
  gate.open = true;
  EXPECT_TRUE(held.get().ok());
  std::vector<std::string> ids;
  for (auto& send : sends) {
    absl::StatusOr<v1::Incubatee> recorded = send.get();
    ASSERT_TRUE(recorded.ok()) << recorded.status();
    ASSERT_EQ(recorded->milestones_size(), 1);
    ids.push_back(recorded->milestones(0).milestone_id());
  }
  EXPECT_EQ(ids[0], ids[1]);
  EXPECT_EQ(Outbox().size(), 2u);  // the admission and one milestone
}

TEST_P(SupportIncubationTest, AResidentIncubateeSeesAndAddsToItsOwnRecordOnly) {
  v1::Incubatee own = Admit(Resident("admit-startup", kStartup));
  v1::Incubatee team = Admit(Team("admit-team"));
  v1::GetIncubateeRequest get;
  get.set_incubatee_id(own.incubatee_id());
  get.set_enterprise_uscc(kStartup);
  EXPECT_TRUE(desk_->Get(get, Of(kStartup)).ok());
  EXPECT_EQ(desk_->Get(get, Of(kRival)).status().code(), absl::StatusCode::kNotFound);
  get.set_incubatee_id(team.incubatee_id());
  EXPECT_EQ(desk_->Get(get, Of(kStartup)).status().code(), absl::StatusCode::kNotFound);

  v1::RecordMilestoneRequest m =
      Milestone("ms-own", own.incubatee_id(), v1::MILESTONE_KIND_FIRST_EXPORT);
  m.set_enterprise_uscc(kStartup);
  auto recorded = desk_->RecordMilestone(m, Of(kStartup));
  ASSERT_TRUE(recorded.ok()) << recorded.status();
  EXPECT_EQ(recorded->state(), v1::INCUBATEE_STATE_ACTIVE);
  v1::RecordMilestoneRequest theirs =
      Milestone("ms-rival", own.incubatee_id(), v1::MILESTONE_KIND_OTHER);
  theirs.set_description("Claimed by a rival.");
  EXPECT_EQ(desk_->RecordMilestone(theirs, Of(kRival)).status().code(),
            absl::StatusCode::kNotFound);
  // The rival, replaying the startup's request id, learns nothing of the record.
  auto replay = desk_->RecordMilestone(m, Of(kRival));
  EXPECT_EQ(replay.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(replay.status().message().find(own.incubatee_id()), std::string::npos);
  theirs.set_incubatee_id(team.incubatee_id());
  EXPECT_EQ(desk_->RecordMilestone(theirs, Of(kStartup)).status().code(),
            absl::StatusCode::kNotFound);
  get.set_incubatee_id(own.incubatee_id());
  EXPECT_EQ(desk_->Get(get, Staff())->milestones_size(), 1);
}

TEST_P(SupportIncubationTest, ListsByCohortAndStateAndCountsSurvivalAYearOn) {
  v1::Incubatee a = Admit(Team("admit-a"));
  v1::Incubatee b = Admit(Resident("admit-b", kStartup));
  v1::AdmitIncubateeRequest c = Resident("admit-c", kRival);
  c.set_cohort("2027-H1");
  Admit(c);
  now_ += absl::Hours(24 * 60);
  ASSERT_TRUE(desk_
                  ->RecordMilestone(
                      Milestone("ms-a", a.incubatee_id(), v1::MILESTONE_KIND_JOBS_CREATED), Staff())
                  .ok());
  v1::RecordIncubateeLeftRequest l;
  l.set_incubatee_id(b.incubatee_id());
  l.set_reason("Closed the business.");
  ASSERT_TRUE(desk_->Leave(l).ok());

  v1::ListIncubateesRequest list;
  list.set_cohort("2026-H2");
  EXPECT_EQ(desk_->List(list)->incubatees_size(), 2);
  list.set_state(v1::INCUBATEE_STATE_ACTIVE);
  auto active = desk_->List(list);
  ASSERT_TRUE(active.ok()) << active.status();
  ASSERT_EQ(active->incubatees_size(), 1);
  EXPECT_EQ(active->incubatees(0).incubatee_id(), a.incubatee_id());
  list.set_cohort("not a cohort");
  EXPECT_EQ(desk_->List(list).status().code(), absl::StatusCode::kInvalidArgument);

  v1::GetCohortFiguresRequest f;
  f.set_cohort("2026-H2");
  auto young = desk_->Figures(f);
  ASSERT_TRUE(young.ok()) << young.status();
  EXPECT_EQ(young->admitted(), 2);
  EXPECT_EQ(young->active(), 1);
  EXPECT_EQ(young->left(), 1);
  EXPECT_EQ(young->survival_eligible(), 0);
  EXPECT_EQ(young->survival_ratio(), "");
  now_ = kJuly + absl::Hours(24 * 366);
  auto year = desk_->Figures(f);
  ASSERT_TRUE(year.ok()) << year.status();
  EXPECT_EQ(year->survival_eligible(), 2);
  EXPECT_EQ(year->survived(), 1);
  EXPECT_EQ(year->survival_ratio(), "0.5000");
  ASSERT_EQ(year->milestones_size(), 1);
  EXPECT_EQ(year->milestones(0).kind(), v1::MILESTONE_KIND_JOBS_CREATED);
  // As of a moment before anybody was admitted: nothing.
  *f.mutable_as_of_time() =
      TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(kJuly - absl::Hours(1)));
  EXPECT_EQ(desk_->Figures(f)->admitted(), 0);
}

PARKLINE_BACKEND_TESTS(SupportIncubationTest);

}  // namespace
}  // namespace parkline::support
