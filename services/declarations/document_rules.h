// The rules a cross-border e-commerce document must keep before the park passes it on to customs
// (GB/T 39678-2020 6.1.2, 6.2.3), as plain functions over the documents' messages: no database,
// no gRPC, no Kafka. The source is the China Customs message specification, 202205 edition: the
// field tables of CEB311/CEB411/CEB511 (import) and CEB303/CEB403/CEB505 (export) decide which
// fields are required and how long each may be. Where the specification's text omits a field its
// XSD requires (CEB311 buyerTelephone, CEB511 orderNo), the XSD is followed.
//
// Each Check* adds every rule its input breaks to `violations`, one violation per broken rule,
// under the field path given ("order.goods[1].total_price"), so that a caller learns all of them
// at once. Lengths (C..N) count characters (Unicode code points), as XSD maxLength does, not
// bytes. Amounts (N19,5) are decimals with at most 5 fraction digits, compared exactly as scaled
// integers, never as floating point. Descriptions never quote an identity number.
//
// Plain functions over their arguments: thread-safe.
#ifndef PARKLINE_DECLARATIONS_DOCUMENT_RULES_H_
#define PARKLINE_DECLARATIONS_DOCUMENT_RULES_H_

#include "absl/strings/string_view.h"
#include "errors/violations.h"
#include "parkline/declarations/v1/documents.pb.h"

namespace parkline::declarations {

namespace v1 = ::parkline::declarations::v1;

// An order, CEB311 (import) or CEB303 (export), as `order.direction` says: required fields and
// lengths; guid, app_type, app_time, app_status, order_type ("I" import; "E", "B" or "W" export
// as CEB303 defines them); enterprise codes; amounts non-negative; the goods lines numbered 1..n,
// each total_price equal to qty x price and their sum equal to goods_value; for import also the
// currency "142" everywhere, the buyer's identity card (type "1", a valid GB 11643 number) and
// acturalPaid = goodsValue + freight + taxTotal - discount; the business mode allowed for the
// direction; the logistics enterprise (a park addition, Order.logistics_code) and, for import,
// the payment enterprise (pay_code), which CEB311 leaves optional: each order names the partners
// whose documents join it.
//
// qty x price is computed exactly; when the exact product has more than 5 fraction digits, N19,5
// cannot hold it and the product rounded half up to 5 digits is the one total_price accepted.
void CheckOrder(const v1::Order& order, absl::string_view field, errors::Violations& violations);

// A payment, CEB411 (import only): required fields and lengths, pay_code and ebp_code, the payer's
// identity card (type "1", a valid GB 11643 number), amount_paid, currency "142", pay_time.
void CheckPayment(const v1::Payment& payment, absl::string_view field,
                  errors::Violations& violations);

// A receipt of payment, CEB403 (export only): required fields and lengths, enterprise codes
// (ebp_code may be "无" for a platform abroad, as CEB403 allows), charge, accounting_date.
void CheckReceipt(const v1::Receipt& receipt, absl::string_view field,
                  errors::Violations& violations);

// A waybill, CEB511 (import) or CEB505 (export), as `waybill.direction` says: required fields and
// lengths, logistics_code, the platform (a park addition, Waybill.ebp_code: "无" allowed for
// export), freight, insured_fee and weight; for import the currency "142", one
// package (pack_no 1) and the consignee; for export the goods information.
void CheckWaybill(const v1::Waybill& waybill, absl::string_view field,
                  errors::Violations& violations);

// What the three-document match (三单对碰) compares between an import order and its payment:
// amount_paid equals acturalPaid exactly; the payer is the buyer (name and identity number); the
// same order_no and ebp_code; pay_code and pay_transaction_id when the order names them.
// Violations are reported on the payment's fields ("payment.amount_paid"). Amounts that do not
// parse are left to CheckOrder/CheckPayment.
void CheckPaymentMatchesOrder(const v1::Order& order, const v1::Payment& payment,
                              errors::Violations& violations);

// Between an order and its waybill: the same direction and order_no; for import the consignee's
// name, telephone and address as the order gives them; for export the e-commerce enterprise when
// the waybill names one. Violations on the waybill's fields ("waybill.consignee").
void CheckWaybillMatchesOrder(const v1::Order& order, const v1::Waybill& waybill,
                              errors::Violations& violations);

// Between an export order and its receipt: the same order_no, ebp_code and ebc_code. Violations on
// the receipt's fields ("receipt.ebc_code").
void CheckReceiptMatchesOrder(const v1::Order& order, const v1::Receipt& receipt,
                              errors::Violations& violations);

}  // namespace parkline::declarations

#endif  // PARKLINE_DECLARATIONS_DOCUMENT_RULES_H_
