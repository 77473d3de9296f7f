// The complaints service's tables, as numbered migrations (libs/store/migrations.h).
#ifndef PARKLINE_COMPLAINTS_SCHEMA_H_
#define PARKLINE_COMPLAINTS_SCHEMA_H_

#include "absl/status/status.h"
#include "store/database.h"

namespace parkline::complaints {

absl::Status ApplySchema(store::Database& db);

}  // namespace parkline::complaints

#endif  // PARKLINE_COMPLAINTS_SCHEMA_H_
