// How the declarations desk takes submitted documents inside its one transaction (Store): the
// enterprise codes checked against the residents first, then each document in turn read, allowed
// or refused for the caller by its tenant rule (filing_rules.h: from what is stored under its key
// and its order's), given its outcome by the rule (document_outcome.h), written as the outcome
// says (its order matched again or withdrawn: order_file.h) and answered with its receipt. Each
// document is judged against what is stored at its turn, so the documents before it in the same
// message count; a refusal refuses the whole submission and the caller rolls it all back.
//
// The reads are asked for ahead (DeclarationRepository::Prefetch), so that a lone document's
// reads take one round trip, and the writes are held back to go with the next statement; a lone
// order, payment or receipt has its first reads run at the start of the group commit's
// transaction with the other requests' (ReadAheadFor), so that a batch of them costs a round
// trip or two in all, not one each.
//
// Lives for one attempt of one transaction; not thread-safe.
#ifndef PARKLINE_DECLARATIONS_DOCUMENT_INTAKE_H_
#define PARKLINE_DECLARATIONS_DOCUMENT_INTAKE_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "auth/viewer.h"
#include "declarations/declaration_desk.h"
#include "declarations/declaration_repository.h"
#include "declarations/order_file.h"
#include "declarations/quota_ledger.h"
#include "store/database.h"
#include "store/group_commit.h"

namespace parkline::declarations {

// One document on its way in, reduced to what storing and matching need.
struct DeclarationDesk::Incoming {
  v1::DocumentKind kind;
  std::string field;    // "order", "messages.orders[1]" ...: where violations point
  std::string doc_key;  // see schema.cc
  std::string order_no;
  std::string ebp_code;  // a waybill's is the park's addition, Waybill.ebp_code
  std::string guid;
  v1::AppType app_type;
  std::string payload;  // canonical: serialized with app_type cleared, so resends compare equal
  // Enterprise codes that must belong to residents: (field path, code).
  std::vector<std::pair<std::string, std::string>> codes;
  v1::Direction direction;
  std::string business_mode;
  std::string sender;        // the enterprise code the event names
  std::string logistics_no;  // waybills: the waybill number, which logistics keys shipments by
  std::string order_key;     // the order it belongs to: OrderKey(ebp_code, order_no)
  // The one stored document that filing and matching it will read besides itself, its order's
  // and the order's waybills: an order's payment (import) or receipt (export), under the key of
  // the enterprise it names; for the others, their order. Read with it, in one round trip.
  v1::DocumentKind partner_kind = v1::DOCUMENT_KIND_UNSPECIFIED;
  std::string partner_key{};
};

// What taking `documents` reads first: the residence of the codes they name and, for a lone
// document (the common case), all that taking it will read (ReadsOf).
DeclarationRepository::ReadAhead FirstReads(
    const std::vector<DeclarationDesk::Incoming>& documents);

// `first` (FirstReads(documents)) to be read ahead of Store's turn in the group commit, with the
// keys of all that taking them reads ahead or writes: its order, its order number (the order's
// waybills are read by it) and the documents read. For a lone order, payment or receipt; nullopt
// otherwise (Store then reads in its turn, and nobody after it in the transaction reads ahead). Not
// for a waybill: storing one under a key it had with another order number changes that number's
// waybills too, which no key named before the transaction could cover.
std::optional<store::GroupCommitter::ReadAhead> ReadAheadFor(
    const std::vector<DeclarationDesk::Incoming>& documents,
    const DeclarationRepository::ReadAhead& first);

// Refuses the documents when one names an enterprise that is not resident in the park
// (NOT_RESIDENT, every such code at once). One round trip reads `first` (FirstReads(documents):
// the codes' residence and, for a lone document, all that taking it will read), none when it was
// read ahead.
absl::Status CheckResidents(DeclarationRepository& repo,
                            const std::vector<DeclarationDesk::Incoming>& documents,
                            const DeclarationRepository::ReadAhead& first);

// One attempt of Store's transaction, taking documents one after the other: each reads what is
// stored, asks the rule for its outcome (document_outcome.h), writes what the outcome says and
// answers with its receipt. Sets `published` when it appended an event.
class Intake {
 public:
  Intake(const auth::Viewer& viewer, DeclarationRepository& repo, store::Transaction& tx,
         const QuotaLimits& limits, bool& published)
      : viewer_(viewer), repo_(repo), tx_(tx), file_(repo, tx, limits), published_(published) {}

  // Takes `in` after the documents before it: its receipt, or the error that refuses it (the
  // whole submission then: the caller rolls the transaction back).
  absl::StatusOr<v1::DocumentReceipt> Take(const DeclarationDesk::Incoming& in);

 private:
  // Whether the caller may file `in`, given what is stored under its key (`existing`) and its
  // order's: its kind's rule of filing_rules.h.
  absl::Status MayFile(const DeclarationDesk::Incoming& in,
                       const std::optional<StoredDocument>& existing);

  // An order named by its key and by its parts.
  struct Order {
    std::string order_key;
    std::string ebp_code;
    std::string order_no;
  };
  // The order a stored waybill was filed for, when `in` names another; else nullopt. Whether its
  // set is final, and what a change leaves behind, follow what is stored, not the request (#18).
  absl::StatusOr<std::optional<Order>> FiledFor(const DeclarationDesk::Incoming& in,
                                                const std::optional<StoredDocument>& existing);

  // Whether the declaration of `order_key` is already matched (then it is final).
  absl::StatusOr<bool> Matched(const std::string& order_key);

  // Stores `payload` for `in` (the stored one, marked withdrawn, for a withdrawal), tells of a
  // document received, and brings the declaration of its order up to date.
  absl::Status Write(const DeclarationDesk::Incoming& in, const std::string& payload,
                     bool withdraw);

  // The receipt of `in`: its outcome, and the declaration it belongs to now.
  absl::StatusOr<v1::DocumentReceipt> ReceiptFor(const DeclarationDesk::Incoming& in,
                                                 v1::DocumentOutcome outcome);

  const auth::Viewer& viewer_;
  DeclarationRepository& repo_;
  store::Transaction& tx_;
  OrderFile file_;
  bool& published_;
};

}  // namespace parkline::declarations

#endif  // PARKLINE_DECLARATIONS_DOCUMENT_INTAKE_H_
