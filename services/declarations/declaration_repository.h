// SQL for the declarations service's tables, inside a caller's transaction. No rules here
// (document_rules.h, declaration_matcher.h) and no events (declaration_desk.h).
//
// A repository lives for one transaction (one attempt of it) and remembers the documents,
// declarations and resident codes it has read or written, so that matching an order reads each
// row once: every change to those tables in the transaction must go through this repository.
// What a submission will read can be asked for at once (Prefetch), and its writes use
// Transaction::ExecuteLater. (On PostgreSQL each statement is a round trip of its own unless sent
// together: a waiting order took 16 of them, then 11; in the group commit now 2, its savepoint
// with its reads and its writes with its release.)
//
// Personal data (personal_fields.h) never reaches a table in clear: SaveDocument stores the
// document with its personal fields cleared and seals them (secrets/sealed_box.h, under the key
// ring's active key, bound to the row by "declarations/documents/<kind>/<doc_key>") in
// `personal`, its key id in `personal_key_id`; every read joins them back, so the callers see
// whole documents. An order's buyer is also stored as a pseudonym (`buyer`, secrets/pseudonym.h),
// as is each quota reservation's (`quota_reservations.buyer`, key id in `buyer_key_id`); a
// look-up by ID number searches the pseudonyms under every key of the ring.
#ifndef PARKLINE_DECLARATIONS_DECLARATION_REPOSITORY_H_
#define PARKLINE_DECLARATIONS_DECLARATION_REPOSITORY_H_

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "declarations/buyer_quota_access.h"
#include "declarations/document_outcome.h"
#include "parkline/declarations/v1/declarations.pb.h"
#include "secrets/key_ring.h"
#include "store/database.h"

namespace parkline::declarations {

namespace v1 = ::parkline::declarations::v1;

struct DeclarationFilter {
  std::string enterprise_code;
  v1::DeclarationStatus status = v1::DECLARATION_STATUS_UNSPECIFIED;
  std::string business_mode;
  v1::Direction direction = v1::DIRECTION_UNSPECIFIED;
  int64_t from_micros = 0;        // updated_at >= from (0: no bound)
  int64_t to_micros = INT64_MAX;  // updated_at < to
};

class DeclarationRepository {
 public:
  // A repository without keys (the clearance consumer's, which only releases quota) reads and
  // writes no document and no buyer: those calls fail with FAILED_PRECONDITION.
  explicit DeclarationRepository(store::Transaction& tx);
  DeclarationRepository(store::Transaction& tx, const secrets::KeyRing& keys)
      : tx_(tx), keys_(keys) {}

  absl::StatusOr<std::optional<StoredDocument>> FindDocument(v1::DocumentKind kind,
                                                             const std::string& doc_key);
  // Reads the documents of every kind in `kinds` keyed `doc_key` in one statement, so that the
  // FindDocument calls that follow need none.
  absl::Status PrefetchDocuments(const std::vector<v1::DocumentKind>& kinds,
                                 const std::string& doc_key);

  // Reads that Prefetch makes together (store::Transaction::QueryAll). Empty parts read nothing.
  struct ReadAhead {
    std::set<std::string> resident_codes;  // for ResidentAmong
    std::vector<v1::DocumentKind> kinds;   // for FindDocument(kind, doc_key)
    std::string doc_key;
    // More documents for FindDocument: (kind, doc_key).
    std::vector<std::pair<v1::DocumentKind, std::string>> also;
    std::string order_key;                                       // for FindDeclaration
    v1::DocumentKind live_kind = v1::DOCUMENT_KIND_UNSPECIFIED;  // for LiveDocumentsFor
    std::string order_no;
  };
  // Reads what `reads` names and this repository does not know yet, in one round trip, so that
  // the calls it covers that follow need none.
  absl::Status Prefetch(const ReadAhead& reads);
  // The statements Prefetch(reads) sends when the repository knows nothing yet: to be read ahead
  // of the transaction's turn (store::GroupCommitter::ReadAhead) and their rows given to Seed.
  static std::vector<store::Statement> ReadsAheadOf(const ReadAhead& reads);
  // Takes `rows`, what ReadsAheadOf(reads) read in this transaction, as Prefetch(reads) would
  // have. Only on a repository that has read and written nothing yet.
  absl::Status Seed(const ReadAhead& reads, const std::vector<std::vector<store::Row>>& rows);
  // `order_key`: the order the document belongs to ("<ebp_code>/<order_no>"; schema.cc).
  absl::Status SaveDocument(v1::DocumentKind kind, const std::string& doc_key,
                            const std::string& order_key, const std::string& order_no,
                            const std::string& guid, const std::string& payload, bool withdrawn);
  // The payloads of the live (not withdrawn) documents of `kind` carrying `order_no`, oldest
  // first.
  absl::StatusOr<std::vector<std::string>> LiveDocumentsFor(v1::DocumentKind kind,
                                                            const std::string& order_no);

