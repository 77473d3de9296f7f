// Charts of the clause 8 evidence report with a bar per month or per day, for the tests of how
// the report draws them (report_html_test, quality_report_browser_test).
#ifndef PARKLINE_TESTS_SUPPORT_REPORT_CHARTS_H_
#define PARKLINE_TESTS_SUPPORT_REPORT_CHARTS_H_

#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "parkline/quality/v1/quality.pb.h"

namespace parkline::testing {

// Adds to `report` a chart of `n` buckets from `first` on, months ("2026-01") or days
// ("2026-01-01"), the i-th valued `base + step * i` followed by `fraction`.
inline quality::v1::ReportChart* AddDatedChart(quality::v1::EvaluationReport& report, int n,
                                               bool days, absl::CivilDay first,
                                               const std::string& unit, int64_t base = 10,
                                               int64_t step = 1, const std::string& fraction = "") {
  quality::v1::ReportChart* chart = report.add_charts();
  chart->set_title(absl::StrCat(n, days ? " days" : " months"));
  chart->set_clause("5.5.4");
  chart->set_unit(unit);
  for (int i = 0; i < n; ++i) {
    quality::v1::ReportPoint* p = chart->add_points();
    p->set_bucket(days ? absl::FormatCivilTime(first + i)
                       : absl::FormatCivilTime(absl::CivilMonth(first) + i));
    p->set_value(absl::StrCat(base + step * i, fraction));
  }
  return chart;
}

}  // namespace parkline::testing

#endif  // PARKLINE_TESTS_SUPPORT_REPORT_CHARTS_H_
