// Who may read a buyer's retail quota (GetBuyerQuota): the park (staff and the admin), and an
// enterprise that is the platform, the e-commerce enterprise or the payment enterprise of an
// order of that buyer the park holds: those who sell to the buyer and need to know whether the
// next order fits. Anyone else learns nothing, not even whether the park knows the buyer: the
// refusal is the same whether the buyer has orders here or not. The orders are those stored
// under the buyer's pseudonym (declaration_repository.h), never what the request says.
//
// Pure; thread-safe.
#ifndef PARKLINE_DECLARATIONS_BUYER_QUOTA_ACCESS_H_
#define PARKLINE_DECLARATIONS_BUYER_QUOTA_ACCESS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "auth/viewer.h"

namespace parkline::declarations {

// The enterprises of one stored order of the buyer.
struct OrderParties {
  std::string ebp_code;
  std::string ebc_code;
  std::string pay_code;
};

// OK when `viewer` may read the quota of a buyer whose stored orders are `orders`;
// PERMISSION_DENIED naming the field and the rule otherwise (the same words whether `orders` is
// empty or not).
absl::Status MayReadBuyerQuota(const auth::Viewer& viewer, const std::vector<OrderParties>& orders);

}  // namespace parkline::declarations

#endif  // PARKLINE_DECLARATIONS_BUYER_QUOTA_ACCESS_H_
