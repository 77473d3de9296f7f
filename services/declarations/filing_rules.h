// Who may file a document (issue #18, item 1): the tenant rules of the declarations service, one
// function per document kind, decided from the caller, the arriving document and what is STORED:
// the document already under its key (live or withdrawn) and the order it belongs to. What the
// arriving document says about its own parties decides nothing on its own, so a tenant naming a
// victim's keys together with itself can neither change, withdraw nor block the victim's
// documents.
//
//   Order    the caller speaks for its ebp_code or its ebc_code (a payment or logistics
//            enterprise it names is not its sender). Once an order is stored under the key
//            "<ebp_code>/<order_no>" (live or withdrawn), only a party of the STORED order (its
//            platform or e-commerce enterprise) files under it, and the ebc_code never changes,
//            but for one case: the platform may file a NEW order naming another enterprise under
//            a key whose order is withdrawn (or expired). Order numbers are the platform's, and
//            otherwise an enterprise that filed first under a platform's future order number
//            (naming itself, as it may) would hold that number forever; this way the platform
//            withdraws the squatted order and files its own.
//            pay_code and logistics_code may change while the declaration waits (the outcome
//            rule refuses any change once it is matched): they are the order's own choice of
//            partners, and a change only re-points which stored payment and waybill join it;
//            their senders' documents stay under their own keys.
//   Payment  only its payment enterprise (pay_code); it is keyed by it (PaymentKey). A new or
//            changed payment for an order already stored that names another pay_code is refused.
//   Receipt  only its e-commerce enterprise (ebc_code); keyed by it (ReceiptKey). A new or
//            changed receipt for an order already stored that names another ebc_code is refused.
//   Waybill  only its logistics enterprise (logistics_code): an enterprise caller with that
//            code, or a carrier caller whose carrier code it is. A new or changed waybill for an
//            order already stored ("<waybill.ebp_code>/<order_no>") that names another
//            logistics enterprise is refused.
//
// A withdrawal (appType 3) of a payment, receipt or waybill needs only its sender: the document
// under the sender's own key is the sender's, and withdrawing it takes nothing from the order.
// Orders, payments and receipts are enterprises' documents: the caller speaks for the code as
// an enterprise (a carrier code spelt like it does not count). The park admin may file anything.
// A refusal is PERMISSION_DENIED, its message "<field>: <RULE>: <why>"
// ("order.ebc_code: NOT_A_PARTY_OF_THE_STORED_ORDER: ..."), and the
// whole submission is then refused with nothing stored.
//
// Plain functions over their arguments: thread-safe.
#ifndef PARKLINE_DECLARATIONS_FILING_RULES_H_
#define PARKLINE_DECLARATIONS_FILING_RULES_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "auth/viewer.h"
#include "parkline/declarations/v1/documents.pb.h"

namespace parkline::declarations {

namespace v1 = ::parkline::declarations::v1;

// The keys documents are stored under (schema.cc): an order by its platform and number; a payment
// and a receipt by their own sender ("<pay_code>|<order key>", "<ebc_code>|<order key>"), so that
// a document filed by someone the order does not name sits beside the real one, never in its
// place; a waybill by its logistics enterprise and number.
std::string PaymentKey(absl::string_view pay_code, absl::string_view order_key);
std::string ReceiptKey(absl::string_view ebc_code, absl::string_view order_key);
std::string WaybillKey(absl::string_view logistics_code, absl::string_view logistics_no);

// `stored`: the order under the arriving one's key, live or withdrawn (`stored_withdrawn`, an
// expired one too); nullptr when none.
absl::Status MayFileOrder(const auth::Viewer& viewer, const v1::Order& arriving,
                          const v1::Order* stored, bool stored_withdrawn = false,
                          absl::string_view field = "order");

// `stored`: the payment under the arriving one's key; `stored_order`: the order of its order key
// (live or withdrawn); nullptr when none.
absl::Status MayFilePayment(const auth::Viewer& viewer, const v1::Payment& arriving,
                            const v1::Payment* stored, const v1::Order* stored_order,
                            absl::string_view field = "payment");

absl::Status MayFileReceipt(const auth::Viewer& viewer, const v1::Receipt& arriving,
                            const v1::Receipt* stored, const v1::Order* stored_order,
                            absl::string_view field = "receipt");

// `stored_order`: the order "<arriving.ebp_code>/<arriving.order_no>".
absl::Status MayFileWaybill(const auth::Viewer& viewer, const v1::Waybill& arriving,
                            const v1::Waybill* stored, const v1::Order* stored_order,
                            absl::string_view field = "waybill");

}  // namespace parkline::declarations

#endif  // PARKLINE_DECLARATIONS_FILING_RULES_H_
