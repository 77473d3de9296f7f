// Exact decimal numbers as scaled 64-bit integers: "1250.50" at scale 2 is 125050. Used for
// areas (scale 2) and money (CEB's N19,5: scale 5). Never a floating-point number, so sums and
// comparisons are exact.
#ifndef PARKLINE_DECIMAL_FIXED_POINT_H_
#define PARKLINE_DECIMAL_FIXED_POINT_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace parkline::decimal {

// Parses an optionally signed decimal ("12", "-0.5", "1250.50") with at most `scale` fraction
// digits into value * 10^scale. INVALID_ARGUMENT names the rule broken (format, too many fraction
// digits, out of range).
absl::StatusOr<int64_t> ParseFixed(absl::string_view text, int scale);

// Formats value / 10^scale with exactly `scale` fraction digits ("1250.50"; "12" when scale 0).
std::string FormatFixed(int64_t scaled, int scale);

}  // namespace parkline::decimal

#endif  // PARKLINE_DECIMAL_FIXED_POINT_H_
