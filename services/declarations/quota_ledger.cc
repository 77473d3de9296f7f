#include "declarations/quota_ledger.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "declarations/amount.h"

namespace parkline::declarations {
namespace {

constexpr absl::string_view kSource = "财关税〔2018〕49号";

bool IsDigits(absl::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

absl::StatusOr<int> QuotaYear(absl::string_view app_time) {
  if (app_time.size() != 14 || !IsDigits(app_time)) {
    return absl::InvalidArgumentError(
        absl::StrCat("app_time '", app_time, "' is not YYYYMMDDhhmmss"));
  }
  int year = 0;
  for (char c : app_time.substr(0, 4)) year = year * 10 + (c - '0');
  return year;
}

absl::StatusOr<int64_t> QuotaValue(const v1::Order& order) {
  absl::StatusOr<int64_t> paid = ParseAmount(order.actural_paid());
  if (!paid.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("order.actural_paid: ", paid.status().message()));
  }
  if (*paid < 0) return absl::InvalidArgumentError("order.actural_paid: is negative");
  return *paid;
}

absl::Status CheckWithinLimits(const QuotaLimits& limits, int64_t order_value,
                               int64_t used_this_year, int year) {
  if (order_value < 0 || used_this_year < 0) {
    return absl::InvalidArgumentError("amounts counted against the limits cannot be negative");
  }
  if (order_value > limits.per_transaction) {
    return absl::FailedPreconditionError(
        absl::StrCat("single-transaction limit: the order is worth ", FormatAmount(order_value),
                     " CNY, above the limit of ", FormatAmount(limits.per_transaction),
                     " CNY per order (", year, ", ", kSource, ")"));
  }
  // Subtract rather than add, so that no sum can overflow.
  if (used_this_year > limits.per_year || order_value > limits.per_year - used_this_year) {
    return absl::FailedPreconditionError(absl::StrCat(
        "annual limit: the buyer has used ", FormatAmount(used_this_year), " CNY in ", year,
        "; the order's ", FormatAmount(order_value), " CNY would exceed the limit of ",
        FormatAmount(limits.per_year), " CNY per year (", kSource, ")"));
  }
  return absl::OkStatus();
}

absl::Status QuotaLedger::Reserve(absl::string_view order_key, absl::string_view buyer_id_number,
                                  int year, int64_t amount) {
  if (order_key.empty()) return absl::InvalidArgumentError("order key is required");
  if (buyer_id_number.empty()) return absl::InvalidArgumentError("buyer is required");
  if (amount < 0) return absl::InvalidArgumentError("amount cannot be negative");
  auto existing = reservations_.find(order_key);
  if (existing != reservations_.end()) {
    const Reservation& r = existing->second;
    if (r.buyer_id_number == buyer_id_number && r.year == year && r.amount == amount) {
      return absl::OkStatus();  // the same reservation again: a retry
    }
    return absl::AlreadyExistsError(absl::StrCat(
        "order '", order_key, "' already reserves ", FormatAmount(r.amount), " CNY in ", r.year,
        " for ", r.buyer_id_number == buyer_id_number ? "this" : "another",
        " buyer; release it before reserving again"));
  }
  absl::Status within = CheckWithinLimits(limits_, amount, Used(buyer_id_number, year), year);
  if (!within.ok()) return within;
  reservations_.emplace(std::string(order_key),
                        Reservation{std::string(buyer_id_number), year, amount});
  used_[{std::string(buyer_id_number), year}] += amount;
  return absl::OkStatus();
}

bool QuotaLedger::Release(absl::string_view order_key) {
  auto it = reservations_.find(order_key);
  if (it == reservations_.end()) return false;
  auto used = used_.find({it->second.buyer_id_number, it->second.year});
  used->second -= it->second.amount;
  if (used->second == 0) used_.erase(used);
  reservations_.erase(it);
  return true;
}

int64_t QuotaLedger::Used(absl::string_view buyer_id_number, int year) const {
  auto it = used_.find({std::string(buyer_id_number), year});
  return it == used_.end() ? 0 : it->second;
}

int64_t QuotaLedger::Remaining(absl::string_view buyer_id_number, int year) const {
  return std::max<int64_t>(0, limits_.per_year - Used(buyer_id_number, year));
}

}  // namespace parkline::declarations
