#include "statistics/schema.h"

#include "store/migrations.h"

namespace parkline::statistics {

absl::Status ApplySchema(store::Database& db) {
  static const std::vector<store::Migration> kMigrations = {
      {1, "daily counters and the projections of enterprises, units, IP, talent, shipments",
       R"sql(
-- Counted indicators per calendar day (park time zone), values in the indicator's scale.
CREATE TABLE stat_counter (
  indicator TEXT NOT NULL,
  labels TEXT NOT NULL,
  day TEXT NOT NULL,
  value BIGINT NOT NULL,
  PRIMARY KEY (indicator, labels, day)
);
CREATE INDEX stat_counter_day ON stat_counter (day);
-- The same, per enterprise (its customs code), for the enterprise's figures and the top list.
CREATE TABLE stat_enterprise_counter (
  enterprise TEXT NOT NULL,
  indicator TEXT NOT NULL,
  labels TEXT NOT NULL,
  day TEXT NOT NULL,
  value BIGINT NOT NULL,
  PRIMARY KEY (enterprise, indicator, labels, day)
);
CREATE INDEX stat_enterprise_counter_day ON stat_enterprise_counter (indicator, day);
CREATE TABLE stat_enterprise (
  uscc TEXT PRIMARY KEY,
  customs_code TEXT NOT NULL,
  name TEXT NOT NULL,
  roles TEXT NOT NULL,
  unit_ids TEXT NOT NULL,
  resident BIGINT NOT NULL
);
CREATE TABLE stat_unit (
  unit_id TEXT PRIMARY KEY,
  area_centi_m2 BIGINT NOT NULL
);
CREATE TABLE stat_ip_asset (
  kind TEXT NOT NULL,
  registration_no TEXT NOT NULL,
  uscc TEXT NOT NULL,
  PRIMARY KEY (kind, registration_no)
);
CREATE TABLE stat_talent (
  uscc TEXT NOT NULL,
  year BIGINT NOT NULL,
  employees BIGINT NOT NULL,
  cross_border_staff BIGINT NOT NULL,
  trained_staff BIGINT NOT NULL,
  PRIMARY KEY (uscc, year)
);
CREATE TABLE stat_shipment (
  shipment TEXT PRIMARY KEY,
  status TEXT NOT NULL
);
)sql"},
      // Every scrape and every overview counted shipments by status over every shipment ever
      // tracked; the counts are now kept as shipments change status.
      {2, "shipments counted by status as they change",
       R"sql(
CREATE TABLE stat_shipment_count (
  status TEXT PRIMARY KEY,
  n BIGINT NOT NULL
);
INSERT INTO stat_shipment_count (status, n)
  SELECT status, CAST(COUNT(*) AS BIGINT) FROM stat_shipment GROUP BY status;
)sql"},
      // PostgreSQL only (SQLite already does both). Counters are updated in place, batch after
      // batch: with room left on their pages, an update that changes only `value` stays on its
      // page (a HOT update) instead of adding an entry to every index, which the upserts of
      // statistics_bench spent their time on. Keys compare byte by byte, as on SQLite, instead of
      // by the database's locale: the same order on both backends (the top list's ties, the
      // archive export), and the keys are ASCII names, codes and dates that locales do not
      // reorder anyway.
      {3, "counters updated in place, keys compared byte by byte",
       R"sql(
{{postgresql:ALTER TABLE stat_counter SET (fillfactor = 70)}};
{{postgresql:ALTER TABLE stat_enterprise_counter SET (fillfactor = 70)}};
{{postgresql:ALTER TABLE stat_counter
  ALTER COLUMN indicator TYPE TEXT COLLATE "C",
  ALTER COLUMN labels TYPE TEXT COLLATE "C",
  ALTER COLUMN day TYPE TEXT COLLATE "C"}};
{{postgresql:ALTER TABLE stat_enterprise_counter
  ALTER COLUMN enterprise TYPE TEXT COLLATE "C",
  ALTER COLUMN indicator TYPE TEXT COLLATE "C",
  ALTER COLUMN labels TYPE TEXT COLLATE "C",
  ALTER COLUMN day TYPE TEXT COLLATE "C"}};
)sql"},
      // Trade counts once per case customs released, and the declarations pipeline once per
      // order: the facts already counted, so that a second release, a re-match or a re-rejection
      // adds nothing. `day` is the day the fact counted on.
      {4, "facts counted once: trade per released case, verdicts per order",
       R"sql(
CREATE TABLE stat_once (
  fact TEXT NOT NULL,
  fact_key TEXT NOT NULL,
  day TEXT NOT NULL,
  PRIMARY KEY (fact, fact_key)
);
)sql"},
      // Current values had no past: each projection now keeps, per key, its state at the end
      // of every park day it changed (shipments: the change of each status' count per day), so
      // that the state at the end of any day is the latest row on or before it. A store that
      // predates this migration has no such past: its current state is seeded under the day
      // "0000-00-00" and `history_from` is left empty, for the closer to set to the day it
      // first runs (days before cannot be recomputed; a rebuild from the topics gives them).
      {5, "projection history per day, closed days and their snapshots",
       R"sql(
CREATE TABLE stat_enterprise_day (
  uscc TEXT NOT NULL,
  day TEXT NOT NULL,
  customs_code TEXT NOT NULL,
  name TEXT NOT NULL,
  roles TEXT NOT NULL,
  unit_ids TEXT NOT NULL,
  resident BIGINT NOT NULL,
  PRIMARY KEY (uscc, day)
);
CREATE TABLE stat_unit_day (
  unit_id TEXT NOT NULL,
  day TEXT NOT NULL,
  area_centi_m2 BIGINT NOT NULL,
  PRIMARY KEY (unit_id, day)
);
CREATE TABLE stat_ip_asset_day (
  kind TEXT NOT NULL,
  registration_no TEXT NOT NULL,
  day TEXT NOT NULL,
  uscc TEXT NOT NULL,
  PRIMARY KEY (kind, registration_no, day)
);
CREATE TABLE stat_talent_day (
  uscc TEXT NOT NULL,
  year BIGINT NOT NULL,
  day TEXT NOT NULL,
  employees BIGINT NOT NULL,
  cross_border_staff BIGINT NOT NULL,
  trained_staff BIGINT NOT NULL,
  PRIMARY KEY (uscc, year, day)
);
CREATE TABLE stat_shipment_count_day (
  status TEXT NOT NULL,
  day TEXT NOT NULL,
  n BIGINT NOT NULL,
  PRIMARY KEY (status, day)
);
-- One row per closed day, written in the transaction that writes the day's snapshot: the
-- unique key makes closing a day happen once across restarts and replicas.
CREATE TABLE stat_day_closed (
  day TEXT PRIMARY KEY,
  backfilled BIGINT NOT NULL,
  -- How often a late event changed the snapshot after the day was closed.
  revision BIGINT NOT NULL
);
-- Every current-value indicator at the end of each closed day.
CREATE TABLE stat_snapshot (
  day TEXT NOT NULL,
  indicator TEXT NOT NULL,
  labels TEXT NOT NULL,
  value BIGINT NOT NULL,
  PRIMARY KEY (day, indicator, labels)
);
CREATE TABLE stat_history_meta (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
{{postgresql:ALTER TABLE stat_snapshot
  ALTER COLUMN day TYPE TEXT COLLATE "C",
  ALTER COLUMN indicator TYPE TEXT COLLATE "C",
  ALTER COLUMN labels TYPE TEXT COLLATE "C"}};
INSERT INTO stat_enterprise_day (uscc, day, customs_code, name, roles, unit_ids, resident)
  SELECT uscc, '0000-00-00', customs_code, name, roles, unit_ids, resident FROM stat_enterprise;
INSERT INTO stat_unit_day (unit_id, day, area_centi_m2)
  SELECT unit_id, '0000-00-00', area_centi_m2 FROM stat_unit;
INSERT INTO stat_ip_asset_day (kind, registration_no, day, uscc)
  SELECT kind, registration_no, '0000-00-00', uscc FROM stat_ip_asset;
INSERT INTO stat_talent_day (uscc, year, day, employees, cross_border_staff, trained_staff)
  SELECT uscc, year, '0000-00-00', employees, cross_border_staff, trained_staff FROM stat_talent;
INSERT INTO stat_shipment_count_day (status, day, n)
  SELECT status, '0000-00-00', n FROM stat_shipment_count;
INSERT INTO stat_history_meta (name, value)
  SELECT 'history_from', '' WHERE EXISTS (SELECT 1 FROM stat_enterprise)
    OR EXISTS (SELECT 1 FROM stat_unit) OR EXISTS (SELECT 1 FROM stat_shipment_count)
    OR EXISTS (SELECT 1 FROM stat_counter);
)sql"},
      // A row per order (first match, first rejection) and per released case halved the ingest
      // on SQLite (207k -> 106k events/s in statistics_bench): each new fact wrote the rowid
      // table and the key's index. Keyed by the key alone (WITHOUT ROWID), one B-tree write.
      // PostgreSQL has no such tables: there the copy is a plain rebuild.
      {6, "facts counted once, keyed by their key alone",
       R"sql(
CREATE TABLE stat_once_keyed (
  fact TEXT NOT NULL,
  fact_key TEXT NOT NULL,
  day TEXT NOT NULL,
  PRIMARY KEY (fact, fact_key)
){{without_rowid}};
INSERT INTO stat_once_keyed (fact, fact_key, day) SELECT fact, fact_key, day FROM stat_once;
DROP TABLE stat_once;
ALTER TABLE stat_once_keyed RENAME TO stat_once;
)sql"},
      // DayClosed carries the day's counted totals too; a late event that changes them publishes
      // a revision, so each closed day keeps the totals its latest DayClosed carried. Days closed
      // before this migration have none stored: their first revision carries them.
      {7, "the totals each closed day's DayClosed carried",
       R"sql(
CREATE TABLE stat_day_totals (
  day TEXT NOT NULL,
  indicator TEXT NOT NULL,
  labels TEXT NOT NULL,
  value BIGINT NOT NULL,
  PRIMARY KEY (day, indicator, labels)
);
{{postgresql:ALTER TABLE stat_day_totals
  ALTER COLUMN day TYPE TEXT COLLATE "C",
  ALTER COLUMN indicator TYPE TEXT COLLATE "C",
  ALTER COLUMN labels TYPE TEXT COLLATE "C"}};
)sql"}};
  return store::ApplyMigrations(db, "statistics", kMigrations);
}

}  // namespace parkline::statistics
