// The declarations service's tables, as numbered migrations (libs/store/migrations.h).
#ifndef PARKLINE_DECLARATIONS_SCHEMA_H_
#define PARKLINE_DECLARATIONS_SCHEMA_H_

#include "absl/status/status.h"
#include "store/database.h"

namespace parkline::declarations {

absl::Status ApplySchema(store::Database& db);

}  // namespace parkline::declarations

#endif  // PARKLINE_DECLARATIONS_SCHEMA_H_
