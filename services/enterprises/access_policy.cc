#include "enterprises/access_policy.h"

namespace parkline::enterprises {

// The registry is the park's: park staff keep it. A resident enterprise reads its own record and
// reports its own IP assets and talent figures. Analysts read units and occupancy; their figures
// about enterprises come from the statistics service, as aggregates. Customs gateways and
// carriers have no business here.
const auth::AccessPolicy& AccessPolicy() {
  using namespace auth::policy_roles;  // kAdmin, kStaff, kEnterprise ...
  // clang-format off
  static const auth::AccessPolicy* policy = new auth::AccessPolicy(
      "parkline.enterprises.v1.EnterpriseService",
      {
          // method            any role may call           own records only
          {"DefineUnit",       {{kAdmin, kStaff},           {}}},
          {"ListUnits",        {{kAdmin, kStaff, kAnalyst}, {}}},
          {"AdmitEnterprise",  {{kAdmin, kStaff},           {}}},
          {"UpdateEnterprise", {{kAdmin, kStaff},           {}}},
          {"DepartEnterprise", {{kAdmin, kStaff},           {}}},
          {"GetEnterprise",    {{kAdmin, kStaff},           {kEnterprise}}},
          {"ListEnterprises",  {{kAdmin, kStaff},           {}}},
          {"RecordIpAsset",    {{kAdmin, kStaff},           {kEnterprise}}},
          {"ListIpAssets",     {{kAdmin, kStaff},           {kEnterprise}}},
          {"RecordTalent",     {{kAdmin, kStaff},           {kEnterprise}}},
      });
  // clang-format on
  return *policy;
}

}  // namespace parkline::enterprises
