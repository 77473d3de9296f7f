#include "statistics/access_policy.h"

namespace parkline::statistics {

// Statistics are aggregates: the park's staff and analysts read them all. A resident enterprise
// reads its own figures. Nothing here names a buyer, so no role is refused for privacy; customs
// gateways and carriers have no business here.
const auth::AccessPolicy& AccessPolicy() {
  using namespace auth::policy_roles;  // kAdmin, kStaff, kEnterprise ...
  // clang-format off
  static const auth::AccessPolicy* policy = new auth::AccessPolicy(
      "parkline.statistics.v1.StatisticsService",
      {
          // method                any role may call           own records only
          {"GetOverview",          {{kAdmin, kStaff, kAnalyst}, {}}},
          {"GetTimeSeries",        {{kAdmin, kStaff, kAnalyst}, {}}},
          {"GetEnterpriseFigures", {{kAdmin, kStaff, kAnalyst}, {kEnterprise}}},
          {"ListTopEnterprises",   {{kAdmin, kStaff, kAnalyst}, {}}},
          {"ExportPeriod",         {{kAdmin, kStaff, kAnalyst}, {}}},
          {"GetConformance",       {{kAdmin, kStaff, kAnalyst}, {}}},
          {"GetServiceScore",      {{kAdmin, kStaff, kAnalyst}, {}}},
      });
  // clang-format on
  return *policy;
}

}  // namespace parkline::statistics
