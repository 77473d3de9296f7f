// Who may call which RPC of the clearance service (see access_policy.cc for the table).
#ifndef PARKLINE_CLEARANCE_ACCESS_POLICY_H_
#define PARKLINE_CLEARANCE_ACCESS_POLICY_H_

#include "auth/access_policy.h"

namespace parkline::clearance {

const auth::AccessPolicy& AccessPolicy();

}  // namespace parkline::clearance

#endif  // PARKLINE_CLEARANCE_ACCESS_POLICY_H_
