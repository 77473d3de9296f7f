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
       "ALTER TABLE documents ADD COLUMN expired_at BIGINT"}};
  if (auto s = store::ApplyMigrations(db, "declarations", kMigrations); !s.ok()) return s;
  // After migration 1, which made the projection's table before the library owned it.
  return residents::ApplySchema(db);
}

}  // namespace parkline::declarations
