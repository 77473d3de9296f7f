// The clearance service's tables (migrations applied at start-up).
#ifndef PARKLINE_CLEARANCE_SCHEMA_H_
#define PARKLINE_CLEARANCE_SCHEMA_H_

#include "absl/status/status.h"
#include "store/database.h"

namespace parkline::clearance {

absl::Status ApplySchema(store::Database& db);

}  // namespace parkline::clearance

#endif  // PARKLINE_CLEARANCE_SCHEMA_H_
