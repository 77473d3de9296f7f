#include "declarations/declaration_repository.h"

#include <functional>
#include <iterator>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/protobuf/util/time_util.h"
#include "residents/residents.h"

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
  ReadAhead reads;
  reads.kinds = kinds;
  reads.doc_key = doc_key;
  return Prefetch(reads);
}

absl::Status DeclarationRepository::Prefetch(const ReadAhead& reads) {
  // Each read this repository cannot answer yet: its statement, and what takes its rows.
  std::vector<store::Statement> statements;
  std::vector<std::function<absl::Status(const std::vector<store::Row>&)>> takes;
  std::vector<v1::DocumentKind> kinds;
  for (v1::DocumentKind kind : reads.kinds) {
    if (documents_.count({kind, reads.doc_key}) == 0) kinds.push_back(kind);
  }
  if (!kinds.empty()) {
    store::Statement read{
        "SELECT kind, payload, withdrawn, expired_at FROM documents WHERE doc_key = $1 AND "
        "kind IN (",
        {reads.doc_key}};
    for (v1::DocumentKind kind : kinds) {
      absl::StrAppend(&read.sql, read.params.size() > 1 ? ", " : "", "$", read.params.size() + 1);
      // In place: a moved temporary variant here makes GCC 12 warn, falsely, of an uninitialized
      // string.
      read.params.emplace_back(std::in_place_type<int64_t>, kind);
    }
    read.sql += ")";
    statements.push_back(std::move(read));
    takes.push_back([this, kinds, key = reads.doc_key](const std::vector<store::Row>& rows) {
      for (v1::DocumentKind kind : kinds) documents_[{kind, key}] = std::nullopt;
      for (const store::Row& r : rows) {
        // An expired document counts as withdrawn: it takes no part in matching until sent
        // again.
        documents_[{static_cast<v1::DocumentKind>(r.Int(0)), key}] =
            StoredDocument{r.Text(1), r.Int(2) != 0 || !r.IsNull(3)};
      }
      return absl::OkStatus();
    });
  }
  if (!reads.order_key.empty() && declarations_.count(reads.order_key) == 0) {
    statements.push_back(
        {"SELECT payload FROM declarations WHERE order_key = $1", {reads.order_key}});
    takes.push_back([this, key = reads.order_key](const std::vector<store::Row>& rows) {
      std::optional<v1::Declaration> found;
      if (!rows.empty()) {
        v1::Declaration d;
        if (!d.ParseFromString(rows.front().Text(0))) {
          return absl::DataLossError(absl::StrCat("declaration ", key, " is unreadable"));
        }
        found = std::move(d);
      }
      declarations_[key] = std::move(found);
      return absl::OkStatus();
    });
  }
  if (reads.live_kind != v1::DOCUMENT_KIND_UNSPECIFIED &&
      live_.count({reads.live_kind, reads.order_no}) == 0) {
    statements.push_back(
        {"SELECT payload FROM documents WHERE kind = $1 AND order_no = $2 AND "
         "withdrawn = 0 AND expired_at IS NULL ORDER BY received_at, doc_key",
         {int64_t{reads.live_kind}, reads.order_no}});
    takes.push_back([this, live = std::make_pair(reads.live_kind, reads.order_no)](
                        const std::vector<store::Row>& rows) {
      std::vector<std::string>& payloads = live_[live];
      payloads.clear();
      for (const store::Row& r : rows) payloads.push_back(r.Text(0));
      return absl::OkStatus();
    });
  }
  std::vector<std::string> codes;
  for (const std::string& code : reads.resident_codes) {
    if (residents_.count(code) == 0) codes.push_back(code);
  }
  if (!codes.empty()) {
    statements.push_back(residents::SelectResident(codes));
    takes.push_back([this, codes](const std::vector<store::Row>& rows) {
      for (const std::string& code : codes) residents_[code] = false;
      for (const store::Row& r : rows) residents_[r.Text(0)] = true;
      return absl::OkStatus();
    });
  }
  if (statements.empty()) return absl::OkStatus();
  auto results = tx_.QueryAll(statements);
  if (!results.ok()) return results.status();
  for (size_t i = 0; i < takes.size(); ++i) {
    if (auto s = takes[i]((*results)[i]); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status DeclarationRepository::SaveDocument(v1::DocumentKind kind, const std::string& doc_key,
                                                 const std::string& order_key,
                                                 const std::string& order_no,
                                                 const std::string& guid,
                                                 const std::string& payload, bool withdrawn) {
  absl::Status saved = tx_.ExecuteLater(
      "INSERT INTO documents (kind, doc_key, order_no, guid, payload, withdrawn, received_at, "
      "order_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (kind, doc_key) DO UPDATE "
      "SET order_no = excluded.order_no, guid = excluded.guid, payload = excluded.payload, "
      "withdrawn = excluded.withdrawn, received_at = excluded.received_at, expired_at = NULL, "
      "order_key = excluded.order_key",
      {int64_t{kind}, doc_key, order_no, guid, store::Blob{payload}, int64_t{withdrawn ? 1 : 0},
       NowMicros(), order_key});
  if (!saved.ok()) {
    documents_.erase({kind, doc_key});
    return saved;
  }
  documents_[{kind, doc_key}] = StoredDocument{payload, withdrawn};
  ForgetLive(kind);
  return absl::OkStatus();
}

void DeclarationRepository::ForgetLive(v1::DocumentKind kind) {
  // By kind, not by order number: a change may have moved the document to another one.
  for (auto it = live_.begin(); it != live_.end();) {
    it = it->first.first == kind ? live_.erase(it) : std::next(it);
  }
}

absl::StatusOr<std::vector<std::string>> DeclarationRepository::LiveDocumentsFor(
    v1::DocumentKind kind, const std::string& order_no) {
  ReadAhead reads;
  reads.live_kind = kind;
  reads.order_no = order_no;
  if (auto s = Prefetch(reads); !s.ok()) return s;
  return live_[{kind, order_no}];
}

absl::StatusOr<std::vector<DeclarationRepository::WaitingRow>> DeclarationRepository::Waiting(
    int64_t before_micros, int64_t after_micros, const std::string& after_key, int limit) {
  auto rows = tx_.Query(
      "SELECT d.kind, d.doc_key, d.order_no, d.guid, d.received_at FROM documents d "
      "WHERE d.withdrawn = 0 AND d.expired_at IS NULL AND d.received_at < $1 "
      "AND (d.received_at > $2 OR (d.received_at = $2 AND d.doc_key > $3)) "
      "AND NOT EXISTS (SELECT 1 FROM declarations x WHERE x.status = $4 AND "
      "x.order_key = d.order_key) "
      "ORDER BY d.received_at, d.doc_key LIMIT $5",
      {before_micros, after_micros, after_key, int64_t{v1::DECLARATION_STATUS_MATCHED},
       int64_t{limit}});
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
  ForgetLive(kind);
  return tx_.ExecuteLater("UPDATE documents SET expired_at = $1 WHERE kind = $2 AND doc_key = $3",
                          {at_micros, int64_t{kind}, doc_key});
}

absl::StatusOr<std::optional<v1::Declaration>> DeclarationRepository::FindDeclaration(
    const std::string& order_key) {
  ReadAhead reads;
  reads.order_key = order_key;
  if (auto s = Prefetch(reads); !s.ok()) return s;
  return declarations_[order_key];
}

absl::Status DeclarationRepository::SaveDeclaration(const v1::Declaration& d,
                                                    int64_t updated_micros) {
  absl::Status saved = tx_.ExecuteLater(
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
    return saved;
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
  return tx_.ExecuteLater(
      "INSERT INTO quota_reservations (order_key, buyer, year, amount) VALUES ($1, $2, $3, "
      "$4) ON CONFLICT (order_key) DO UPDATE SET buyer = excluded.buyer, "
      "year = excluded.year, amount = excluded.amount",
      {order_key, buyer, int64_t{year}, amount});
}

absl::Status DeclarationRepository::Release(const std::string& order_key) {
  return tx_.ExecuteLater("DELETE FROM quota_reservations WHERE order_key = $1", {order_key});
}

absl::StatusOr<std::set<std::string>> DeclarationRepository::ResidentAmong(
    const std::set<std::string>& codes) {
  ReadAhead reads;
  reads.resident_codes = codes;
  if (auto s = Prefetch(reads); !s.ok()) return s;
  std::set<std::string> out;
  for (const std::string& code : codes) {
    if (residents_[code]) out.insert(code);
  }
  return out;
}

}  // namespace parkline::declarations
