// Who may open, retry, submit and read a clearance case: the tenant rules, decided from the case
// as stored and from the mandates in force (mandate_rules.h), never from what a request says
// about its own parties. The desk looks up the case and whether the mandate its agent needs is in
// force, and asks these functions inside the transaction that acts.
//
// - The declarant of an inventory is its e-commerce enterprise (ebc_code), or the customs broker
//   it names as agent_code while a mandate from that enterprise to that broker is in force. An
//   agent_code other than the enterprise's own is accepted only under such a mandate, whoever
//   opens or submits (the enterprise itself and the admin included): the message customs gets
//   names the agent as the one declaring in the enterprise's name.
// - OpenCase: the declarant of the inventory in the request, or the park admin. The platform and
//   the logistics enterprise no longer open cases (they are parties of the order, not declarants;
//   their documents reach clearance through declarations).
// - A retried OpenCase (the same ebc_code and cop_no) gets the stored case only if the caller is
//   the declarant of the STORED case (or the admin); otherwise PERMISSION_DENIED, without it.
// - SubmitCase: the declarant of the stored case, or the admin; the other parties of the case
//   (platform, logistics enterprise) and park staff get PERMISSION_DENIED, anyone else NOT_FOUND.
//   What the completed inventory may change (CheckCompletion):
//   - never: order_no, ebp_code, ebc_code, cop_no (the keys that tie the case to its order and
//     make opening idempotent);
//   - only filled when empty, never changed once stored: the logistics enterprise and waybill
//     (logistics_code, logistics_no: who else is a party, and which parcel), the currency (what
//     the case's value and its lines' prices are in, as every event states), the buyer's identity
//     (buyer_id_type, buyer_id_number, buyer_name, buyer_telephone, consignee_address: the order
//     customs matched names one buyer, and a declarant must not move a declaration onto someone
//     else's annual quota), and the goods (the number of lines and every field a line already
//     holds: the matched order declared them; the completion adds HS codes, legal quantities and
//     names, which no document carries);
//   - agent_code: to the enterprise's own or to a broker under a mandate in force (MayDeclareAs);
//   - everything else (names, transport, weights, packaging, notes, customs and port codes) may
//     be completed or corrected by the declarant until the inventory goes to customs.
//   Once submitted, a case changes only by customs' receipts: nothing of it is changed over gRPC.
// - Reading (GetCase, GetInventoryMessage, ListCases): park staff, the admin and customs read
//   every case; an enterprise reads the cases whose STORED platform, e-commerce enterprise or
//   logistics enterprise it is, and as the STORED agent a case it declared (submitted) or whose
//   mandate is in force: a broker whose mandate ended keeps reading what it sent to customs
//   (it answers to customs for it) but no longer sees drafts it can no longer submit.
// - Cases opened from DeclarationMatched are the system's: no caller, no rule here.
//
// Pure; thread-safe.
#ifndef PARKLINE_CLEARANCE_CASE_PARTIES_H_
#define PARKLINE_CLEARANCE_CASE_PARTIES_H_

#include "absl/status/status.h"
#include "auth/viewer.h"
#include "errors/violations.h"
#include "parkline/clearance/v1/clearance.pb.h"

namespace parkline::clearance {

namespace v1 = ::parkline::clearance::v1;

// True when the inventory names no broker: agent_code empty or the enterprise's own (equal to
// ebc_code, or both codes the viewer's, its USCC and customs code).
bool DeclaresForItself(const auth::Viewer& viewer, const v1::Inventory& inventory);

// Whether the inventory may go out under its agent_code: OK when it declares for itself or
// `agent_mandate_in_force` (a mandate from its ebc_code to its agent_code is in force);
// PERMISSION_DENIED naming inventory.agent_code otherwise.
absl::Status MayDeclareAs(const auth::Viewer& viewer, const v1::Inventory& inventory,
                          bool agent_mandate_in_force);

// True when the viewer is the inventory's declarant (its e-commerce enterprise, or its agent with
// the mandate in force) or the park admin.
bool IsDeclarant(const auth::Viewer& viewer, const v1::Inventory& inventory,
                 bool agent_mandate_in_force);

// OpenCase with `inventory`: OK for its declarant or the admin, when it may go out under its
// agent; PERMISSION_DENIED naming the field otherwise.
absl::Status MayOpenCase(const auth::Viewer& viewer, const v1::Inventory& inventory,
                         bool agent_mandate_in_force);

// A retried OpenCase that found `stored` under its key: OK when the viewer is the stored case's
// declarant (or the admin), PERMISSION_DENIED otherwise (the caller never gets the case).
absl::Status MayRetryOpenCase(const auth::Viewer& viewer, const v1::ClearanceCase& stored,
                              bool stored_agent_mandate_in_force);

// SubmitCase of `stored`: OK for its declarant or the admin; PERMISSION_DENIED for another
// viewer who may read it; NOT_FOUND for anyone else.
absl::Status MaySubmitCase(const auth::Viewer& viewer, const v1::ClearanceCase& stored,
                           bool stored_agent_mandate_in_force);

// What `arriving` (the completed inventory of SubmitCase) changes of `stored`, as the header
// says: UNCHANGEABLE per field under `field` ("inventory"), added to `v`. Values of the buyer's
// identity are never quoted in a message. agent_code is MayDeclareAs's.
void CheckCompletion(const v1::Inventory& stored, const v1::Inventory& arriving,
                     const std::string& field, errors::Violations& v);

// GetCase, GetInventoryMessage, ListCases: whether the viewer may read `stored`.
bool MaySeeCase(const auth::Viewer& viewer, const v1::ClearanceCase& stored,
                bool stored_agent_mandate_in_force);

}  // namespace parkline::clearance

#endif  // PARKLINE_CLEARANCE_CASE_PARTIES_H_
