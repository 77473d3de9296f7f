// The enterprises service's tables, as numbered migrations (libs/store/migrations.h).
#ifndef PARKLINE_ENTERPRISES_SCHEMA_H_
#define PARKLINE_ENTERPRISES_SCHEMA_H_

#include "absl/status/status.h"
#include "store/database.h"

namespace parkline::enterprises {

absl::Status ApplySchema(store::Database& db);

}  // namespace parkline::enterprises

#endif  // PARKLINE_ENTERPRISES_SCHEMA_H_
