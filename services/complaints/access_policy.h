// Who may call which RPC of the complaints service (see access_policy.cc for the table).
#ifndef PARKLINE_COMPLAINTS_ACCESS_POLICY_H_
#define PARKLINE_COMPLAINTS_ACCESS_POLICY_H_

#include "auth/access_policy.h"

namespace parkline::complaints {

const auth::AccessPolicy& AccessPolicy();

}  // namespace parkline::complaints

#endif  // PARKLINE_COMPLAINTS_ACCESS_POLICY_H_
