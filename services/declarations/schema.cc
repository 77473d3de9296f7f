#include "declarations/schema.h"

#include "residents/residents.h"
#include "store/migrations.h"

namespace parkline::declarations {

absl::Status ApplySchema(store::Database& db) {
  static const std::vector<store::Migration> kMigrations = {
      {1, "documents, declarations, quota reservations, resident codes",
       R"sql(
-- Every document received, as its protobuf. An order, payment or receipt is keyed by
-- "<ebp_code>/<order_no>"; a waybill by "<logistics_code>/<logistics_no>" and found by order_no.
CREATE TABLE documents (
  kind BIGINT NOT NULL,
  doc_key TEXT NOT NULL,
  order_no TEXT NOT NULL,
  guid TEXT NOT NULL,
  payload {{blob}} NOT NULL,
  withdrawn BIGINT NOT NULL DEFAULT 0,
  received_at BIGINT NOT NULL,
  PRIMARY KEY (kind, doc_key)
);
CREATE INDEX documents_order_no ON documents (order_no);
CREATE TABLE declarations (
  order_key TEXT PRIMARY KEY,
  status BIGINT NOT NULL,
  direction BIGINT NOT NULL,
  business_mode TEXT NOT NULL,
  ebp_code TEXT NOT NULL,
  ebc_code TEXT NOT NULL,
  pay_code TEXT NOT NULL,
  logistics_code TEXT NOT NULL,
  payload {{blob}} NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX declarations_updated ON declarations (updated_at);
-- A buyer is known here only by the SHA-256 of the identity number.
CREATE TABLE quota_reservations (
  order_key TEXT PRIMARY KEY,
  buyer TEXT NOT NULL,
  year BIGINT NOT NULL,
  amount BIGINT NOT NULL
);
CREATE INDEX quota_reservations_buyer ON quota_reservations (buyer, year);
-- The codes (USCC and customs code) of enterprises resident in the park, projected from
-- parkline.enterprises.v1.
CREATE TABLE resident_codes (
  code TEXT PRIMARY KEY,
  uscc TEXT NOT NULL
);
CREATE INDEX resident_codes_uscc ON resident_codes (uscc);
)sql"},
      {2, "documents expire after waiting too long",
       "ALTER TABLE documents ADD COLUMN expired_at BIGINT"},
      // Number 3 belongs to the change of document keys (issue #18, item 1) on its own branch;
      // this empty one keeps the numbers without a gap until the two meet.
      {3, "reserved", "SELECT 1"},
      {4, "personal data sealed, buyers keyed by a secret",
       R"sql(
-- A document's personal fields (personal_fields.h) sealed with AES-256-GCM under the key
-- personal_key_id; the payload keeps the rest. NULL: nothing personal, or erased by retention.
-- '-': a row from before this migration, still whole in the payload until the service's
-- start-up pass seals it.
ALTER TABLE documents ADD COLUMN personal_key_id TEXT;
ALTER TABLE documents ADD COLUMN personal {{blob}};
-- An order's buyer: HMAC-SHA256 of the ID number under the key personal_key_id.
ALTER TABLE documents ADD COLUMN buyer TEXT;
UPDATE documents SET personal_key_id = '-';
CREATE INDEX documents_buyer ON documents (buyer);
CREATE INDEX documents_personal_key ON documents (personal_key_id);
-- The buyer is now the HMAC of the ID number under buyer_key_id; '-' marks the unkeyed SHA-256
-- of before, redone by the start-up pass from the order's ID number.
ALTER TABLE quota_reservations ADD COLUMN buyer_key_id TEXT NOT NULL DEFAULT '-';
CREATE INDEX quota_reservations_key ON quota_reservations (buyer_key_id);
CREATE INDEX declarations_status_updated ON declarations (status, updated_at);
)sql"}};
  if (auto s = store::ApplyMigrations(db, "declarations", kMigrations); !s.ok()) return s;
  // After migration 1, which made the projection's table before the library owned it.
  return residents::ApplySchema(db);
}

}  // namespace parkline::declarations