  // Live documents received before `before_micros` whose order is not matched, oldest first,
  // after (received_at, kind, doc_key) = `after`.
  struct WaitingRow {
    v1::WaitingDocument document;
    int64_t received_micros;
  };
  absl::StatusOr<std::vector<WaitingRow>> Waiting(int64_t before_micros, int64_t after_micros,
                                                  const std::string& after_key, int limit);
  absl::Status Expire(v1::DocumentKind kind, const std::string& doc_key, int64_t at_micros);

  absl::StatusOr<std::optional<v1::Declaration>> FindDeclaration(const std::string& order_key);
  absl::Status SaveDeclaration(const v1::Declaration& declaration, int64_t updated_micros);
  // Counts `verdict` (MATCHED or REJECTED) published for the order, whose declaration is stored:
  // whether it is the order's first of its kind, or nullopt when the declaration was stored
  // before the service kept count (schema migration 5).
  absl::StatusOr<std::optional<bool>> MarkVerdict(const std::string& order_key,
                                                  v1::DeclarationStatus verdict);
  absl::StatusOr<std::vector<v1::Declaration>> ListDeclarations(const DeclarationFilter& filter,
                                                                const std::string& after_key,
                                                                int limit);

  // What the buyer of ID number `buyer_id_number` has reserved in `year`, leaving out
  // `except_order_key` (found by its pseudonym under every key of the ring).
  absl::StatusOr<int64_t> QuotaUsed(const std::string& buyer_id_number, int year,
                                    const std::string& except_order_key);
  // Reserves for `order_key` under the buyer's pseudonym by the active key.
  absl::Status Reserve(const std::string& order_key, const std::string& buyer_id_number, int year,
                       int64_t amount);
  absl::Status Release(const std::string& order_key);

  // The enterprises of every order the park holds of the buyer of `buyer_id_number`: the stored
  // orders under the buyer's pseudonym, and the declarations of the buyer's quota reservations
  // (which outlive the retention pass).
  absl::StatusOr<std::vector<OrderParties>> OrdersOfBuyer(const std::string& buyer_id_number);

  // The retention pass: erases the sealed personal data (and the buyer's pseudonym) of up to
  // `limit` documents whose declaration became final (matched, rejected, withdrawn) before
  // `before_micros`, or which were withdrawn or expired before then. The documents stay, their
  // personal fields empty. Returns how many were erased.
  absl::StatusOr<int> ErasePersonal(int64_t before_micros, int limit);

  // Key rotation, a batch at a time, in (kind, doc_key) / order_key order after `after`:
  // documents whose personal data is under another key than the active one (or still in clear,
  // from before migration 4) sealed again under the active key, and their buyer's pseudonym
  // with them; quota reservations whose pseudonym is by another key (or the SHA-256 of before
  // migration 4) made again by the active key from their order's ID number. A row that cannot
  // be redone (its key gone from the ring, or its order's personal data erased) is left as it
  // is and counted. `next_after` is where the next batch starts; empty when done.
  struct RotationBatch {
    int redone = 0;
    int left = 0;
    std::string next_after;
  };
  absl::StatusOr<RotationBatch> ResealDocuments(const std::string& after, int limit);
  absl::StatusOr<RotationBatch> RekeyQuota(const std::string& after, int limit);

  // Which of `codes` belong to resident enterprises (one statement).
  absl::StatusOr<std::set<std::string>> ResidentAmong(const std::set<std::string>& codes);

 private:
  store::Transaction& tx_;
  const secrets::KeyRing& keys_;
  // What this transaction knows of a row: nullopt when it does not exist.
  std::map<std::pair<v1::DocumentKind, std::string>, std::optional<StoredDocument>> documents_;
  std::map<std::string, std::optional<v1::Declaration>> declarations_;
  // The verdicts published for a stored declaration (bits, schema migration 5): nullopt when it
  // was stored before the count; no entry when not read.
  std::map<std::string, std::optional<int64_t>> verdicts_;
  // LiveDocumentsFor's answers by (kind, order_no), until a document of that kind changes.
  std::map<std::pair<v1::DocumentKind, std::string>, std::vector<std::string>> live_;
  std::map<std::string, bool> residents_;  // code -> resident

  // One read of a Prefetch, and how its rows are taken.
  struct Part {
    store::Statement statement;
    std::function<absl::Status(DeclarationRepository&, const std::vector<store::Row>&)> take;
  };
  // The reads `reads` names that `known` cannot answer yet (all of them when null).
  static std::vector<Part> PartsOf(const ReadAhead& reads, const DeclarationRepository* known);
  absl::Status Take(const std::vector<Part>& parts,
                    const std::vector<std::vector<store::Row>>& rows);

  void ForgetLive(v1::DocumentKind kind);
  // A stored row's document, its personal data opened and joined back.
  absl::StatusOr<std::string> Decode(v1::DocumentKind kind, const std::string& doc_key,
                                     const store::Row& row, int payload, int key_id, int personal);
  // The placeholders of the pseudonyms of `buyer_id_number` under every key, appended to
  // `params`: "$3, $4" for IN (...).
  std::string BuyerIn(const std::string& buyer_id_number, store::Params& params) const;
};

}  // namespace parkline::declarations

#endif  // PARKLINE_DECLARATIONS_DECLARATION_REPOSITORY_H_
