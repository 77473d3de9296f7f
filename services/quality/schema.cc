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
)sql"}};
  return store::ApplyMigrations(db, "quality", kMigrations);
}

}  // namespace parkline::quality
