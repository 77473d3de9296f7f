#include "declarations/access_policy.h"

namespace parkline::declarations {

// Enterprises send their own documents: a caller must be a party to each (platform, e-commerce
// enterprise, payment or logistics enterprise, by USCC or customs code); a carrier sends its own
// waybills. That is a first filter on what the request claims; which party may file which
// document is decided by the desk from what is stored (filing_rules.h). Park staff and the customs
// gateway read declarations; an enterprise reads those it is a party to. A buyer's remaining quota
// is for the park and for the enterprises selling to that buyer (the desk checks the buyer's stored
// orders: buyer_quota_access.h). Analysts see declarations only as the statistics service's
// aggregates.
const auth::AccessPolicy& AccessPolicy() {
  using namespace auth::policy_roles;  // kAdmin, kStaff, kEnterprise ...
  // clang-format off
  static const auth::AccessPolicy* policy = new auth::AccessPolicy(
      "parkline.declarations.v1.DeclarationService",
      {
          // method                any role may call           own documents only
          {"SubmitOrder",          {{kAdmin},                   {kEnterprise}}},
          {"SubmitPayment",        {{kAdmin},                   {kEnterprise}}},
          {"SubmitReceipt",        {{kAdmin},                   {kEnterprise}}},
          {"SubmitWaybill",        {{kAdmin},                   {kEnterprise, kCarrier}}},
          {"SubmitMessage",        {{kAdmin},                   {kEnterprise, kCarrier}}},
          {"GetDeclaration",       {{kAdmin, kStaff, kGateway}, {kEnterprise}}},
          {"ListDeclarations",     {{kAdmin, kStaff, kGateway}, {kEnterprise}}},
          {"GetBuyerQuota",        {{kAdmin, kStaff, kEnterprise}, {}}},
          {"ListWaitingDocuments", {{kAdmin, kStaff, kGateway},    {}}},
      });
  // clang-format on
  return *policy;
}

}  // namespace parkline::declarations
