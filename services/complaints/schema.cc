#include "complaints/schema.h"

#include "residents/residents.h"
#include "store/migrations.h"

namespace parkline::complaints {

absl::Status ApplySchema(store::Database& db) {
  static const std::vector<store::Migration> kMigrations = {
      {1, "complaints, their hash-chained record, feedback",
       R"sql(
-- The current state of each complaint. `payload` is the Complaint protobuf without the
-- complainant's contact details and without history; `contact` holds the contact details alone,
-- read only for the complaint's handler. head_* name the last entry of its record.
CREATE TABLE complaints (
  complaint_id TEXT PRIMARY KEY,
  request_id TEXT NOT NULL UNIQUE,
  request_digest TEXT NOT NULL,
  status BIGINT NOT NULL,
  category BIGINT NOT NULL,
  complainant_uscc TEXT NOT NULL,
  forwarded_uscc TEXT NOT NULL,
  filed_at BIGINT NOT NULL,
  acknowledge_by BIGINT NOT NULL,
  resolve_by BIGINT NOT NULL,
  acknowledgement_overdue BIGINT NOT NULL DEFAULT 0,
  resolution_overdue BIGINT NOT NULL DEFAULT 0,
  head_sequence BIGINT NOT NULL,
  head_hash TEXT NOT NULL,
  payload {{blob}} NOT NULL,
  contact {{blob}} NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX complaints_filed ON complaints (filed_at, complaint_id);
CREATE INDEX complaints_complainant ON complaints (complainant_uscc);
CREATE INDEX complaints_forwarded ON complaints (forwarded_uscc);
CREATE INDEX complaints_status ON complaints (status);
-- The record (7.3.4): append-only, each entry hash-chained to the one before (record_chain.h).
CREATE TABLE complaint_record (
  complaint_id TEXT NOT NULL,
  sequence BIGINT NOT NULL,
  action TEXT NOT NULL,
  from_status BIGINT NOT NULL,
  to_status BIGINT NOT NULL,
  actor TEXT NOT NULL,
  at_micros BIGINT NOT NULL,
  note TEXT NOT NULL,
  details TEXT NOT NULL,
  previous_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  PRIMARY KEY (complaint_id, sequence)
);
-- Service-quality feedback and satisfaction surveys (7.1.3, 7.2).
CREATE TABLE feedback (
  feedback_id TEXT PRIMARY KEY,
  request_id TEXT NOT NULL UNIQUE,
  request_digest TEXT NOT NULL,
  recorded_at BIGINT NOT NULL,
  payload {{blob}} NOT NULL
);
CREATE INDEX feedback_recorded ON feedback (recorded_at, feedback_id);
)sql"},
      {2, "resident enterprises projected from parkline.enterprises.v1",
       R"sql(
-- The USCCs of the enterprises resident in the park now: a complaint names only these as a
-- resident-enterprise complainant or target.
CREATE TABLE resident_enterprises (
  uscc TEXT PRIMARY KEY
);
)sql"},
      {3, "workflow steps recognised when retried: request_id and digest on the record",
       R"sql(
-- A retried workflow step is answered from the record (step_retry.h): each entry a client's step
-- produced keeps the client's request_id ('' when none was given; also in the entry's details, so
-- under its hash) and the digest of what the step asked for ('' for supervision, the filing and
-- the entries written before this migration). A request_id names one step in the whole store.
ALTER TABLE complaint_record ADD COLUMN request_id TEXT NOT NULL DEFAULT '';
ALTER TABLE complaint_record ADD COLUMN request_digest TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX complaint_record_request ON complaint_record (request_id)
  WHERE request_id <> '';
)sql"},
      {4, "resident enterprises kept by the shared projection (libs/residents)",
       R"sql(
-- The projection of parkline.enterprises.v1 is the residents library's table now, the same as
-- the declarations service's (a resident found by its USCC or its customs code). The USCCs known
-- so far move there; the registry's next events add the customs codes.
-- (WHERE true: SQLite reads ON CONFLICT after a bare FROM as a join's constraint.)
INSERT INTO resident_codes (code, uscc) SELECT uscc, uscc FROM resident_enterprises WHERE true
  ON CONFLICT (code) DO NOTHING;
DROP TABLE resident_enterprises;
)sql"}};
  // Before migration 4, which moves the older projection into the library's table.
  if (auto s = residents::ApplySchema(db); !s.ok()) return s;
  return store::ApplyMigrations(db, "complaints", kMigrations);
}

}  // namespace parkline::complaints
