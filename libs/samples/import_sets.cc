#include "samples/import_sets.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "ids/ids.h"

namespace parkline::samples {
namespace {

namespace v1 = declarations::v1;

std::string Guid(int n, int kind) {
  return absl::StrFormat("4CDE1CFD-EDED-46B1-%04d-%012d", kind, n);
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

}  // namespace

std::string ResidentIdFor(int n) {
  // Born 1980-01-01 plus n days' worth of sequence numbers: region 110105, sequence n % 1000.
  std::string first17 =
      absl::StrFormat("1101051980%02d%02d%03d", 1 + (n / 28) % 12, 1 + n % 28, n % 1000);
  return first17 + ids::ResidentIdCheckCharacter(first17);
}

ImportSet MakeImportSet(int n, const ImportCodes& codes) {
  ImportSet s;
  std::string order_no = absl::StrFormat("ORD-%08d", n);
  std::string buyer = ResidentIdFor(n);
  v1::Order& o = s.order;
  o.set_direction(v1::DIRECTION_IMPORT);
  o.set_guid(Guid(n, 1));
  o.set_app_type(v1::APP_TYPE_NEW);
  o.set_app_time("20250315103000");
  o.set_app_status(2);
  o.set_order_type("I");
  o.set_order_no(order_no);
  o.set_ebp_code(codes.platform);
  o.set_ebp_name("杭州跨境电商平台有限公司");
  o.set_ebc_code(codes.enterprise);
  o.set_ebc_name("福州跨境贸易有限公司");
  o.set_goods_value("180.00");
  o.set_freight("10.00");
  o.set_discount("5.00");
  o.set_tax_total("5.50");
  o.set_actural_paid("190.50");
  o.set_currency("142");
  o.set_buyer_reg_no(absl::StrCat("buyer-", n));
  o.set_buyer_name("张三");
  o.set_buyer_telephone("13800000000");
  o.set_buyer_id_type("1");
  o.set_buyer_id_number(buyer);
  o.set_pay_code(codes.payment);
  o.set_pay_name("支付有限公司");
  o.set_pay_transaction_id(absl::StrCat("PAY-", n));
  o.set_consignee("张三");
  o.set_consignee_telephone("13800000000");
  o.set_consignee_address("北京市西城区某路1号");
  o.set_consignee_district("110102");
  o.set_business_mode("9610");
  o.set_logistics_code(codes.logistics);
  *o.add_goods() = Line(1, "2", "50.00", "100.00");
  *o.add_goods() = Line(2, "4", "20", "80");

  v1::Payment& p = s.payment;
  p.set_guid(Guid(n, 2));
  p.set_app_type(v1::APP_TYPE_NEW);
  p.set_app_time("20250315103100");
  p.set_app_status(2);
  p.set_pay_code(codes.payment);
  p.set_pay_name("支付有限公司");
  p.set_pay_transaction_id(absl::StrCat("PAY-", n));
  p.set_order_no(order_no);
  p.set_ebp_code(codes.platform);
  p.set_ebp_name("杭州跨境电商平台有限公司");
  p.set_payer_id_type("1");
  p.set_payer_id_number(buyer);
  p.set_payer_name("张三");
  p.set_amount_paid("190.5");
  p.set_currency("142");
  p.set_pay_time("20250315102959");

  v1::Waybill& w = s.waybill;
  w.set_direction(v1::DIRECTION_IMPORT);
  w.set_guid(Guid(n, 3));
  w.set_app_type(v1::APP_TYPE_NEW);
  w.set_app_time("20250315110000");
  w.set_app_status(2);
  w.set_logistics_code(codes.logistics);
  w.set_logistics_name("顺丰速运");
  w.set_logistics_no(absl::StrFormat("SF%010d", n));
  w.set_ebp_code(codes.platform);
  w.set_order_no(order_no);
  w.set_freight("10.00");
  w.set_insured_fee("0");
  w.set_currency("142");
  w.set_weight("1.85");
  w.set_pack_no(1);
  w.set_consignee("张三");
  w.set_consignee_telephone("13800000000");
  w.set_consignee_address("北京市西城区某路1号");
  return s;
}

}  // namespace parkline::samples
