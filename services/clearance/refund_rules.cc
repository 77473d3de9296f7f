#include "clearance/refund_rules.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace parkline::clearance {

namespace dv1 = ::parkline::declarations::v1;

bool IsCustomsDeclarationNo(const std::string& s) {
  if (s.size() != 18) return false;
  for (char ch : s) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(ch))) return false;
  }
  return true;
}

RefundEligibility RefundEligibilityOf(const v1::ClearanceCase& c) {
  const std::string& mode = c.business_mode();
  if (c.direction() != dv1::DIRECTION_EXPORT) {
    return {false, "an import: only exports are refunded"};
  }
  if (c.status() != v1::CASE_STATUS_RELEASED && c.status() != v1::CASE_STATUS_CLOSED) {
    return {false, "customs has not released the goods: a refund follows release (800)"};
  }
  const v1::Inventory& i = c.inventory();
  if (mode == "9710" || mode == "9810") {
    if (IsCustomsDeclarationNo(i.customs_declaration_no())) {
      return {true, absl::StrCat(mode, " declared on customs declaration form ",
                                 i.customs_declaration_no(), ", which supports the refund")};
    }
    return {false, absl::StrCat(mode,
                                " without a customs declaration form "
                                "(inventory.customs_declaration_no): the simplified inventory "
                                "carries no refund")};
  }
  if (i.statistics_flag() == "B") {
    return {true, absl::StrCat(mode,
                               " with statisticsFlag B: consolidated (CEB701) into a declaration "
                               "that supports the refund")};
  }
  if (i.statistics_flag() == "A") {
    return {false, absl::StrCat(mode,
                                " with statisticsFlag A: the simplified declaration carries no "
                                "refund (declare with B to claim one)")};
  }
  return {false, absl::StrCat(mode, " without statisticsFlag: neither A nor B was declared")};
}

}  // namespace parkline::clearance
