// An estimate of the comprehensive tax (跨境电商零售进口综合税) on a retail import order, so that
// the park can tell an enterprise, before customs does, that the tax it withholds (taxTotal) is
// short. Customs' own figure rules; this is a check, not an assessment.
//
// The rule (财关税〔2016〕18号, limits raised by 财关税〔2018〕49号): within the single-transaction
// and annual limits (see quota_ledger.h; this estimate assumes the order is within them) the
// tariff is 0 and the import VAT and consumption tax are levied at 70% of their full amounts:
//
//   CT       = dutiable x ct_rate / (1 - ct_rate)      (consumption tax on a tax-inclusive base)
//   VAT      = (dutiable + CT) x vat_rate
//   estimate = (VAT + CT) x 70%
//
// Choices, each tested:
// - Dutiable value of a line: its total_price plus a share of the order's freight, apportioned
//   to the lines in proportion to their total_price (the dutiable value of a retail import is its
//   retail price plus freight and insurance). Each share is rounded down to 0.00001 CNY and the
//   last line takes what remains, so that the shares add up to the freight exactly; when every
//   line is 0 the last line takes it all. The order carries no insurance (the waybill's
//   insured_fee is not added), and the non-cash discount is not deducted: goodsValue includes it.
// - Rates: the line's vat_rate and consumption_tax_rate, decimals with at most 5 fraction digits;
//   empty means 0.13 and 0.
// - Rounding: every amount is exact (scaled integers, 128-bit intermediates) until the end of the
//   line, where the line's consumption tax (70%) and its VAT (70%) are each rounded half up to
//   0.01 CNY, as customs assesses each tax to the fen; the consumption tax enters the VAT base
//   unrounded. The line's tax is their sum and the order's total is the sum of the lines, so the
//   lines always add up to the total.
//
// Plain functions over their arguments: thread-safe.
#ifndef PARKLINE_DECLARATIONS_TAX_ESTIMATE_H_
#define PARKLINE_DECLARATIONS_TAX_ESTIMATE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "parkline/declarations/v1/documents.pb.h"

namespace parkline::declarations {

// Amounts and rates below are scaled by 10^5 (N19,5): 0.13 is 13000, 9.10 CNY is 910000.

// Within the limits, 70% of the VAT and consumption tax is levied (财关税〔2016〕18号).
inline constexpr int64_t kRetailImportLevyPercent = 70;
inline constexpr int64_t kDefaultVatRate = 13000;  // 0.13

// A goods line's vat_rate: a decimal in [0, 1], empty meaning 0.13.
absl::StatusOr<int64_t> ParseVatRate(absl::string_view text);
// A goods line's consumption_tax_rate: a decimal in [0, 1), empty meaning 0.
absl::StatusOr<int64_t> ParseConsumptionTaxRate(absl::string_view text);

struct LineTaxEstimate {
  int gnum = 0;
  int64_t total_price = 0;           // the line's total_price
  int64_t freight_share = 0;         // its share of the order's freight
  int64_t dutiable = 0;              // total_price + freight_share
  int64_t vat_rate = 0;              // as applied (13000 when the line names none)
  int64_t consumption_tax_rate = 0;  // as applied
  int64_t consumption_tax = 0;       // 70% of the full consumption tax, rounded to 0.01 CNY
  int64_t vat = 0;                   // 70% of the full VAT, rounded to 0.01 CNY
  int64_t tax = 0;                   // consumption_tax + vat
  std::string tax_text;              // tax for people: "9.10"
};

struct TaxEstimate {
  std::vector<LineTaxEstimate> lines;  // in the order's line order
  int64_t consumption_tax = 0;         // sum of the lines'
  int64_t vat = 0;                     // sum of the lines'
  int64_t total = 0;                   // consumption_tax + vat: the estimate
  int64_t declared = 0;                // the order's tax_total (0 when empty)
  int64_t difference = 0;              // declared - total: negative when too little is withheld
  std::string total_text;              // "46.12"
  std::string declared_text;
  std::string difference_text;
};

// The estimate for an import order. INVALID_ARGUMENT (naming the field, e.g.
// "order.goods[1].vat_rate") when the order is not an import order, has no goods lines, or
// carries an amount or rate that is not a usable decimal; CheckOrder reports the same fields in
// full, so callers run it first.
absl::StatusOr<TaxEstimate> EstimateImportTax(const v1::Order& order);

}  // namespace parkline::declarations

#endif  // PARKLINE_DECLARATIONS_TAX_ESTIMATE_H_
