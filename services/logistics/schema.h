// The logistics service's tables, as numbered migrations applied at start-up.
#ifndef PARKLINE_LOGISTICS_SCHEMA_H_
#define PARKLINE_LOGISTICS_SCHEMA_H_

#include "absl/status/status.h"
#include "store/database.h"

namespace parkline::logistics {

absl::Status ApplySchema(store::Database& db);

}  // namespace parkline::logistics

#endif  // PARKLINE_LOGISTICS_SCHEMA_H_
