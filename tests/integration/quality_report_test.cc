// The clause 8 evidence report from the desk on both store backends: the register's versions and
// the inspections with their record's head hash as evidence, the overdue action and the missing
// manual listed, the statistics from a wired source or, unreachable over gRPC, listed as missing
// while the report still renders; an enterprise's markup shown as text.
#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/util/json_util.h"
#include "quality/statistics_figures.h"
#include "tests/integration/quality_report_fixture.h"

namespace parkline::quality {
namespace {

const v1::ReportClause& ClauseOf(const v1::EvaluationReport& r, const std::string& clause) {
  for (const auto& c : r.clauses()) {
    if (c.clause() == clause) return c;
  }
  static const v1::ReportClause* none = new v1::ReportClause();
  ADD_FAILURE() << "no clause " << clause;
  return *none;
}

class QualityReportTest : public ReportFixture {};

TEST_P(QualityReportTest, TheReportCitesTheRecordsTheParkHoldsAndNamesWhatIsMissing) {
  auto out = SeededReport();
  ASSERT_TRUE(out.ok()) << out.status();
  const v1::EvaluationReport& r = out->report();
  EXPECT_EQ(r.generated_by(), "analyst-wu");
  EXPECT_EQ(statistics_.calls, 1);

  const v1::ReportClause& org = ClauseOf(r, "8.1.1");
  EXPECT_EQ(org.verdict(), v1::REPORT_VERDICT_PARTIAL);
  ASSERT_EQ(org.evidence_size(), 3);
  EXPECT_TRUE(absl::StartsWith(org.evidence(0).link(), "DOC-"));
  EXPECT_EQ(org.evidence(0).sha256().size(), 64u);
  EXPECT_EQ(org.evidence(0).date(), "2026-03-01");
  ASSERT_EQ(org.missing_size(), 1);
  EXPECT_TRUE(absl::StrContains(org.missing(0), "internal manual"));
  EXPECT_EQ(ClauseOf(r, "8.1.6.3.1").verdict(), v1::REPORT_VERDICT_EVIDENCED);

  // Trainings and assessments have no source in this build: said, not hidden.
  EXPECT_TRUE(absl::StrContains(absl::StrJoin(ClauseOf(r, "8.1.6.1").missing(), "|"),
                                "no source in this build"));
  EXPECT_EQ(ClauseOf(r, "8.3.2").verdict(), v1::REPORT_VERDICT_MISSING)
      << "no assessment source, and one of two actions due not closed";

  const v1::ReportClause& control = ClauseOf(r, "8.3.1.1");
  EXPECT_EQ(control.verdict(), v1::REPORT_VERDICT_PARTIAL);
  std::string missing = absl::StrJoin(control.missing(), "|");
  EXPECT_TRUE(absl::StrContains(missing, inspection_id_ + "-A2")) << missing;
  EXPECT_TRUE(absl::StrContains(missing, "overdue")) << missing;
  bool cited = false;
  for (const auto& e : control.evidence()) {
    if (e.link() == inspection_id_) cited = e.sha256().size() == 64 && e.date() == "2026-09-29";
  }
  EXPECT_TRUE(cited) << "the inspection with its record's head hash";
  EXPECT_TRUE(control.criteria(2).met()) << "the records verify";

  EXPECT_EQ(ClauseOf(r, "8.1.5.2").verdict(), v1::REPORT_VERDICT_EVIDENCED);
  EXPECT_EQ(ClauseOf(r, "8.3.3").verdict(), v1::REPORT_VERDICT_PARTIAL) << "May had an overdue one";
  ASSERT_EQ(r.charts_size(), 6);
  EXPECT_EQ(r.charts(0).points_size(), 11);
  EXPECT_EQ(r.charts(5).points(9).value(), "0.3333")
      << "October: of three actions due (two of the inspection, the supervision's), one on time";
  EXPECT_EQ(r.charts(5).points(8).value(), "") << "September: nothing due";

  // The JSON rendering is the message's proto JSON.
  std::string json;
  ASSERT_TRUE(google::protobuf::util::MessageToJsonString(r, &json).ok());
  EXPECT_TRUE(absl::StrContains(json, "\"clause\":\"8.3.1.1\""));
  EXPECT_TRUE(absl::StrContains(json, "\"verdict\":\"REPORT_VERDICT_PARTIAL\""));

  EXPECT_FALSE(absl::StrContains(out->html(), "<script"));
  EXPECT_FALSE(absl::StrContains(out->html(), "<b id="));
  EXPECT_TRUE(absl::StrContains(out->html(), "&lt;b id=&quot;injected&quot;&gt;Chen&lt;/b&gt;"));
}

TEST_P(QualityReportTest, AnUnreachableStatisticsServiceIsListedAsMissingAndTheReportRenders) {
  Seed();
  StatisticsFigures statistics({"127.0.0.1:1", "", "", absl::Seconds(2)});
  ReportSources sources;
  sources.statistics = &statistics;
  desk_->WireReportSources(sources);
  auto out = desk_->EvaluationReport(Request(), kReportStaff);
  ASSERT_TRUE(out.ok()) << out.status();
  const v1::ReportClause& complaints = ClauseOf(out->report(), "8.3.3");
  EXPECT_EQ(complaints.verdict(), v1::REPORT_VERDICT_MISSING);
  ASSERT_EQ(complaints.missing_size(), 1);
  EXPECT_TRUE(absl::StartsWith(complaints.missing(0),
                               "complaint figures: statistics unavailable: statistics at "
                               "127.0.0.1:1: GetTimeSeries enterprises_resident"))
      << complaints.missing(0);
  EXPECT_TRUE(absl::StrContains(out->html(), "No chart: statistics unavailable"));
  EXPECT_EQ(ClauseOf(out->report(), "8.1.1").verdict(), v1::REPORT_VERDICT_PARTIAL)
      << "the register is still read";
}

TEST_P(QualityReportTest, ABadPeriodIsRefusedNamingTheField) {
  v1::GetEvaluationReportRequest r = Request();
  r.set_period_to("2026-02-30");
  auto out = desk_->EvaluationReport(r, kReportStaff);
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(out.status().message(), "period_to"));
}

PARKLINE_BACKEND_TESTS(QualityReportTest);

}  // namespace
}  // namespace parkline::quality
