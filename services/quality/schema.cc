#include "quality/schema.h"

#include "store/migrations.h"

namespace parkline::quality {

absl::Status ApplySchema(store::Database& db) {
  static const std::vector<store::Migration> kMigrations = {
      {1, "the records register: document versions",
       R"sql(
-- Every published version of every register document (5.1.2, 5.1.3, 5.6; 8.1.1), never updated:
-- a correction is the next version. `payload` is the DocumentVersion protobuf without its content;
-- `content` holds the bytes stored here ('' when the document is referenced by URI).
CREATE TABLE quality_documents (
  document_id TEXT NOT NULL,
  version BIGINT NOT NULL,
  kind BIGINT NOT NULL,
  visibility BIGINT NOT NULL,
  effective_date TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  request_id TEXT NOT NULL UNIQUE,
  request_digest TEXT NOT NULL,
  published_at BIGINT NOT NULL,
  payload {{blob}} NOT NULL,
  content {{blob}} NOT NULL,
  PRIMARY KEY (document_id, version)
);
CREATE INDEX quality_documents_kind ON quality_documents (kind, document_id);
)sql"},
      {2, "inspections, their corrective actions and hash-chained record",
       R"sql(
-- Inspections (7.1.1, 7.1.4). `payload` is the Inspection protobuf with its corrective actions,
-- without its record; head_* name the last entry of its record.
CREATE TABLE quality_inspections (
  inspection_id TEXT PRIMARY KEY,
  request_id TEXT NOT NULL UNIQUE,
  request_digest TEXT NOT NULL,
  kind BIGINT NOT NULL,
  filer_uscc TEXT NOT NULL,
  recorded_at BIGINT NOT NULL,
  head_sequence BIGINT NOT NULL,
  head_hash TEXT NOT NULL,
  payload {{blob}} NOT NULL
);
CREATE INDEX quality_inspections_recorded ON quality_inspections (recorded_at, inspection_id);
CREATE INDEX quality_inspections_filer ON quality_inspections (filer_uscc);
-- The corrective actions' state, for supervision (the whole action is in its inspection).
CREATE TABLE quality_actions (
  action_id TEXT PRIMARY KEY,
  inspection_id TEXT NOT NULL,
  status BIGINT NOT NULL,
  due_at BIGINT NOT NULL,
  department TEXT NOT NULL
);
CREATE INDEX quality_actions_due ON quality_actions (status, due_at);
-- The record: append-only, each entry hash-chained to the one before (libs/hashchain). A
-- closure's request_id ('' for the rest) recognises its retry.
CREATE TABLE quality_inspection_record (
  inspection_id TEXT NOT NULL,
  sequence BIGINT NOT NULL,
  request_id TEXT NOT NULL,
  previous_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  payload {{blob}} NOT NULL,
  PRIMARY KEY (inspection_id, sequence)
);
CREATE UNIQUE INDEX quality_inspection_record_request ON quality_inspection_record (request_id)
  WHERE request_id <> '';
)sql"},
      {3, "the assessment scheme, its inputs per period and its stored results",
       R"sql(
-- The assessment scheme's versions (7.2.1), never updated. `payload` is the AssessmentScheme.
CREATE TABLE quality_schemes (
  version BIGINT PRIMARY KEY,
  effective_from TEXT NOT NULL,
  request_id TEXT NOT NULL UNIQUE,
  request_digest TEXT NOT NULL,
  payload {{blob}} NOT NULL
);
-- The statistics' closed days (DayClosed): the latest revision of each day's snapshot.
CREATE TABLE quality_day_snapshots (
  day TEXT PRIMARY KEY,
  revision BIGINT NOT NULL,
  payload {{blob}} NOT NULL
);
-- The complaints service's feedback figures (FeedbackRecorded), no personal data.
CREATE TABLE quality_feedback (
  feedback_id TEXT PRIMARY KEY,
  survey_day TEXT NOT NULL,
  satisfaction_centi BIGINT NOT NULL,
  respondents BIGINT NOT NULL
);
CREATE INDEX quality_feedback_day ON quality_feedback (survey_day);
-- Third-party surveys (7.2.2). `payload` is the SurveyResult.
CREATE TABLE quality_surveys (
  survey_id TEXT PRIMARY KEY,
  request_id TEXT NOT NULL UNIQUE,
  request_digest TEXT NOT NULL,
  period_to TEXT NOT NULL,
  payload {{blob}} NOT NULL
);
CREATE INDEX quality_surveys_period ON quality_surveys (period_to);
-- Final results of closed periods (7.2.3, 8.3.2): inserted once, never updated or deleted.
CREATE TABLE quality_assessment_results (
  period_from TEXT NOT NULL,
  period_to TEXT NOT NULL,
  scheme_version BIGINT NOT NULL,
  stored_at BIGINT NOT NULL,
  payload {{blob}} NOT NULL,
  PRIMARY KEY (period_from, period_to)
);
)sql"},
      {4, "training sessions and staff certifications",
       R"sql(
-- Training sessions held (5.6.1.1, 5.6.3; 8.x archives), never updated. `payload` is the
-- TrainingSession protobuf; held_date is its YYYY-MM-DD, which sorts as the date does.
CREATE TABLE quality_trainings (
  session_id TEXT PRIMARY KEY,
  request_id TEXT NOT NULL UNIQUE,
  request_digest TEXT NOT NULL,
  kind BIGINT NOT NULL,
  held_date TEXT NOT NULL,
  recorded_at BIGINT NOT NULL,
  payload {{blob}} NOT NULL
);
CREATE INDEX quality_trainings_held ON quality_trainings (held_date, session_id);
-- Staff certifications. A renewal is a new row; the renewed one gets replaced_by ('' while it is
-- current), which the expiry watch reads beside expires_date.
CREATE TABLE quality_certifications (
  certification_id TEXT PRIMARY KEY,
  request_id TEXT NOT NULL UNIQUE,
  request_digest TEXT NOT NULL,
  expires_date TEXT NOT NULL,
  replaced_by TEXT NOT NULL,
  recorded_at BIGINT NOT NULL,
  payload {{blob}} NOT NULL
);
CREATE INDEX quality_certifications_expiry ON quality_certifications (replaced_by, expires_date);
)sql"}};
  return store::ApplyMigrations(db, "quality", kMigrations);
}

}  // namespace parkline::quality
