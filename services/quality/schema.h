// The quality service's tables (numbered migrations: store/migrations.h).
#ifndef PARKLINE_QUALITY_SCHEMA_H_
#define PARKLINE_QUALITY_SCHEMA_H_

#include "absl/status/status.h"
#include "store/database.h"

namespace parkline::quality {

absl::Status ApplySchema(store::Database& db);

}  // namespace parkline::quality

#endif  // PARKLINE_QUALITY_SCHEMA_H_
