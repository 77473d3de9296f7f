#include "clearance/access_policy.h"

namespace parkline::clearance {

// An enterprise reads the cases it is a party to (platform, e-commerce enterprise, agent or
// logistics enterprise); opening and submitting is further the declarant's only (the e-commerce
// enterprise or its mandated agent: case_parties.h, decided by the desk from what is stored). An
// e-commerce enterprise grants and revokes its mandates; it and its brokers list them. Park staff
// read every case and mandate. Only the customs
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
          {"GrantMandate",         {{kAdmin},                          {kEnterprise}}},
          {"RevokeMandate",        {{kAdmin},                          {kEnterprise}}},
          {"ListMandates",         {{kAdmin, kStaff, kGateway},        {kEnterprise}}},
      });
  // clang-format on
  return *policy;
}

}  // namespace parkline::clearance
