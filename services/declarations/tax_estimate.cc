#include "declarations/tax_estimate.h"

#include <limits>

#include "absl/numeric/int128.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "declarations/amount.h"

namespace parkline::declarations {
namespace {

using absl::int128;

constexpr int64_t kOne = 100000;  // 1 at scale 5
constexpr int64_t kFen = 1000;    // 0.01 CNY at scale 5

bool FitsInt64(int128 value) {
  return value <= std::numeric_limits<int64_t>::max() &&
         value >= std::numeric_limits<int64_t>::min();
}

absl::StatusOr<int64_t> ParseRate(absl::string_view text, int64_t if_empty, bool below_one) {
  if (text.empty()) return if_empty;
  absl::StatusOr<int64_t> rate = ParseAmount(text);
  if (!rate.ok()) return rate.status();
  if (*rate < 0 || *rate > kOne || (below_one && *rate == kOne)) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", text, "' is not a rate in [0, 1", below_one ? ")" : "]"));
  }
  return *rate;
}

// An amount of the order that must be a non-negative N19,5 decimal; "" counts as 0.
absl::StatusOr<int64_t> Amount(absl::string_view text, absl::string_view field) {
  if (text.empty()) return 0;
  absl::StatusOr<int64_t> amount = ParseAmount(text);
  if (!amount.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": ", amount.status().message()));
  }
  if (*amount < 0) return absl::InvalidArgumentError(absl::StrCat(field, ": is negative"));
  return *amount;
}

// numerator / denominator (a non-negative amount at scale 5) rounded half up to 0.01 CNY, still
// at scale 5.
int128 RoundHalfUpToFen(int128 numerator, int128 denominator) {
  int128 unit = denominator * kFen;
  return (2 * numerator + unit) / (2 * unit) * kFen;
}

// Shares of `freight` in proportion to `totals`, rounded down, the last line taking the rest.
std::vector<int64_t> ApportionFreight(int64_t freight, const std::vector<int64_t>& totals) {
  int128 sum = 0;
  for (int64_t total : totals) sum += total;
  std::vector<int64_t> shares(totals.size(), 0);
  int64_t given = 0;
  for (size_t i = 0; i + 1 < totals.size() && sum > 0; ++i) {
    shares[i] = static_cast<int64_t>(int128(freight) * totals[i] / sum);  // <= freight
    given += shares[i];
  }
  shares.back() = freight - given;
  return shares;
}

}  // namespace

absl::StatusOr<int64_t> ParseVatRate(absl::string_view text) {
  return ParseRate(text, kDefaultVatRate, /*below_one=*/false);
}

absl::StatusOr<int64_t> ParseConsumptionTaxRate(absl::string_view text) {
  // CT = base x rate / (1 - rate): a rate of 1 has no tax-inclusive base.
  return ParseRate(text, 0, /*below_one=*/true);
}

absl::StatusOr<TaxEstimate> EstimateImportTax(const v1::Order& order) {
  if (order.direction() != v1::DIRECTION_IMPORT) {
    return absl::InvalidArgumentError(
        "order.direction: the retail import tax applies to import orders only");
  }
  if (order.goods_size() == 0) {
    return absl::InvalidArgumentError("order.goods: at least one goods line");
  }
  absl::StatusOr<int64_t> freight = Amount(order.freight(), "order.freight");
  if (!freight.ok()) return freight.status();
  absl::StatusOr<int64_t> declared = Amount(order.tax_total(), "order.tax_total");
  if (!declared.ok()) return declared.status();

  TaxEstimate estimate;
  std::vector<int64_t> totals;
  for (int i = 0; i < order.goods_size(); ++i) {
    const v1::OrderGoods& goods = order.goods(i);
    std::string path = absl::StrCat("order.goods[", i, "]");
    absl::StatusOr<int64_t> total = Amount(goods.total_price(), absl::StrCat(path, ".total_price"));
    if (!total.ok()) return total.status();
    absl::StatusOr<int64_t> vat_rate = ParseVatRate(goods.vat_rate());
    if (!vat_rate.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ".vat_rate: ", vat_rate.status().message()));
    }
    absl::StatusOr<int64_t> ct_rate = ParseConsumptionTaxRate(goods.consumption_tax_rate());
    if (!ct_rate.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ".consumption_tax_rate: ", ct_rate.status().message()));
    }
    LineTaxEstimate line;
    line.gnum = goods.gnum();
    line.total_price = *total;
    line.vat_rate = *vat_rate;
    line.consumption_tax_rate = *ct_rate;
    estimate.lines.push_back(line);
    totals.push_back(*total);
  }

  std::vector<int64_t> shares = ApportionFreight(*freight, totals);
  int128 consumption_tax = 0;
  int128 vat = 0;
  for (size_t i = 0; i < estimate.lines.size(); ++i) {
    LineTaxEstimate& line = estimate.lines[i];
    line.freight_share = shares[i];
    int128 dutiable = int128(line.total_price) + line.freight_share;
    // With c = ct_rate / 10^5 and v = vat_rate / 10^5, at scale 5:
    //   70% x CT  = dutiable x 70 x ct_rate  / (100 x (10^5 - ct_rate))
    //   70% x VAT = dutiable x 70 x vat_rate / (100 x (10^5 - ct_rate))
    // since dutiable + CT = dutiable / (1 - c). One division per tax keeps each exact until its
    // rounding.
    int128 denominator = int128(100) * (kOne - line.consumption_tax_rate);
    int128 ct = RoundHalfUpToFen(dutiable * kRetailImportLevyPercent * line.consumption_tax_rate,
                                 denominator);
    int128 line_vat =
        RoundHalfUpToFen(dutiable * kRetailImportLevyPercent * line.vat_rate, denominator);
    if (!FitsInt64(dutiable) || !FitsInt64(ct + line_vat)) {
      return absl::InvalidArgumentError(
          absl::StrCat("order.goods[", i, "]: the tax of this line is beyond N19,5"));
    }
    line.dutiable = static_cast<int64_t>(dutiable);
    line.consumption_tax = static_cast<int64_t>(ct);
    line.vat = static_cast<int64_t>(line_vat);
    line.tax = line.consumption_tax + line.vat;
    line.tax_text = FormatAmount(line.tax);
    consumption_tax += ct;
    vat += line_vat;
  }
  if (!FitsInt64(consumption_tax + vat)) {
    return absl::InvalidArgumentError("order: the estimated tax is beyond N19,5");
  }
  estimate.consumption_tax = static_cast<int64_t>(consumption_tax);
  estimate.vat = static_cast<int64_t>(vat);
  estimate.total = estimate.consumption_tax + estimate.vat;
  estimate.declared = *declared;
  estimate.difference = estimate.declared - estimate.total;  // both within [0, int64 max]
  estimate.total_text = FormatAmount(estimate.total);
  estimate.declared_text = FormatAmount(estimate.declared);
  estimate.difference_text = FormatAmount(estimate.difference);
  return estimate;
}

}  // namespace parkline::declarations
