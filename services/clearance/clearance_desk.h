// The clearance service's use cases: cases opened from matched declarations or over gRPC, the
// inventory completed, written, signed and sent, customs' receipts applied
// (receipt_state_machine.h), tax bills recorded, refund-eligible export cases listed.
//
// Who may open, submit and read a case is case_parties.h's, decided from the stored case and the
// mandates in force (mandate_rules.h); the desk receives the caller as a Viewer and asks.
//
// Every change is one transaction with its events in the outbox (topic parkline.clearance.v1, key
// the case id, or the mandate id for MandateGranted and MandateRevoked): ClearanceSubmitted when
// the inventory is sent, ClearanceStatusChanged per receipt
// applied, ClearanceReleased when a case reaches 800, ClearanceRejected when it ends in 100, 700
// or an error code. Opening a case publishes nothing (the events contract has no such event).
// A receipt that arrives late lands in its returnTime place and has its ClearanceStatusChanged;
// ClearanceReleased and ClearanceRejected are published once, when the case first reaches them
// (so a 500 arriving after the release marks the case inspected but publishes no second
// ClearanceReleased).
//
// Thread-safe (all state is in the database).
#ifndef PARKLINE_CLEARANCE_CLEARANCE_DESK_H_
#define PARKLINE_CLEARANCE_CLEARANCE_DESK_H_

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "ceb/receipt_reader.h"
#include "clearance/buyer_privacy.h"
#include "clearance/customs_gateway.h"
#include "clearance/inventory_rules.h"
#include "clearance/message_signer.h"
#include "events/consumer.h"
#include "parkline/clearance/v1/clearance.pb.h"
#include "parkline/declarations/v1/events.pb.h"
#include "store/database.h"
#include "store/group_commit.h"

namespace parkline::clearance {

inline constexpr char kTopic[] = "parkline.clearance.v1";
inline constexpr char kSource[] = "/parkline/clearance";

struct DeskOptions {
  InventoryDefaults defaults;
  // BaseTransfer of the messages the park sends, when the agent has no name of its own.
  std::string dxp_id = "DXPENT0000000001";
  // The time mandates are judged at (and cases and mandates are stamped with); empty: absl::Now.
  // Tests set it to see a mandate end.
  std::function<absl::Time()> clock;
};

// The case id for an idempotency key: the SHA-256 of the key as an uppercase UUID-shaped guid
// (36 characters, as the inventory's guid must be).
std::string CaseIdFor(const std::string& open_key);

class ClearanceDesk {
 public:
  // Writes go through `writer` (shared commits: concurrent requests share one transaction, a
  // savepoint each); reads through `db`. `events_committed` wakes the outbox relay. The gateway
  // is set afterwards (the simulator needs the desk to deliver to).
  ClearanceDesk(store::Database& db, store::GroupCommitter& writer, const MessageSigner& signer,
                DeskOptions options, std::function<void()> events_committed);

  void set_gateway(CustomsGateway* gateway) { gateway_ = gateway; }

  // Every case and inventory message the desk returns is shaped for the `viewer` asking
  // (buyer_privacy.h): the buyer's identity in full for customs and the declarant, masked for
  // everyone else.
  // The retry of a request whose (ebc_code, cop_no) is stored returns the stored case to its
  // declarant only (case_parties.h).
  absl::StatusOr<v1::ClearanceCase> Open(const v1::OpenCaseRequest& request, const Viewer& viewer);
  // Consumer handlers of parkline.declarations.v1, run in the consumer's transaction and
  // idempotent by order key: a matched declaration opens its case; a withdrawn one withdraws its
  // case while the inventory has not gone to customs.
  absl::Status ApplyMatched(store::Transaction& tx,
                            const declarations::v1::DeclarationMatched& matched);
  absl::Status ApplyWithdrawn(store::Transaction& tx,
                              const declarations::v1::DeclarationWithdrawn& withdrawn);

  // NOT_FOUND unless the viewer may see the case (MaySeeCase) and, `party` non-empty, `party` is a
  // party to it.
  absl::StatusOr<v1::ClearanceCase> Get(const std::string& case_id, const std::string& party,
                                        const Viewer& viewer);
  absl::StatusOr<v1::ListCasesResponse> List(const v1::ListCasesRequest& request,
                                             const Viewer& viewer);
  // A completed inventory holding a masked identity (what a viewer who may not see it was
  // shown) is INVALID_ARGUMENT (MASKED): it never replaces the identity.
  absl::StatusOr<v1::ClearanceCase> Submit(const v1::SubmitCaseRequest& request,
                                           const Viewer& viewer);
  absl::StatusOr<v1::InventoryMessage> Message(const std::string& case_id, const std::string& party,
                                               const Viewer& viewer);

  absl::StatusOr<v1::ReceiptResult> RecordReceipt(const v1::CustomsReceipt& receipt);
  // Every receipt of the message applied in one transaction, or none.
  absl::StatusOr<v1::SubmitReceiptMessageResponse> RecordReceipts(
      const ceb::InventoryReturns& message);
  absl::StatusOr<v1::ClearanceCase> RecordTaxBill(const v1::RecordTaxBillRequest& request,
                                                  const Viewer& viewer);
  // Released (or closed) export cases, with what the refund claim needs (`requirements` gives
  // them per business mode).
  absl::StatusOr<v1::ListRefundEligibleResponse> RefundEligible(
      const v1::ListRefundEligibleRequest& request,
      const std::function<std::vector<std::string>(const std::string& mode)>& requirements,
      const Viewer& viewer);

  // Mandates (mandate_rules.h): granted by the e-commerce enterprise or the admin (MandateGranted;
  // the same content again returns the stored mandate and publishes nothing), revoked by them
  // (MandateRevoked; again: unchanged, nothing published), listed for whoever may see each.
  absl::StatusOr<v1::Mandate> GrantMandate(const v1::GrantMandateRequest& request,
                                           const Viewer& viewer);
  absl::StatusOr<v1::Mandate> RevokeMandate(const v1::RevokeMandateRequest& request,
                                            const Viewer& viewer);
  absl::StatusOr<v1::ListMandatesResponse> ListMandates(const v1::ListMandatesRequest& request,
                                                        const Viewer& viewer);

 private:
  absl::Time Now() const;
  // The case as stored (the identity in full); NOT_FOUND as Get.
  absl::StatusOr<v1::ClearanceCase> Find(const std::string& case_id, const std::string& party,
                                         const Viewer& viewer);
  // MaySeeCase, looking the agent's mandate up only when it matters.
  absl::StatusOr<bool> Visible(store::Transaction& tx, const Viewer& viewer,
                               const v1::ClearanceCase& c, absl::Time now);
  absl::StatusOr<v1::ReceiptResult> ApplyReceipt(store::Transaction& tx,
                                                 const v1::CustomsReceipt& receipt,
                                                 const std::string& field, bool& published);

  store::Database& db_;
  store::GroupCommitter& writer_;
  const MessageSigner& signer_;
  DeskOptions options_;
  std::function<void()> events_committed_;
  CustomsGateway* gateway_ = nullptr;
};

// Registers the desk's handlers of parkline.declarations.v1 on `consumer` (ApplyMatched,
// ApplyWithdrawn).
void FollowDeclarations(events::EventConsumer& consumer, ClearanceDesk& desk);

}  // namespace parkline::clearance

#endif  // PARKLINE_CLEARANCE_CLEARANCE_DESK_H_
