#include "clearance/access_policy.h"

namespace parkline::clearance {

// An enterprise opens, completes and submits its own cases (as platform, e-commerce enterprise,
// agent or logistics enterprise) and reads them; park staff read every case. Only the customs
// gateway (and the park admin) speaks for customs: receipts and tax bills. Guidance is public to
// every caller of the park. Analysts see cases only as the statistics service's aggregates.
const auth::AccessPolicy& AccessPolicy() {
  using namespace auth::policy_roles;  // kAdmin, kStaff, kEnterprise ...
  // clang-format off
  static const auth::AccessPolicy* policy = new auth::AccessPolicy(
      "parkline.clearance.v1.ClearanceService",
      {
          // method                any role may call                  own cases only
          {"OpenCase",             {{kAdmin},                          {kEnterprise}}},
          {"GetCase",              {{kAdmin, kStaff, kGateway},        {kEnterprise}}},
          {"ListCases",            {{kAdmin, kStaff, kGateway},        {kEnterprise}}},
          {"SubmitCase",           {{kAdmin},                          {kEnterprise}}},
          {"GetInventoryMessage",  {{kAdmin, kStaff, kGateway},        {kEnterprise}}},
          {"RecordReceipt",        {{kAdmin, kGateway},                {}}},
          {"SubmitReceiptMessage", {{kAdmin, kGateway},                {}}},
          {"RecordTaxBill",        {{kAdmin, kGateway},                {}}},
          {"GetGuidance",          {{kAdmin, kStaff, kEnterprise, kGateway, kCarrier, kAnalyst},
                                    {}}},
          {"ListRefundEligible",   {{kAdmin, kStaff},                  {kEnterprise}}},
      });
  // clang-format on
  return *policy;
}

}  // namespace parkline::clearance
