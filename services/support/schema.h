// The support service's tables, as numbered migrations (libs/store/migrations.h).
#ifndef PARKLINE_SUPPORT_SCHEMA_H_
#define PARKLINE_SUPPORT_SCHEMA_H_

#include "absl/status/status.h"
#include "store/database.h"

namespace parkline::support {

absl::Status ApplySchema(store::Database& db);

}  // namespace parkline::support

#endif  // PARKLINE_SUPPORT_SCHEMA_H_
