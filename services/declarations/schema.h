// The declarations service's tables, as numbered migrations (libs/store/migrations.h).
#ifndef PARKLINE_DECLARATIONS_SCHEMA_H_
#define PARKLINE_DECLARATIONS_SCHEMA_H_

#include <vector>

#include "absl/status/status.h"
#include "store/database.h"
#include "store/migrations.h"

namespace parkline::declarations {

// The declarations' migrations, in order (for a test that starts from an older version).
const std::vector<store::Migration>& Migrations();

absl::Status ApplySchema(store::Database& db);

}  // namespace parkline::declarations

#endif  // PARKLINE_DECLARATIONS_SCHEMA_H_
