#include "declarations/document_rules.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "ids/ids.h"

namespace parkline::declarations {
namespace {

constexpr char kResidentId[] = "11010519491231002X";  // the GB 11643 example
constexpr char kUscc[] = "91350100M000100Y43";
constexpr char kCustomsCode[] = "3301960001";
constexpr char kGuid[] = "4CDE1CFD-EDED-46B1-946C-B8022E42FC94";

// Another valid resident ID, its check character computed, for a payer who is not the buyer.
std::string OtherResidentId() {
  std::string first17 = "11010519800101001";
  return first17 + ids::ResidentIdCheckCharacter(first17);
}

v1::OrderGoods Line(int gnum, const char* qty, const char* price, const char* total) {
  v1::OrderGoods g;
  g.set_gnum(gnum);
  g.set_item_no(absl::StrCat("SKU-", gnum));
  g.set_item_name("婴儿奶粉");
  g.set_gmodel("900g/罐");
  g.set_unit("122");
  g.set_qty(qty);
  g.set_price(price);
  g.set_total_price(total);
  g.set_currency("142");
  g.set_country("502");
  return g;
}

// goodsValue 180.00 + freight 10.00 + taxTotal 5.50 - discount 5.00 = acturalPaid 190.50.
v1::Order ValidImportOrder() {
  v1::Order o;
  o.set_direction(v1::DIRECTION_IMPORT);
  o.set_guid(kGuid);
  o.set_app_type(v1::APP_TYPE_NEW);
  o.set_app_time("20250315103000");
  o.set_app_status(2);
  o.set_order_type("I");
  o.set_order_no("ORD-2025-0001");
  o.set_ebp_code(kCustomsCode);
  o.set_ebp_name("杭州跨境电商平台有限公司");
  o.set_ebc_code(kUscc);
  o.set_ebc_name("福州跨境贸易有限公司");
  o.set_goods_value("180.00");
  o.set_freight("10.00");
  o.set_discount("5.00");
  o.set_tax_total("5.50");
  o.set_actural_paid("190.50");
  o.set_currency("142");
  o.set_buyer_reg_no("buyer-001");
  o.set_buyer_name("张三");
  o.set_buyer_telephone("13800000000");
  o.set_buyer_id_type("1");
  o.set_buyer_id_number(kResidentId);
  o.set_pay_code(kCustomsCode);
  o.set_pay_name("支付有限公司");
  o.set_pay_transaction_id("PAY-0001");
  o.set_consignee("张三");
  o.set_consignee_telephone("13800000000");
  o.set_consignee_address("北京市西城区某路1号");
  o.set_consignee_district("110102");
  o.set_business_mode("1210");
  o.set_logistics_code(kCustomsCode);
  *o.add_goods() = Line(1, "2", "50.00", "100.00");
  *o.add_goods() = Line(2, "4", "20", "80");
  return o;
}

// One line, no freight, tax or discount: the sums hold whatever the line says.
v1::Order OneLineOrder(const char* qty, const char* price, const char* total) {
  v1::Order o = ValidImportOrder();
  o.clear_goods();
  *o.add_goods() = Line(1, qty, price, total);
  o.set_goods_value(total);
  o.set_freight("0");
  o.set_discount("0");
  o.set_tax_total("0");
  o.set_actural_paid(total);
  return o;
}

v1::Order ValidExportOrder() {
  v1::Order o;
  o.set_direction(v1::DIRECTION_EXPORT);
  o.set_guid(kGuid);
  o.set_app_type(v1::APP_TYPE_NEW);
  o.set_app_time("20250315103000");
  o.set_app_status(2);
  o.set_order_type("E");
  o.set_order_no("EXP-0001");
  o.set_ebp_code("无");  // a platform abroad without a code, as CEB303 allows
  o.set_ebp_name("Overseas Marketplace");
  o.set_ebc_code(kCustomsCode);
  o.set_ebc_name("福州跨境贸易有限公司");
  o.set_goods_value("300.00");
  o.set_freight("0");
  o.set_currency("502");
  o.set_business_mode("9810");
  o.set_logistics_code(kCustomsCode);
  v1::OrderGoods g = Line(1, "3", "100", "300");
  g.clear_gmodel();
  g.clear_country();
  g.set_currency("502");
  *o.add_goods() = g;
  return o;
}

v1::Payment ValidPayment() {
  v1::Payment p;
  p.set_guid(kGuid);
  p.set_app_type(v1::APP_TYPE_NEW);
  p.set_app_time("20250315103100");
  p.set_app_status(2);
  p.set_pay_code(kCustomsCode);
  p.set_pay_name("支付有限公司");
  p.set_pay_transaction_id("PAY-0001");
  p.set_order_no("ORD-2025-0001");
  p.set_ebp_code(kCustomsCode);
  p.set_ebp_name("杭州跨境电商平台有限公司");
  p.set_payer_id_type("1");
  p.set_payer_id_number(kResidentId);
  p.set_payer_name("张三");
  p.set_amount_paid("190.5");
  p.set_currency("142");
  p.set_pay_time("20250315102959");
  return p;
}

v1::Waybill ValidImportWaybill() {
  v1::Waybill w;
  w.set_direction(v1::DIRECTION_IMPORT);
  w.set_guid(kGuid);
  w.set_app_type(v1::APP_TYPE_NEW);
  w.set_app_time("20250315110000");
  w.set_app_status(2);
  w.set_logistics_code(kCustomsCode);
  w.set_logistics_name("顺丰速运");
  w.set_logistics_no("SF1234567890");
  w.set_order_no("ORD-2025-0001");
  w.set_ebp_code(kCustomsCode);
  w.set_freight("10.00");
  w.set_insured_fee("0");
  w.set_currency("142");
  w.set_weight("1.85");
  w.set_pack_no(1);
  w.set_consignee("张三");
  w.set_consignee_telephone("13800000000");
  w.set_consignee_address("北京市西城区某路1号");
  return w;
}

v1::Receipt ValidReceipt() {
  v1::Receipt r;
  r.set_guid(kGuid);
  r.set_app_type(v1::APP_TYPE_NEW);
  r.set_app_time("20250316090000");
  r.set_app_status(2);
  r.set_ebp_code("无");
  r.set_ebp_name("Overseas Marketplace");
  r.set_ebc_code(kCustomsCode);
  r.set_ebc_name("福州跨境贸易有限公司");
  r.set_order_no("EXP-0001");
  r.set_pay_name("PayPal");
  r.set_charge("300.00");
  r.set_currency("502");
  r.set_accounting_date("20250316085959");
  return r;
}

std::string Describe(const errors::Violations& v) { return v.ToStatus().ToString(); }

// Exactly one violation, on `field` for `reason`; returns its description.
std::string ExpectOnly(const errors::Violations& v, const std::string& field,
                       const std::string& reason) {
  EXPECT_EQ(v.list().size(), 1u) << Describe(v);
  if (v.list().empty()) return "";
  EXPECT_EQ(v.list()[0].field, field) << Describe(v);
  EXPECT_EQ(v.list()[0].reason, reason) << Describe(v);
  return v.list()[0].description;
}

TEST(DocumentRules, ValidDocumentsPass) {
  errors::Violations v;
  CheckOrder(ValidImportOrder(), "order", v);
  CheckOrder(ValidExportOrder(), "order", v);
  CheckPayment(ValidPayment(), "payment", v);
  CheckWaybill(ValidImportWaybill(), "waybill", v);
  CheckReceipt(ValidReceipt(), "receipt", v);
  CheckPaymentMatchesOrder(ValidImportOrder(), ValidPayment(), v);
  CheckWaybillMatchesOrder(ValidImportOrder(), ValidImportWaybill(), v);
  CheckReceiptMatchesOrder(ValidExportOrder(), ValidReceipt(), v);
  EXPECT_TRUE(v.empty()) << Describe(v);
}

TEST(DocumentRules, ActuralPaidIdentityIsExact) {
  v1::Order o = ValidImportOrder();
  o.set_tax_total("5.00");  // 180 + 10 + 5 - 5 = 190.00, not the 190.50 paid
  errors::Violations v;
  CheckOrder(o, "order", v);
  EXPECT_EQ(ExpectOnly(v, "order.actural_paid", "ACTURAL_PAID_MISMATCH"),
            "190.50 != goodsValue+freight+taxTotal-discount (190.00)");
}

TEST(DocumentRules, ActuralPaidIdentityWithFiveDecimals) {
  v1::Order o = OneLineOrder("1", "180.12345", "180.12345");
  o.set_freight("10.00001");
  o.set_tax_total("5.5");
  o.set_discount("0.00002");
  o.set_actural_paid("195.62344");  // 180.12345 + 10.00001 + 5.5 - 0.00002
  errors::Violations ok;
  CheckOrder(o, "order", ok);
  EXPECT_TRUE(ok.empty()) << Describe(ok);

  o.set_actural_paid("195.62345");  // one hundred-thousandth off
  errors::Violations v;
  CheckOrder(o, "order", v);
  EXPECT_EQ(ExpectOnly(v, "order.actural_paid", "ACTURAL_PAID_MISMATCH"),
            "195.62345 != goodsValue+freight+taxTotal-discount (195.62344)");
}

TEST(DocumentRules, GoodsLinesMustSumToGoodsValue) {
  v1::Order o = ValidImportOrder();
  o.set_goods_value("170.00");   // the lines say 180.00
  o.set_actural_paid("180.50");  // keeps the paid identity
  errors::Violations v;
  CheckOrder(o, "order", v);
  EXPECT_EQ(ExpectOnly(v, "order.goods_value", "GOODS_VALUE_MISMATCH"),
            "170.00 != sum of goods[].total_price (180.00)");
}

TEST(DocumentRules, TotalPriceIsQtyTimesPriceWithDecimals) {
  for (auto [qty, price, total] :
       {std::tuple{"0.5", "19.99", "9.995"}, std::tuple{"3", "33.33333", "99.99999"},
        std::tuple{"1.25", "0.00008", "0.0001"},
        // 8.333325 has 6 fraction digits: N19,5 holds 8.33333
        std::tuple{"2.5", "3.33333", "8.33333"}, std::tuple{"1", "0", "0"}}) {
    errors::Violations v;
    CheckOrder(OneLineOrder(qty, price, total), "order", v);
    EXPECT_TRUE(v.empty()) << qty << " x " << price << ": " << Describe(v);
  }
  for (auto [qty, price, total] :
       {std::tuple{"0.5", "19.99", "10.00"}, std::tuple{"3", "33.33333", "100"},
        std::tuple{"2.5", "3.33333", "8.33332"}}) {
    errors::Violations v;
    CheckOrder(OneLineOrder(qty, price, total), "order", v);
    ExpectOnly(v, "order.goods[0].total_price", "TOTAL_PRICE_MISMATCH");
  }
  errors::Violations v;
  CheckOrder(OneLineOrder("0.5", "19.99", "10"), "order", v);
  EXPECT_EQ(ExpectOnly(v, "order.goods[0].total_price", "TOTAL_PRICE_MISMATCH"),
            "10.00 != qty x price (0.50 x 19.99 = 9.995)");
}

TEST(DocumentRules, HugeAmountsDoNotOverflow) {
  // 92233720368547.75807 is the largest N19,5 amount an int64 holds; its square is far beyond.
  errors::Violations v;
  CheckOrder(OneLineOrder("92233720368547.75807", "92233720368547.75807", "1"), "order", v);
  EXPECT_EQ(ExpectOnly(v, "order.goods[0].total_price", "TOTAL_PRICE_MISMATCH"),
            "1.00 != qty x price (92233720368547.75807 x 92233720368547.75807 = beyond N19,5)");
}

TEST(DocumentRules, LengthsCountCharactersNotBytes) {
  v1::Order o = ValidImportOrder();
  std::string name;
  for (int i = 0; i < 60; ++i) name += "张";  // 60 characters, 180 bytes: C..60 holds it
  o.set_buyer_name(name);
  errors::Violations ok;
  CheckOrder(o, "order", ok);
  EXPECT_TRUE(ok.empty()) << Describe(ok);

  o.set_buyer_name(name + "三");
  errors::Violations v;
  CheckOrder(o, "order", v);
  EXPECT_EQ(ExpectOnly(v, "order.buyer_name", "TOO_LONG"), "is 61 characters, at most 60 (C..60)");
}

TEST(DocumentRules, TimesAreRealCalendarTimes) {
  for (const char* bad : {"20250230120000", "20250315240000", "20250315106000", "2025031510300",
                          "2025-03-15 10:30", "19000229000000"}) {
    v1::Order o = ValidImportOrder();
    o.set_app_time(bad);
    errors::Violations v;
    CheckOrder(o, "order", v);
    ExpectOnly(v, "order.app_time", "TIME");
  }
  for (const char* good : {"20240229235959", "20000229000000", "20251231235959"}) {
    v1::Payment p = ValidPayment();
    p.set_pay_time(good);
    errors::Violations v;
    CheckPayment(p, "payment", v);
    EXPECT_TRUE(v.empty()) << good << " " << Describe(v);
  }
}

TEST(DocumentRules, WrongCheckDigitOfTheBuyerAndThePayer) {
  v1::Order o = ValidImportOrder();
  o.set_buyer_id_number("110105194912310021");
  errors::Violations v;
  CheckOrder(o, "order", v);
  std::string why = ExpectOnly(v, "order.buyer_id_number", "RESIDENT_ID");
  EXPECT_NE(why.find("check character"), std::string::npos) << why;

  v1::Payment p = ValidPayment();
  p.set_payer_id_number("110105194912310021");
  errors::Violations pv;
  CheckPayment(p, "payment", pv);
  ExpectOnly(pv, "payment.payer_id_number", "RESIDENT_ID");
}

// Each broken rule of an import order alone, with the one violation it must produce.
struct OrderCase {
  const char* what;
  std::function<void(v1::Order&)> mutate;
  std::string field;
  std::string reason;
};

TEST(DocumentRules, EachBrokenOrderRuleIsOneViolation) {
  const std::vector<OrderCase> cases = {
      {"guid lower case", [](v1::Order& o) { o.set_guid("4cde1cfd-eded-46b1-946c-b8022e42fc94"); },
       "order.guid", "GUID"},
      {"guid 35 characters", [](v1::Order& o) { o.set_guid(std::string(35, 'A')); }, "order.guid",
       "GUID"},
      {"app_type 0", [](v1::Order& o) { o.set_app_type(v1::APP_TYPE_UNSPECIFIED); },
       "order.app_type", "APP_TYPE"},
      {"app_type 4", [](v1::Order& o) { o.set_app_type(static_cast<v1::AppType>(4)); },
       "order.app_type", "APP_TYPE"},
      {"app_status 3", [](v1::Order& o) { o.set_app_status(3); }, "order.app_status", "APP_STATUS"},
      {"export order type", [](v1::Order& o) { o.set_order_type("E"); }, "order.order_type",
       "ORDER_TYPE"},
      {"order_no 61", [](v1::Order& o) { o.set_order_no(std::string(61, '1')); }, "order.order_no",
       "TOO_LONG"},
      {"ebp_code 9", [](v1::Order& o) { o.set_ebp_code("330196000"); }, "order.ebp_code",
       "ENTERPRISE_CODE"},
      {"ebp_code lower case", [](v1::Order& o) { o.set_ebp_code("330196000a"); }, "order.ebp_code",
       "ENTERPRISE_CODE"},
      {"ebc_code check", [](v1::Order& o) { o.set_ebc_code("91350100M000100Y44"); },
       "order.ebc_code", "ENTERPRISE_CODE"},
      {"ebp_code none on import", [](v1::Order& o) { o.set_ebp_code("无"); }, "order.ebp_code",
       "ENTERPRISE_CODE"},
      {"pay_code", [](v1::Order& o) { o.set_pay_code("PAY"); }, "order.pay_code",
       "ENTERPRISE_CODE"},
      {"no pay_code on import", [](v1::Order& o) { o.clear_pay_code(); }, "order.pay_code",
       "REQUIRED"},
      {"no logistics_code", [](v1::Order& o) { o.clear_logistics_code(); }, "order.logistics_code",
       "REQUIRED"},
      {"logistics_code 9", [](v1::Order& o) { o.set_logistics_code("330196000"); },
       "order.logistics_code", "ENTERPRISE_CODE"},
      {"currency USD", [](v1::Order& o) { o.set_currency("502"); }, "order.currency", "CURRENCY"},
      {"currency 4", [](v1::Order& o) { o.set_currency("1420"); }, "order.currency", "LENGTH"},
      {"line currency", [](v1::Order& o) { o.mutable_goods(1)->set_currency("502"); },
       "order.goods[1].currency", "CURRENCY"},
      {"buyer id type", [](v1::Order& o) { o.set_buyer_id_type("2"); }, "order.buyer_id_type",
       "ID_TYPE"},
      {"buyer id birth date", [](v1::Order& o) { o.set_buyer_id_number("110105194902300020"); },
       "order.buyer_id_number", "RESIDENT_ID"},
      {"no consignee", [](v1::Order& o) { o.clear_consignee(); }, "order.consignee", "REQUIRED"},
      {"no buyer telephone", [](v1::Order& o) { o.clear_buyer_telephone(); },
       "order.buyer_telephone", "REQUIRED"},
      {"district 5", [](v1::Order& o) { o.set_consignee_district("11010"); },
       "order.consignee_district", "LENGTH"},
      {"no freight", [](v1::Order& o) { o.clear_freight(); }, "order.freight", "REQUIRED"},
      {"freight 6 decimals", [](v1::Order& o) { o.set_freight("10.000001"); }, "order.freight",
       "DECIMAL"},
      {"freight text", [](v1::Order& o) { o.set_freight("ten"); }, "order.freight", "DECIMAL"},
      {"negative discount", [](v1::Order& o) { o.set_discount("-5.00"); }, "order.discount",
       "NON_NEGATIVE"},
      {"gnum out of sequence", [](v1::Order& o) { o.mutable_goods(1)->set_gnum(3); },
       "order.goods[1].gnum", "GNUM_SEQUENCE"},
      {"no gmodel", [](v1::Order& o) { o.mutable_goods(0)->clear_gmodel(); },
       "order.goods[0].gmodel", "REQUIRED"},
      {"item name 251",
       [](v1::Order& o) { o.mutable_goods(0)->set_item_name(std::string(251, 'x')); },
       "order.goods[0].item_name", "TOO_LONG"},
      {"no country", [](v1::Order& o) { o.mutable_goods(0)->clear_country(); },
       "order.goods[0].country", "REQUIRED"},
      {"vat rate", [](v1::Order& o) { o.mutable_goods(0)->set_vat_rate("13%"); },
       "order.goods[0].vat_rate", "RATE"},
      {"consumption tax rate 1",
       [](v1::Order& o) { o.mutable_goods(0)->set_consumption_tax_rate("1"); },
       "order.goods[0].consumption_tax_rate", "RATE"},
      {"unknown business mode", [](v1::Order& o) { o.set_business_mode("9999"); },
       "order.business_mode", "BUSINESS_MODE"},
      {"export business mode", [](v1::Order& o) { o.set_business_mode("9710"); },
       "order.business_mode", "BUSINESS_MODE_DIRECTION"},
      {"note 1001", [](v1::Order& o) { o.set_note(std::string(1001, 'n')); }, "order.note",
       "TOO_LONG"},
  };
  for (const OrderCase& c : cases) {
    v1::Order o = ValidImportOrder();
    c.mutate(o);
    errors::Violations v;
    CheckOrder(o, "order", v);
    SCOPED_TRACE(c.what);
    ExpectOnly(v, c.field, c.reason);
  }
}

TEST(DocumentRules, NoDirectionIsReported) {
  v1::Order o = ValidImportOrder();
  o.set_direction(v1::DIRECTION_UNSPECIFIED);
  errors::Violations v;
  CheckOrder(o, "order", v);
  // Without a direction, the business mode 1210 and the import currency still hold; only the
  // direction is missing.
  ExpectOnly(v, "order.direction", "DIRECTION");
}

TEST(DocumentRules, EveryBrokenRuleIsListedAtOnce) {
  v1::Order o = ValidImportOrder();
  o.set_guid("short");
  o.set_currency("502");
  o.mutable_goods(0)->set_total_price("99.00");  // also breaks the goods sum
  o.set_buyer_id_type("2");
  errors::Violations v;
  CheckOrder(o, "order", v);
  std::vector<std::string> fields;
  for (const auto& violation : v.list()) fields.push_back(violation.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"order.guid", "order.currency", "order.buyer_id_type",
                                              "order.goods[0].total_price", "order.goods_value"}))
      << Describe(v);
}

