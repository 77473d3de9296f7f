#include "support/schema.h"

#include "residents/residents.h"
#include "store/migrations.h"

namespace parkline::support {

absl::Status ApplySchema(store::Database& db) {
  static const std::vector<store::Migration> kMigrations = {
      {1, "activities and the enterprises' registrations",
       R"sql(
-- The activities the park holds (6.8, 6.9.2). `payload` is the Activity protobuf without the
-- seat counts, which are the columns: a registration updates them in the same transaction, and
-- updating the row first is what makes two registrations for one activity take turns.
CREATE TABLE activities (
  activity_id TEXT PRIMARY KEY,
  request_id TEXT NOT NULL UNIQUE,
  request_digest TEXT NOT NULL,
  kind BIGINT NOT NULL,
  starts_at BIGINT NOT NULL,
  ends_at BIGINT NOT NULL,
  capacity BIGINT NOT NULL,
  seats_taken BIGINT NOT NULL,
  seats_waiting BIGINT NOT NULL,
  payload {{blob}} NOT NULL
);
CREATE INDEX activities_starts ON activities (starts_at, activity_id);
-- Each enterprise's registrations. `payload` is the Registration protobuf without the named
-- attendees; their names are sealed apart (names_key_id, names_box: secrets/sealed_box.h, bound
-- to the registration id), empty for a head count. `queue_order` numbers an activity's
-- registrations as they came (1, 2, ...; the activity's row is locked first, so two never get one
-- number): the waiting list is the activity's WAITING rows in that order.
CREATE TABLE registrations (
  registration_id TEXT PRIMARY KEY,
  request_id TEXT NOT NULL UNIQUE,
  request_digest TEXT NOT NULL,
  activity_id TEXT NOT NULL,
  enterprise_uscc TEXT NOT NULL,
  seats BIGINT NOT NULL,
  status BIGINT NOT NULL,
  attended BIGINT NOT NULL,
  registered_at BIGINT NOT NULL,
  queue_order BIGINT NOT NULL,
  names_key_id TEXT NOT NULL,
  names_box {{blob}} NOT NULL,
  payload {{blob}} NOT NULL
);
CREATE UNIQUE INDEX registrations_queue ON registrations (activity_id, queue_order);
CREATE INDEX registrations_enterprise ON registrations (enterprise_uscc, registered_at);
)sql"},
      {2, "the service directory and service requests",
       R"sql(
-- Providers' offerings per category (6.4, 6.5.3, 6.6, 6.7). `payload` is the Offering protobuf.
CREATE TABLE offerings (
  offering_id TEXT PRIMARY KEY,
  request_id TEXT NOT NULL UNIQUE,
  request_digest TEXT NOT NULL,
  provider_uscc TEXT NOT NULL,
  category BIGINT NOT NULL,
  published_at BIGINT NOT NULL,
  payload {{blob}} NOT NULL
);
CREATE INDEX offerings_category ON offerings (category, published_at);
-- Enterprises' requests. `payload` is the ServiceRequest protobuf, the whole truth; the columns
-- repeat what the tenant rules, supervision and the figures select on.
CREATE TABLE service_requests (
  service_request_id TEXT PRIMARY KEY,
  request_id TEXT NOT NULL UNIQUE,
  request_digest TEXT NOT NULL,
  enterprise_uscc TEXT NOT NULL,
  provider_uscc TEXT NOT NULL,
  category BIGINT NOT NULL,
  status BIGINT NOT NULL,
  filed_at BIGINT NOT NULL,
  respond_by BIGINT NOT NULL,
  overdue BIGINT NOT NULL,
  payload {{blob}} NOT NULL
);
CREATE INDEX service_requests_enterprise ON service_requests (enterprise_uscc, filed_at);
CREATE INDEX service_requests_provider ON service_requests (provider_uscc, filed_at);
CREATE INDEX service_requests_due ON service_requests (status, overdue, respond_by);
)sql"},
      {3, "cancelled activities and withdrawn offerings",
       R"sql(
-- An activity's status (ActivityStatus: 1 scheduled, 2 cancelled), selected on by the figures: a
-- cancelled activity was not held. Rows from before are scheduled.
ALTER TABLE activities ADD COLUMN status BIGINT NOT NULL DEFAULT 1;
-- 1 once the provider (or the park) withdrew the offering: it leaves the directory's list, and no
-- new request may name it.
ALTER TABLE offerings ADD COLUMN withdrawn BIGINT NOT NULL DEFAULT 0;
)sql"}};
  if (auto s = residents::ApplySchema(db); !s.ok()) return s;
  return store::ApplyMigrations(db, "support", kMigrations);
}

}  // namespace parkline::support
