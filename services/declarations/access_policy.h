// Who may call which RPC of the declarations service (see access_policy.cc for the table).
#ifndef PARKLINE_DECLARATIONS_ACCESS_POLICY_H_
#define PARKLINE_DECLARATIONS_ACCESS_POLICY_H_

#include "auth/access_policy.h"

namespace parkline::declarations {

const auth::AccessPolicy& AccessPolicy();

}  // namespace parkline::declarations

#endif  // PARKLINE_DECLARATIONS_ACCESS_POLICY_H_