TEST(DocumentRules, ExportOrderHasItsOwnRequiredFields) {
  v1::Order o = ValidExportOrder();
  o.mutable_goods(0)->clear_item_no();  // CEB303 requires it, CEB311 does not
  errors::Violations v;
  CheckOrder(o, "order", v);
  ExpectOnly(v, "order.goods[0].item_no", "REQUIRED");

  for (const char* type : {"B", "W"}) {
    v1::Order typed = ValidExportOrder();
    typed.set_order_type(type);
    errors::Violations ok;
    CheckOrder(typed, "order", ok);
    EXPECT_TRUE(ok.empty()) << type << " " << Describe(ok);
  }
  v1::Order import_mode = ValidExportOrder();
  import_mode.set_business_mode("1239");
  errors::Violations mode;
  CheckOrder(import_mode, "order", mode);
  ExpectOnly(mode, "order.business_mode", "BUSINESS_MODE_DIRECTION");

  v1::Order i_type = ValidExportOrder();
  i_type.set_order_type("I");
  errors::Violations type;
  CheckOrder(i_type, "order", type);
  ExpectOnly(type, "order.order_type", "ORDER_TYPE");
}

TEST(DocumentRules, PaymentRules) {
  struct Case {
    std::function<void(v1::Payment&)> mutate;
    std::string field;
    std::string reason;
  };
  const std::vector<Case> cases = {
      {[](v1::Payment& p) { p.set_currency("502"); }, "payment.currency", "CURRENCY"},
      {[](v1::Payment& p) { p.set_payer_id_type("2"); }, "payment.payer_id_type", "ID_TYPE"},
      {[](v1::Payment& p) { p.clear_pay_transaction_id(); }, "payment.pay_transaction_id",
       "REQUIRED"},
      {[](v1::Payment& p) { p.set_amount_paid("190.500001"); }, "payment.amount_paid", "DECIMAL"},
      {[](v1::Payment& p) { p.set_pay_code(""); }, "payment.pay_code", "REQUIRED"},
      {[](v1::Payment& p) { p.set_pay_time("20251315000000"); }, "payment.pay_time", "TIME"},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    v1::Payment p = ValidPayment();
    cases[i].mutate(p);
    errors::Violations v;
    CheckPayment(p, "payment", v);
    SCOPED_TRACE(i);
    ExpectOnly(v, cases[i].field, cases[i].reason);
  }
}

