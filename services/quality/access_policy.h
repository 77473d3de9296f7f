// Who may call which RPC of the quality service (see access_policy.cc for the table).
#ifndef PARKLINE_QUALITY_ACCESS_POLICY_H_
#define PARKLINE_QUALITY_ACCESS_POLICY_H_

#include "auth/access_policy.h"

namespace parkline::quality {

const auth::AccessPolicy& AccessPolicy();

}  // namespace parkline::quality

#endif  // PARKLINE_QUALITY_ACCESS_POLICY_H_
