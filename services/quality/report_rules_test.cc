// The clause 8 evidence report assembled from its sources: what each clause finds, the criteria
// it is judged by, what it lists as missing (a source absent from the build, a source that cannot
// be reached, a record that is not there), and the charts' figures.
#include "quality/report_rules.h"

#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "absl/strings/str_join.h"

namespace parkline::quality {
namespace {

ReportPeriod Year2026() { return {absl::CivilDay(2026, 1, 1), absl::CivilDay(2026, 12, 31)}; }

const v1::ReportClause& ClauseOf(const v1::EvaluationReport& r, const std::string& clause) {
  for (const auto& c : r.clauses()) {
    if (c.clause() == clause) return c;
  }
  static const v1::ReportClause* none = new v1::ReportClause();
  ADD_FAILURE() << "no clause " << clause;
  return *none;
}

std::string Missing(const v1::ReportClause& c) { return absl::StrJoin(c.missing(), " | "); }

v1::DocumentVersion Doc(const std::string& id, int64_t version, v1::DocumentKind kind,
                        const std::string& effective) {
  v1::DocumentVersion v;
  v.set_document_id(id);
  v.set_version(version);
  v.set_kind(kind);
  v.set_title("Title of " + id);
  v.set_effective_date(effective);
  v.set_approved_by("Wang Fang");
  v.set_sha256(std::string(63, 'a') + std::to_string(version));
  return v;
}

v1::CorrectiveAction Action(const std::string& id, const std::string& due, v1::ActionStatus status,
                            bool on_time) {
  v1::CorrectiveAction a;
  a.set_action_id(id);
  a.set_owner_department("property");
  a.set_due_date(due);
  a.set_status(status);
  a.set_closed_on_time(on_time);
  return a;
}

IndicatorSeries Series(const std::string& unit, std::vector<std::pair<std::string, std::string>> p,
                       const std::string& total) {
  return {unit, std::move(p), total};
}

TEST(EvaluationReport, WithNoSourceEveryClauseSaysSoAndTheReportStillHasEveryClause) {
  ReportEvidence ev;
  ev.period = Year2026();
  v1::EvaluationReport r = AssembleReport(ev);
  EXPECT_EQ(r.clauses_size(), 28);
  EXPECT_EQ(r.summary().clauses(), 28);
  EXPECT_EQ(r.summary().on_site(), 18);
  EXPECT_EQ(r.summary().evidenced(), 0);
  EXPECT_EQ(r.summary().missing() + r.summary().partial(), 10);
  EXPECT_EQ(ClauseOf(r, "8.1.1").verdict(), v1::REPORT_VERDICT_MISSING);
  EXPECT_TRUE(
      absl::StrContains(Missing(ClauseOf(r, "8.1.1")),
                        "internal manual (5.1.3): records register no source in this build"));
  EXPECT_TRUE(
      absl::StrContains(Missing(ClauseOf(r, "8.1.2")), "training records no source in this build"));
  EXPECT_TRUE(absl::StrContains(Missing(ClauseOf(r, "8.3.2")),
                                "assessment scheme and results no source in this build"));
  EXPECT_TRUE(
      absl::StrContains(Missing(ClauseOf(r, "8.3.3")), "statistics no source in this build"));
  EXPECT_EQ(r.period_from(), "2026-01-01");
  EXPECT_EQ(r.period_to(), "2026-12-31");
  ASSERT_EQ(r.charts_size(), 6);
  for (const auto& chart : r.charts()) EXPECT_FALSE(chart.missing().empty()) << chart.title();
}

TEST(EvaluationReport, TheRegisterEvidencesTheVersionInForceAtThePeriodsEndAndNamesTheKindMissing) {
  ReportEvidence ev;
  ev.period = Year2026();
  ev.documents = Sourced<std::vector<v1::DocumentVersion>>::Of({
      Doc("DOC-RULE", 1, v1::DOCUMENT_KIND_MANAGEMENT_RULE, "2026-01-10"),
      // Takes effect after the period: the first version is the one the period had.
      Doc("DOC-RULE", 2, v1::DOCUMENT_KIND_MANAGEMENT_RULE, "2027-02-01"),
      Doc("DOC-ORG", 1, v1::DOCUMENT_KIND_ORGANISATION_CHART, "2026-03-01"),
      Doc("DOC-DUTY", 1, v1::DOCUMENT_KIND_DEPARTMENT_DUTIES, "2026-03-01"),
  });
  v1::EvaluationReport r = AssembleReport(ev);
  const v1::ReportClause& c = ClauseOf(r, "8.1.1");
  EXPECT_EQ(c.verdict(), v1::REPORT_VERDICT_PARTIAL);
  ASSERT_EQ(c.criteria_size(), 4);
  EXPECT_TRUE(c.criteria(0).met());
  EXPECT_EQ(c.criteria(0).found(), "DOC-RULE v1");
  EXPECT_FALSE(c.criteria(3).met());
  EXPECT_TRUE(absl::StrContains(c.criteria(3).rule(), "internal manual"));
  ASSERT_EQ(c.missing_size(), 1);
  EXPECT_TRUE(absl::StrContains(c.missing(0),
                                "内部工作手册 internal manual (5.1.3): no version in "
                                "force on 2026-12-31"));
  ASSERT_EQ(c.evidence_size(), 3);
  EXPECT_EQ(c.evidence(0).link(), "DOC-RULE");
  EXPECT_EQ(c.evidence(0).sha256(), std::string(63, 'a') + "1");
  EXPECT_EQ(c.evidence(0).date(), "2026-01-10");

  ev.documents.value.push_back(Doc("DOC-MAN", 1, v1::DOCUMENT_KIND_INTERNAL_MANUAL, "2026-12-31"));
  EXPECT_EQ(ClauseOf(AssembleReport(ev), "8.1.1").verdict(), v1::REPORT_VERDICT_EVIDENCED);
}

TEST(EvaluationReport, ADocumentWithdrawnByThePeriodsEndIsNotInForceThenButWasBefore) {
  ReportEvidence ev;
  ev.period = Year2026();
  v1::DocumentVersion withdrawal =
      Doc("DOC-MAN", 2, v1::DOCUMENT_KIND_INTERNAL_MANUAL, "2026-11-01");
  withdrawal.set_withdrawn(true);
  withdrawal.clear_sha256();
  withdrawal.set_change_note("merged into the park-wide manual");
  ev.documents = Sourced<std::vector<v1::DocumentVersion>>::Of({
      Doc("DOC-RULE", 1, v1::DOCUMENT_KIND_MANAGEMENT_RULE, "2026-01-10"),
      Doc("DOC-ORG", 1, v1::DOCUMENT_KIND_ORGANISATION_CHART, "2026-03-01"),
      Doc("DOC-DUTY", 1, v1::DOCUMENT_KIND_DEPARTMENT_DUTIES, "2026-03-01"),
      Doc("DOC-MAN", 1, v1::DOCUMENT_KIND_INTERNAL_MANUAL, "2026-02-01"),
      withdrawal,
  });
  v1::EvaluationReport r = AssembleReport(ev);
  const v1::ReportClause& c = ClauseOf(r, "8.1.1");
  EXPECT_EQ(c.verdict(), v1::REPORT_VERDICT_PARTIAL);
  ASSERT_EQ(c.criteria_size(), 4);
  EXPECT_FALSE(c.criteria(3).met()) << c.criteria(3).found();
  EXPECT_TRUE(absl::StrContains(Missing(c),
                                "internal manual (5.1.3): no version in force on "
                                "2026-12-31"));
  // The withdrawal itself is evidence of document control, with its reason.
  std::vector<std::string> withdrawn;
  for (const auto& e : c.evidence()) {
    if (e.link() == "DOC-MAN")
      withdrawn.push_back(e.label() + " | " + e.value() + " | " + e.date());
  }
  EXPECT_EQ(withdrawn, std::vector<std::string>{
                           "内部工作手册 internal manual (5.1.3) withdrawn: Title of DOC-MAN | "
                           "version 2, approved by Wang Fang: merged into the park-wide manual | "
                           "2026-11-01"});

  // A period that ended before the withdrawal took effect had the manual in force.
  ev.period.to = absl::CivilDay(2026, 10, 31);
  v1::EvaluationReport earlier = AssembleReport(ev);
  const v1::ReportClause& before = ClauseOf(earlier, "8.1.1");
  EXPECT_EQ(before.verdict(), v1::REPORT_VERDICT_EVIDENCED);
  EXPECT_EQ(before.criteria(3).found(), "DOC-MAN v1");
  for (const auto& e : before.evidence()) {
    EXPECT_EQ(e.label().find("withdrawn"), std::string::npos) << "not withdrawn in that period";
  }
}

TEST(EvaluationReport, AnUnreachableStatisticsServiceIsMissingWithItsReasonAndChartsSaySo) {
  ReportEvidence ev;
  ev.period = Year2026();
  ev.statistics = Sourced<StatisticsEvidence>::Unavailable("connection refused");
  v1::EvaluationReport r = AssembleReport(ev);
  EXPECT_EQ(ClauseOf(r, "8.3.3").verdict(), v1::REPORT_VERDICT_MISSING);
  EXPECT_EQ(Missing(ClauseOf(r, "8.3.3")),
            "complaint figures: statistics unavailable: connection refused");
  EXPECT_TRUE(
      absl::StrContains(Missing(ClauseOf(r, "8.1.5.2")), "unavailable: connection refused"));
  EXPECT_EQ(r.charts(0).missing(), "statistics unavailable: connection refused");
}

TEST(EvaluationReport, ComplaintsPastTheirDeadlineLeaveTheClausePartialAndTheChartShowsTheRatio) {
  ReportEvidence ev;
  ev.period = {absl::CivilDay(2026, 11, 1), absl::CivilDay(2026, 11, 2)};
  StatisticsEvidence s;
  s.series["complaints_filed"] = Series("count", {{"2026-11-01", "3"}, {"2026-11-02", "2"}}, "5");
  s.series["complaints_resolved"] =
      Series("count", {{"2026-11-01", "4"}, {"2026-11-02", "0"}}, "4");
  s.series["complaints_resolved_on_time"] =
      Series("count", {{"2026-11-01", "3"}, {"2026-11-02", "0"}}, "3");
  s.series["complaints_overdue"] = Series("count", {{"2026-11-01", "1"}, {"2026-11-02", "0"}}, "1");
  s.export_sha256 = std::string(64, 'e');
  s.export_rows = 12;
  ev.statistics = Sourced<StatisticsEvidence>::Of(s);
  v1::EvaluationReport r = AssembleReport(ev);
  const v1::ReportClause& c = ClauseOf(r, "8.3.3");
  EXPECT_EQ(c.verdict(), v1::REPORT_VERDICT_PARTIAL);
  ASSERT_EQ(c.criteria_size(), 2);
  EXPECT_TRUE(c.criteria(0).met());
  EXPECT_FALSE(c.criteria(1).met());
  EXPECT_EQ(c.criteria(1).found(), "3 of 4 on time (75.0%), 1 overdue");
  EXPECT_EQ(Missing(c), "1 complaints resolved late, 1 passed their deadline in the period");
  const v1::ReportChart& chart = r.charts(4);
  EXPECT_EQ(chart.title(), "Complaints resolved on time");
  ASSERT_EQ(chart.points_size(), 2);
  EXPECT_EQ(chart.points(0).value(), "0.7500");
  EXPECT_EQ(chart.points(1).value(), "");  // nothing resolved that day: no ratio
  // The archive export evidences 8.1.5.2.
  EXPECT_EQ(ClauseOf(r, "8.1.5.2").verdict(), v1::REPORT_VERDICT_EVIDENCED);
}

TEST(EvaluationReport, OverdueActionsAndABrokenRecordAreNamedUnderQualityControl) {
  ReportEvidence ev;
  ev.period = Year2026();
  v1::Inspection in;
  in.set_inspection_id("INS-1");
  in.set_kind(v1::INSPECTION_KIND_INTERNAL_PERIODIC);
  in.set_inspected_date("2026-03-09");
  in.set_inspector("Li Ming");
  in.set_scope("fire exits");
  *in.add_actions() = Action("INS-1-A1", "2026-03-20", v1::ACTION_STATUS_CLOSED, true);
  *in.add_actions() = Action("INS-1-A2", "2026-03-23", v1::ACTION_STATUS_OVERDUE, false);
  v1::Inspection old = in;  // outside the period: neither counted nor listed
  old.set_inspection_id("INS-0");
  old.set_inspected_date("2025-12-01");
  old.clear_actions();
  ev.inspections = Sourced<std::vector<v1::Inspection>>::Of({in, old});
  v1::VerifyInspectionRecordResponse check;
  check.set_inspections_checked(2);
  auto* b = check.add_breaks();
  b->set_inspection_id("INS-0");
  b->set_sequence(2);
  b->set_reason("hash does not match");
  ev.record_check = Sourced<v1::VerifyInspectionRecordResponse>::Of(check);
  v1::EvaluationReport r = AssembleReport(ev);
  const v1::ReportClause& c = ClauseOf(r, "8.3.1.1");
  EXPECT_EQ(c.verdict(), v1::REPORT_VERDICT_PARTIAL);
  EXPECT_TRUE(c.criteria(0).met());
  EXPECT_EQ(c.criteria(0).found(), "1 inspections");
  EXPECT_FALSE(c.criteria(1).met());
  EXPECT_TRUE(absl::StrContains(Missing(c), "INS-1-A2 (property, due 2026-03-23, overdue)"));
  EXPECT_TRUE(absl::StrContains(Missing(c), "INS-0 at 2: hash does not match"));
  EXPECT_EQ(c.evidence(0).link(), "INS-1");
  // Monthly buckets over a year; March had two actions due, one closed on time.
  const v1::ReportChart& actions = r.charts(5);
  ASSERT_EQ(actions.points_size(), 12);
  EXPECT_EQ(actions.points(2).bucket(), "2026-03");
  EXPECT_EQ(actions.points(2).value(), "0.5000");
  EXPECT_EQ(actions.points(0).value(), "");
}

TEST(EvaluationReport, TrainingRecordsEvidenceFireSafetyAndAnExpiredCertificationIsMissing) {
  ReportEvidence ev;
  ev.period = Year2026();
  ev.documents = Sourced<std::vector<v1::DocumentVersion>>::Of(
      {Doc("DOC-FIRE", 1, v1::DOCUMENT_KIND_FIRE_SAFETY_PLAN, "2026-01-01")});
  TrainingEvidence t;
  t.sessions = {{"TRN-1", "FIRE_SAFETY_EDUCATION", "2026-04-02", 23, "https://files/trn-1.pdf"},
                {"TRN-2", "STAFF_TRAINING", "2026-05-02", 12, ""}};
  t.certifications = {{"CRT-1", "Zhao Lei", "electrician", "2026-06-30", "2023-07-01"},
                      {"CRT-2", "Sun Li", "fire controller", "2028-01-01", "2025-01-02"}};
  ev.trainings = Sourced<TrainingEvidence>::Of(t);
  v1::EvaluationReport r = AssembleReport(ev);
  EXPECT_EQ(ClauseOf(r, "8.1.6.1").verdict(), v1::REPORT_VERDICT_EVIDENCED);
  const v1::ReportClause& staff = ClauseOf(r, "8.1.2");
  EXPECT_EQ(staff.verdict(), v1::REPORT_VERDICT_PARTIAL);
  EXPECT_EQ(Missing(staff), "expired on 2026-12-31: Zhao Lei: electrician (CRT-1)");
  // Activities have no source yet: 8.2.8 says so even with trainings wired.
  const v1::ReportClause& hr = ClauseOf(r, "8.2.8");
  EXPECT_EQ(hr.verdict(), v1::REPORT_VERDICT_PARTIAL);
  EXPECT_EQ(Missing(hr), "recruitment and team activities: no source in this build");
}

// 8.1.2 judges the certifications as they stood on the period's last day: C1 expired mid-2025
// and its renewal C2 was issued in 2026, so 2025 ends with C1 expired; a certificate valid
// through the last day is not expired on it; one issued after the period is no evidence for it.
TEST(EvaluationReport, StaffCertificationsAreJudgedExpiredOrNotOnThePeriodsLastDay) {
  ReportEvidence ev;
  ev.period = {absl::CivilDay(2025, 1, 1), absl::CivilDay(2025, 12, 31)};
  TrainingEvidence t;
  t.sessions = {{"TRN-1", "STAFF_TRAINING", "2025-05-02", 12, ""}};
  t.certifications = {{"C1", "staff", "fire controller", "2025-06-30", "2022-07-01"},
                      {"C2", "staff", "fire controller", "2029-02-28", "2026-03-01"},
                      {"C3", "staff", "electrician", "2025-12-31", "2023-01-01"}};
  ev.trainings = Sourced<TrainingEvidence>::Of(t);
  const v1::ReportClause staff = ClauseOf(AssembleReport(ev), "8.1.2");
  EXPECT_EQ(staff.verdict(), v1::REPORT_VERDICT_PARTIAL);
  ASSERT_EQ(staff.criteria_size(), 2);
  EXPECT_EQ(staff.criteria(0).rule(),
            "staff certifications on record (持证上岗), none expired on 2025-12-31");
  EXPECT_FALSE(staff.criteria(0).met());
  EXPECT_EQ(staff.criteria(0).found(), "2 certifications, 1 expired");
  EXPECT_EQ(Missing(staff), "expired on 2025-12-31: staff: fire controller (C1)");
  ASSERT_EQ(staff.evidence_size(), 3) << "C1, C3 and the staff training; not C2";
  EXPECT_EQ(staff.evidence(0).link(), "C1");
  EXPECT_EQ(staff.evidence(0).value(), "expired");
  EXPECT_EQ(staff.evidence(1).link(), "C3");
  EXPECT_EQ(staff.evidence(1).value(), "valid");

  // 2026: the renewal stands in C1's place (the source gives C2, not C1).
  ev.period = {absl::CivilDay(2026, 1, 1), absl::CivilDay(2026, 12, 31)};
  t.certifications = {{"C2", "staff", "fire controller", "2029-02-28", "2026-03-01"}};
  t.sessions[0].date = "2026-05-02";
  ev.trainings = Sourced<TrainingEvidence>::Of(t);
  const v1::ReportClause renewed = ClauseOf(AssembleReport(ev), "8.1.2");
  EXPECT_EQ(renewed.verdict(), v1::REPORT_VERDICT_EVIDENCED) << Missing(renewed);
  EXPECT_EQ(renewed.criteria(0).found(), "1 certifications, 0 expired");
}

class FailingStatistics : public StatisticsSource {
 public:
  absl::StatusOr<StatisticsEvidence> Figures(const ReportPeriod&) override {
    return absl::UnavailableError("statistics at 127.0.0.1:1: connection refused");
  }
};

TEST(EvaluationReport, GatheringRecordsAFailingSourceAsUnavailableAndAnAbsentOneAsNotWired) {
  FailingStatistics statistics;
  ReportSources sources;
  sources.statistics = &statistics;
  ReportEvidence ev = GatherEvidence(sources, Year2026(), "T", absl::UnixEpoch(), "analyst-1");
  EXPECT_EQ(ev.statistics.state, Sourced<StatisticsEvidence>::State::kUnavailable);
  EXPECT_EQ(ev.statistics.Absence(), "unavailable: statistics at 127.0.0.1:1: connection refused");
  EXPECT_EQ(ev.trainings.Absence(), "no source in this build");
  EXPECT_EQ(ev.generated_by, "analyst-1");
}

TEST(EvaluationReport, TheRequestNamesEachBrokenRule) {
  v1::GetEvaluationReportRequest req;
  req.set_period_from("2026-13-01");
  req.set_period_to("2026-01-01");
  req.set_title(std::string(201, 't'));
  auto bad = CheckReportRequest(req);
  ASSERT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(bad.status().message(), "period_from"));
  EXPECT_TRUE(absl::StrContains(bad.status().message(), "title"));
  req.set_period_from("2026-02-01");
  req.set_title("");
  EXPECT_TRUE(absl::StrContains(CheckReportRequest(req).status().message(),
                                "period_to: not before period_from"));
  req.set_period_from("2024-01-01");
  req.set_period_to("2026-01-01");
  EXPECT_TRUE(
      absl::StrContains(CheckReportRequest(req).status().message(), "period_to: at most 731 days"));
  req.set_period_to("2024-12-31");
  auto ok = CheckReportRequest(req);
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_TRUE(ok->monthly());
}

TEST(EvaluationReport, SeriesOfSeveralLabelSetsAreAddedUpExactlyPerBucket) {
  statistics::v1::TimeSeries ts;
  ts.set_unit("CNY");
  for (const char* v : {"1250.50000", "0.25000"}) {
    auto* s = ts.add_series();
    auto* p = s->add_points();
    p->set_bucket("2026-11");
    p->set_value(v);
    s->set_total(v);
  }
  IndicatorSeries sum = SumSeries(ts);
  ASSERT_EQ(sum.points.size(), 1u);
  EXPECT_EQ(sum.points[0].second, "1250.75000");
  EXPECT_EQ(sum.total, "1250.75000");
}

}  // namespace
}  // namespace parkline::quality
