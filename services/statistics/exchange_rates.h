// Foreign-currency trade values in CNY: a dated table of monthly exchange rates, kept as data
// (a CSV file in the repository, loaded at start), and the exact conversion of a value with it.
// Pure: no I/O; the service reads the file and hands its text to Parse.
#ifndef PARKLINE_STATISTICS_EXCHANGE_RATES_H_
#define PARKLINE_STATISTICS_EXCHANGE_RATES_H_

#include <cstdint>
#include <map>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace parkline::statistics {

// Rates are CNY per one unit of the currency, exact to 6 fraction digits ("7.123400").
inline constexpr int kRateScale = 6;

struct ExchangeRate {
  std::string month;     // "YYYY-MM"
  std::string currency;  // ISO 4217: "USD"
  int64_t rate = 0;      // CNY per unit, at kRateScale
  std::string source;    // who published it, and which day's rate
};

class ExchangeRates {
 public:
  // The table's text: a header line "month,currency,rate,source", then one rate a line
  // ("2026-11,USD,7.123400,<source>"; the source is the rest of the line and may hold commas).
  // Blank lines and lines starting with '#' are skipped. INVALID_ARGUMENT names the line and the
  // rule broken: a month that is not YYYY-MM, a currency that is not three capital letters (or is
  // CNY), a rate that is not a positive decimal with at most 6 fraction digits, an empty source,
  // the same month and currency twice.
  static absl::StatusOr<ExchangeRates> Parse(absl::string_view csv);

  // The rate of `currency` (ISO) in `month` ("YYYY-MM"), or nullptr.
  const ExchangeRate* Find(absl::string_view month, absl::string_view currency) const;

  size_t size() const { return rates_.size(); }

 private:
  std::map<std::pair<std::string, std::string>, ExchangeRate, std::less<>> rates_;
};

// The ISO 4217 name of a customs currency code (海关币制代码: "142" CNY, "502" USD, "300" EUR
// ...); the code itself when it is not one the park knows, and "unknown" when it is empty.
std::string CurrencyName(absl::string_view customs_code);

// A value (N19,5, in its own currency) as the statistics count it.
struct TradeValue {
  bool converted = false;              // true: `cny` holds it in CNY (or it was CNY already)
  int64_t cny = 0;                     // at scale 5, when converted
  int64_t value = 0;                   // the value in its own currency, at scale 5
  std::string currency;                // its ISO name (CurrencyName)
  const ExchangeRate* rate = nullptr;  // the rate applied, if any
};

// `value` (scale 5) of `customs_currency` in CNY, at the rate of `month` ("YYYY-MM"): CNY as it
// is; a currency with a rate for the month converted (value × rate, rounded half away from zero
// to 5 fraction digits); any other left in its own currency with converted = false, never 0.
// OUT_OF_RANGE when the product does not fit N19,5.
absl::StatusOr<TradeValue> ToCny(int64_t value, absl::string_view customs_currency,
                                 absl::string_view month, const ExchangeRates& rates);

// value × rate (rate at kRateScale) at scale 5, rounded half away from zero.
absl::StatusOr<int64_t> MultiplyByRate(int64_t value, int64_t rate);

}  // namespace parkline::statistics

#endif  // PARKLINE_STATISTICS_EXCHANGE_RATES_H_
