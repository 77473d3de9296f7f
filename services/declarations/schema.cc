#include "declarations/schema.h"

#include <map>
#include <optional>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "declarations/declaration_matcher.h"
#include "declarations/filing_rules.h"
#include "parkline/declarations/v1/documents.pb.h"
#include "residents/residents.h"

namespace parkline::declarations {
namespace {

namespace v1 = ::parkline::declarations::v1;

template <typename Doc>
absl::StatusOr<Doc> ParseStored(const store::Row& row, size_t column) {
  Doc doc;
  if (!doc.ParseFromString(row.Text(column))) {
    return absl::DataLossError(absl::StrCat("stored document ", row.Text(1), " is unreadable"));
  }
  return doc;
}

absl::Status Rewrite(store::Transaction& tx, int64_t kind, const std::string& old_key,
                     const std::string& new_key, const std::string& order_key,
                     const std::string& payload) {
  return tx
      .Execute(
          "UPDATE documents SET doc_key = $1, order_key = $2, payload = $3 "
          "WHERE kind = $4 AND doc_key = $5",
          {new_key, order_key, store::Blob{payload}, kind, old_key})
      .status();
}

// The platform of a waybill stored before waybills named it: that of the order it joined then,
// by order number alone (a live one first), when that order is one platform's.
std::optional<std::string> PlatformOf(store::Transaction& tx, const std::string& order_no,
                                      absl::Status& error) {
  auto rows = tx.Query(
      "SELECT doc_key, withdrawn, expired_at FROM documents WHERE kind = $1 AND order_no = $2",
      {int64_t{v1::DOCUMENT_KIND_ORDER}, order_no});
  if (!rows.ok()) {
    error = rows.status();
    return std::nullopt;
  }
  std::set<std::string> live, all;
  for (const store::Row& r : *rows) {
    std::string ebp = r.Text(0).substr(0, r.Text(0).size() - order_no.size() - 1);
    all.insert(ebp);
    if (r.Int(1) == 0 && r.IsNull(2)) live.insert(ebp);
  }
  if (live.size() == 1) return *live.begin();
  if (live.empty() && all.size() == 1) return *all.begin();
  return std::nullopt;
}

// Migration 3 (#18, parties come from what is stored): payments and receipts move to their
// sender's key, every document records the order it belongs to, and waybills and orders stored
// before they named each other's enterprise get them from the join they made then.
absl::Status KeyDocumentsBySender(store::Transaction& tx) {
  auto rows =
      tx.Query("SELECT kind, doc_key, order_no, payload FROM documents WHERE kind IN ($1, $2, $3)",
               {int64_t{v1::DOCUMENT_KIND_PAYMENT}, int64_t{v1::DOCUMENT_KIND_RECEIPT},
                int64_t{v1::DOCUMENT_KIND_WAYBILL}});
  if (!rows.ok()) return rows.status();
  // The logistics enterprises of the waybills that joined each order, by order key.
  std::map<std::string, std::set<std::string>> carriers;
  for (const store::Row& r : *rows) {
    const int64_t kind = r.Int(0);
    const std::string& key = r.Text(1);
    if (kind == v1::DOCUMENT_KIND_PAYMENT) {
      auto p = ParseStored<v1::Payment>(r, 3);
      if (!p.ok()) return p.status();
      if (auto s = Rewrite(tx, kind, key, PaymentKey(p->pay_code(), key), key, r.Text(3)); !s.ok())
        return s;
    } else if (kind == v1::DOCUMENT_KIND_RECEIPT) {
      auto c = ParseStored<v1::Receipt>(r, 3);
      if (!c.ok()) return c.status();
      if (auto s = Rewrite(tx, kind, key, ReceiptKey(c->ebc_code(), key), key, r.Text(3)); !s.ok())
        return s;
    } else {
      auto w = ParseStored<v1::Waybill>(r, 3);
      if (!w.ok()) return w.status();
      if (w->ebp_code().empty()) {
        absl::Status error;
        std::optional<std::string> ebp = PlatformOf(tx, w->order_no(), error);
        if (!error.ok()) return error;
        // A waybill whose platform cannot be told joins no order until it is sent again.
        if (ebp) w->set_ebp_code(*ebp);
      }
      std::string order_key = OrderKey(w->ebp_code(), w->order_no());
      if (!w->ebp_code().empty()) carriers[order_key].insert(w->logistics_code());
      if (auto s = Rewrite(tx, kind, key, key, order_key, w->SerializeAsString()); !s.ok())
        return s;
    }
  }
  for (const auto& [order_key, codes] : carriers) {
    if (codes.size() != 1) continue;  // ambiguous: its platform names one with appType 2
    auto orders =
        tx.Query("SELECT kind, doc_key, payload FROM documents WHERE kind = $1 AND doc_key = $2",
                 {int64_t{v1::DOCUMENT_KIND_ORDER}, order_key});
    if (!orders.ok()) return orders.status();
    if (orders->empty()) continue;
    auto o = ParseStored<v1::Order>(orders->front(), 2);
    if (!o.ok()) return o.status();
    if (!o->logistics_code().empty()) continue;
    o->set_logistics_code(*codes.begin());
    if (auto s = Rewrite(tx, v1::DOCUMENT_KIND_ORDER, order_key, order_key, order_key,
                         o->SerializeAsString());
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

}  // namespace

const std::vector<store::Migration>& Migrations() {
  static const std::vector<store::Migration>* migrations = new std::vector<store::Migration>{
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
      {3, "documents keyed by their sender, each knowing its order",
       R"sql(
-- Each document is keyed by its own sender (filing_rules.h), so that one filed by an enterprise
-- the order does not name can neither block nor replace the real one:
--   order    "<ebp_code>/<order_no>"                 (the order key)
--   payment  "<pay_code>|<ebp_code>/<order_no>"      (PaymentKey)
--   receipt  "<ebc_code>|<ebp_code>/<order_no>"      (ReceiptKey)
--   waybill  "<logistics_code>/<logistics_no>"       (WaybillKey)
-- order_key is the order each belongs to: a waybill's is "<Waybill.ebp_code>/<order_no>".
ALTER TABLE documents ADD COLUMN order_key TEXT NOT NULL DEFAULT '';
UPDATE documents SET order_key = doc_key WHERE kind = 1;
CREATE INDEX documents_order_key ON documents (order_key);
)sql",
       KeyDocumentsBySender},
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
)sql"},
      {5, "the verdicts published per order",
       R"sql(
-- Which verdicts the service has published for the order, bits: 1 matched, 2 rejected, so that
-- each verdict event says whether it is the order's first of its kind (first_for_order). NULL:
-- a declaration stored before this migration, whose earlier verdicts nobody counted here.
ALTER TABLE declarations ADD COLUMN verdicts BIGINT;
)sql"}};
  return *migrations;
}

absl::Status ApplySchema(store::Database& db) {
  if (auto s = store::ApplyMigrations(db, "declarations", Migrations()); !s.ok()) return s;
  // After migration 1, which made the projection's table before the library owned it.
  return residents::ApplySchema(db);
}

}  // namespace parkline::declarations
