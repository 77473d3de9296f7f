#include "events/schema.h"

#include "store/migrations.h"

namespace parkline::events {

absl::Status ApplyEventsSchema(store::Database& db) {
  static const std::vector<store::Migration> kMigrations = {{1, "outbox and processed_events",
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
)sql"}};
  return store::ApplyMigrations(db, "events", kMigrations);
}

}  // namespace parkline::events
