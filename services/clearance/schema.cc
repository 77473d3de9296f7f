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
)sql"},
                                                            {2, "clearance mandates",
                                                             R"sql(
-- One row per mandate (报关委托), the mandate itself as its protobuf (Mandate); the columns beside
-- it are what the rules look up: the mandates of one (ebc_code, agent_code) pair, or of one
-- code. Times are microseconds since the epoch; revoked_at is NULL while not revoked. granted_by
-- and revoked_by are the callers' principal names, for the record (never in events).
CREATE TABLE clearance_mandates (
  mandate_id TEXT PRIMARY KEY,
  ebc_code TEXT NOT NULL,
  agent_code TEXT NOT NULL,
  valid_from BIGINT NOT NULL,
  valid_until BIGINT NOT NULL,
  revoked_at BIGINT,
  granted_by TEXT NOT NULL,
  revoked_by TEXT,
  payload {{blob}} NOT NULL
);
CREATE INDEX clearance_mandates_pair ON clearance_mandates (ebc_code, agent_code);
CREATE INDEX clearance_mandates_agent ON clearance_mandates (agent_code);
)sql"}};
  return store::ApplyMigrations(db, "clearance", kMigrations);
}

}  // namespace parkline::clearance
