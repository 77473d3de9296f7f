#include "enterprises/schema.h"

#include "store/migrations.h"

namespace parkline::enterprises {

absl::Status ApplySchema(store::Database& db) {
  static const std::vector<store::Migration> kMigrations = {
      {1, "units, enterprises, occupancy, ip assets, talent",
       R"sql(
CREATE TABLE units (
  unit_id TEXT PRIMARY KEY,
  building TEXT NOT NULL,
  floor BIGINT NOT NULL,
  area_centi_m2 BIGINT NOT NULL CHECK (area_centi_m2 > 0),
  purpose BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE TABLE enterprises (
  uscc TEXT PRIMARY KEY,
  customs_code TEXT NOT NULL,
  name TEXT NOT NULL,
  roles TEXT NOT NULL,            -- ",2,3," so that a role filter is one LIKE
  status BIGINT NOT NULL,
  move_in_date TEXT NOT NULL,     -- YYYY-MM-DD
  move_out_date TEXT,
  version BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX enterprises_customs_code ON enterprises (customs_code) WHERE customs_code <> '';
-- One row per occupied unit: the primary key makes double occupancy impossible.
CREATE TABLE occupancy (
  unit_id TEXT PRIMARY KEY REFERENCES units (unit_id),
  uscc TEXT NOT NULL REFERENCES enterprises (uscc)
);
CREATE INDEX occupancy_uscc ON occupancy (uscc);
CREATE TABLE ip_assets (
  kind BIGINT NOT NULL,
  registration_no TEXT NOT NULL,
  uscc TEXT NOT NULL REFERENCES enterprises (uscc),
  title TEXT NOT NULL,
  granted_date TEXT NOT NULL,
  PRIMARY KEY (kind, registration_no)
);
CREATE INDEX ip_assets_uscc ON ip_assets (uscc);
CREATE TABLE talent (
  uscc TEXT NOT NULL REFERENCES enterprises (uscc),
  year BIGINT NOT NULL,
  employees BIGINT NOT NULL,
  cross_border_staff BIGINT NOT NULL,
  trained_staff BIGINT NOT NULL,
  PRIMARY KEY (uscc, year)
);
)sql"}};
  return store::ApplyMigrations(db, "enterprises", kMigrations);
}

}  // namespace parkline::enterprises
