// The exchange-rate table and the conversion of trade to CNY: exact, dated, and never a silent 0.
#include "statistics/exchange_rates.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace parkline::statistics {
namespace {

constexpr char kTable[] =
    "# a comment\n"
    "month,currency,rate,source\n"
    "2026-11,USD,7.123456,PBOC central parity, 2026-10-21\n"
    "\n"
    "2026-12,USD,7.2,PBOC central parity 2026-11-18\r\n"
    "2026-12,JPY,0.047611,PBOC central parity 2026-11-18\n";

ExchangeRates Table() {
  auto rates = ExchangeRates::Parse(kTable);
  EXPECT_TRUE(rates.ok()) << rates.status();
  return rates.ok() ? *std::move(rates) : ExchangeRates();
}

TEST(ExchangeRatesTest, ReadsMonthCurrencyExactRateAndSource) {
  ExchangeRates rates = Table();
  EXPECT_EQ(rates.size(), 3u);
  const ExchangeRate* usd = rates.Find("2026-11", "USD");
  ASSERT_NE(usd, nullptr);
  EXPECT_EQ(usd->rate, 7123456);
  // The source is the rest of the line, commas and all.
  EXPECT_EQ(usd->source, "PBOC central parity, 2026-10-21");
  ASSERT_NE(rates.Find("2026-12", "USD"), nullptr);
  EXPECT_EQ(rates.Find("2026-12", "USD")->rate, 7200000);
  EXPECT_EQ(rates.Find("2026-10", "USD"), nullptr);
  EXPECT_EQ(rates.Find("2026-11", "JPY"), nullptr);
}

TEST(ExchangeRatesTest, RefusesAWrongLineNamingTheLineAndTheRule) {
  const std::string header = "month,currency,rate,source\n";
  struct Case {
    std::string text;
    std::string expected;
  };
  for (const Case& c : std::vector<Case>{
           {"2026-11,USD,7.1,src\n", "line 1: header"},
           {"", "header is missing"},
           {header + "2026-13,USD,7.1,src\n", "line 2: month must be YYYY-MM"},
           {header + "202611,USD,7.1,src\n", "line 2: month"},
           {header + "2026-11,usd,7.1,src\n", "line 2: currency"},
           {header + "2026-11,CNY,1,src\n", "line 2: currency"},
           {header + "2026-11,USD,0,src\n", "line 2: rate must be a positive decimal"},
           {header + "2026-11,USD,-7.1,src\n", "line 2: rate"},
           {header + "2026-11,USD,7.1234567,src\n", "line 2: rate"},
           {header + "2026-11,USD,7.1e0,src\n", "line 2: rate"},
           {header + "2026-11,USD,7.1, \n", "line 2: source is required"},
           {header + "2026-11,USD,7.1\n", "line 2: line must have"},
           {header + "2026-11,USD,7.1,a\n2026-11,USD,7.2,b\n", "line 3: month,currency appear"},
       }) {
    auto rates = ExchangeRates::Parse(c.text);
    ASSERT_FALSE(rates.ok()) << c.text;
    EXPECT_EQ(rates.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(rates.status().message().find(c.expected), std::string::npos)
        << rates.status().message() << " for " << c.text;
  }
}

TEST(ExchangeRatesTest, CustomsCurrencyCodesAreNamedByIso) {
  EXPECT_EQ(CurrencyName("142"), "CNY");
  EXPECT_EQ(CurrencyName("502"), "USD");
  EXPECT_EQ(CurrencyName("300"), "EUR");
  EXPECT_EQ(CurrencyName("116"), "JPY");
  EXPECT_EQ(CurrencyName("999"), "999");  // unknown: kept as customs wrote it
  EXPECT_EQ(CurrencyName(""), "unknown");
}

TEST(ExchangeRatesTest, ConvertsExactlyAtTheMonthsRateRoundingHalfAwayFromZero) {
  ExchangeRates rates = Table();
  // 100.00000 USD × 7.123456 = 712.34560 CNY.
  auto v = ToCny(10000000, "502", "2026-11", rates);
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->converted);
  EXPECT_EQ(v->cny, 71234560);
  EXPECT_EQ(v->currency, "USD");
  ASSERT_NE(v->rate, nullptr);
  EXPECT_EQ(v->rate->month, "2026-11");
  // The other month's rate for the same currency.
  EXPECT_EQ(ToCny(10000000, "502", "2026-12", rates)->cny, 72000000);
  // 0.00001 USD × 7.123456 = 0.00007123456 -> 0.00007; 0.00007 × 7.2 = 0.000504 -> 0.00050;
  // 0.00001 × 0.5 exactly half rounds away from zero.
  EXPECT_EQ(*MultiplyByRate(1, 7123456), 7);
  EXPECT_EQ(*MultiplyByRate(7, 7200000), 50);
  EXPECT_EQ(*MultiplyByRate(1, 500000), 1);
  EXPECT_EQ(*MultiplyByRate(-1, 500000), -1);
  EXPECT_EQ(*MultiplyByRate(3, 500000), 2);
  // N19,5's largest value at a rate above 1 does not fit.
  EXPECT_EQ(MultiplyByRate(INT64_MAX, 7200000).status().code(), absl::StatusCode::kOutOfRange);
}

TEST(ExchangeRatesTest, CnyIsItselfAndAMonthWithoutARateStaysInItsCurrencyNeverZero) {
  ExchangeRates rates = Table();
  auto cny = ToCny(18000000, "142", "2020-01", rates);
  ASSERT_TRUE(cny.ok());
  EXPECT_TRUE(cny->converted);
  EXPECT_EQ(cny->cny, 18000000);
  EXPECT_EQ(cny->rate, nullptr);

  for (auto [code, month] : std::vector<std::pair<std::string, std::string>>{
           {"502", "2027-01"}, {"300", "2026-11"}, {"999", "2026-11"}, {"", "2026-11"}}) {
    auto v = ToCny(4250000, code, month, rates);
    ASSERT_TRUE(v.ok());
    EXPECT_FALSE(v->converted) << code << " " << month;
    EXPECT_EQ(v->cny, 0);
    EXPECT_EQ(v->value, 4250000);
    EXPECT_EQ(v->currency, CurrencyName(code));
  }
  // No table at all: every foreign value unconverted.
  EXPECT_FALSE(ToCny(1, "502", "2026-11", ExchangeRates())->converted);
}

TEST(ExchangeRatesTest, TheTableKeptInTheRepositoryReads) {
  std::ifstream in(std::string(PARKLINE_SOURCE_DIR) +
                   "/services/statistics/data/exchange_rates.csv");
  ASSERT_TRUE(in) << "services/statistics/data/exchange_rates.csv";
  std::stringstream text;
  text << in.rdbuf();
  auto rates = ExchangeRates::Parse(text.str());
  ASSERT_TRUE(rates.ok()) << rates.status();
  EXPECT_GT(rates->size(), 0u);
}

}  // namespace
}  // namespace parkline::statistics
