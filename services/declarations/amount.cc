#include "declarations/amount.h"

#include "decimal/fixed_point.h"

namespace parkline::declarations {

absl::StatusOr<int64_t> ParseAmount(absl::string_view text) {
  return decimal::ParseFixed(text, kAmountScale);
}

std::string FormatAmount(int64_t scaled) {
  std::string text = decimal::FormatFixed(scaled, kAmountScale);
  // "190.50000" -> "190.50": keep two fraction digits, drop further trailing zeros.
  size_t shortest = text.size() - (kAmountScale - 2);
  while (text.size() > shortest && text.back() == '0') text.pop_back();
  return text;
}

}  // namespace parkline::declarations
