#include "support/incubation_rules.h"

#include <gtest/gtest.h>

#include <set>

#include "google/protobuf/util/time_util.h"

namespace parkline::support {
namespace {

using google::protobuf::util::TimeUtil;

constexpr char kUscc[] = "91350100M000100Y43";
const absl::TimeZone kPark = absl::FixedTimeZone(8 * 3600);

google::protobuf::Timestamp At(int y, int m, int d) {
  return TimeUtil::MicrosecondsToTimestamp(
      absl::ToUnixMicros(absl::FromCivil(absl::CivilSecond(y, m, d, 10, 0, 0), kPark)));
}

std::set<std::string> Fields(const errors::Violations& v) {
  std::set<std::string> fields;
  for (const auto& x : v.list()) fields.insert(x.field);
  return fields;
}

v1::AdmitIncubateeRequest Team() {
  v1::AdmitIncubateeRequest r;
  r.set_request_id("admit-1");
  r.set_cohort("2026-H2");
  r.mutable_team()->set_name("Tea Leaf Labs");
  r.mutable_team()->set_founders(3);
  r.mutable_team()->set_contact_role("CEO");
  r.mutable_mentor()->set_name("Chen Rui");
  r.mutable_mentor()->set_organisation("Fuzhou Angel Network");
  r.mutable_plan()->set_summary("Sell Fujian white tea to Southeast Asia through 9610.");
  r.mutable_plan()->add_goals("First export by March");
  return r;
}

v1::RecordMilestoneRequest Funding(const std::string& amount, const std::string& currency) {
  v1::RecordMilestoneRequest r;
  r.set_request_id("ms-1");
  r.set_incubatee_id("INC-20260701-000000000001");
  r.set_kind(v1::MILESTONE_KIND_FUNDING_RAISED);
  r.mutable_date()->set_year(2026);
  r.mutable_date()->set_month(9);
  r.mutable_date()->set_day(1);
  r.set_evidence_ref("investment agreement FZ-2026-118");
  r.set_amount(amount);
  r.set_currency(currency);
  return r;
}

TEST(Admission, ACompleteTeamOrResidentIsAcceptedAndEachGapIsNamed) {
  errors::Violations ok;
  CheckAdmission(Team(), ok);
  EXPECT_TRUE(ok.empty()) << ok.ToStatus();

  v1::AdmitIncubateeRequest resident = Team();
  resident.set_enterprise_uscc(kUscc);  // replaces the team: one applicant
  errors::Violations ok2;
  CheckAdmission(resident, ok2);
  EXPECT_TRUE(ok2.empty()) << ok2.ToStatus();

  v1::AdmitIncubateeRequest bad = Team();
  bad.set_cohort("H2-2026");
  bad.mutable_team()->set_founders(0);
  bad.mutable_team()->clear_contact_role();
  bad.mutable_mentor()->clear_organisation();
  bad.mutable_plan()->clear_goals();
  errors::Violations v;
  CheckAdmission(bad, v);
  EXPECT_EQ(Fields(v), (std::set<std::string>{"cohort", "team.founders", "team.contact_role",
                                              "mentor.organisation", "plan.goals"}));

  v1::AdmitIncubateeRequest nobody = Team();
  nobody.clear_team();
  errors::Violations none;
  CheckAdmission(nobody, none);
  EXPECT_EQ(Fields(none), std::set<std::string>{"applicant"});
  nobody.set_enterprise_uscc("91350100M000100Y44");  // check character wrong
  errors::Violations wrong;
  CheckAdmission(nobody, wrong);
  EXPECT_EQ(Fields(wrong), std::set<std::string>{"enterprise_uscc"});
}

TEST(Admission, ACohortIsAYearADashAndUpToEightCapitalsOrDigits) {
  for (const char* good : {"2026-H2", "2027-Q1", "2026-SPRING", "2026-1"}) {
    EXPECT_TRUE(IsCohort(good)) << good;
  }
  for (const char* bad :
       {"", "2026", "2026-", "2026-h2", "26-H2", "2026_H2", "2026-ABCDEFGHI", "2026-H 2"}) {
    EXPECT_FALSE(IsCohort(bad)) << bad;
  }
}

TEST(Milestones, FundingIsAnExactPositiveAmountWithACurrency) {
  errors::Violations ok;
  CheckMilestone(Funding("1500000.00", "CNY"), ok);
  EXPECT_TRUE(ok.empty()) << ok.ToStatus();
  for (const auto& [amount, currency] : std::vector<std::pair<std::string, std::string>>{
           {"0", "CNY"}, {"-5", "CNY"}, {"1.005", "CNY"}, {"1e6", "CNY"}, {"", "CNY"}}) {
    errors::Violations v;
    CheckMilestone(Funding(amount, currency), v);
    EXPECT_EQ(Fields(v), std::set<std::string>{"amount"}) << amount;
  }
  for (const char* currency : {"", "cny", "RMB1", "142"}) {
    errors::Violations v;
    CheckMilestone(Funding("10", currency), v);
    EXPECT_EQ(Fields(v), std::set<std::string>{"currency"}) << currency;
  }
}

TEST(Milestones, EachKindCarriesOnlyItsOwnFields) {
  v1::RecordMilestoneRequest jobs = Funding("", "");
  jobs.set_kind(v1::MILESTONE_KIND_JOBS_CREATED);
  jobs.set_jobs(12);
  errors::Violations ok;
  CheckMilestone(jobs, ok);
  EXPECT_TRUE(ok.empty()) << ok.ToStatus();
  jobs.set_jobs(0);
  jobs.set_amount("100");
  jobs.set_currency("CNY");
  errors::Violations v;
  CheckMilestone(jobs, v);
  EXPECT_EQ(Fields(v), (std::set<std::string>{"jobs", "amount"}));

  v1::RecordMilestoneRequest other = Funding("", "");
  other.set_kind(v1::MILESTONE_KIND_OTHER);
  other.mutable_date()->set_month(2);
  other.mutable_date()->set_day(30);
  other.clear_evidence_ref();
  errors::Violations w;
  CheckMilestone(other, w);
  EXPECT_EQ(Fields(w), (std::set<std::string>{"date", "evidence_ref", "description"}));
}

TEST(StateMachine, AdmittedBecomesActiveWithItsFirstMilestoneAndOnlyActiveGraduates) {
  v1::Incubatee i;
  i.set_state(v1::INCUBATEE_STATE_ADMITTED);
  absl::Status early = CheckGraduable(i);
  EXPECT_EQ(early.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(early.message().find("NO_MILESTONE"), absl::string_view::npos);
  EXPECT_TRUE(CheckMayLeave(i).ok());

  v1::Milestone m;
  m.set_kind(v1::MILESTONE_KIND_PRODUCT_LAUNCHED);
  AddMilestone(i, m);
  EXPECT_EQ(i.state(), v1::INCUBATEE_STATE_ACTIVE);
  AddMilestone(i, m);
  EXPECT_EQ(i.state(), v1::INCUBATEE_STATE_ACTIVE);
  EXPECT_EQ(i.milestones_size(), 2);
  EXPECT_TRUE(CheckGraduable(i).ok());
  EXPECT_TRUE(CheckMayLeave(i).ok());
}

TEST(StateMachine, GraduatedAndLeftAreFinal) {
  absl::CivilDay day(2026, 9, 1);
  for (auto state : {v1::INCUBATEE_STATE_GRADUATED, v1::INCUBATEE_STATE_LEFT}) {
    v1::Incubatee i;
    i.set_state(state);
    EXPECT_EQ(CheckMilestoneFits(i, day, day, day).code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_EQ(CheckGraduable(i).code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_EQ(CheckMayLeave(i).code(), absl::StatusCode::kFailedPrecondition);
  }
}

TEST(StateMachine, AMilestoneFallsBetweenTheAdmissionDayAndToday) {
  v1::Incubatee i;
  i.set_state(v1::INCUBATEE_STATE_ACTIVE);
  absl::CivilDay admitted(2026, 7, 1), today(2026, 9, 1);
  EXPECT_TRUE(CheckMilestoneFits(i, admitted, admitted, today).ok());
  EXPECT_TRUE(CheckMilestoneFits(i, today, admitted, today).ok());
  EXPECT_EQ(CheckMilestoneFits(i, admitted - 1, admitted, today).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CheckMilestoneFits(i, today + 1, admitted, today).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(Tenancy, TheParkSeesEveryRecordAnEnterpriseOnlyItsOwnAndNobodyATeamsButThePark) {
  v1::Incubatee own;
  own.set_enterprise_uscc(kUscc);
  v1::Incubatee team;
  team.mutable_team()->set_name("Tea Leaf Labs");
  auth::Viewer staff{"staff-li", true, ""};
  auth::Viewer self{"acme-erp", false, kUscc};
  self.codes = {kUscc};
  auth::Viewer other{"rival-erp", false, "91110000100000000R"};
  other.codes = {"91110000100000000R"};
  auth::Viewer analyst{"bi", false, ""};
  analyst.analyst = true;
  EXPECT_TRUE(MaySee(staff, own));
  EXPECT_TRUE(MaySee(staff, team));
  EXPECT_TRUE(MaySee(self, own));
  EXPECT_FALSE(MaySee(self, team));
  EXPECT_FALSE(MaySee(other, own));
  EXPECT_FALSE(MaySee(analyst, own));
}

TEST(Survival, TheAnniversaryIsTheSameDayAYearOnAndLeapDaysFallToThe28th) {
  EXPECT_EQ(Anniversary(absl::CivilDay(2026, 7, 1)), absl::CivilDay(2027, 7, 1));
  EXPECT_EQ(Anniversary(absl::CivilDay(2028, 2, 29)), absl::CivilDay(2029, 2, 28));
  EXPECT_EQ(Anniversary(absl::CivilDay(2026, 12, 31)), absl::CivilDay(2027, 12, 31));
}

// A cohort admitted 1 July 2025 (four) and 1 March 2026 (one), seen on 1 July 2026: the July
// ones are eligible (their anniversary is that day at 00:00), the March one not. Of the four, one
// graduated, one left in May 2026 (before its anniversary), one left on its anniversary (after
// surviving a year), one is still in: three survived.
TEST(Survival, CountsThoseAliveOnTheirAnniversaryAmongThoseAYearOld) {
  auto admitted = [](int y, int m, int d) {
    v1::Incubatee i;
    i.set_cohort("2025-H2");
    *i.mutable_admitted_time() = At(y, m, d);
    return i;
  };
  std::vector<v1::Incubatee> all;
  all.push_back(admitted(2025, 7, 1));  // graduated
  *all.back().mutable_graduated_time() = At(2026, 3, 1);
  v1::Milestone launched;
  launched.set_kind(v1::MILESTONE_KIND_PRODUCT_LAUNCHED);
  *launched.mutable_recorded_time() = At(2025, 12, 1);
  *all.back().add_milestones() = launched;
  all.push_back(admitted(2025, 7, 1));  // left early
  *all.back().mutable_left_time() = At(2026, 5, 1);
  all.push_back(admitted(2025, 7, 1));  // left on its anniversary, after 00:00
  *all.back().mutable_left_time() = At(2026, 7, 1);
  all.push_back(admitted(2025, 7, 1));  // still in
  all.push_back(admitted(2026, 3, 1));  // too young
  all.push_back(admitted(2026, 8, 1));  // admitted after as_of: not counted at all
  v1::Incubatee elsewhere = admitted(2025, 7, 1);
  elsewhere.set_cohort("2026-H1");
  all.push_back(elsewhere);

  absl::Time as_of = absl::FromCivil(absl::CivilSecond(2026, 7, 1, 12, 0, 0), kPark);
  v1::CohortFigures f = CohortFiguresOf("2025-H2", all, as_of, kPark);
  EXPECT_EQ(f.admitted(), 5);
  EXPECT_EQ(f.graduated(), 1);
  EXPECT_EQ(f.left(), 2);
  EXPECT_EQ(f.active(), 2);
  EXPECT_EQ(f.survival_eligible(), 4);
  EXPECT_EQ(f.survived(), 2 + 1);
  EXPECT_EQ(f.survival_ratio(), "0.7500");
  ASSERT_EQ(f.milestones_size(), 1);
  EXPECT_EQ(f.milestones(0).kind(), v1::MILESTONE_KIND_PRODUCT_LAUNCHED);
  EXPECT_EQ(f.milestones(0).count(), 1);

  // The day before the anniversary: nobody is a year old, no ratio; the May leaver has left and
  // the one that left on 1 July had not yet.
  v1::CohortFigures before =
      CohortFiguresOf("2025-H2", all, as_of - absl::Hours(24) - absl::Hours(12), kPark);
  EXPECT_EQ(before.survival_eligible(), 0);
  EXPECT_EQ(before.survival_ratio(), "");
  EXPECT_EQ(before.left(), 1);
  EXPECT_EQ(before.active(), 3);
}

TEST(Survival, TheRatioRoundsHalfUpAtFourDecimals) {
  std::vector<v1::Incubatee> all;
  for (int n = 0; n < 3; ++n) {
    v1::Incubatee i;
    i.set_cohort("2024-H1");
    *i.mutable_admitted_time() = At(2024, 1, 10);
    if (n == 0) *i.mutable_left_time() = At(2024, 6, 1);
    all.push_back(i);
  }
  v1::CohortFigures f =
      CohortFiguresOf("2024-H1", all, absl::FromCivil(absl::CivilDay(2026, 1, 1), kPark), kPark);
  EXPECT_EQ(f.survived(), 2);
  EXPECT_EQ(f.survival_ratio(), "0.6667");
}

}  // namespace
}  // namespace parkline::support
