#include "events/schema.h"

#include "events/envelope.h"
#include "store/migrations.h"

namespace parkline::events {

absl::Status ApplyEventsSchema(store::Database& db) {
  static const std::vector<store::Migration> kMigrations = {
      {1, "outbox and processed_events",
       R"sql(
CREATE TABLE outbox (
  seq {{id}},
  event_id TEXT NOT NULL UNIQUE,
  topic TEXT NOT NULL,
  subject TEXT NOT NULL,
  type TEXT NOT NULL,
  source TEXT NOT NULL,
  event_time BIGINT NOT NULL,
  payload {{blob}} NOT NULL,
  created_at BIGINT NOT NULL,
  published_at BIGINT
);
CREATE INDEX outbox_pending ON outbox (seq) WHERE published_at IS NULL;
CREATE INDEX outbox_published ON outbox (published_at) WHERE published_at IS NOT NULL;
CREATE TABLE processed_events (
  consumer TEXT NOT NULL,
  event_id TEXT NOT NULL,
  topic TEXT NOT NULL,
  processed_at BIGINT NOT NULL,
  PRIMARY KEY (consumer, event_id)
);
)sql"},
      {2, "database instance id", "CREATE TABLE database_instance (id TEXT PRIMARY KEY)"},
      // Ids are random: keyed by id alone, every batch of a busy consumer wrote into pages all
      // over the index. Keyed by the event's time first, a stream (which arrives in time order)
      // appends at the end. A copy of an event has the same time, so it is still found. Rows
      // from before this migration keep event_time 0 and are looked up there too.
      {3, "processed events keyed by event time",
       R"sql(
CREATE TABLE consumed_events (
  consumer TEXT NOT NULL,
  event_time BIGINT NOT NULL,
  event_id TEXT NOT NULL,
  topic TEXT NOT NULL,
  processed_at BIGINT NOT NULL,
  PRIMARY KEY (consumer, event_time, event_id)
);
INSERT INTO consumed_events (consumer, event_time, event_id, topic, processed_at)
  SELECT consumer, 0, event_id, topic, processed_at FROM processed_events;
DROP TABLE processed_events;
)sql"},
      // Batch consumers (statistics) keep their position per partition with their effects
      // instead of a row per event id: see applied_ranges.h.
      {4, "consumed ranges of batch consumers",
       R"sql(
CREATE TABLE consumed_ranges (
  consumer TEXT NOT NULL,
  topic TEXT NOT NULL,
  kafka_partition BIGINT NOT NULL,
  seq BIGINT NOT NULL,
  first_offset BIGINT NOT NULL,
  next_offset BIGINT NOT NULL,
  applied BIGINT NOT NULL,
  event_ids {{blob}} NOT NULL,
  applied_at BIGINT NOT NULL,
  PRIMARY KEY (consumer, topic, kafka_partition, seq)
);
)sql"},
      // A range's ids are text that barely compresses, but PostgreSQL tries (pglz, on every
      // value past 2 kB) before it stores the value as it was: a quarter of the database's CPU
      // under the statistics' ingest.
      {5, "consumed ranges' ids stored uncompressed",
       "{{postgresql:ALTER TABLE consumed_ranges ALTER COLUMN event_ids SET STORAGE EXTERNAL}}"},
      // Publish sequences (outbox_relay.h): the relay numbers each row when it first claims it,
      // under the publisher name of its lease (publisher), from the database's counter, and
      // sends it with that number ever after; a batch consumer keeps per partition and
      // publisher the highest number applied (consumed_watermarks) instead of the events' ids.
      {6, "publish sequences and consumers' watermarks",
       R"sql(
ALTER TABLE outbox ADD COLUMN publisher TEXT;
ALTER TABLE outbox ADD COLUMN publish_seq BIGINT;
CREATE INDEX outbox_claimed ON outbox (publish_seq)
  WHERE published_at IS NULL AND publish_seq IS NOT NULL;
ALTER TABLE database_instance ADD COLUMN next_publish_seq BIGINT NOT NULL DEFAULT 1;
CREATE TABLE consumed_watermarks (
  consumer TEXT NOT NULL,
  topic TEXT NOT NULL,
  kafka_partition BIGINT NOT NULL,
  publisher TEXT NOT NULL,
  seq BIGINT NOT NULL,
  applied_at BIGINT NOT NULL,
  PRIMARY KEY (consumer, topic, kafka_partition, publisher)
){{without_rowid}};
)sql"},
      // Every event is written three times: appended, numbered by the relay's claim, marked
      // published. On PostgreSQL each write of a row that is not updated in place adds an entry
      // to every index of the table, and the outbox was 45 % of the database's statement time in
      // declarations_bench (#25). Two indexes nobody reads go: outbox_claimed (the relay finds its
      // claimed rows among the few pending ones, through outbox_pending) and, on PostgreSQL, the
      // uniqueness of event_id (random UUIDs, generated once per appended event, never looked up;
      // SQLite cannot drop a table's constraint without copying the table, and keeps it). With
      // them gone and room left on each page, a claim changes no indexed column and can update
      // its row in place.
      {7, "the outbox's rows numbered in place",
       R"sql(
DROP INDEX outbox_claimed;
{{postgresql:ALTER TABLE outbox DROP CONSTRAINT outbox_event_id_key}};
{{postgresql:ALTER TABLE outbox SET (fillfactor = 70)}};
)sql"}};
  if (auto s = store::ApplyMigrations(db, "events", kMigrations); !s.ok()) return s;
  return db.Transact([](store::Transaction& tx) {
    return tx
        .Execute(
            "INSERT INTO database_instance (id) SELECT CAST($1 AS TEXT) WHERE NOT EXISTS "
            "(SELECT 1 FROM database_instance)",
            {NewUuid()})
        .status();
  });
}

absl::StatusOr<std::string> DatabaseInstanceId(store::Database& db) {
  std::string id;
  absl::Status status = db.Read([&id](store::Transaction& tx) -> absl::Status {
    auto rows = tx.Query("SELECT id FROM database_instance");
    if (!rows.ok()) return rows.status();
    if (rows->empty()) return absl::FailedPreconditionError("the events schema is not applied");
    id = rows->front().Text(0);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return id;
}

}  // namespace parkline::events