TEST(DocumentRules, WaybillRules) {
  v1::Waybill two = ValidImportWaybill();
  two.set_pack_no(2);
  errors::Violations v;
  CheckWaybill(two, "waybill", v);
  ExpectOnly(v, "waybill.pack_no", "PACK_NO");

  v1::Waybill no_consignee = ValidImportWaybill();
  no_consignee.clear_consignee_address();
  errors::Violations c;
  CheckWaybill(no_consignee, "waybill", c);
  ExpectOnly(c, "waybill.consignee_address", "REQUIRED");

  v1::Waybill bad_code = ValidImportWaybill();
  bad_code.set_logistics_code("SF");
  errors::Violations code;
  CheckWaybill(bad_code, "waybill", code);
  ExpectOnly(code, "waybill.logistics_code", "ENTERPRISE_CODE");

  // The platform the waybill is for (a park addition) is required; "无" only for export.
  v1::Waybill no_platform = ValidImportWaybill();
  no_platform.clear_ebp_code();
  errors::Violations platform;
  CheckWaybill(no_platform, "waybill", platform);
  ExpectOnly(platform, "waybill.ebp_code", "REQUIRED");
  no_platform.set_ebp_code("无");
  errors::Violations none;
  CheckWaybill(no_platform, "waybill", none);
  ExpectOnly(none, "waybill.ebp_code", "ENTERPRISE_CODE");

  // CEB505 (export): logistics_no at most 32, goods_info required, no consignee, one currency.
  v1::Waybill exported = ValidImportWaybill();
  exported.set_direction(v1::DIRECTION_EXPORT);
  exported.clear_consignee();
  exported.clear_consignee_address();
  exported.clear_consignee_telephone();
  exported.set_currency("502");
  exported.set_pack_no(3);
  exported.set_goods_info("服装 3 件");
  exported.set_ebp_code("无");  // a platform abroad
  errors::Violations ok;
  CheckWaybill(exported, "waybill", ok);
  EXPECT_TRUE(ok.empty()) << Describe(ok);
  exported.set_logistics_no(std::string(33, '9'));
  errors::Violations long_no;
  CheckWaybill(exported, "waybill", long_no);
  ExpectOnly(long_no, "waybill.logistics_no", "TOO_LONG");
}

