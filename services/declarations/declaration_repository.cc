#include "declarations/declaration_repository.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/protobuf/util/time_util.h"

namespace parkline::declarations {
namespace {

int64_t NowMicros() { return absl::ToUnixMicros(absl::Now()); }

}  // namespace

absl::StatusOr<std::optional<StoredDocument>> DeclarationRepository::FindDocument(
    v1::DocumentKind kind, const std::string& doc_key) {
  auto known = documents_.find({kind, doc_key});
  if (known != documents_.end()) return known->second;
  if (auto s = PrefetchDocuments({kind}, doc_key); !s.ok()) return s;
  return documents_[{kind, doc_key}];
}

absl::Status DeclarationRepository::PrefetchDocuments(const std::vector<v1::DocumentKind>& kinds,
                                                      const std::string& doc_key) {
  std::string sql =
      "SELECT kind, payload, withdrawn, expired_at FROM documents WHERE doc_key = $1 AND kind IN (";
  store::Params params = {doc_key};
  for (v1::DocumentKind kind : kinds) {
    if (documents_.count({kind, doc_key}) > 0) continue;
    absl::StrAppend(&sql, params.size() > 1 ? ", " : "", "$", params.size() + 1);
    params.push_back(int64_t{kind});
    documents_[{kind, doc_key}] = std::nullopt;  // unless the query finds it
  }
  if (params.size() == 1) return absl::OkStatus();
  auto rows = tx_.Query(sql + ")", params);
  if (!rows.ok()) {
    for (v1::DocumentKind kind : kinds) documents_.erase({kind, doc_key});
    return rows.status();
  }
  for (const store::Row& r : *rows) {
    // An expired document counts as withdrawn: it takes no part in matching until sent again.
    documents_[{static_cast<v1::DocumentKind>(r.Int(0)), doc_key}] =
        StoredDocument{r.Text(1), r.Int(2) != 0 || !r.IsNull(3)};
  }
  return absl::OkStatus();
}

absl::Status DeclarationRepository::SaveDocument(v1::DocumentKind kind, const std::string& doc_key,
                                                 const std::string& order_no,
                                                 const std::string& guid,
                                                 const std::string& payload, bool withdrawn) {
  auto saved = tx_.Execute(
      "INSERT INTO documents (kind, doc_key, order_no, guid, payload, withdrawn, received_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (kind, doc_key) DO UPDATE SET "
      "order_no = excluded.order_no, guid = excluded.guid, payload = excluded.payload, "
      "withdrawn = excluded.withdrawn, received_at = excluded.received_at, expired_at = NULL",
      {int64_t{kind}, doc_key, order_no, guid, store::Blob{payload}, int64_t{withdrawn ? 1 : 0},
       NowMicros()});
  if (!saved.ok()) {
    documents_.erase({kind, doc_key});
    return saved.status();
  }
  documents_[{kind, doc_key}] = StoredDocument{payload, withdrawn};
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::string>> DeclarationRepository::LiveDocumentsFor(
    v1::DocumentKind kind, const std::string& order_no) {
  auto rows = tx_.Query(
      "SELECT payload FROM documents WHERE kind = $1 AND order_no = $2 AND withdrawn = 0 "
      "AND expired_at IS NULL "
      "ORDER BY received_at, doc_key",
      {int64_t{kind}, order_no});
  if (!rows.ok()) return rows.status();
  std::vector<std::string> out;
  for (const store::Row& r : *rows) out.push_back(r.Text(0));
  return out;
}

absl::StatusOr<std::vector<DeclarationRepository::WaitingRow>> DeclarationRepository::Waiting(
    int64_t before_micros, int64_t after_micros, const std::string& after_key, int limit) {
  // A waybill belongs to every order with its order number: it waits while none is matched.
  auto rows = tx_.Query(
      "SELECT d.kind, d.doc_key, d.order_no, d.guid, d.received_at FROM documents d "
      "WHERE d.withdrawn = 0 AND d.expired_at IS NULL AND d.received_at < $1 "
      "AND (d.received_at > $2 OR (d.received_at = $2 AND d.doc_key > $3)) "
      "AND NOT EXISTS (SELECT 1 FROM declarations x WHERE x.status = $4 AND "
      "(x.order_key = d.doc_key OR (d.kind = $5 AND x.order_key LIKE '%/' || d.order_no))) "
      "ORDER BY d.received_at, d.doc_key LIMIT $6",
      {before_micros, after_micros, after_key, int64_t{v1::DECLARATION_STATUS_MATCHED},
       int64_t{v1::DOCUMENT_KIND_WAYBILL}, int64_t{limit}});
  if (!rows.ok()) return rows.status();
  std::vector<WaitingRow> out;
  for (const store::Row& r : *rows) {
    WaitingRow w;
    w.document.set_kind(static_cast<v1::DocumentKind>(r.Int(0)));
    w.document.set_document_key(r.Text(1));
    w.document.set_order_no(r.Text(2));
    w.document.set_guid(r.Text(3));
    w.received_micros = r.Int(4);
    *w.document.mutable_received_time() =
        google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(w.received_micros);
    out.push_back(std::move(w));
  }
  return out;
}

absl::Status DeclarationRepository::Expire(v1::DocumentKind kind, const std::string& doc_key,
                                           int64_t at_micros) {
  documents_.erase({kind, doc_key});  // read again when asked
  return tx_
      .Execute("UPDATE documents SET expired_at = $1 WHERE kind = $2 AND doc_key = $3",
               {at_micros, int64_t{kind}, doc_key})
      .status();
}

absl::StatusOr<std::optional<v1::Declaration>> DeclarationRepository::FindDeclaration(
    const std::string& order_key) {
  auto known = declarations_.find(order_key);
  if (known != declarations_.end()) return known->second;
  auto rows = tx_.Query("SELECT payload FROM declarations WHERE order_key = $1", {order_key});
  if (!rows.ok()) return rows.status();
  std::optional<v1::Declaration> found;
  if (!rows->empty()) {
    v1::Declaration d;
    if (!d.ParseFromString(rows->front().Text(0))) {
      return absl::DataLossError(absl::StrCat("declaration ", order_key, " is unreadable"));
    }
    found = std::move(d);
  }
  declarations_[order_key] = found;
  return found;
}

absl::Status DeclarationRepository::SaveDeclaration(const v1::Declaration& d,
                                                    int64_t updated_micros) {
  auto saved = tx_.Execute(
      "INSERT INTO declarations (order_key, status, direction, business_mode, ebp_code, "
      "ebc_code, pay_code, logistics_code, payload, updated_at) VALUES ($1, $2, $3, $4, $5, "
      "$6, $7, $8, $9, $10) ON CONFLICT (order_key) DO UPDATE SET status = excluded.status, "
      "direction = excluded.direction, business_mode = excluded.business_mode, "
      "ebp_code = excluded.ebp_code, ebc_code = excluded.ebc_code, "
      "pay_code = excluded.pay_code, logistics_code = excluded.logistics_code, "
      "payload = excluded.payload, updated_at = excluded.updated_at",
      {d.order_key(), int64_t{d.status()}, int64_t{d.direction()}, d.business_mode(), d.ebp_code(),
       d.ebc_code(), d.pay_code(), d.logistics_code(), store::Blob{d.SerializeAsString()},
       updated_micros});
  if (!saved.ok()) {
    declarations_.erase(d.order_key());
    return saved.status();
  }
  declarations_[d.order_key()] = d;
  return absl::OkStatus();
}

absl::StatusOr<std::vector<v1::Declaration>> DeclarationRepository::ListDeclarations(
    const DeclarationFilter& f, const std::string& after_key, int limit) {
  auto rows = tx_.Query(
      "SELECT payload FROM declarations WHERE order_key > $1 "
      "AND ($2 = '' OR ebp_code = $2 OR ebc_code = $2 OR pay_code = $2 OR logistics_code = $2) "
      "AND ($3 = 0 OR status = $3) AND ($4 = '' OR business_mode = $4) "
      "AND ($5 = 0 OR direction = $5) AND updated_at >= $6 AND updated_at < $7 "
      "ORDER BY order_key LIMIT $8",
      {after_key, f.enterprise_code, int64_t{f.status}, f.business_mode, int64_t{f.direction},
       f.from_micros, f.to_micros, int64_t{limit}});
  if (!rows.ok()) return rows.status();
  std::vector<v1::Declaration> out;
  for (const store::Row& r : *rows) {
    v1::Declaration d;
    if (!d.ParseFromString(r.Text(0))) return absl::DataLossError("a declaration is unreadable");
    out.push_back(std::move(d));
  }
  return out;
}

absl::StatusOr<int64_t> DeclarationRepository::QuotaUsed(const std::string& buyer, int year,
                                                         const std::string& except_order_key) {
  auto rows = tx_.Query(
      "SELECT COALESCE(SUM(amount), 0) FROM quota_reservations WHERE buyer = $1 AND year = $2 "
      "AND order_key <> $3",
      {buyer, int64_t{year}, except_order_key});
  if (!rows.ok()) return rows.status();
  return rows->front().Int(0);
}

absl::Status DeclarationRepository::Reserve(const std::string& order_key, const std::string& buyer,
                                            int year, int64_t amount) {
  return tx_
      .Execute(
          "INSERT INTO quota_reservations (order_key, buyer, year, amount) VALUES ($1, $2, $3, "
          "$4) ON CONFLICT (order_key) DO UPDATE SET buyer = excluded.buyer, "
          "year = excluded.year, amount = excluded.amount",
          {order_key, buyer, int64_t{year}, amount})
      .status();
}

absl::Status DeclarationRepository::Release(const std::string& order_key) {
  return tx_.Execute("DELETE FROM quota_reservations WHERE order_key = $1", {order_key}).status();
}

absl::StatusOr<bool> DeclarationRepository::IsResident(const std::string& code) {
  auto rows = tx_.Query("SELECT 1 FROM resident_codes WHERE code = $1", {code});
  if (!rows.ok()) return rows.status();
  return !rows->empty();
}

absl::StatusOr<std::set<std::string>> DeclarationRepository::ResidentAmong(
    const std::set<std::string>& codes) {
  std::set<std::string> out;
  if (codes.empty()) return out;
  std::string sql = "SELECT code FROM resident_codes WHERE code IN (";
  store::Params params;
  for (const std::string& code : codes) {
    absl::StrAppend(&sql, params.empty() ? "" : ", ", "$", params.size() + 1);
    params.push_back(code);
  }
  auto rows = tx_.Query(sql + ")", params);
  if (!rows.ok()) return rows.status();
  for (const store::Row& r : *rows) out.insert(r.Text(0));
  return out;
}

absl::Status DeclarationRepository::SetResidentCodes(const std::string& uscc,
                                                     const std::vector<std::string>& codes) {
  auto cleared = tx_.Execute("DELETE FROM resident_codes WHERE uscc = $1", {uscc});
  if (!cleared.ok()) return cleared.status();
  for (const std::string& code : codes) {
    if (code.empty()) continue;
    auto added = tx_.Execute(
        "INSERT INTO resident_codes (code, uscc) VALUES ($1, $2) ON CONFLICT (code) DO UPDATE SET "
        "uscc = excluded.uscc",
        {code, uscc});
    if (!added.ok()) return added.status();
  }
  return absl::OkStatus();
}

}  // namespace parkline::declarations
