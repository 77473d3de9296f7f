#include "declarations/declaration_matcher.h"

#include <gtest/gtest.h>

#include "samples/import_sets.h"

namespace parkline::declarations {
namespace {

DocumentSet Full(int n) {
  auto s = samples::MakeImportSet(n);
  return DocumentSet{s.order, s.payment, std::nullopt, s.waybill};
}

TEST(DeclarationMatcher, ImportNeedsOrderPaymentAndWaybill) {
  DocumentSet set = Full(1);
  EXPECT_TRUE(IsComplete(set));
  for (int missing = 0; missing < 3; ++missing) {
    DocumentSet partial = Full(1);
    if (missing == 0) partial.order.reset();
    if (missing == 1) partial.payment.reset();
    if (missing == 2) partial.waybill.reset();
    EXPECT_FALSE(IsComplete(partial)) << missing;
    EXPECT_EQ(Match(partial, {}, 0).status(), v1::DECLARATION_STATUS_WAITING) << missing;
  }
}

TEST(DeclarationMatcher, ExportNeedsTheReceiptOnlyIn9610) {
  DocumentSet set = Full(1);
  set.order->set_direction(v1::DIRECTION_EXPORT);
  set.payment.reset();
  set.order->set_business_mode("9810");
  EXPECT_TRUE(IsComplete(set));
  set.order->set_business_mode("9610");
  EXPECT_FALSE(IsComplete(set));
  set.receipt = v1::Receipt();
  EXPECT_TRUE(IsComplete(set));
}

TEST(DeclarationMatcher, AConsistentSetMatchesIntoADeclaration) {
  v1::Declaration d = Match(Full(7), {}, 0);
  EXPECT_EQ(d.status(), v1::DECLARATION_STATUS_MATCHED) << d.DebugString();
  EXPECT_EQ(d.order_key(), "3301960001/ORD-00000007");
  EXPECT_EQ(d.business_mode(), "9610");
  EXPECT_EQ(d.value_cny(), "180.00");
  EXPECT_EQ(d.logistics_no(), "SF0000000007");
  EXPECT_EQ(d.quota_year(), 2025);
  EXPECT_EQ(d.goods_size(), 2);
  EXPECT_FALSE(d.estimated_tax().empty());
  EXPECT_EQ(d.mismatches_size(), 0);
}

TEST(DeclarationMatcher, EveryDisagreementIsListed) {
  DocumentSet set = Full(1);
  set.payment->set_amount_paid("190.49");
  set.waybill->set_consignee_address("上海市");
  v1::Declaration d = Match(set, {}, 0);
  EXPECT_EQ(d.status(), v1::DECLARATION_STATUS_REJECTED);
  std::set<std::string> fields;
  for (const auto& m : d.mismatches()) fields.insert(m.field());
  EXPECT_EQ(fields.size(), 2u) << d.DebugString();
}

TEST(DeclarationMatcher, AnOrderOverTheBuyersAnnualLimitIsRejected) {
  QuotaLimits limits;
  // 26,000 CNY a year; 25,900 already used: 190.50 more goes over.
  v1::Declaration d = Match(Full(1), limits, 25900'00000);
  ASSERT_EQ(d.status(), v1::DECLARATION_STATUS_REJECTED);
  ASSERT_EQ(d.mismatches_size(), 1);
  EXPECT_EQ(d.mismatches(0).reason(), "RETAIL_LIMIT");
  EXPECT_EQ(Match(Full(1), limits, 25800'00000).status(), v1::DECLARATION_STATUS_MATCHED);
}

}  // namespace
}  // namespace parkline::declarations
