// The declarations service's use cases: documents in, checked, stored once, matched into
// declarations; and the projection of resident enterprises it checks codes against.
//
// Each submission is validated first (document_rules.h; nothing is stored when a rule breaks),
// then in ONE transaction: the enterprise codes are checked against the residents, the caller is
// allowed to file each document or the whole submission refused (filing_rules.h), the appType
// decides what happens (document_outcome.h: 1 new: a resend of the same document is a duplicate,
// other content is ALREADY_EXISTS; 2 change: only while not matched; 3 withdraw), the document is
// stored, the order's documents are matched again (declaration_matcher.h), the buyer's quota is
// reserved on a match and released on a withdrawal, and the events go to the outbox.
//
// Personal data is sealed and buyers are pseudonymised under `keys` by the repository
// (declaration_repository.h): nothing personal is stored in clear, and none of it is in an event.
//
// Thread-safe (all state is in the database).
#ifndef PARKLINE_DECLARATIONS_DECLARATION_DESK_H_
#define PARKLINE_DECLARATIONS_DECLARATION_DESK_H_

#include <functional>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "auth/viewer.h"
#include "declarations/quota_ledger.h"
#include "parkline/clearance/v1/events.pb.h"
#include "parkline/declarations/v1/declarations.pb.h"
#include "secrets/key_ring.h"
#include "store/database.h"
#include "store/group_commit.h"

namespace parkline::declarations {

inline constexpr char kTopic[] = "parkline.declarations.v1";
inline constexpr char kSource[] = "/parkline/declarations";

class DeclarationDesk {
 public:
  // Writes go through `writer` (shared commits); `events_committed` wakes the outbox relay;
  // `keys` seal personal data and key buyers (config.h: LoadPersonalDataKeys).
  DeclarationDesk(store::Database& db, store::GroupCommitter& writer,
                  std::function<void()> events_committed, secrets::KeyRing keys,
                  QuotaLimits limits = {});

  // Each document is filed by `viewer`, who must be allowed to by its kind's rule of
  // filing_rules.h (PERMISSION_DENIED otherwise, nothing stored).
  absl::StatusOr<v1::DocumentReceipt> SubmitOrder(const v1::Order& order,
                                                  const auth::Viewer& viewer);
  absl::StatusOr<v1::DocumentReceipt> SubmitPayment(const v1::Payment& payment,
                                                    const auth::Viewer& viewer);
  absl::StatusOr<v1::DocumentReceipt> SubmitReceipt(const v1::Receipt& receipt,
                                                    const auth::Viewer& viewer);
  absl::StatusOr<v1::DocumentReceipt> SubmitWaybill(const v1::Waybill& waybill,
                                                    const auth::Viewer& viewer);
  // The same four for a caller that does not wait (runtime/async_unary.h): each returns at once,
  // and `done` gets what the call above would have returned, on the group commit's finishing
  // thread (GroupCommitter::Submit), so it must be quick and must not block.
  using ReceiptDone = std::function<void(absl::StatusOr<v1::DocumentReceipt>)>;
  void SubmitOrder(const v1::Order& order, const auth::Viewer& viewer, ReceiptDone done);
  void SubmitPayment(const v1::Payment& payment, const auth::Viewer& viewer, ReceiptDone done);
  void SubmitReceipt(const v1::Receipt& receipt, const auth::Viewer& viewer, ReceiptDone done);
  void SubmitWaybill(const v1::Waybill& waybill, const auth::Viewer& viewer, ReceiptDone done);

  // The documents of one official message (read with ceb::ReadCebMessage): all checked first,
  // stored together or not at all. The request's business_mode and logistics_code apply to its
  // orders, its ebp_code to its waybills (its xml is not read again).
  absl::StatusOr<v1::SubmitMessageResponse> SubmitMessage(const v1::CebMessage& message,
                                                          const v1::SubmitMessageRequest& request,
                                                          const auth::Viewer& viewer);

  absl::StatusOr<v1::Declaration> Get(const std::string& order_key);
  absl::StatusOr<v1::ListDeclarationsResponse> List(const v1::ListDeclarationsRequest& request);
  // A buyer's quota, for the park or an enterprise party of one of the buyer's stored orders
  // (buyer_quota_access.h); PERMISSION_DENIED for anyone else, the same whether the buyer is
  // known or not.
  absl::StatusOr<v1::BuyerQuota> Quota(const auth::Viewer& viewer,
                                       const v1::GetBuyerQuotaRequest& request);
  absl::StatusOr<v1::ListWaitingDocumentsResponse> ListWaiting(
      const v1::ListWaitingDocumentsRequest& request);

  // Expires the documents that have waited longer than `waiting` at `now` for partners that never
  // came (DocumentExpired each); returns how many. Run periodically by the service.
  absl::StatusOr<int> ExpireWaiting(absl::Duration waiting, absl::Time now);

  // The retention pass: erases the personal data of documents whose declaration became final,
  // or which were withdrawn or expired, more than `retention` before `now` (the documents and
  // declarations stay, their personal fields empty); returns how many. Run periodically.
  absl::StatusOr<int> ErasePersonalData(absl::Duration retention, absl::Time now);

  // After a new key was made active: seals every document's personal data and keys every
  // buyer's quota reservation under it, batch by batch (rows from before migration 4 too).
  // Rows that cannot be redone are counted in `left`: documents under a key no longer in the
  // ring, reservations whose order's personal data was erased (they stay findable while their
  // key stays in the ring). Run at start-up, before the service serves.
  struct Rotation {
    int documents = 0;
    int quota = 0;
    int documents_left = 0;
    int quota_left = 0;
  };
  absl::StatusOr<Rotation> RotatePersonalData();

  // A ClearanceRejected (customs rejected or returned the goods, or the inventory failed) gives
  // the buyer's quota reservation of its order back, as a withdrawal does (consumer handler; runs
  // in the consumer's transaction). Idempotent.
  static absl::Status ApplyClearanceRejected(store::Transaction& tx,
                                             const clearance::v1::ClearanceRejected& rejected);

  // A submitted document on its way in (document_intake.h).
  struct Incoming;

 private:
  // Takes `documents` in one transaction of the group commit (document_intake.h).
  absl::StatusOr<std::vector<v1::DocumentReceipt>> Store(std::vector<Incoming> documents,
                                                         const auth::Viewer& viewer);
  // Store for one document, without waiting: `done` gets its receipt (GroupCommitter::Submit).
  void StoreOne(Incoming document, const auth::Viewer& viewer, ReceiptDone done);
  // One document checked by its rules, then stored; waiting, or not.
  template <typename Doc>
  absl::StatusOr<v1::DocumentReceipt> SubmitOne(const Doc& doc, const auth::Viewer& viewer);
  template <typename Doc>
  void SubmitOne(const Doc& doc, const auth::Viewer& viewer, ReceiptDone done);
  // One submission on its way through the group commit (declaration_desk.cc).
  class Submission;

  store::Database& db_;
  store::GroupCommitter& writer_;
  std::function<void()> events_committed_;
  secrets::KeyRing keys_;
  QuotaLimits limits_;
};

}  // namespace parkline::declarations

#endif  // PARKLINE_DECLARATIONS_DECLARATION_DESK_H_
