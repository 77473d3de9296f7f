#include "declarations/declaration_repository.h"

#include <functional>
#include <iterator>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "declarations/personal_fields.h"
#include "google/protobuf/util/time_util.h"
#include "parkline/declarations/v1/documents.pb.h"
#include "residents/residents.h"
#include "runtime/job_errors.h"
#include "secrets/pseudonym.h"
#include "secrets/sealed_box.h"

namespace parkline::declarations {
namespace {

// A verdict's bit in declarations.verdicts (schema migration 5); 0 for a status that is none.
int64_t VerdictBit(v1::DeclarationStatus status) {
  switch (status) {
    case v1::DECLARATION_STATUS_MATCHED:
      return 1;
    case v1::DECLARATION_STATUS_REJECTED:
      return 2;
    default:
      return 0;
  }
}

int64_t NowMicros() { return absl::ToUnixMicros(absl::Now()); }

// The pseudonyms of buyers' ID numbers are made for this purpose only (secrets/pseudonym.h).
constexpr char kBuyerPurpose[] = "declarations/buyer";

// The personal_key_id of a row written before migration 4: its payload is the whole document in
// clear, to be sealed by the rotation pass; and the buyer_key_id of a quota reservation keyed by
// the unkeyed SHA-256 of the ID number then.
constexpr char kBeforeSealing[] = "-";

// What a sealed box is bound to: the row it is stored in.
std::string SealedRow(v1::DocumentKind kind, const std::string& doc_key) {
  return absl::StrCat("declarations/documents/", static_cast<int>(kind), "/", doc_key);
}

const secrets::KeyRing& NoKeys() {
  static const auto* none = new secrets::KeyRing();
  return *none;
}

absl::Status NeedKeys(const secrets::KeyRing& keys) {
  if (keys.active() != nullptr) return absl::OkStatus();
  return absl::FailedPreconditionError("no personal-data key: documents cannot be read or stored");
}

// A document's row as stored: the rest in clear, the personal part sealed, the buyer's pseudonym.
struct EncodedDocument {
  std::string rest;
  store::Value key_id;    // NULL when there is nothing personal
  store::Value personal;  // NULL when there is nothing personal
  store::Value buyer;     // orders with a buyer only
};

absl::StatusOr<EncodedDocument> Encode(const secrets::KeyRing& keys, v1::DocumentKind kind,
                                       const std::string& doc_key, const std::string& payload) {
  if (auto s = NeedKeys(keys); !s.ok()) return s;
  auto split = SplitPersonal(kind, payload);
  if (!split.ok()) return split.status();
  EncodedDocument out;
  out.rest = std::move(split->rest);
  if (!split->personal.empty()) {
    auto sealed = secrets::Seal(keys, split->personal, SealedRow(kind, doc_key));
    if (!sealed.ok()) return sealed.status();
    out.key_id = sealed->key_id;
    out.personal = store::Blob{std::move(sealed->box)};
  }
  if (kind == v1::DOCUMENT_KIND_ORDER) {
    v1::Order order;
    order.ParseFromString(payload);
    if (!order.buyer_id_number().empty()) {
      out.buyer = secrets::Pseudonym(*keys.active(), kBuyerPurpose, order.buyer_id_number());
    }
  }
  return out;
}

}  // namespace

DeclarationRepository::DeclarationRepository(store::Transaction& tx) : tx_(tx), keys_(NoKeys()) {}

absl::StatusOr<std::string> DeclarationRepository::Decode(v1::DocumentKind kind,
                                                          const std::string& doc_key,
                                                          const store::Row& row, int payload,
                                                          int key_id, int personal) {
  if (auto s = NeedKeys(keys_); !s.ok()) return s;
  if (row.IsNull(key_id) || row.IsNull(personal)) return row.Text(payload);  // none, or erased
  if (row.Text(key_id) == kBeforeSealing) return row.Text(payload);  // until rotation seals it
  auto opened =
      secrets::Open(keys_, {row.Text(key_id), row.Text(personal)}, SealedRow(kind, doc_key));
  if (!opened.ok()) {
    std::string message =
        absl::StrCat("stored document ", doc_key, ": ", opened.status().message());
    // Sealed data that does not authenticate was changed outside the service: say so loudly.
    if (absl::IsDataLoss(opened.status())) return runtime::UnreadableRow("documents", message);
    return absl::Status(opened.status().code(), message);
  }
  auto joined = JoinPersonal(kind, row.Text(payload), *opened);
  if (absl::IsDataLoss(joined.status())) {
    return runtime::UnreadableRow(
        "documents", absl::StrCat("stored document ", doc_key, ": ", joined.status().message()));
  }
  return joined;
}

std::string DeclarationRepository::BuyerIn(const std::string& buyer_id_number,
                                           store::Params& params) const {
  std::string in;
  for (const auto& p : secrets::PseudonymsUnderEveryKey(keys_, kBuyerPurpose, buyer_id_number)) {
    absl::StrAppend(&in, in.empty() ? "" : ", ", "$", params.size() + 1);
    params.push_back(p.pseudonym);
  }
  return in;
}

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

std::vector<DeclarationRepository::Part> DeclarationRepository::PartsOf(
    const ReadAhead& reads, const DeclarationRepository* known) {
  std::vector<Part> parts;
  auto documents = [&](const std::vector<v1::DocumentKind>& wanted, const std::string& doc_key) {
    std::vector<v1::DocumentKind> kinds;
    for (v1::DocumentKind kind : wanted) {
      if (known == nullptr || known->documents_.count({kind, doc_key}) == 0) kinds.push_back(kind);
    }
    if (kinds.empty()) return;
    store::Statement read{
        "SELECT kind, payload, withdrawn, expired_at, personal_key_id, personal FROM documents "
        "WHERE doc_key = $1 AND kind IN (",
        {doc_key}};
    for (v1::DocumentKind kind : kinds) {
      absl::StrAppend(&read.sql, read.params.size() > 1 ? ", " : "", "$", read.params.size() + 1);
      // In place: a moved temporary variant here makes GCC 12 warn, falsely, of an uninitialized
      // string.
      read.params.emplace_back(std::in_place_type<int64_t>, kind);
    }
    read.sql += ")";
    parts.push_back(
        {std::move(read),
         [kinds, key = doc_key](DeclarationRepository& repo, const std::vector<store::Row>& rows) {
           for (v1::DocumentKind kind : kinds) repo.documents_[{kind, key}] = std::nullopt;
           for (const store::Row& r : rows) {
             auto kind = static_cast<v1::DocumentKind>(r.Int(0));
             auto payload = repo.Decode(kind, key, r, 1, 4, 5);
             if (!payload.ok()) return payload.status();
             // An expired document counts as withdrawn: it takes no part in matching
             // until sent again.
             repo.documents_[{kind, key}] = StoredDocument{*payload, r.Int(2) != 0 || !r.IsNull(3)};
           }
           return absl::OkStatus();
         }});
  };
  documents(reads.kinds, reads.doc_key);
  for (const auto& [kind, doc_key] : reads.also) documents({kind}, doc_key);
  if (!reads.order_key.empty() &&
      (known == nullptr || known->declarations_.count(reads.order_key) == 0)) {
    parts.push_back(
        {{"SELECT payload, verdicts FROM declarations WHERE order_key = $1", {reads.order_key}},
         [key = reads.order_key](DeclarationRepository& repo, const std::vector<store::Row>& rows) {
           std::optional<v1::Declaration> found;
           repo.verdicts_.erase(key);
           if (!rows.empty()) {
             repo.verdicts_[key] = rows.front().IsNull(1)
                                       ? std::optional<int64_t>()
                                       : std::optional<int64_t>(rows.front().Int(1));
             v1::Declaration d;
             if (!d.ParseFromString(rows.front().Text(0))) {
               return runtime::UnreadableRow("declarations",
                                             absl::StrCat("declaration ", key, " is unreadable"));
             }
             found = std::move(d);
           }
           repo.declarations_[key] = std::move(found);
           return absl::OkStatus();
         }});
  }
  if (reads.live_kind != v1::DOCUMENT_KIND_UNSPECIFIED &&
      (known == nullptr || known->live_.count({reads.live_kind, reads.order_no}) == 0)) {
    parts.push_back(
        {{"SELECT payload, doc_key, personal_key_id, personal FROM documents WHERE kind = $1 AND "
          "order_no = $2 AND withdrawn = 0 AND expired_at IS NULL ORDER BY received_at, doc_key",
          {int64_t{reads.live_kind}, reads.order_no}},
         [live = std::make_pair(reads.live_kind, reads.order_no)](
             DeclarationRepository& repo, const std::vector<store::Row>& rows) {
           std::vector<std::string>& payloads = repo.live_[live];
           payloads.clear();
           for (const store::Row& r : rows) {
             auto payload = repo.Decode(live.first, r.Text(1), r, 0, 2, 3);
             if (!payload.ok()) return payload.status();
             payloads.push_back(std::move(*payload));
           }
           return absl::OkStatus();
         }});
  }
  std::vector<std::string> codes;
  for (const std::string& code : reads.resident_codes) {
    if (known == nullptr || known->residents_.count(code) == 0) codes.push_back(code);
  }
  if (!codes.empty()) {
    parts.push_back({residents::SelectResident(codes),
                     [codes](DeclarationRepository& repo, const std::vector<store::Row>& rows) {
                       for (const std::string& code : codes) repo.residents_[code] = false;
                       for (const store::Row& r : rows) repo.residents_[r.Text(0)] = true;
                       return absl::OkStatus();
                     }});
  }
  return parts;
}

absl::Status DeclarationRepository::Prefetch(const ReadAhead& reads) {
  // Each read this repository cannot answer yet.
  std::vector<Part> parts = PartsOf(reads, this);
  if (parts.empty()) return absl::OkStatus();
  std::vector<store::Statement> statements;
  for (const Part& part : parts) statements.push_back(part.statement);
  auto results = tx_.QueryAll(statements);
  if (!results.ok()) return results.status();
  return Take(parts, *results);
}

std::vector<store::Statement> DeclarationRepository::ReadsAheadOf(const ReadAhead& reads) {
  std::vector<store::Statement> statements;
  for (Part& part : PartsOf(reads, nullptr)) statements.push_back(std::move(part.statement));
  return statements;
}

absl::Status DeclarationRepository::Seed(const ReadAhead& reads,
                                         const std::vector<std::vector<store::Row>>& rows) {
  std::vector<Part> parts = PartsOf(reads, nullptr);
  if (parts.size() != rows.size()) {
    return absl::InternalError("rows read ahead do not fit the reads");
  }
  return Take(parts, rows);
}

absl::Status DeclarationRepository::Take(const std::vector<Part>& parts,
                                         const std::vector<std::vector<store::Row>>& rows) {
  for (size_t i = 0; i < parts.size(); ++i) {
    if (auto s = parts[i].take(*this, rows[i]); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status DeclarationRepository::SaveDocument(v1::DocumentKind kind, const std::string& doc_key,
                                                 const std::string& order_key,
                                                 const std::string& order_no,
                                                 const std::string& guid,
                                                 const std::string& payload, bool withdrawn) {
  auto encoded = Encode(keys_, kind, doc_key, payload);
  if (!encoded.ok()) return encoded.status();
  absl::Status saved = tx_.ExecuteLater(
      "INSERT INTO documents (kind, doc_key, order_no, guid, payload, withdrawn, received_at, "
      "personal_key_id, personal, buyer, order_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
      "$10, $11) ON CONFLICT (kind, doc_key) DO UPDATE SET "
      "order_no = excluded.order_no, guid = excluded.guid, payload = excluded.payload, "
      "withdrawn = excluded.withdrawn, received_at = excluded.received_at, expired_at = NULL, "
      "personal_key_id = excluded.personal_key_id, personal = excluded.personal, "
      "buyer = excluded.buyer, order_key = excluded.order_key",
      {int64_t{kind}, doc_key, order_no, guid, store::Blob{std::move(encoded->rest)},
       int64_t{withdrawn ? 1 : 0}, NowMicros(), encoded->key_id, encoded->personal, encoded->buyer,
       order_key});
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
  // A new declaration has published no verdict yet; an existing one keeps its count, unless the
  // verdict it holds is not in it: a replica of a version before the count (a rolling upgrade)
  // gave it, so the count can no longer say what is first and is given up (NULL).
  auto known = declarations_.find(d.order_key());
  bool created = known != declarations_.end() && !known->second;
  bool uncounted = false;
  if (known != declarations_.end() && known->second) {
    auto count = verdicts_.find(d.order_key());
    int64_t bit = VerdictBit(known->second->status());
    uncounted =
        bit != 0 && count != verdicts_.end() && count->second && (*count->second & bit) == 0;
  }
  absl::Status saved = tx_.ExecuteLater(
      "INSERT INTO declarations (order_key, status, direction, business_mode, ebp_code, "
      "ebc_code, pay_code, logistics_code, payload, updated_at, verdicts) VALUES ($1, $2, $3, $4, "
      "$5, $6, $7, $8, $9, $10, 0) ON CONFLICT (order_key) DO UPDATE SET status = excluded.status, "
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
  if (created) verdicts_[d.order_key()] = 0;
  if (uncounted) {
    verdicts_[d.order_key()] = std::nullopt;
    return tx_.ExecuteLater("UPDATE declarations SET verdicts = NULL WHERE order_key = $1",
                            {d.order_key()});
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<bool>> DeclarationRepository::MarkVerdict(
    const std::string& order_key, v1::DeclarationStatus verdict) {
  const int64_t bit = VerdictBit(verdict);
  if (bit == 0) return absl::InternalError("only a match or a rejection is a verdict");
  if (verdicts_.count(order_key) == 0) {
    // Not read with the declaration: read both again (after the writes held back).
    declarations_.erase(order_key);
    if (auto d = FindDeclaration(order_key); !d.ok()) return d.status();
  }
  auto known = verdicts_.find(order_key);
  if (known == verdicts_.end()) return absl::InternalError("a verdict for no declaration");
  if (!known->second) return std::optional<bool>();  // stored before the count
  bool first = (*known->second & bit) == 0;
  if (first) {
    *known->second |= bit;
    if (auto s = tx_.ExecuteLater("UPDATE declarations SET verdicts = $1 WHERE order_key = $2",
                                  {*known->second, order_key});
        !s.ok()) {
      verdicts_.erase(order_key);
      return s;
    }
  }
  return std::optional<bool>(first);
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
    if (!d.ParseFromString(r.Text(0)))
      return runtime::UnreadableRow("declarations", "a declaration is unreadable");
    out.push_back(std::move(d));
  }
  return out;
}

absl::StatusOr<int64_t> DeclarationRepository::QuotaUsed(const std::string& buyer_id_number,
                                                         int year,
                                                         const std::string& except_order_key) {
  if (auto s = NeedKeys(keys_); !s.ok()) return s;
  std::vector<store::Value> params = {int64_t{year}, except_order_key};
  std::string in = BuyerIn(buyer_id_number, params);
  auto rows = tx_.Query(absl::StrCat("SELECT COALESCE(SUM(amount), 0) FROM quota_reservations "
                                     "WHERE year = $1 AND order_key <> $2 AND buyer IN (",
                                     in, ")"),
                        params);
  if (!rows.ok()) return rows.status();
  return rows->front().Int(0);
}

absl::Status DeclarationRepository::Reserve(const std::string& order_key,
                                            const std::string& buyer_id_number, int year,
                                            int64_t amount) {
  if (auto s = NeedKeys(keys_); !s.ok()) return s;
  const secrets::SecretKey& key = *keys_.active();
  return tx_.ExecuteLater(
      "INSERT INTO quota_reservations (order_key, buyer, buyer_key_id, year, amount) VALUES ($1, "
      "$2, $3, $4, $5) ON CONFLICT (order_key) DO UPDATE SET buyer = excluded.buyer, "
      "buyer_key_id = excluded.buyer_key_id, year = excluded.year, amount = excluded.amount",
      {order_key, secrets::Pseudonym(key, kBuyerPurpose, buyer_id_number), key.id, int64_t{year},
       amount});
}

absl::Status DeclarationRepository::Release(const std::string& order_key) {
  return tx_.ExecuteLater("DELETE FROM quota_reservations WHERE order_key = $1", {order_key});
}

absl::StatusOr<std::vector<OrderParties>> DeclarationRepository::OrdersOfBuyer(
    const std::string& buyer_id_number) {
  if (auto s = NeedKeys(keys_); !s.ok()) return s;
  store::Statement orders{"", {int64_t{v1::DOCUMENT_KIND_ORDER}}};
  orders.sql = absl::StrCat("SELECT payload FROM documents WHERE kind = $1 AND buyer IN (",
                            BuyerIn(buyer_id_number, orders.params), ")");
  store::Statement reserved;
  reserved.sql = absl::StrCat(
      "SELECT x.ebp_code, x.ebc_code, x.pay_code FROM quota_reservations q "
      "JOIN declarations x ON x.order_key = q.order_key WHERE q.buyer IN (",
      BuyerIn(buyer_id_number, reserved.params), ")");
  std::vector<store::Statement> reads = {std::move(orders), std::move(reserved)};
  auto results = tx_.QueryAll(reads);
  if (!results.ok()) return results.status();
  std::vector<OrderParties> out;
  for (const store::Row& r : (*results)[0]) {
    v1::Order order;  // the parties are in the part stored in clear
    if (!order.ParseFromString(r.Text(0)))
      return runtime::UnreadableRow("documents", "an order is unreadable");
    out.push_back({order.ebp_code(), order.ebc_code(), order.pay_code()});
  }
  for (const store::Row& r : (*results)[1]) out.push_back({r.Text(0), r.Text(1), r.Text(2)});
  return out;
}

absl::StatusOr<int> DeclarationRepository::ErasePersonal(int64_t before_micros, int limit) {
  // Final declarations by their update time (indexed), then their documents by order key
  // (indexed; not by order number alone, which another platform's waiting order may share); and
  // the documents withdrawn or expired on their own.
  std::vector<store::Statement> reads = {
      {"SELECT d.kind, d.doc_key FROM declarations x JOIN documents d ON d.order_key = "
       "x.order_key WHERE x.status IN ($1, $2, $3) AND "
       "x.updated_at < $4 AND (d.personal IS NOT NULL OR d.buyer IS NOT NULL) LIMIT $5",
       {int64_t{v1::DECLARATION_STATUS_MATCHED}, int64_t{v1::DECLARATION_STATUS_REJECTED},
        int64_t{v1::DECLARATION_STATUS_WITHDRAWN}, before_micros, int64_t{limit}}},
      {"SELECT kind, doc_key FROM documents WHERE (personal IS NOT NULL OR buyer IS NOT NULL) "
       "AND ((withdrawn = 1 AND received_at < $1) OR expired_at < $1) LIMIT $2",
       {before_micros, int64_t{limit}}}};
  auto results = tx_.QueryAll(reads);
  if (!results.ok()) return results.status();
  std::set<std::pair<int64_t, std::string>> rows;
  for (const auto& result : *results) {
    for (const store::Row& r : result) {
      if (static_cast<int>(rows.size()) < limit) rows.insert({r.Int(0), r.Text(1)});
    }
  }
  for (const auto& [kind, doc_key] : rows) {
    documents_.erase({static_cast<v1::DocumentKind>(kind), doc_key});
    if (auto s = tx_.ExecuteLater(
            "UPDATE documents SET personal = NULL, personal_key_id = NULL, buyer = NULL "
            "WHERE kind = $1 AND doc_key = $2",
            {kind, doc_key});
        !s.ok()) {
      return s;
    }
  }
  live_.clear();
  return static_cast<int>(rows.size());
}

absl::StatusOr<DeclarationRepository::RotationBatch> DeclarationRepository::ResealDocuments(
    const std::string& after, int limit) {
  if (auto s = NeedKeys(keys_); !s.ok()) return s;
  // `after` is "<kind>/<doc_key>" of the last row of the batch before.
  int64_t after_kind = 0;
  std::string after_key;
  if (!after.empty()) {
    size_t slash = after.find('/');
    after_kind = std::stoll(after.substr(0, slash));
    after_key = after.substr(slash + 1);
  }
  auto rows = tx_.Query(
      "SELECT kind, doc_key, payload, personal_key_id, personal FROM documents "
      "WHERE personal_key_id <> $1 AND (kind > $2 OR (kind = $2 AND doc_key > $3)) "
      "ORDER BY kind, doc_key LIMIT $4",
      {keys_.active()->id, after_kind, after_key, int64_t{limit}});
  if (!rows.ok()) return rows.status();
  RotationBatch batch;
  for (const store::Row& r : *rows) {
    auto kind = static_cast<v1::DocumentKind>(r.Int(0));
    const std::string& doc_key = r.Text(1);
    batch.next_after = absl::StrCat(r.Int(0), "/", doc_key);
    auto payload = Decode(kind, doc_key, r, 2, 3, 4);
    if (!payload.ok()) {
      ++batch.left;  // its key is gone from the ring: nothing can open it any more
      continue;
    }
    auto encoded = Encode(keys_, kind, doc_key, *payload);
    if (!encoded.ok()) return encoded.status();
    documents_.erase({kind, doc_key});
    if (auto s = tx_.ExecuteLater(
            "UPDATE documents SET payload = $1, personal_key_id = $2, personal = $3, buyer = $4 "
            "WHERE kind = $5 AND doc_key = $6",
            {store::Blob{std::move(encoded->rest)}, encoded->key_id, encoded->personal,
             encoded->buyer, r.Int(0), doc_key});
        !s.ok()) {
      return s;
    }
    ++batch.redone;
  }
  live_.clear();
  if (static_cast<int>(rows->size()) < limit) batch.next_after.clear();
  return batch;
}

absl::StatusOr<DeclarationRepository::RotationBatch> DeclarationRepository::RekeyQuota(
    const std::string& after, int limit) {
  if (auto s = NeedKeys(keys_); !s.ok()) return s;
  auto rows = tx_.Query(
      "SELECT order_key FROM quota_reservations WHERE buyer_key_id <> $1 AND order_key > $2 "
      "ORDER BY order_key LIMIT $3",
      {keys_.active()->id, after, int64_t{limit}});
  if (!rows.ok()) return rows.status();
  RotationBatch batch;
  for (const store::Row& r : *rows) {
    const std::string& order_key = r.Text(0);
    batch.next_after = order_key;
    auto order = FindDocument(v1::DOCUMENT_KIND_ORDER, order_key);
    v1::Order o;
    if (order.ok() && *order && !o.ParseFromString((*order)->payload)) {
      // Skipped like an erased one, but never silently.
      runtime::UnreadableRow("documents", absl::StrCat("order ", order_key, " is unreadable"))
          .IgnoreError();
      ++batch.left;
      continue;
    }
    if (!order.ok() || !*order || o.buyer_id_number().empty()) {
      ++batch.left;  // its order's personal data is erased: keep the old key
      continue;
    }
    const secrets::SecretKey& key = *keys_.active();
    if (auto s = tx_.ExecuteLater(
            "UPDATE quota_reservations SET buyer = $1, buyer_key_id = $2 WHERE order_key = $3",
            {secrets::Pseudonym(key, kBuyerPurpose, o.buyer_id_number()), key.id, order_key});
        !s.ok()) {
      return s;
    }
    ++batch.redone;
  }
  if (static_cast<int>(rows->size()) < limit) batch.next_after.clear();
  return batch;
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
