#include "quality/report_html.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "decimal/fixed_point.h"
#include "quality/report_rules.h"

namespace parkline::quality {
namespace {

// The charts' geometry, in SVG user units.
constexpr int kChartWidth = 560;
constexpr int kChartHeight = 220;
constexpr int kPlotLeft = 56;
constexpr int kPlotTop = 16;
constexpr int kPlotBottom = 180;
constexpr int kPlotRight = 548;
constexpr int kValueScale = 4;  // bars are drawn from values to four decimals

constexpr char kStyle[] = R"css(
body{font-family:"DejaVu Sans","WenQuanYi Zen Hei","Noto Sans CJK SC",sans-serif;margin:24px 32px;
color:#1d2733;background:#fff;font-size:14px;line-height:1.45}
h1{font-size:24px;margin:0 0 4px}h2{font-size:19px;margin:28px 0 10px;border-bottom:2px solid #d6dde6;
padding-bottom:4px}h3{font-size:16px;margin:0}
.meta{color:#55606e;margin:0 0 16px}
.summary{display:flex;gap:10px;flex-wrap:wrap;margin:8px 0 8px}
.tile{border:1px solid #d6dde6;border-radius:6px;padding:8px 14px;min-width:96px}
.tile b{display:block;font-size:22px}
.charts{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:14px}
figure{margin:0;border:1px solid #d6dde6;border-radius:6px;padding:8px}
figcaption{font-weight:bold;margin-bottom:4px}.unit{font-weight:normal;color:#55606e}
figure .note{margin:2px 0 0;font-size:12px}
svg{width:100%;height:auto;display:block}
.clause{border:1px solid #d6dde6;border-left:6px solid #9aa5b1;border-radius:6px;padding:10px 14px;
margin:12px 0}
.clause header{display:flex;justify-content:space-between;align-items:center;gap:10px}
.v-EVIDENCED{border-left-color:#2e7d32}.v-PARTIAL{border-left-color:#ef8f00}
.v-MISSING{border-left-color:#c62828}.v-ON_SITE{border-left-color:#5c6bc0}
.badge{border-radius:10px;padding:2px 10px;color:#fff;font-size:12px;font-weight:bold;
white-space:nowrap}
.b-EVIDENCED{background:#2e7d32}.b-PARTIAL{background:#ef8f00}.b-MISSING{background:#c62828}
.b-ON_SITE{background:#5c6bc0}
.req{color:#55606e;margin:2px 0 8px}
table{border-collapse:collapse;width:100%;margin:6px 0}
th,td{border-bottom:1px solid #e6eaef;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#f3f5f8;font-weight:600}
.date{white-space:nowrap}
.hash{font-family:"DejaVu Sans Mono",monospace;font-size:11px;word-break:break-all}
.ok{color:#2e7d32;font-weight:bold}.no{color:#c62828;font-weight:bold}
.missing{background:#fdecea;border-radius:4px;padding:6px 10px 6px 26px;margin:6px 0 0}
.missing li{color:#8e1c1c}
.note{color:#55606e;font-style:italic}
@media print{.charts{grid-template-columns:1fr 1fr}.clause{break-inside:avoid}}
)css";

// A figure's text cut to kValueScale decimals (money has five): the bar's height needs no more.
std::string ToScale(const std::string& value) {
  size_t dot = value.find('.');
  if (dot == std::string::npos || value.size() - dot - 1 <= kValueScale) return value;
  return value.substr(0, dot + 1 + kValueScale);
}

std::string VerdictClass(v1::ReportVerdict verdict) {
  std::string name = ReportVerdictName(verdict);
  std::replace(name.begin(), name.end(), ' ', '_');
  return name;
}

std::string Tile(const std::string& label, int value) {
  return absl::StrCat("<div class=\"tile\"><b>", value, "</b>", HtmlEscape(label), "</div>");
}

// The axis labels' font (SVG units) and the widest advance of the characters a bucket is
// written in (DejaVu Sans's digits, 0.636 em; a hyphen is narrower), so that a label's width is
// never underestimated; kLabelGap keeps two labels apart.
constexpr double kLabelFont = 10;
constexpr double kLabelAdvance = 0.64 * kLabelFont;
constexpr double kLabelGap = 6;

double LabelWidth(absl::string_view text) { return kLabelAdvance * text.size(); }

// True for "2026" followed by '-' and more: a month ("2026-03") or a day ("2026-03-15").
bool Dated(absl::string_view bucket) {
  return bucket.size() > 5 && bucket[4] == '-' &&
         std::all_of(bucket.begin(), bucket.begin() + 4,
                     [](char c) { return c >= '0' && c <= '9'; });
}

// The buckets' labels under the bars, no two of them meeting: a bucket's own text where one fits
// each bar; where not, and every bucket is dated, the text without its year ("03", "03-15") with
// the year on a line below, at the first bucket and where a year begins; then every k-th label,
// k as small as lets them clear each other. (Twelve months' "2026-03", about 42 units wide as
// drawn, overlapped in slots of 41.)
std::string AxisLabels(const v1::ReportChart& chart, double slot) {
  const int n = chart.points_size();
  double widest = 0, widest_short = 0;
  bool dated = true;
  for (const auto& p : chart.points()) {
    widest = std::max(widest, LabelWidth(p.bucket()));
    dated = dated && Dated(p.bucket());
    if (dated) widest_short = std::max(widest_short, LabelWidth(p.bucket().substr(5)));
  }
  const bool short_form = dated && widest + kLabelGap > slot;
  const double width = short_form ? widest_short : widest;
  const int every = std::max(1, static_cast<int>(std::ceil((width + kLabelGap) / slot)));
  std::string out;
  auto text = [&](double x, int y, absl::string_view label) {
    absl::StrAppendFormat(&out,
                          "<text class=\"axis\" x=\"%.1f\" y=\"%d\" font-size=\"%g\" "
                          "text-anchor=\"middle\" fill=\"#55606e\">%s</text>",
                          x, y, kLabelFont, HtmlEscape(label));
  };
  for (int i = 0; i < n; i += every) {
    absl::string_view bucket = chart.points(i).bucket();
    text(kPlotLeft + slot * (i + 0.5), kPlotBottom + 14, short_form ? bucket.substr(5) : bucket);
  }
  if (!short_form) return out;
  // A year where it begins; of two that would meet (a period from a year's last days), the later.
  std::vector<std::pair<double, absl::string_view>> years;
  for (int i = 0; i < n; ++i) {
    absl::string_view year = absl::string_view(chart.points(i).bucket()).substr(0, 4);
    if (i > 0 && year == absl::string_view(chart.points(i - 1).bucket()).substr(0, 4)) continue;
    double x = kPlotLeft + slot * (i + 0.5);
    if (!years.empty() && x - years.back().first < LabelWidth(year) + kLabelGap) years.pop_back();
    years.emplace_back(x, year);
  }
  for (const auto& [x, year] : years) text(x, kPlotBottom + 28, year);
  return out;
}

// A bar per bucket, height proportional to the largest value; a bucket without data has no bar.
// A ratio's axis runs to 1.
std::string Chart(const v1::ReportChart& chart) {
  std::string unit =
      chart.unit().empty() || chart.unit() == "ratio"
          ? ""
          : absl::StrCat(" <span class=\"unit\">", HtmlEscape(chart.unit()), "</span>");
  std::string out = absl::StrCat("<figure class=\"chart\"><figcaption>", HtmlEscape(chart.title()),
                                 " (", HtmlEscape(chart.clause()), ")", unit, "</figcaption>");
  if (!chart.missing().empty()) {
    absl::StrAppend(&out, "<p class=\"note\">No chart: ", HtmlEscape(chart.missing()),
                    "</p></figure>");
    return out;
  }
  std::vector<int64_t> values;
  std::vector<bool> present;
  int64_t max = 0;
  for (const auto& p : chart.points()) {
    auto v = decimal::ParseFixed(ToScale(p.value()), kValueScale);
    present.push_back(v.ok() && !p.value().empty());
    values.push_back(v.ok() ? std::max<int64_t>(*v, 0) : 0);
    max = std::max(max, values.back());
  }
  bool ratio = chart.unit() == "ratio";
  if (ratio) max = 10000;  // 1.0000
  absl::StrAppendFormat(&out,
                        "<svg viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\" "
                        "xmlns=\"http://www.w3.org/2000/svg\">",
                        kChartWidth, kChartHeight, HtmlEscape(chart.title()));
  int plot_h = kPlotBottom - kPlotTop;
  absl::StrAppendFormat(&out,
                        "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#9aa5b1\"/>"
                        "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#9aa5b1\"/>",
                        kPlotLeft, kPlotTop, kPlotLeft, kPlotBottom, kPlotLeft, kPlotBottom,
                        kPlotRight, kPlotBottom);
  std::string top = max == 0 ? "0" : decimal::FormatFixed(max, kValueScale);
  if (ratio) top = "100%";
  while (!ratio && top.find('.') != std::string::npos && (top.back() == '0' || top.back() == '.')) {
    top.pop_back();
  }
  absl::StrAppendFormat(&out,
                        "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\" "
                        "fill=\"#55606e\">%s</text><text x=\"%d\" y=\"%d\" font-size=\"11\" "
                        "text-anchor=\"end\" fill=\"#55606e\">0</text>",
                        kPlotLeft - 4, kPlotTop + 4, HtmlEscape(top), kPlotLeft - 4, kPlotBottom);
  size_t n = values.size();
  if (n == 0) {
    absl::StrAppend(&out, "</svg><p class=\"note\">No bucket in the period.</p></figure>");
    return out;
  }
  double slot = static_cast<double>(kPlotRight - kPlotLeft) / n;  // drawing only
  double bar = std::max(1.0, slot * 0.7);
  for (size_t i = 0; i < n; ++i) {
    double x = kPlotLeft + slot * i + (slot - bar) / 2;
    if (present[i] && max > 0) {
      // Pixels only: the figures themselves stay exact text in the page and the report.
      int64_t h = static_cast<int64_t>(static_cast<double>(values[i]) / max * plot_h);
      absl::StrAppendFormat(&out,
                            "<rect class=\"bar\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
                            "fill=\"#3f6fb5\"><title>%s: %s</title></rect>",
                            x, static_cast<int>(kPlotBottom - h), bar, static_cast<int>(h),
                            HtmlEscape(chart.points(i).bucket()),
                            HtmlEscape(chart.points(i).value()));
    }
  }
  absl::StrAppend(&out, AxisLabels(chart, slot), "</svg>");
  if (ratio && std::find(present.begin(), present.end(), false) != present.end()) {
    absl::StrAppend(&out, "<p class=\"note\">No bar: nothing to measure in that ",
                    n > 0 && chart.points(0).bucket().size() == 7 ? "month" : "day", ".</p>");
  }
  absl::StrAppend(&out, "</figure>");
  return out;
}

std::string Clause(const v1::ReportClause& c) {
  std::string v = VerdictClass(c.verdict());
  std::string out = absl::StrCat(
      "<section class=\"clause v-", v, "\" id=\"clause-", HtmlEscape(c.clause()), "\"><header><h3>",
      HtmlEscape(c.clause()), " ", HtmlEscape(c.title()), "</h3><span class=\"badge b-", v, "\">",
      HtmlEscape(ReportVerdictName(c.verdict())), "</span></header><p class=\"req\">checks ",
      HtmlEscape(c.requirements()), "</p>");
  absl::StrAppend(&out,
                  "<table class=\"criteria\"><tr><th>criterion</th><th>met</th>"
                  "<th>evidence found</th></tr>");
  for (const auto& k : c.criteria()) {
    bool on_site = c.verdict() == v1::REPORT_VERDICT_ON_SITE;
    absl::StrAppend(&out, "<tr><td>", HtmlEscape(k.rule()), "</td><td class=\"",
                    on_site ? "" : (k.met() ? "ok" : "no"), "\">",
                    on_site ? "on site" : (k.met() ? "yes" : "no"), "</td><td>",
                    HtmlEscape(k.found()), "</td></tr>");
  }
  absl::StrAppend(&out, "</table>");
  if (c.evidence_size() > 0) {
    absl::StrAppend(&out,
                    "<table class=\"evidence\"><tr><th>evidence</th><th>value</th>"
                    "<th>date</th><th>record</th><th>sha256</th></tr>");
    for (const auto& e : c.evidence()) {
      absl::StrAppend(&out, "<tr><td>", HtmlEscape(e.label()), "</td><td>", HtmlEscape(e.value()),
                      "</td><td class=\"date\">", HtmlEscape(e.date()), "</td><td class=\"hash\">",
                      HtmlEscape(e.link()), "</td><td class=\"hash\">", HtmlEscape(e.sha256()),
                      "</td></tr>");
    }
    absl::StrAppend(&out, "</table>");
  }
  if (c.missing_size() > 0) {
    absl::StrAppend(&out, "<ul class=\"missing\">");
    for (const auto& m : c.missing())
      absl::StrAppend(&out, "<li>missing: ", HtmlEscape(m), "</li>");
    absl::StrAppend(&out, "</ul>");
  }
  absl::StrAppend(&out, "</section>");
  return out;
}

}  // namespace

std::string HtmlEscape(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    switch (ch) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += ch;
    }
  }
  return out;
}

std::string RenderReportHtml(const v1::EvaluationReport& r) {
  std::string generated =
      absl::FormatTime("%Y-%m-%d %H:%M:%S UTC", absl::FromUnixSeconds(r.generated_time().seconds()),
                       absl::UTCTimeZone());
  std::string out = absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"zh-Hans\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
      "<title>",
      HtmlEscape(r.title()), "</title><style>", kStyle, "</style></head><body>");
  absl::StrAppend(&out, "<h1>", HtmlEscape(r.title()), "</h1><p class=\"meta\">",
                  HtmlEscape(r.standard()), " · evaluation period ", HtmlEscape(r.period_from()),
                  " to ", HtmlEscape(r.period_to()), " · generated ", HtmlEscape(generated), " by ",
                  HtmlEscape(r.generated_by()), "</p>");
  const v1::ReportSummary& s = r.summary();
  absl::StrAppend(&out, "<h2 id=\"summary\">Summary</h2><div class=\"summary\">",
                  Tile("clauses", s.clauses()), Tile("evidenced", s.evidenced()),
                  Tile("partial", s.partial()), Tile("missing", s.missing()),
                  Tile("on site", s.on_site()), Tile("missing items", s.missing_items()),
                  "</div><p class=\"note\">EVIDENCED: every criterion met by the park's records; "
                  "PARTIAL: some; MISSING: none; ON SITE: clause 8 has the evaluator check it on "
                  "site or with the enterprises, the records listed support that check.</p>");
  absl::StrAppend(&out, "<h2 id=\"charts\">Trends</h2><div class=\"charts\">");
  for (const auto& chart : r.charts()) absl::StrAppend(&out, Chart(chart));
  absl::StrAppend(&out, "</div>");
  std::string section;
  for (const auto& c : r.clauses()) {
    std::string top = c.clause().substr(0, 3);  // "8.1", "8.2", "8.3"
    if (top != section) {
      section = top;
      const char* name = top == "8.1"   ? "8.1 服务保障 service assurance"
                         : top == "8.2" ? "8.2 服务提供 service provision"
                                        : "8.3 服务质量管理 service quality management";
      absl::StrAppend(&out, "<h2 class=\"clause-group\">", HtmlEscape(name), "</h2>");
    }
    absl::StrAppend(&out, Clause(c));
  }
  absl::StrAppend(&out, "</body></html>\n");
  return out;
}

}  // namespace parkline::quality
