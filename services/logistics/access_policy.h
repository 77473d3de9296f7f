// Who may call which RPC of the logistics service (see access_policy.cc).
#ifndef PARKLINE_LOGISTICS_ACCESS_POLICY_H_
#define PARKLINE_LOGISTICS_ACCESS_POLICY_H_

#include "auth/access_policy.h"

namespace parkline::logistics {

const auth::AccessPolicy& AccessPolicy();

}  // namespace parkline::logistics

#endif  // PARKLINE_LOGISTICS_ACCESS_POLICY_H_
