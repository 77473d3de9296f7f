// Who may call which RPC of the statistics service (see access_policy.cc for the table).
#ifndef PARKLINE_STATISTICS_ACCESS_POLICY_H_
#define PARKLINE_STATISTICS_ACCESS_POLICY_H_

#include "auth/access_policy.h"

namespace parkline::statistics {

const auth::AccessPolicy& AccessPolicy();

}  // namespace parkline::statistics

#endif  // PARKLINE_STATISTICS_ACCESS_POLICY_H_
