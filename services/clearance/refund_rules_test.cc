// Which released export cases are refundable (refund_rules.h), mode by mode, with the reason.
#include "clearance/refund_rules.h"

#include <gtest/gtest.h>

namespace parkline::clearance {
namespace {

namespace dv1 = ::parkline::declarations::v1;

v1::ClearanceCase Released(const std::string& mode, const std::string& flag,
                           const std::string& form = "") {
  v1::ClearanceCase c;
  c.set_business_mode(mode);
  c.set_direction(dv1::DIRECTION_EXPORT);
  c.set_status(v1::CASE_STATUS_RELEASED);
  c.mutable_inventory()->set_statistics_flag(flag);
  c.mutable_inventory()->set_customs_declaration_no(form);
  return c;
}

TEST(RefundRules, StatisticsFlagBIsRefundableAndASimplifiedAIsNot) {
  for (const std::string mode : {"9610", "1210"}) {
    RefundEligibility b = RefundEligibilityOf(Released(mode, "B"));
    EXPECT_TRUE(b.eligible) << mode;
    EXPECT_NE(b.reason.find("statisticsFlag B"), std::string::npos) << b.reason;
    RefundEligibility a = RefundEligibilityOf(Released(mode, "A"));
    EXPECT_FALSE(a.eligible) << mode;
    EXPECT_NE(a.reason.find("statisticsFlag A"), std::string::npos) << a.reason;
    EXPECT_FALSE(RefundEligibilityOf(Released(mode, "")).eligible) << mode;
  }
}

TEST(RefundRules, B2bAndOverseasWarehouseNeedACustomsDeclarationForm) {
  for (const std::string mode : {"9710", "9810"}) {
    // statisticsFlag B alone is not enough: a simplified inventory carries no refund.
    RefundEligibility none = RefundEligibilityOf(Released(mode, "B"));
    EXPECT_FALSE(none.eligible) << mode;
    EXPECT_NE(none.reason.find("customs_declaration_no"), std::string::npos) << none.reason;
    RefundEligibility form = RefundEligibilityOf(Released(mode, "A", "290120250000012345"));
    EXPECT_TRUE(form.eligible) << mode;
    EXPECT_NE(form.reason.find("290120250000012345"), std::string::npos) << form.reason;
    // Not 18 digits: not a form.
    EXPECT_FALSE(RefundEligibilityOf(Released(mode, "B", "29012025")).eligible) << mode;
  }
}

TEST(RefundRules, ImportsAndUnreleasedCasesNeverAre) {
  v1::ClearanceCase imp = Released("9610", "B");
  imp.set_direction(dv1::DIRECTION_IMPORT);
  EXPECT_FALSE(RefundEligibilityOf(imp).eligible);
  v1::ClearanceCase accepted = Released("9610", "B");
  accepted.set_status(v1::CASE_STATUS_ACCEPTED);
  RefundEligibility r = RefundEligibilityOf(accepted);
  EXPECT_FALSE(r.eligible);
  EXPECT_NE(r.reason.find("released"), std::string::npos);
  v1::ClearanceCase closed = Released("9610", "B");
  closed.set_status(v1::CASE_STATUS_CLOSED);
  EXPECT_TRUE(RefundEligibilityOf(closed).eligible);
}

TEST(RefundRules, ADeclarationFormNumberIs18Digits) {
  EXPECT_TRUE(IsCustomsDeclarationNo("290120250000012345"));
  EXPECT_FALSE(IsCustomsDeclarationNo("29012025000001234"));
  EXPECT_FALSE(IsCustomsDeclarationNo("29012025000001234X"));
  EXPECT_FALSE(IsCustomsDeclarationNo(""));
}

}  // namespace
}  // namespace parkline::clearance