TEST(DocumentRules, ReceiptRules) {
  v1::Receipt r = ValidReceipt();
  r.clear_charge();
  errors::Violations v;
  CheckReceipt(r, "receipt", v);
  ExpectOnly(v, "receipt.charge", "REQUIRED");

  v1::Receipt date = ValidReceipt();
  date.set_accounting_date("20250316");
  errors::Violations d;
  CheckReceipt(date, "receipt", d);
  ExpectOnly(d, "receipt.accounting_date", "TIME");
}

TEST(DocumentRules, PaymentMustMatchTheOrder) {
  v1::Payment amount = ValidPayment();
  amount.set_amount_paid("190.49999");
  errors::Violations v;
  CheckPaymentMatchesOrder(ValidImportOrder(), amount, v);
  EXPECT_EQ(ExpectOnly(v, "payment.amount_paid", "AMOUNT_MISMATCH"),
            "190.49999 != the order's acturalPaid (190.50)");

  v1::Payment payer = ValidPayment();
  payer.set_payer_id_number(OtherResidentId());
  errors::Violations p;
  CheckPaymentMatchesOrder(ValidImportOrder(), payer, p);
  ExpectOnly(p, "payment.payer_id_number", "PAYER_MISMATCH");
  EXPECT_EQ(p.ToStatus().message().find(kResidentId), std::string::npos) << "no ID in clear";
  EXPECT_EQ(p.ToStatus().message().find(OtherResidentId()), std::string::npos);

  v1::Payment name = ValidPayment();
  name.set_payer_name("李四");
  errors::Violations n;
  CheckPaymentMatchesOrder(ValidImportOrder(), name, n);
  ExpectOnly(n, "payment.payer_name", "PAYER_MISMATCH");

  v1::Payment platform = ValidPayment();
  platform.set_ebp_code(kUscc);
  errors::Violations e;
  CheckPaymentMatchesOrder(ValidImportOrder(), platform, e);
  ExpectOnly(e, "payment.ebp_code", "EBP_CODE_MISMATCH");

  v1::Payment transaction = ValidPayment();
  transaction.set_pay_transaction_id("PAY-0002");
  errors::Violations t;
  CheckPaymentMatchesOrder(ValidImportOrder(), transaction, t);
  ExpectOnly(t, "payment.pay_transaction_id", "PAY_TRANSACTION_ID_MISMATCH");
}

