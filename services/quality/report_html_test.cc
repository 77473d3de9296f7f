// The report's HTML page: self-contained (no script, no external address), a heading per clause
// and a chart per figure, and every string from the records escaped, so a title or an enterprise's
// finding written as markup shows as text.
#include "quality/report_html.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/time/civil_time.h"
#include "quality/report_rules.h"
#include "tests/support/report_charts.h"

namespace parkline::quality {
namespace {

constexpr char kInjection[] = "<script>alert('x')</script><img src=x onerror=\"alert(1)\">";

v1::EvaluationReport Report() {
  ReportEvidence ev;
  ev.period = {absl::CivilDay(2026, 1, 1), absl::CivilDay(2026, 12, 31)};
  ev.title = kInjection;
  v1::Inspection in;
  in.set_inspection_id("INS-1");
  in.set_kind(v1::INSPECTION_KIND_ENTERPRISE_SUPERVISION);
  in.set_inspected_date("2026-03-09");
  in.set_inspector(kInjection);
  in.set_scope("</td></table><a href=\"javascript:alert(2)\">x</a>");
  ev.inspections = Sourced<std::vector<v1::Inspection>>::Of({in});
  StatisticsEvidence s;
  s.series["enterprises_resident"] = {"count", {{"2026-01", "12"}, {"2026-02", "16"}}, "16"};
  s.series["trade_value_cny"] = {"CNY", {{"2026-01", "1250.50000"}}, "1250.50000"};
  ev.statistics = Sourced<StatisticsEvidence>::Of(s);
  return AssembleReport(ev);
}

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(ReportHtml, EscapesTheFiveCharactersThatCouldOpenMarkup) {
  EXPECT_EQ(HtmlEscape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&#39;");
  EXPECT_EQ(HtmlEscape("服务机构"), "服务机构");
}

TEST(ReportHtml, ATitleOrFindingWrittenAsMarkupIsShownAsTextNeverRun) {
  std::string html = RenderReportHtml(Report());
  EXPECT_FALSE(absl::StrContains(html, "<script")) << "no script, injected or ours";
  EXPECT_FALSE(absl::StrContains(html, "<img"));
  EXPECT_FALSE(absl::StrContains(html, "<a "));
  EXPECT_FALSE(absl::StrContains(html, "onerror=\""));
  EXPECT_TRUE(absl::StrContains(html, "<h1>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
  EXPECT_TRUE(absl::StrContains(html, "&lt;/td&gt;&lt;/table&gt;&lt;a href=&quot;javascript:"));
}

TEST(ReportHtml, TheBodyAsksNothingOfTheNetworkAndHasEveryClauseAndChart) {
  v1::EvaluationReport report = Report();
  std::string html = RenderReportHtml(report);
  // The SVG namespace is a name, not a fetch; nothing else may name an address.
  std::string rest = html;
  for (size_t at; (at = rest.find("xmlns=\"http://www.w3.org/2000/svg\"")) != std::string::npos;) {
    rest.erase(at, 34);
  }
  EXPECT_FALSE(absl::StrContains(rest, "http://"));
  EXPECT_FALSE(absl::StrContains(rest, "https://"));
  EXPECT_FALSE(absl::StrContains(rest, "<link"));
  for (const auto& c : report.clauses()) {
    EXPECT_TRUE(absl::StrContains(html, "<h3>" + HtmlEscape(c.clause()) + " ")) << c.clause();
  }
  // Resident enterprises and trade (five decimals) have figures; the inspections give the
  // actions chart; the other three charts say why they are empty.
  EXPECT_EQ(Count(html, "<svg "), 3u);
  EXPECT_EQ(Count(html, "<rect class=\"bar\""), 3u);
  EXPECT_EQ(Count(html, "No chart: "), 3u);
  EXPECT_TRUE(absl::StrContains(html, "<title>2026-02: 16</title>"));
}

// A report whose only chart has a bar per bucket from `first` on: `n` months or days.
v1::EvaluationReport ChartOf(int n, bool days, absl::CivilDay first) {
  v1::EvaluationReport report;
  testing::AddDatedChart(report, n, days, first, "count");
  return report;
}

// The axis labels' texts and x positions, in order.
std::vector<std::pair<std::string, double>> AxisLabels(const std::string& html) {
  std::vector<std::pair<std::string, double>> out;
  const std::string tag = "<text class=\"axis\" x=\"";
  for (size_t at = html.find(tag); at != std::string::npos; at = html.find(tag, at + 1)) {
    size_t x = at + tag.size();
    size_t open = html.find('>', at) + 1;
    out.emplace_back(html.substr(open, html.find('<', open) - open),
                     std::stod(html.substr(x, html.find('"', x) - x)));
  }
  return out;
}

TEST(ReportHtml, TwelveMonthsAreLabelledByMonthWithTheirYearOnceBelow) {
  auto labels = AxisLabels(RenderReportHtml(ChartOf(12, false, absl::CivilDay(2026, 1, 1))));
  std::vector<std::string> texts;
  for (const auto& [text, x] : labels) texts.push_back(text);
  EXPECT_EQ(texts, (std::vector<std::string>{"01", "02", "03", "04", "05", "06", "07", "08", "09",
                                             "10", "11", "12", "2026"}));
}

TEST(ReportHtml, AFewMonthsKeepTheirWholeNames) {
  auto labels = AxisLabels(RenderReportHtml(ChartOf(3, false, absl::CivilDay(2026, 1, 1))));
  ASSERT_EQ(labels.size(), 3u);
  EXPECT_EQ(labels[0].first, "2026-01");
  EXPECT_EQ(labels[2].first, "2026-03");
}

TEST(ReportHtml, AMonthOfDaysIsLabelledEveryThirdDayWithEachYearWhereItBegins) {
  auto labels = AxisLabels(RenderReportHtml(ChartOf(31, true, absl::CivilDay(2025, 12, 20))));
  ASSERT_EQ(labels.size(), 11u + 2u);
  EXPECT_EQ(labels[0].first, "12-20");
  EXPECT_EQ(labels[1].first, "12-23");
  EXPECT_EQ(labels[10].first, "01-19");
  EXPECT_EQ(labels[11].first, "2025");
  EXPECT_EQ(labels[12].first, "2026");
  // Day labels are five characters, placed at least their width and a gap apart.
  for (size_t i = 1; i < 11; ++i) {
    EXPECT_GE(labels[i].second - labels[i - 1].second, 5 * 6.4 + 6) << labels[i].first;
  }
}

TEST(ReportHtml, OfTwoYearsThatWouldMeetTheLaterIsWritten) {
  // From a year's last day: "2025" under the first bar would run into "2026" under the second.
  auto labels = AxisLabels(RenderReportHtml(ChartOf(31, true, absl::CivilDay(2025, 12, 31))));
  ASSERT_FALSE(labels.empty());
  EXPECT_EQ(labels.back().first, "2026");
  EXPECT_NE(labels[labels.size() - 2].first, "2025");
}

}  // namespace
}  // namespace parkline::quality
