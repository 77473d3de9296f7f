#include "declarations/filing_rules.h"

#include <gtest/gtest.h>

#include "samples/import_sets.h"

namespace parkline::declarations {
namespace {

// The parties of the victim's set, and an attacker of each kind that the set does not name.
const samples::ImportCodes kCodes{"3301960001", "3301960002", "3301960003", "3301960004"};
constexpr char kStranger[] = "4401960009";

auth::Viewer Enterprise(const std::string& code) {
  auth::Viewer v;
  v.name = "enterprise-" + code;
  v.codes = {"91350100M000100Y43", code};
  return v;
}

auth::Viewer Carrier(const std::string& code) {
  auth::Viewer v;
  v.name = "carrier-" + code;
  v.carrier_code = code;
  return v;
}

auth::Viewer Admin() {
  auth::Viewer v;
  v.name = "admin";
  v.admin = true;
  v.park_staff = true;
  return v;
}

auth::Viewer Staff() {
  auth::Viewer v;
  v.name = "staff";
  v.park_staff = true;
  return v;
}

samples::ImportSet Set() { return samples::MakeImportSet(1, kCodes); }

void ExpectRefused(const absl::Status& s, const std::string& field_and_rule) {
  EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied) << s;
  EXPECT_NE(s.message().find(field_and_rule), std::string::npos) << s;
}

TEST(KeysTest, EachDocumentIsKeyedByItsOwnSender) {
  EXPECT_EQ(PaymentKey("P", "E/1"), "P|E/1");
  EXPECT_EQ(ReceiptKey("C", "E/1"), "C|E/1");
  EXPECT_EQ(WaybillKey("L", "SF1"), "L/SF1");
}

TEST(MayFileOrderTest, ItsPlatformOrItsEnterpriseFilesANewOrder) {
  v1::Order o = Set().order;
  EXPECT_TRUE(MayFileOrder(Enterprise(kCodes.platform), o, nullptr).ok());
  EXPECT_TRUE(MayFileOrder(Enterprise(kCodes.enterprise), o, nullptr).ok());
  EXPECT_TRUE(MayFileOrder(Admin(), o, nullptr).ok());
}

TEST(MayFileOrderTest, ThePaymentOrLogisticsEnterpriseItNamesIsNotItsSender) {
  v1::Order o = Set().order;
  ExpectRefused(MayFileOrder(Enterprise(kCodes.payment), o, nullptr),
                "order.ebc_code: NOT_THE_SENDER");
  ExpectRefused(MayFileOrder(Enterprise(kCodes.logistics), o, nullptr), "NOT_THE_SENDER");
  // A carrier code that happens to be the platform's is no enterprise's code.
  ExpectRefused(MayFileOrder(Carrier(kCodes.platform), o, nullptr), "NOT_THE_SENDER");
  ExpectRefused(MayFileOrder(Enterprise(kStranger), o, nullptr), "NOT_THE_SENDER");
  ExpectRefused(MayFileOrder(Staff(), o, nullptr), "NOT_THE_SENDER");
}

TEST(MayFileOrderTest, APartyOfTheStoredOrderResendsChangesAndWithdrawsIt) {
  v1::Order stored = Set().order;
  for (v1::AppType t : {v1::APP_TYPE_NEW, v1::APP_TYPE_CHANGE, v1::APP_TYPE_WITHDRAW}) {
    v1::Order o = stored;
    o.set_app_type(t);
    o.set_consignee_address("another address");
    EXPECT_TRUE(MayFileOrder(Enterprise(kCodes.platform), o, &stored).ok()) << t;
    EXPECT_TRUE(MayFileOrder(Enterprise(kCodes.enterprise), o, &stored).ok()) << t;
    EXPECT_TRUE(MayFileOrder(Admin(), o, &stored).ok()) << t;
  }
}

TEST(MayFileOrderTest, NamingOneselfUnderAStoredOrdersKeyMakesNobodyAParty) {
  v1::Order stored = Set().order;
  for (v1::AppType t : {v1::APP_TYPE_NEW, v1::APP_TYPE_CHANGE, v1::APP_TYPE_WITHDRAW}) {
    v1::Order attack = stored;
    attack.set_app_type(t);
    attack.set_ebc_code(kStranger);
    ExpectRefused(MayFileOrder(Enterprise(kStranger), attack, &stored),
                  "order.ebc_code: NOT_A_PARTY_OF_THE_STORED_ORDER");
    attack.set_ebc_code(kCodes.enterprise);
    attack.set_pay_code(kStranger);
    ExpectRefused(MayFileOrder(Enterprise(kStranger), attack, &stored), "NOT_THE_SENDER");
  }
}

TEST(MayFileOrderTest, AWithdrawnOrderStillBelongsToItsParties) {
  v1::Order stored = Set().order;
  stored.set_app_type(v1::APP_TYPE_WITHDRAW);
  v1::Order attack = Set().order;
  attack.set_ebc_code(kStranger);
  ExpectRefused(MayFileOrder(Enterprise(kStranger), attack, &stored),
                "NOT_A_PARTY_OF_THE_STORED_ORDER");
  EXPECT_TRUE(MayFileOrder(Enterprise(kCodes.enterprise), Set().order, &stored).ok());
}

TEST(MayFileOrderTest, TheEnterpriseOfAStoredOrderNeverChanges) {
  v1::Order stored = Set().order;
  v1::Order change = stored;
  change.set_app_type(v1::APP_TYPE_CHANGE);
  change.set_ebc_code(kStranger);
  ExpectRefused(MayFileOrder(Enterprise(kCodes.platform), change, &stored),
                "order.ebc_code: IMMUTABLE");
  EXPECT_TRUE(MayFileOrder(Admin(), change, &stored).ok());
}

// An enterprise may file first under a platform's future order number, naming itself; the
// platform then withdraws that order and files its own under the number, with its enterprise.
TEST(MayFileOrderTest, ThePlatformReusesAWithdrawnKeyWithAnotherEnterprise) {
  v1::Order squatted = Set().order;
  squatted.set_ebc_code(kStranger);
  v1::Order own = Set().order;
  ExpectRefused(MayFileOrder(Enterprise(kCodes.platform), own, &squatted, /*withdrawn=*/false),
                "IMMUTABLE");
  EXPECT_TRUE(MayFileOrder(Enterprise(kCodes.platform), own, &squatted, /*withdrawn=*/true).ok());
  // Only anew (appType 1), and only the platform: the other enterprise is no party of the key.
  v1::Order change = own;
  change.set_app_type(v1::APP_TYPE_CHANGE);
  ExpectRefused(MayFileOrder(Enterprise(kCodes.platform), change, &squatted, true), "IMMUTABLE");
  ExpectRefused(MayFileOrder(Enterprise(kCodes.enterprise), own, &squatted, true),
                "NOT_A_PARTY_OF_THE_STORED_ORDER");
  // Nor may the squatter, a party of the withdrawn order, take it back to another enterprise.
  v1::Order other = squatted;
  other.set_ebc_code(kCodes.payment);
  ExpectRefused(MayFileOrder(Enterprise(kStranger), other, &squatted, true), "NOT_THE_SENDER");
}

TEST(MayFileOrderTest, ItsPartiesMayChangeThePaymentAndLogisticsEnterpriseItNames) {
  v1::Order stored = Set().order;
  v1::Order change = stored;
  change.set_app_type(v1::APP_TYPE_CHANGE);
  change.set_pay_code(kStranger);
  change.set_logistics_code(kStranger);
  EXPECT_TRUE(MayFileOrder(Enterprise(kCodes.enterprise), change, &stored).ok());
}

TEST(MayFileOrderTest, TheFieldNamesTheDocumentOfAMessage) {
  ExpectRefused(MayFileOrder(Enterprise(kStranger), Set().order, nullptr, false, "orders[2]"),
                "orders[2].ebc_code: NOT_THE_SENDER");
}

TEST(MayFilePaymentTest, OnlyItsPaymentEnterpriseFilesIt) {
  samples::ImportSet s = Set();
  EXPECT_TRUE(MayFilePayment(Enterprise(kCodes.payment), s.payment, nullptr, nullptr).ok());
  EXPECT_TRUE(MayFilePayment(Enterprise(kCodes.payment), s.payment, nullptr, &s.order).ok());
  EXPECT_TRUE(MayFilePayment(Admin(), s.payment, nullptr, &s.order).ok());
  for (const std::string& code :
       {kCodes.platform, kCodes.enterprise, kCodes.logistics, std::string(kStranger)}) {
    ExpectRefused(MayFilePayment(Enterprise(code), s.payment, nullptr, &s.order),
                  "payment.pay_code: NOT_THE_SENDER");
  }
  ExpectRefused(MayFilePayment(Carrier(kCodes.payment), s.payment, nullptr, nullptr),
                "NOT_THE_SENDER");
}

TEST(MayFilePaymentTest, APaymentTheStoredOrderDoesNotNameIsRefused) {
  samples::ImportSet s = Set();
  v1::Payment own = s.payment;
  own.set_pay_code(kStranger);
  for (v1::AppType t : {v1::APP_TYPE_NEW, v1::APP_TYPE_CHANGE}) {
    own.set_app_type(t);
    ExpectRefused(MayFilePayment(Enterprise(kStranger), own, nullptr, &s.order),
                  "payment.pay_code: NOT_THE_ORDERS_PAYMENT_ENTERPRISE");
  }
  // Before the order comes, it waits under its own key and blocks nobody.
  own.set_app_type(v1::APP_TYPE_NEW);
  EXPECT_TRUE(MayFilePayment(Enterprise(kStranger), own, nullptr, nullptr).ok());
  // Its own document under its own key, it may always take back.
  v1::Payment stored = own;
  own.set_app_type(v1::APP_TYPE_WITHDRAW);
  EXPECT_TRUE(MayFilePayment(Enterprise(kStranger), own, &stored, &s.order).ok());
}

TEST(MayFilePaymentTest, TheStoredPaymentsEnterpriseDecides) {
  samples::ImportSet s = Set();
  v1::Payment stored = s.payment;
  stored.set_pay_code(kStranger);
  ExpectRefused(MayFilePayment(Enterprise(kCodes.payment), s.payment, &stored, nullptr),
                "NOT_THE_SENDER");
}

v1::Receipt ReceiptOf(const v1::Order& o) {
  v1::Receipt r;
  r.set_app_type(v1::APP_TYPE_NEW);
  r.set_ebp_code(o.ebp_code());
  r.set_ebc_code(o.ebc_code());
  r.set_order_no(o.order_no());
  r.set_pay_code(o.pay_code());
  return r;
}

TEST(MayFileReceiptTest, OnlyItsEnterpriseFilesIt) {
  v1::Order order = Set().order;
  v1::Receipt r = ReceiptOf(order);
  EXPECT_TRUE(MayFileReceipt(Enterprise(kCodes.enterprise), r, nullptr, nullptr).ok());
  EXPECT_TRUE(MayFileReceipt(Enterprise(kCodes.enterprise), r, &r, &order).ok());
  EXPECT_TRUE(MayFileReceipt(Admin(), r, nullptr, &order).ok());
  for (const std::string& code : {kCodes.platform, kCodes.payment, std::string(kStranger)}) {
    ExpectRefused(MayFileReceipt(Enterprise(code), r, nullptr, &order),
                  "receipt.ebc_code: NOT_THE_SENDER");
  }
  ExpectRefused(MayFileReceipt(Carrier(kCodes.enterprise), r, nullptr, nullptr), "NOT_THE_SENDER");
}

TEST(MayFileReceiptTest, AReceiptTheStoredOrderDoesNotNameIsRefused) {
  v1::Order order = Set().order;
  v1::Receipt r = ReceiptOf(order);
  r.set_ebc_code(kStranger);
  ExpectRefused(MayFileReceipt(Enterprise(kStranger), r, nullptr, &order),
                "receipt.ebc_code: NOT_THE_ORDERS_ENTERPRISE");
  EXPECT_TRUE(MayFileReceipt(Enterprise(kStranger), r, nullptr, nullptr).ok());
  v1::Receipt stored = r;
  r.set_app_type(v1::APP_TYPE_WITHDRAW);
  EXPECT_TRUE(MayFileReceipt(Enterprise(kStranger), r, &stored, &order).ok());
}

TEST(MayFileWaybillTest, ItsLogisticsEnterpriseOrItsCarrierFilesIt) {
  samples::ImportSet s = Set();
  EXPECT_TRUE(MayFileWaybill(Enterprise(kCodes.logistics), s.waybill, nullptr, &s.order).ok());
  EXPECT_TRUE(MayFileWaybill(Carrier(kCodes.logistics), s.waybill, nullptr, &s.order).ok());
  EXPECT_TRUE(MayFileWaybill(Admin(), s.waybill, nullptr, nullptr).ok());
  for (const std::string& code :
       {kCodes.platform, kCodes.enterprise, kCodes.payment, std::string(kStranger)}) {
    ExpectRefused(MayFileWaybill(Enterprise(code), s.waybill, nullptr, &s.order),
                  "waybill.logistics_code: NOT_THE_SENDER");
  }
  ExpectRefused(MayFileWaybill(Carrier(kStranger), s.waybill, nullptr, nullptr), "NOT_THE_SENDER");
}

TEST(MayFileWaybillTest, AWaybillTheStoredOrderDoesNotNameIsRefused) {
  samples::ImportSet s = Set();
  v1::Waybill own = s.waybill;
  own.set_logistics_code(kStranger);
  for (v1::AppType t : {v1::APP_TYPE_NEW, v1::APP_TYPE_CHANGE}) {
    own.set_app_type(t);
    ExpectRefused(MayFileWaybill(Carrier(kStranger), own, nullptr, &s.order),
                  "waybill.logistics_code: NOT_THE_ORDERS_LOGISTICS_ENTERPRISE");
  }
  own.set_app_type(v1::APP_TYPE_NEW);
  EXPECT_TRUE(MayFileWaybill(Carrier(kStranger), own, nullptr, nullptr).ok());
  v1::Waybill stored = own;
  own.set_app_type(v1::APP_TYPE_WITHDRAW);
  EXPECT_TRUE(MayFileWaybill(Carrier(kStranger), own, &stored, &s.order).ok());
}

TEST(MayFileWaybillTest, TheStoredWaybillsEnterpriseDecides) {
  samples::ImportSet s = Set();
  v1::Waybill stored = s.waybill;
  stored.set_logistics_code(kStranger);
  ExpectRefused(MayFileWaybill(Enterprise(kCodes.logistics), s.waybill, &stored, nullptr),
                "NOT_THE_SENDER");
}

}  // namespace
}  // namespace parkline::declarations
