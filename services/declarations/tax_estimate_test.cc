#include "declarations/tax_estimate.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace parkline::declarations {
namespace {

struct TestLine {
  const char* total_price;
  const char* vat_rate = "";
  const char* consumption_tax_rate = "";
};

v1::Order ImportOrder(const std::vector<TestLine>& lines, const char* freight = "0",
                      const char* tax_total = "0") {
  v1::Order o;
  o.set_direction(v1::DIRECTION_IMPORT);
  o.set_freight(freight);
  o.set_tax_total(tax_total);
  int gnum = 0;
  for (const TestLine& line : lines) {
    v1::OrderGoods* g = o.add_goods();
    g->set_gnum(++gnum);
    g->set_total_price(line.total_price);
    g->set_vat_rate(line.vat_rate);
    g->set_consumption_tax_rate(line.consumption_tax_rate);
  }
  return o;
}

TaxEstimate Estimate(const v1::Order& order) {
  absl::StatusOr<TaxEstimate> estimate = EstimateImportTax(order);
  EXPECT_TRUE(estimate.ok()) << estimate.status();
  return estimate.ok() ? *estimate : TaxEstimate();
}

TEST(TaxEstimate, VatOnlyLineAtThirteenPercentIsSeventyPercentLevied) {
  // 100.00 x 13% x 70% = 9.10; no rate named means 13% VAT and no consumption tax.
  TaxEstimate e = Estimate(ImportOrder({{"100.00"}}, "0", "9.10"));
  ASSERT_EQ(e.lines.size(), 1u);
  EXPECT_EQ(e.lines[0].vat_rate, 13000);
  EXPECT_EQ(e.lines[0].dutiable, 10000000);
  EXPECT_EQ(e.lines[0].vat, 910000);
  EXPECT_EQ(e.lines[0].consumption_tax, 0);
  EXPECT_EQ(e.lines[0].tax_text, "9.10");
  EXPECT_EQ(e.total, 910000);
  EXPECT_EQ(e.total_text, "9.10");
  EXPECT_EQ(e.declared, 910000);
  EXPECT_EQ(e.difference, 0);
}

TEST(TaxEstimate, ConsumptionTaxIsOnTheTaxInclusiveBase) {
  // Cosmetics, 200.00 at 15% consumption tax and 13% VAT:
  //   CT  = 200 x 0.15 / 0.85 = 35.294117..., x 70% = 24.70588... -> 24.71
  //   VAT = (200 + 35.294117...) x 0.13 = 30.588235..., x 70% = 21.41176... -> 21.41
  TaxEstimate e = Estimate(ImportOrder({{"200.00", "0.13", "0.15"}}));
  ASSERT_EQ(e.lines.size(), 1u);
  EXPECT_EQ(e.lines[0].consumption_tax, 2471000);
  EXPECT_EQ(e.lines[0].vat, 2141000);
  EXPECT_EQ(e.lines[0].tax, 4612000);
  EXPECT_EQ(e.consumption_tax, 2471000);
  EXPECT_EQ(e.vat, 2141000);
  EXPECT_EQ(e.total_text, "46.12");
}

TEST(TaxEstimate, EachTaxRoundsHalfUpToTheFenAtTheEndOfTheLine) {
  // 15.00 x 0.091 = 1.365 exactly: half up gives 1.37 (half even or truncation would give 1.36).
  EXPECT_EQ(Estimate(ImportOrder({{"15.00"}})).total, 137000);
  // 14.99 x 0.091 = 1.36409 -> 1.36.
  EXPECT_EQ(Estimate(ImportOrder({{"14.99"}})).total, 136000);
  // 0.05 x 0.091 = 0.00455 -> 0.00: a tiny line owes nothing.
  EXPECT_EQ(Estimate(ImportOrder({{"0.05"}})).total, 0);
  // Two lines of 15.00 round each (1.37 + 1.37 = 2.74), not their sum (2.73): the total is
  // the sum of the lines as shown.
  TaxEstimate two = Estimate(ImportOrder({{"15.00"}, {"15.00"}}));
  EXPECT_EQ(two.total, 274000);
  EXPECT_EQ(two.lines[0].tax + two.lines[1].tax, two.total);
}

TEST(TaxEstimate, FreightIsApportionedByValue) {
  // Freight 20.00 over 100 and 300: 5.00 and 15.00; 105 x 0.091 = 9.555 -> 9.56 and
  // 315 x 0.091 = 28.665 -> 28.67.
  TaxEstimate e = Estimate(ImportOrder({{"100"}, {"300"}}, "20.00"));
  ASSERT_EQ(e.lines.size(), 2u);
  EXPECT_EQ(e.lines[0].freight_share, 500000);
  EXPECT_EQ(e.lines[1].freight_share, 1500000);
  EXPECT_EQ(e.lines[0].dutiable, 10500000);
  EXPECT_EQ(e.lines[0].tax, 956000);
  EXPECT_EQ(e.lines[1].tax, 2867000);
  EXPECT_EQ(e.total_text, "38.23");
}

TEST(TaxEstimate, FreightSharesAddUpToTheFreightExactly) {
  TaxEstimate thirds = Estimate(ImportOrder({{"100"}, {"100"}, {"100"}}, "10.00"));
  ASSERT_EQ(thirds.lines.size(), 3u);
  EXPECT_EQ(thirds.lines[0].freight_share, 333333);
  EXPECT_EQ(thirds.lines[1].freight_share, 333333);
  EXPECT_EQ(thirds.lines[2].freight_share, 333334);  // the last line takes the remainder

  // Gifts only: nothing to apportion by, the last line carries the freight.
  TaxEstimate gifts = Estimate(ImportOrder({{"0"}, {"0"}}, "5.00"));
  EXPECT_EQ(gifts.lines[0].freight_share, 0);
  EXPECT_EQ(gifts.lines[1].freight_share, 500000);
  EXPECT_EQ(gifts.total, 46000);  // 5.00 x 0.091 = 0.455 -> 0.46
}

TEST(TaxEstimate, ReportsTheDeclaredTaxAndTheDifference) {
  TaxEstimate short_by = Estimate(ImportOrder({{"100.00"}}, "0", "9.00"));
  EXPECT_EQ(short_by.declared_text, "9.00");
  EXPECT_EQ(short_by.difference, -10000);
  EXPECT_EQ(short_by.difference_text, "-0.10");

  TaxEstimate none = Estimate(ImportOrder({{"100.00"}}, "0", ""));
  EXPECT_EQ(none.declared, 0);
  EXPECT_EQ(none.difference_text, "-9.10");
}

TEST(TaxEstimate, RefusesWhatItCannotEstimate) {
  v1::Order exported = ImportOrder({{"100"}});
  exported.set_direction(v1::DIRECTION_EXPORT);
  EXPECT_EQ(EstimateImportTax(exported).status().code(), absl::StatusCode::kInvalidArgument);

  EXPECT_EQ(EstimateImportTax(ImportOrder({})).status().code(), absl::StatusCode::kInvalidArgument);

  absl::Status rate = EstimateImportTax(ImportOrder({{"100"}, {"100", "1.5"}})).status();
  EXPECT_EQ(rate.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(rate.message().find("order.goods[1].vat_rate"), std::string::npos) << rate;

  absl::Status ct = EstimateImportTax(ImportOrder({{"100", "", "1"}})).status();
  EXPECT_NE(ct.message().find("order.goods[0].consumption_tax_rate"), std::string::npos) << ct;

  absl::Status total = EstimateImportTax(ImportOrder({{"-1"}})).status();
  EXPECT_NE(total.message().find("order.goods[0].total_price"), std::string::npos) << total;
}

TEST(TaxEstimate, RatesParseExactly) {
  EXPECT_EQ(*ParseVatRate(""), 13000);
  EXPECT_EQ(*ParseVatRate("0.09"), 9000);
  EXPECT_EQ(*ParseVatRate("1"), 100000);
  EXPECT_EQ(*ParseConsumptionTaxRate(""), 0);
  EXPECT_EQ(*ParseConsumptionTaxRate("0.3"), 30000);
  EXPECT_FALSE(ParseConsumptionTaxRate("1").ok());
  EXPECT_FALSE(ParseVatRate("-0.13").ok());
  EXPECT_FALSE(ParseVatRate("0.130001").ok());
}

}  // namespace
}  // namespace parkline::declarations
