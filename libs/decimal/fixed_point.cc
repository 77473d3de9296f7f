#include "decimal/fixed_point.h"

#include <limits>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace parkline::decimal {

absl::StatusOr<int64_t> ParseFixed(absl::string_view text, int scale) {
  if (scale < 0 || scale > 9) return absl::InvalidArgumentError("scale must be 0..9");
  absl::string_view rest = text;
  bool negative = false;
  if (!rest.empty() && (rest[0] == '-' || rest[0] == '+')) {
    negative = rest[0] == '-';
    rest.remove_prefix(1);
  }
  size_t dot = rest.find('.');
  absl::string_view whole = rest.substr(0, dot);
  absl::string_view fraction = dot == absl::string_view::npos ? "" : rest.substr(dot + 1);
  if (whole.empty() || (dot != absl::string_view::npos && fraction.empty())) {
    return absl::InvalidArgumentError(absl::StrCat("'", text, "' is not a decimal number"));
  }
  for (absl::string_view part : {whole, fraction}) {
    for (char c : part) {
      if (c < '0' || c > '9') {
        return absl::InvalidArgumentError(absl::StrCat("'", text, "' is not a decimal number"));
      }
    }
  }
  if (static_cast<int>(fraction.size()) > scale) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", text, "' has more than ", scale, " fraction digits"));
  }
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  int64_t value = 0;
  auto push = [&](int digit) {
    if (value > (kMax - digit) / 10) return false;
    value = value * 10 + digit;
    return true;
  };
  for (char c : whole) {
    if (!push(c - '0')) return absl::InvalidArgumentError(absl::StrCat("'", text, "' too large"));
  }
  for (int i = 0; i < scale; ++i) {
    int digit = i < static_cast<int>(fraction.size()) ? fraction[i] - '0' : 0;
    if (!push(digit)) return absl::InvalidArgumentError(absl::StrCat("'", text, "' too large"));
  }
  return negative ? -value : value;
}

std::string FormatFixed(int64_t scaled, int scale) {
  bool negative = scaled < 0;
  // Work in unsigned so that INT64_MIN formats without overflow.
  uint64_t magnitude = negative ? ~static_cast<uint64_t>(scaled) + 1 : scaled;
  std::string digits = std::to_string(magnitude);
  if (static_cast<int>(digits.size()) <= scale) {
    digits.insert(0, scale + 1 - digits.size(), '0');
  }
  std::string out = negative ? "-" : "";
  if (scale == 0) return out + digits;
  out += digits.substr(0, digits.size() - scale);
  out += '.';
  out += digits.substr(digits.size() - scale);
  return out;
}

}  // namespace parkline::decimal
