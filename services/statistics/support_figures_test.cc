// The statistics of the services for residents (6.4-6.9) without a database or a broker: what
// each support event adds and once per which fact, the per-category ratios, staff trained from
// both sources, and the verdicts of 6.8.1, 6.8.2 and 6.9.2 with their quarters.
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "parkline/support/v1/events.pb.h"
#include "prometheus/metric_family.h"
#include "statistics/event_effects.h"
#include "statistics/figures.h"
#include "statistics/indicator_metrics.h"

namespace parkline::statistics {
namespace {

namespace sup = parkline::support::v1;

absl::TimeZone Shanghai() {
  absl::TimeZone zone;
  EXPECT_TRUE(absl::LoadTimeZone("Asia/Shanghai", &zone));
  return zone;
}

absl::Time At(const std::string& rfc3339) {
  absl::Time t;
  std::string error;
  EXPECT_TRUE(absl::ParseTime(absl::RFC3339_full, rfc3339, &t, &error)) << error;
  return t;
}

google::protobuf::Timestamp Ts(const std::string& rfc3339) {
  google::protobuf::Timestamp ts;
  ts.set_seconds(absl::ToUnixSeconds(At(rfc3339)));
  return ts;
}

void Add(Effects& out, const google::protobuf::Message& m, absl::Time when) {
  std::string payload = m.SerializeAsString();
  absl::Status s = AddEffects({m.GetDescriptor()->full_name(), when, payload}, Shanghai(), &out);
  EXPECT_TRUE(s.ok()) << s;
}

// Every once-fact of `e` as "fact/key:indicator{labels}@day[enterprise]=delta".
std::vector<std::string> Facts(const Effects& e) {
  std::vector<std::string> out;
  for (const OnceFact& f : e.once) {
    for (const OnceFact::Delta& d : f.deltas) {
      out.push_back(absl::StrCat(f.fact, "/", f.key, ":", d.indicator, "{", d.labels, "}@", d.day,
                                 "[", d.enterprise, "]=", d.delta));
    }
  }
  return out;
}

sup::AttendanceConfirmed Attended(const std::string& registration, sup::ActivityKind kind,
                                  int attended) {
  sup::AttendanceConfirmed m;
  m.set_registration_id(registration);
  m.set_activity_id("ACT-1");
  m.set_kind(kind);
  m.set_enterprise_uscc("91330100MA2AAAAA1X");
  m.set_attended(attended);
  // 17:00 UTC on 31 March is 01:00 on 1 April in Shanghai: the activity ended in Q2.
  *m.mutable_activity_ended_time() = Ts("2026-03-31T17:00:00Z");
  *m.mutable_confirmed_time() = Ts("2026-04-03T02:00:00Z");
  return m;
}

TEST(SupportEffectsTest, ATrainingIsHeldOnceOnItsEndDayAndTrainsStaffPerEnterprise) {
  Effects e;
  Add(e, Attended("REG-1", sup::ACTIVITY_KIND_PRACTICAL_TRAINING, 3), At("2026-04-03T02:00:00Z"));
  EXPECT_TRUE(e.counters.empty());  // everything counts once, through the repository
  EXPECT_EQ(
      Facts(e),
      (std::vector<std::string>{
          "support_attendance/REG-1:support_attendance{kind=practical_training}@2026-04-01[]=3",
          "support_attendance/REG-1:support_staff_trained{kind=practical_training}@2026-04-01"
          "[91330100MA2AAAAA1X]=3",
          "support_activity_held/ACT-1:support_activities_held{kind=practical_training}@"
          "2026-04-01[]=1"}));
}

TEST(SupportEffectsTest, AnActivityNobodyCameToIsNotHeldAndOnlyTrainingsTrainStaff) {
  Effects e;
  Add(e, Attended("REG-1", sup::ACTIVITY_KIND_SPECIAL_TRAINING, 0), At("2026-04-03T02:00:00Z"));
  for (const std::string& f : Facts(e)) {
    EXPECT_EQ(f.find("support_activities_held"), std::string::npos) << f;
    EXPECT_EQ(f.find("support_staff_trained"), std::string::npos) << f;
  }
  Effects fair;
  Add(fair, Attended("REG-2", sup::ACTIVITY_KIND_RECRUITMENT_FAIR, 5), At("2026-04-03T02:00:00Z"));
  bool held = false;
  for (const std::string& f : Facts(fair)) {
    EXPECT_EQ(f.find("support_staff_trained"), std::string::npos) << f;
    held = held || f.find("support_activities_held{kind=recruitment_fair}") != std::string::npos;
  }
  EXPECT_TRUE(held);
}

TEST(SupportEffectsTest, AScheduledActivityIsCountedWithWhetherAPartnerTakesPart) {
  sup::ActivityScheduled m;
  m.set_activity_id("ACT-9");
  m.set_kind(sup::ACTIVITY_KIND_TEAM_ACTIVITY);
  m.set_partner_organisation("Hangzhou Talent Agency");
  Effects e;
  Add(e, m, At("2026-02-10T02:00:00Z"));
  EXPECT_EQ(Facts(e), (std::vector<std::string>{
                          "support_activity_scheduled/ACT-9:support_activities_scheduled{kind=team_"
                          "activity,partner=yes}@2026-02-10[]=1"}));
  // Seats and waiting lists change no indicator, and are not unknown types either.
  sup::RegistrationChanged r;
  r.set_registration_id("REG-1");
  Effects none;
  Add(none, r, At("2026-02-10T02:00:00Z"));
  EXPECT_TRUE(none.once.empty());
  EXPECT_TRUE(none.counters.empty());
  const auto& types = HandledTypes();
  EXPECT_NE(std::find(types.begin(), types.end(), "parkline.support.v1.RegistrationChanged"),
            types.end());
}

sup::ServiceRequestChanged Request(sup::RequestStatus status, bool on_time, int rating) {
  sup::ServiceRequestChanged m;
  m.set_service_request_id("SR-1");
  m.set_enterprise_uscc("91330100MA2AAAAA1X");
  m.set_category(sup::SERVICE_CATEGORY_LEGAL);
  m.set_status(status);
  m.set_on_time(on_time);
  m.set_rating(rating);
  *m.mutable_changed_time() = Ts("2026-05-06T03:00:00Z");
  return m;
}

TEST(SupportEffectsTest, ARequestsEventsEachNameTheFactsOnceSoRepeatsAddNothing) {
  Effects e;
  absl::Time t = At("2026-05-06T03:00:00Z");
  Add(e, Request(sup::REQUEST_STATUS_FILED, false, 0), t);
  Add(e, Request(sup::REQUEST_STATUS_ROUTED, false, 0), t);
  Add(e, Request(sup::REQUEST_STATUS_ANSWERED, true, 0), t);
  Add(e, Request(sup::REQUEST_STATUS_ANSWERED, true, 4), t);
  // The repository keeps the first of each (fact, key): these are the facts that count.
  std::set<std::string> first;
  std::vector<std::string> counted;
  for (const OnceFact& f : e.once) {
    if (!first.insert(f.fact + "/" + f.key).second) continue;
    for (const OnceFact::Delta& d : f.deltas) {
      counted.push_back(absl::StrCat(d.indicator, "{", d.labels, "}=", d.delta));
    }
  }
  EXPECT_EQ(counted,
            (std::vector<std::string>{"support_requests_filed{category=legal}=1",
                                      "support_requests_answered{category=legal}=1",
                                      "support_requests_answered_on_time{category=legal}=1",
                                      "support_request_satisfaction_sum{category=legal}=4",
                                      "support_request_satisfaction_count{category=legal}="
                                      "1"}));
  sup::ServiceRequestOverdue overdue;
  overdue.set_service_request_id("SR-2");
  overdue.set_category(sup::SERVICE_CATEGORY_FINANCE);
  *overdue.mutable_respond_by() = Ts("2026-05-08T09:00:00Z");
  Effects late;
  Add(late, overdue, At("2026-05-09T01:00:00Z"));
  EXPECT_EQ(Facts(late), (std::vector<std::string>{"support_request_overdue/SR-2:support_"
                                                   "requests_overdue{category=finance}@2026-05-"
                                                   "08[]=1"}));
}

TEST(SupportEffectsTest, AnUnreadablePayloadIsInvalid) {
  Effects e;
  EXPECT_EQ(AddEffects(
                {"parkline.support.v1.AttendanceConfirmed", At("2026-05-06T03:00:00Z"), "\xff\xff"},
                Shanghai(), &e)
                .code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(SupportFiguresTest, RequestRatiosArePerCategoryAndAbsentWithoutAnswers) {
  Totals period = {{{"support_requests_answered", "category=legal"}, 4},
                   {{"support_requests_answered_on_time", "category=legal"}, 3},
                   {{"support_requests_answered", "category=finance"}, 2},
                   {{"support_requests_answered_on_time", "category=finance"}, 2},
                   {{"support_requests_filed", "category=logistics_solutions"}, 5},
                   {{"support_request_satisfaction_sum", "category=legal"}, 9},
                   {{"support_request_satisfaction_count", "category=legal"}, 2}};
  std::map<std::string, int64_t> rates;
  for (const Figure& f : PeriodRates(period)) {
    rates[absl::StrCat(f.indicator, "{", LabelsText(f.labels), "}")] = f.scaled;
  }
  EXPECT_EQ(rates["support_requests_on_time_ratio{category=legal}"], 7500);
  EXPECT_EQ(rates["support_requests_on_time_ratio{category=finance}"], 10000);
  EXPECT_EQ(rates["support_request_satisfaction_mean{category=legal}"], 45000);  // 4.5
  // Filed but never answered: no ratio, not 0; and never a park-wide mix of categories.
  EXPECT_EQ(rates.count("support_requests_on_time_ratio{category=logistics_solutions}"), 0u);
  EXPECT_EQ(rates.count("support_requests_on_time_ratio{}"), 0u);
  // The complaints' ratio stays park-wide.
  period[{"complaints_resolved", "category=quality"}] = 2;
  period[{"complaints_resolved_on_time", "category=quality"}] = 1;
  bool park_wide = false;
  for (const Figure& f : PeriodRates(period)) {
    if (f.indicator == "complaints_on_time_ratio") park_wide = f.labels.empty();
  }
  EXPECT_TRUE(park_wide);
}

TEST(SupportFiguresTest, RatiosOnMetricsCarryTheirCategoryAndEveryHelpItsClause) {
  StatisticsDesk::Everything all;
  all.all_time = {{{"support_requests_answered", "category=legal"}, 4},
                  {{"support_requests_answered_on_time", "category=legal"}, 1}};
  bool ratio = false;
  for (const auto& f : ToMetricFamilies(all)) {
    if (f.name != "parkline_support_requests_on_time_ratio") continue;
    ratio = true;
    ASSERT_EQ(f.metric.size(), 1u);
    ASSERT_EQ(f.metric[0].label.size(), 1u);
    EXPECT_EQ(f.metric[0].label[0].name, "category");
    EXPECT_EQ(f.metric[0].label[0].value, "legal");
    EXPECT_DOUBLE_EQ(f.metric[0].gauge.value, 0.25);
    EXPECT_NE(f.help.find("6.7"), std::string::npos);
  }
  EXPECT_TRUE(ratio);
  for (const Indicator& i : Catalog()) {
    if (i.name.rfind("support_", 0) == 0 || i.name == "staff_trained") {
      EXPECT_FALSE(i.clause.empty()) << i.name;
      EXPECT_EQ(i.clause.find("6."), 0u) << i.name << " names " << i.clause;
    }
  }
}

TEST(SupportFiguresTest, StaffTrainedIsShownFromBothSourcesPerYear) {
  Snapshot s;
  s.enterprises = {{"U1", "C1", "Seller", {"ecommerce_enterprise"}, {}, true},
                   {"U2", "C2", "Gone", {"ecommerce_enterprise"}, {}, false}};
  s.talent = {{"U1", 2026, 12, 6, 3}, {"U2", 2026, 99, 99, 99}};
  s.trained_confirmed = {{2025, 4}, {2026, 7}};
  std::vector<Figure> f = CurrentFigures(s);
  EXPECT_EQ(Current(f, "staff_trained", {{"source", "confirmed_attendance"}, {"year", "2026"}}), 7);
  // Residents' reports only, as the talent figure counts them.
  EXPECT_EQ(Current(f, "staff_trained", {{"source", "self_reported"}, {"year", "2026"}}), 3);
  EXPECT_EQ(Current(f, "staff_trained", {{"source", "confirmed_attendance"}, {"year", "2025"}}), 4);
  bool reported_2025 = false;
  for (const Figure& x : f) {
    if (x.indicator == "staff_trained" && x.labels.at("year") == "2025" &&
        x.labels.at("source") == "self_reported") {
      reported_2025 = true;
      EXPECT_EQ(x.scaled, 0);
    }
  }
  EXPECT_TRUE(reported_2025);  // both sources side by side for every year either has
}

TEST(SupportConformanceTest, WholeQuartersOnlyAreJudged) {
  auto q = WholeQuarters(absl::CivilDay(2026, 1, 1), absl::CivilDay(2026, 12, 6));
  ASSERT_EQ(q.size(), 3u);  // Q4 is still under way
  EXPECT_EQ(q[0].name, "2026-Q1");
  EXPECT_EQ(q[0].to, "2026-03-31");
  EXPECT_EQ(q[2].from, "2026-07-01");
  auto across = WholeQuarters(absl::CivilDay(2025, 11, 15), absl::CivilDay(2026, 6, 30));
  ASSERT_EQ(across.size(), 2u);
  EXPECT_EQ(across[0].name, "2026-Q1");
  EXPECT_EQ(across[1].to, "2026-06-30");
  EXPECT_TRUE(WholeQuarters(absl::CivilDay(2026, 1, 2), absl::CivilDay(2026, 3, 31)).empty());
}

ConformanceInput Half2026() {
  ConformanceInput in;
  in.from = "2026-01-01";
  in.to = "2026-06-30";
  for (const Quarter& q : WholeQuarters(absl::CivilDay(2026, 1, 1), absl::CivilDay(2026, 6, 30))) {
    in.quarters.push_back({q, {}});
  }
  return in;
}

void Held(ConformanceInput& in, size_t quarter, const std::string& kind, int64_t n = 1) {
  in.quarters[quarter].second[{"support_activities_held", "kind=" + kind}] += n;
  in.period[{"support_activities_held", "kind=" + kind}] += n;
}

const ClauseVerdict& Clause(const std::vector<ClauseVerdict>& all, const std::string& clause) {
  for (const ClauseVerdict& v : all) {
    if (v.clause == clause) return v;
  }
  ADD_FAILURE() << "no verdict for " << clause;
  return all.front();
}

TEST(SupportConformanceTest, Clause682NeedsBothTrainingsInEveryQuarter) {
  ConformanceInput in = Half2026();
  Held(in, 0, "special_training");
  Held(in, 0, "practical_training");
  Held(in, 1, "special_training", 2);
  auto verdicts = Conformance(in);
  ClauseVerdict v = Clause(verdicts, "6.8.2");
  EXPECT_EQ(v.verdict, Verdict::kNotMet);
  EXPECT_NE(v.explanation.find("practical trainings in 2026-Q2"), std::string::npos)
      << v.explanation;
  ASSERT_EQ(v.criteria.size(), 5u);  // 2 quarters x 2 kinds, and staff trained
  EXPECT_EQ(v.criteria[2].value, "2");
  EXPECT_EQ(v.criteria[2].from, "2026-04-01");
  EXPECT_EQ(v.criteria[2].threshold, ">= 1");
  Held(in, 1, "practical_training");
  in.period[{"support_staff_trained", "kind=practical_training"}] = 12;
  v = Clause(Conformance(in), "6.8.2");
  EXPECT_EQ(v.verdict, Verdict::kMet) << v.explanation;
  EXPECT_EQ(v.criteria.back().value, "12");
  EXPECT_EQ(v.criteria.back().threshold, "none");
}

TEST(SupportConformanceTest, Clause681NeedsActivitiesEachQuarterAndAnHrIntermediary) {
  ConformanceInput in = Half2026();
  Held(in, 0, "recruitment_fair");
  Held(in, 1, "team_activity");
  ClauseVerdict v = Clause(Conformance(in), "6.8.1");
  EXPECT_EQ(v.verdict, Verdict::kNotMet);  // no partner organisation ever took part
  EXPECT_NE(v.explanation.find("HR intermediary"), std::string::npos) << v.explanation;
  in.period[{"support_activities_scheduled", "kind=recruitment_fair,partner=yes"}] = 1;
  v = Clause(Conformance(in), "6.8.1");
  EXPECT_EQ(v.verdict, Verdict::kMet) << v.explanation;
}

TEST(SupportConformanceTest, Clause692NeedsTrainingClubsMatchmakingAndRoadshowsEachQuarter) {
  ConformanceInput in = Half2026();
  for (size_t q : {0u, 1u}) {
    Held(in, q, "practical_training");
    Held(in, q, "founders_club");
    Held(in, q, "matchmaking");
  }
  Held(in, 0, "roadshow");
  ClauseVerdict v = Clause(Conformance(in), "6.9.2");
  EXPECT_EQ(v.verdict, Verdict::kNotMet);
  EXPECT_EQ(v.explanation, "None held: roadshows in 2026-Q2.");
  Held(in, 1, "roadshow");
  EXPECT_EQ(Clause(Conformance(in), "6.9.2").verdict, Verdict::kMet);
}

TEST(SupportConformanceTest, NoDataIsNotMetAndNoWholeQuarterIsNotEvaluated) {
  // No support events at all: nothing was held, which the clauses' "shall" does not allow.
  ConformanceInput none = Half2026();
  for (const char* clause : {"6.8.1", "6.8.2", "6.9.2"}) {
    ClauseVerdict v = Clause(Conformance(none), clause);
    EXPECT_EQ(v.verdict, Verdict::kNotMet) << clause;
    for (const Criterion& c : v.criteria) EXPECT_TRUE(c.evaluated) << c.measured;
  }
  // A period shorter than a quarter cannot say whether anything is held regularly.
  ConformanceInput month;
  month.from = "2026-05-01";
  month.to = "2026-05-31";
  month.period[{"support_activities_held", "kind=special_training"}] = 3;
  month.period[{"support_activities_scheduled", "kind=team_activity,partner=yes"}] = 1;
  for (const char* clause : {"6.8.1", "6.8.2", "6.9.2"}) {
    ClauseVerdict v = Clause(Conformance(month), clause);
    EXPECT_EQ(v.verdict, Verdict::kNotEvaluated) << clause;
    EXPECT_NE(v.explanation.find("no whole calendar quarter"), std::string::npos) << v.explanation;
  }
}

}  // namespace
}  // namespace parkline::statistics
