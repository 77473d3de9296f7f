#include "declarations/buyer_quota_access.h"

#include <algorithm>

namespace parkline::declarations {
namespace {

// An enterprise code of the caller's (not SpeaksFor: a carrier's code makes no order party).
bool IsOwnEnterpriseCode(const auth::Viewer& viewer, const std::string& code) {
  return !code.empty() &&
         std::find(viewer.codes.begin(), viewer.codes.end(), code) != viewer.codes.end();
}

}  // namespace

absl::Status MayReadBuyerQuota(const auth::Viewer& viewer,
                               const std::vector<OrderParties>& orders) {
  if (viewer.park_staff || viewer.admin) return absl::OkStatus();
  for (const OrderParties& o : orders) {
    if (IsOwnEnterpriseCode(viewer, o.ebp_code) || IsOwnEnterpriseCode(viewer, o.ebc_code) ||
        IsOwnEnterpriseCode(viewer, o.pay_code)) {
      return absl::OkStatus();
    }
  }
  return absl::PermissionDeniedError(
      "buyer_id_number: an enterprise reads a buyer's quota only as the platform, e-commerce "
      "enterprise or payment enterprise of an order of that buyer held by the park "
      "(BUYER_QUOTA_PARTY)");
}

}  // namespace parkline::declarations