TEST(DocumentRules, WaybillMustMatchTheOrder) {
  for (auto [field, mutate] :
       std::vector<std::pair<std::string, std::function<void(v1::Waybill&)>>>{
           {"waybill.consignee", [](v1::Waybill& w) { w.set_consignee("李四"); }},
           {"waybill.consignee_telephone",
            [](v1::Waybill& w) { w.set_consignee_telephone("13900000000"); }},
           {"waybill.consignee_address",
            [](v1::Waybill& w) { w.set_consignee_address("上海市"); }}}) {
    v1::Waybill w = ValidImportWaybill();
    mutate(w);
    errors::Violations v;
    CheckWaybillMatchesOrder(ValidImportOrder(), w, v);
    ExpectOnly(v, field, "CONSIGNEE_MISMATCH");
  }
  v1::Waybill other = ValidImportWaybill();
  other.set_order_no("ORD-2025-0002");
  errors::Violations v;
  CheckWaybillMatchesOrder(ValidImportOrder(), other, v);
  ExpectOnly(v, "waybill.order_no", "ORDER_NO_MISMATCH");
}

TEST(DocumentRules, ReceiptMustMatchTheOrder) {
  v1::Receipt r = ValidReceipt();
  r.set_ebc_code(kUscc);
  errors::Violations v;
  CheckReceiptMatchesOrder(ValidExportOrder(), r, v);
  ExpectOnly(v, "receipt.ebc_code", "EBC_CODE_MISMATCH");
}

}  // namespace
}  // namespace parkline::declarations
