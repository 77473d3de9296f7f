// The limits on a buyer's retail imports (财关税〔2018〕49号, raising those of 财关税〔2016〕18号):
// at most 5,000 CNY in one transaction and 26,000 CNY per buyer per calendar year; within them
// the retail import tax applies (see tax_estimate.h). Customs refuses an order over them
// (-621005 single purchase, -621018 annual); the park checks first and reserves each accepted
// order's value against its buyer's year, so that two orders racing to the limit cannot both
// pass. The QuotaLedger here keeps the reservations in memory; the database version mirrors its
// rules (reserve idempotent per order, release idempotent) in its own transactions.
//
// Choices:
// - The value that counts is the order's actural_paid, what the buyer paid for it as the payment
//   document (CEB411 amountPaid) proves: goods + freight + withheld tax - non-cash discount.
//   49号 speaks of the transaction value (交易额; the dutiable value is the retail price plus
//   freight and insurance, 18号); actural_paid also counts the withheld tax, so near the limit
//   the park may refuse an order customs would still accept, rarely the reverse (only when a
//   non-cash discount exceeds the tax). The 49号 exception for a single indivisible item above
//   5,000 CNY (admitted, but taxed in full as general trade) is not modelled: such an order fails
//   the per-transaction limit here.
// - The calendar year of an order is that of its app_time. The park's clock is Asia/Shanghai and
//   CEB times are local times without a zone, so the year is app_time's first four digits: an
//   order at 20251231235959 counts in 2025, one at 20260101000000 in 2026.
// - Statuses never quote the buyer's identity number: they are logged.
//
// Amounts are CNY scaled by 10^5 (N19,5). Functions are thread-safe; a QuotaLedger is not (its
// user serialises calls, as the database version does with a transaction).
#ifndef PARKLINE_DECLARATIONS_QUOTA_LEDGER_H_
#define PARKLINE_DECLARATIONS_QUOTA_LEDGER_H_

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "parkline/declarations/v1/documents.pb.h"

namespace parkline::declarations {

struct QuotaLimits {
  // The most one order may be worth: 5,000 CNY (财关税〔2018〕49号).
  int64_t per_transaction = 5000LL * 100000;
  // The most one buyer may import in a calendar year: 26,000 CNY (财关税〔2018〕49号).
  int64_t per_year = 26000LL * 100000;
};

// The calendar year an order counts in: the first four digits of its app_time (YYYYMMDDhhmmss,
// park local time). INVALID_ARGUMENT when app_time is not 14 digits.
absl::StatusOr<int> QuotaYear(absl::string_view app_time);

// The value an order counts against the limits: its actural_paid. INVALID_ARGUMENT when that is
// not a non-negative N19,5 decimal.
absl::StatusOr<int64_t> QuotaValue(const parkline::declarations::v1::Order& order);

// OK when an order worth `order_value` fits both limits given what the buyer has already used in
// `year`; FAILED_PRECONDITION naming the limit, the amounts and the year otherwise (the
// per-transaction limit is checked first). A value exactly at a limit fits.
absl::Status CheckWithinLimits(const QuotaLimits& limits, int64_t order_value,
                               int64_t used_this_year, int year);

class QuotaLedger {
 public:
  explicit QuotaLedger(QuotaLimits limits = QuotaLimits()) : limits_(limits) {}

  // Reserves `amount` for the order `order_key` against the buyer's `year`. Idempotent: the same
  // order again with the same buyer, year and amount is OK and changes nothing; with different
  // ones it is ALREADY_EXISTS (release it first to change an order). FAILED_PRECONDITION, and
  // nothing reserved, when a limit would be exceeded; INVALID_ARGUMENT for an empty key or buyer
  // or a negative amount.
  absl::Status Reserve(absl::string_view order_key, absl::string_view buyer_id_number, int year,
                       int64_t amount);

  // Gives back what `order_key` reserved. Idempotent: true when something was released, false
  // when the order holds nothing (never reserved, or released already).
  bool Release(absl::string_view order_key);

  // What the buyer has reserved in `year`, and what is left of the annual limit (never below 0).
  int64_t Used(absl::string_view buyer_id_number, int year) const;
  int64_t Remaining(absl::string_view buyer_id_number, int year) const;

  const QuotaLimits& limits() const { return limits_; }

 private:
  struct Reservation {
    std::string buyer_id_number;
    int year = 0;
    int64_t amount = 0;
  };

  QuotaLimits limits_;
  std::map<std::string, Reservation, std::less<>> reservations_;  // by order key
  std::map<std::pair<std::string, int>, int64_t> used_;           // by (buyer, year)
};

}  // namespace parkline::declarations

#endif  // PARKLINE_DECLARATIONS_QUOTA_LEDGER_H_
