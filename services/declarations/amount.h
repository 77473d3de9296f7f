// Amounts as the CEB messages carry them: N19,5 decimals ("190.5", "0.00001") held as scaled
// integers (value x 10^5), so that they are compared and added exactly, never as floating point.
// Every rule of the declarations (document_rules.h, tax_estimate.h, quota_ledger.h) reads and
// shows amounts through these two functions.
//
// Plain functions over their arguments: thread-safe.
#ifndef PARKLINE_DECLARATIONS_AMOUNT_H_
#define PARKLINE_DECLARATIONS_AMOUNT_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace parkline::declarations {

// CEB amounts are N19,5: value * 10^5 as an integer.
inline constexpr int kAmountScale = 5;

// Parses an N19,5 decimal ("190.5", "0.00001") into value * 10^5; INVALID_ARGUMENT names the
// broken rule (not a decimal, more than 5 fraction digits, out of range).
absl::StatusOr<int64_t> ParseAmount(absl::string_view text);

// An amount for people to read: at least 2 fraction digits, more only when they are not zero
// ("190.50", "0.00001", "-3.10").
std::string FormatAmount(int64_t scaled);

}  // namespace parkline::declarations

#endif  // PARKLINE_DECLARATIONS_AMOUNT_H_
