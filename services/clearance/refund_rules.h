// Which released export cases support an export VAT refund (GB/T 39678-2020 6.3), by the park's
// own guidance (guidance.textproto, each mode's refund_requirements):
// - 9610 and 1210: only inventories with statisticsFlag B, which are consolidated monthly
//   (CEB701) into a declaration the tax office accepts; statisticsFlag A is the simplified
//   declaration, which by definition carries no refund.
// - 9710 and 9810: only goods declared on a customs declaration form (报关单): the simplified
//   inventory carries no refund, whatever its statisticsFlag.
// - Imports, and cases customs has not released, never.
//
// Pure; thread-safe.
#ifndef PARKLINE_CLEARANCE_REFUND_RULES_H_
#define PARKLINE_CLEARANCE_REFUND_RULES_H_

#include <string>

#include "parkline/clearance/v1/clearance.pb.h"

namespace parkline::clearance {

struct RefundEligibility {
  bool eligible = false;
  std::string reason;  // one sentence naming the deciding field
};

RefundEligibility RefundEligibilityOf(const v1::ClearanceCase& c);

// A customs declaration form number: 18 digits.
bool IsCustomsDeclarationNo(const std::string& s);

}  // namespace parkline::clearance

#endif  // PARKLINE_CLEARANCE_REFUND_RULES_H_
