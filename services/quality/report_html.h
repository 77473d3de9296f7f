// The clause 8 evidence report as one self-contained HTML page: inline CSS, inline SVG bar charts,
// no script, no external asset, so it can be archived as one file and opened anywhere, offline.
// Every string of the report (titles, enterprises' findings, document titles) is escaped: the
// page shows what was recorded, never runs it. Pure: rendered from the report message alone.
#ifndef PARKLINE_QUALITY_REPORT_HTML_H_
#define PARKLINE_QUALITY_REPORT_HTML_H_

#include <string>

#include "absl/strings/string_view.h"
#include "parkline/quality/v1/quality.pb.h"

namespace parkline::quality {

// `text` with & < > " ' replaced by their character references: safe in element content and in
// quoted attribute values.
std::string HtmlEscape(absl::string_view text);

std::string RenderReportHtml(const v1::EvaluationReport& report);

}  // namespace parkline::quality

#endif  // PARKLINE_QUALITY_REPORT_HTML_H_
