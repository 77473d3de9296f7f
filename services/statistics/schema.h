#ifndef PARKLINE_STATISTICS_SCHEMA_H_
#define PARKLINE_STATISTICS_SCHEMA_H_

#include "absl/status/status.h"
#include "store/database.h"

namespace parkline::statistics {

absl::Status ApplySchema(store::Database& db);

}  // namespace parkline::statistics

#endif  // PARKLINE_STATISTICS_SCHEMA_H_
