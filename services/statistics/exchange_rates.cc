#include "statistics/exchange_rates.h"

#include <limits>

#include "absl/numeric/int128.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "decimal/fixed_point.h"

namespace parkline::statistics {
namespace {

bool IsMonth(absl::string_view m) {
  if (m.size() != 7 || m[4] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6}) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(m[i]))) return false;
  }
  int month = (m[5] - '0') * 10 + (m[6] - '0');
  return month >= 1 && month <= 12;
}

bool IsIsoCurrency(absl::string_view c) {
  if (c.size() != 3) return false;
  for (char ch : c) {
    if (!absl::ascii_isupper(static_cast<unsigned char>(ch))) return false;
  }
  return true;
}

absl::Status LineError(int line, absl::string_view field, absl::string_view rule) {
  return absl::InvalidArgumentError(
      absl::StrCat("exchange rates line ", line, ": ", field, " ", rule));
}

}  // namespace

absl::StatusOr<ExchangeRates> ExchangeRates::Parse(absl::string_view csv) {
  ExchangeRates table;
  int line_no = 0;
  bool header = false;
  for (absl::string_view line : absl::StrSplit(csv, '\n')) {
    ++line_no;
    line = absl::StripTrailingAsciiWhitespace(line);  // "\r\n" files too
    if (absl::StripAsciiWhitespace(line).empty() || absl::StartsWith(line, "#")) continue;
    if (!header) {
      if (line != "month,currency,rate,source") {
        return LineError(line_no, "header", "must be \"month,currency,rate,source\"");
      }
      header = true;
      continue;
    }
    std::vector<absl::string_view> f = absl::StrSplit(line, absl::MaxSplits(',', 3));
    if (f.size() != 4) return LineError(line_no, "line", "must have month,currency,rate,source");
    ExchangeRate r;
    if (!IsMonth(f[0])) return LineError(line_no, "month", "must be YYYY-MM");
    r.month = std::string(f[0]);
    if (!IsIsoCurrency(f[1]) || f[1] == "CNY") {
      return LineError(line_no, "currency", "must be an ISO 4217 code other than CNY (\"USD\")");
    }
    r.currency = std::string(f[1]);
    auto rate = decimal::ParseFixed(f[2], kRateScale);
    if (!rate.ok() || *rate <= 0) {
      return LineError(line_no, "rate",
                       absl::StrCat("must be a positive decimal with at most ", kRateScale,
                                    " fraction digits (CNY per unit)"));
    }
    r.rate = *rate;
    r.source = std::string(absl::StripAsciiWhitespace(f[3]));
    if (r.source.empty()) return LineError(line_no, "source", "is required");
    auto key = std::make_pair(r.month, r.currency);
    if (!table.rates_.emplace(key, std::move(r)).second) {
      return LineError(line_no, "month,currency", "appear twice");
    }
  }
  if (!header) return LineError(line_no, "header", "is missing");
  return table;
}

const ExchangeRate* ExchangeRates::Find(absl::string_view month, absl::string_view currency) const {
  auto it = rates_.find(std::make_pair(std::string(month), std::string(currency)));
  return it == rates_.end() ? nullptr : &it->second;
}

std::string CurrencyName(absl::string_view code) {
  // The customs currency codes of the currencies cross-border trade is priced in most often.
  static const auto* names = new std::map<std::string, std::string, std::less<>>{
      {"110", "HKD"}, {"116", "JPY"}, {"121", "MOP"}, {"132", "SGD"}, {"133", "KRW"},
      {"142", "CNY"}, {"300", "EUR"}, {"303", "GBP"}, {"331", "CHF"}, {"344", "RUB"},
      {"501", "CAD"}, {"502", "USD"}, {"601", "AUD"}, {"609", "NZD"}};
  if (code.empty()) return "unknown";
  auto it = names->find(code);
  return it == names->end() ? std::string(code) : it->second;
}

absl::StatusOr<int64_t> MultiplyByRate(int64_t value, int64_t rate) {
  absl::int128 product = absl::int128(value) * rate;
  absl::int128 unit = 1;
  for (int i = 0; i < kRateScale; ++i) unit *= 10;
  absl::int128 half = unit / 2;
  absl::int128 rounded = product >= 0 ? (product + half) / unit : -((-product + half) / unit);
  if (rounded > std::numeric_limits<int64_t>::max() ||
      rounded < std::numeric_limits<int64_t>::min()) {
    return absl::OutOfRangeError("the value in CNY does not fit N19,5");
  }
  return static_cast<int64_t>(rounded);
}

absl::StatusOr<TradeValue> ToCny(int64_t value, absl::string_view customs_currency,
                                 absl::string_view month, const ExchangeRates& rates) {
  TradeValue out;
  out.value = value;
  out.currency = CurrencyName(customs_currency);
  if (out.currency == "CNY") {
    out.converted = true;
    out.cny = value;
    return out;
  }
  out.rate = rates.Find(month, out.currency);
  if (out.rate == nullptr) return out;
  auto cny = MultiplyByRate(value, out.rate->rate);
  if (!cny.ok()) return cny.status();
  out.converted = true;
  out.cny = *cny;
  return out;
}

}  // namespace parkline::statistics
