// Who may call which RPC of the enterprises service (see access_policy.cc for the table).
#ifndef PARKLINE_ENTERPRISES_ACCESS_POLICY_H_
#define PARKLINE_ENTERPRISES_ACCESS_POLICY_H_

#include "auth/access_policy.h"

namespace parkline::enterprises {

const auth::AccessPolicy& AccessPolicy();

}  // namespace parkline::enterprises

#endif  // PARKLINE_ENTERPRISES_ACCESS_POLICY_H_
