#include "clearance/schema.h"

#include "store/migrations.h"

namespace parkline::clearance {

absl::Status ApplySchema(store::Database& db) {
  static const std::vector<store::Migration> kMigrations = {{1, "clearance cases",
                                                             R"sql(
-- One row per case, the case itself as its protobuf (ClearanceCase, receipts included); the
-- columns beside it are what lists filter on. open_key is what makes opening idempotent:
-- "declaration:<order_key>" or "inventory:<ebc_code>/<cop_no>". message is the inventory
-- message as sent (signed), NULL until submitted.
CREATE TABLE clearance_cases (
  case_id TEXT PRIMARY KEY,
  open_key TEXT NOT NULL UNIQUE,
  status BIGINT NOT NULL,
  business_mode TEXT NOT NULL,
  direction BIGINT NOT NULL,
  ebp_code TEXT NOT NULL,
  ebc_code TEXT NOT NULL,
  agent_code TEXT NOT NULL,
  logistics_code TEXT NOT NULL,
  payload {{blob}} NOT NULL,
  message TEXT,
  updated_at BIGINT NOT NULL
);
CREATE INDEX clearance_cases_ebc ON clearance_cases (ebc_code);
CREATE INDEX clearance_cases_status ON clearance_cases (status, direction);
)sql"}};
  return store::ApplyMigrations(db, "clearance", kMigrations);
}

}  // namespace parkline::clearance
