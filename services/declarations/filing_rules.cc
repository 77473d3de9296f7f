#include "declarations/filing_rules.h"

#include "absl/strings/str_cat.h"

namespace parkline::declarations {
namespace {

absl::Status Refuse(absl::string_view field, absl::string_view child, absl::string_view rule,
                    absl::string_view why) {
  return absl::PermissionDeniedError(absl::StrCat(field, ".", child, ": ", rule, ": ", why));
}

// An enterprise's own code: orders, payments and receipts are enterprises' documents, and a
// carrier's code is no enterprise's even when it is spelt the same (Viewer::SpeaksFor counts it).
bool IsEnterprise(const auth::Viewer& viewer, const std::string& code) {
  return !code.empty() && viewer.SpeaksFor(code) && code != viewer.carrier_code;
}

// New and changed documents join an order; a withdrawal only takes the sender's own back.
bool Joins(v1::AppType app_type) { return app_type != v1::APP_TYPE_WITHDRAW; }

}  // namespace

std::string PaymentKey(absl::string_view pay_code, absl::string_view order_key) {
  return absl::StrCat(pay_code, "|", order_key);
}

std::string ReceiptKey(absl::string_view ebc_code, absl::string_view order_key) {
  return absl::StrCat(ebc_code, "|", order_key);
}

std::string WaybillKey(absl::string_view logistics_code, absl::string_view logistics_no) {
  return absl::StrCat(logistics_code, "/", logistics_no);
}

absl::Status MayFileOrder(const auth::Viewer& viewer, const v1::Order& arriving,
                          const v1::Order* stored, bool stored_withdrawn, absl::string_view field) {
  if (viewer.admin) return absl::OkStatus();
  if (!IsEnterprise(viewer, arriving.ebp_code()) && !IsEnterprise(viewer, arriving.ebc_code())) {
    return Refuse(field, "ebc_code", "NOT_THE_SENDER",
                  "an order is filed by its platform (ebp_code) or its e-commerce enterprise "
                  "(ebc_code), and the caller speaks for neither");
  }
  if (stored == nullptr) return absl::OkStatus();
  // The stored order's parties, not the arriving one's: naming oneself as ebc_code under another
  // platform's key must not make one a party of that platform's order.
  if (!IsEnterprise(viewer, stored->ebp_code()) && !IsEnterprise(viewer, stored->ebc_code())) {
    return Refuse(field, "ebc_code", "NOT_A_PARTY_OF_THE_STORED_ORDER",
                  "an order is stored under this platform and order number; only its platform "
                  "or e-commerce enterprise may resend, change or withdraw it");
  }
  // A finished key's number is its platform's to use again, with whichever enterprise.
  bool platform_refiles = stored_withdrawn && arriving.app_type() == v1::APP_TYPE_NEW &&
                          IsEnterprise(viewer, stored->ebp_code());
  if (arriving.ebc_code() != stored->ebc_code() && !platform_refiles) {
    return Refuse(field, "ebc_code", "IMMUTABLE",
                  "the e-commerce enterprise of a stored order does not change");
  }
  return absl::OkStatus();
}

absl::Status MayFilePayment(const auth::Viewer& viewer, const v1::Payment& arriving,
                            const v1::Payment* stored, const v1::Order* stored_order,
                            absl::string_view field) {
  if (viewer.admin) return absl::OkStatus();
  if (!IsEnterprise(viewer, arriving.pay_code()) ||
      (stored != nullptr && stored->pay_code() != arriving.pay_code())) {
    return Refuse(field, "pay_code", "NOT_THE_SENDER",
                  "a payment is filed by its payment enterprise (pay_code) only");
  }
  if (Joins(arriving.app_type()) && stored_order != nullptr &&
      stored_order->pay_code() != arriving.pay_code()) {
    return Refuse(field, "pay_code", "NOT_THE_ORDERS_PAYMENT_ENTERPRISE",
                  "the order names another payment enterprise");
  }
  return absl::OkStatus();
}

absl::Status MayFileReceipt(const auth::Viewer& viewer, const v1::Receipt& arriving,
                            const v1::Receipt* stored, const v1::Order* stored_order,
                            absl::string_view field) {
  if (viewer.admin) return absl::OkStatus();
  if (!IsEnterprise(viewer, arriving.ebc_code()) ||
      (stored != nullptr && stored->ebc_code() != arriving.ebc_code())) {
    return Refuse(field, "ebc_code", "NOT_THE_SENDER",
                  "a receipt of payment is filed by its e-commerce enterprise (ebc_code) only");
  }
  if (Joins(arriving.app_type()) && stored_order != nullptr &&
      stored_order->ebc_code() != arriving.ebc_code()) {
    return Refuse(field, "ebc_code", "NOT_THE_ORDERS_ENTERPRISE",
                  "the order names another e-commerce enterprise");
  }
  return absl::OkStatus();
}

absl::Status MayFileWaybill(const auth::Viewer& viewer, const v1::Waybill& arriving,
                            const v1::Waybill* stored, const v1::Order* stored_order,
                            absl::string_view field) {
  if (viewer.admin) return absl::OkStatus();
  if (!viewer.SpeaksFor(arriving.logistics_code()) ||
      (stored != nullptr && stored->logistics_code() != arriving.logistics_code())) {
    return Refuse(field, "logistics_code", "NOT_THE_SENDER",
                  "a waybill is filed by its logistics enterprise (logistics_code) only");
  }
  if (Joins(arriving.app_type()) && stored_order != nullptr &&
      stored_order->logistics_code() != arriving.logistics_code()) {
    return Refuse(field, "logistics_code", "NOT_THE_ORDERS_LOGISTICS_ENTERPRISE",
                  "the order names another logistics enterprise");
  }
  return absl::OkStatus();
}

}  // namespace parkline::declarations
