// Who may call which RPC of the support service (see access_policy.cc for the table).
#ifndef PARKLINE_SUPPORT_ACCESS_POLICY_H_
#define PARKLINE_SUPPORT_ACCESS_POLICY_H_

#include "auth/access_policy.h"

namespace parkline::support {

const auth::AccessPolicy& AccessPolicy();

}  // namespace parkline::support

#endif  // PARKLINE_SUPPORT_ACCESS_POLICY_H_
