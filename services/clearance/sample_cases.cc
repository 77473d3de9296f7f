#include "clearance/sample_cases.h"

#include "absl/strings/str_cat.h"

namespace parkline::clearance {

namespace dv1 = ::parkline::declarations::v1;

dv1::Declaration SampleDeclaration(dv1::Direction direction, const std::string& business_mode,
                                   int n, const SampleCodes& codes) {
  dv1::Declaration d;
  bool import = direction == dv1::DIRECTION_IMPORT;
  d.set_order_no(absl::StrCat("ORD-", n));
  d.set_order_key(absl::StrCat(codes.platform, "/", d.order_no()));
  d.set_direction(direction);
  d.set_business_mode(business_mode);
  d.set_ebp_code(codes.platform);
  d.set_ebc_code(codes.enterprise);
  d.set_logistics_code(codes.logistics);
  d.set_logistics_no(absl::StrCat("LN", n));
  d.set_value_cny("180.00");
  d.set_currency(import ? "142" : "502");
  d.set_status(dv1::DECLARATION_STATUS_MATCHED);
  if (import) {
    d.set_estimated_tax("16.38");
    d.set_declared_tax("16.38");
  }
  const char* names[] = {"奶粉 Milk powder <900g>", "纸尿裤 Diapers & wipes"};
  for (int i = 0; i < 2; ++i) {
    dv1::OrderGoods* g = d.add_goods();
    g->set_gnum(i + 1);
    g->set_item_no(absl::StrCat("SKU-", i + 1));
    g->set_item_name(names[i]);
    g->set_gmodel(i == 0 ? "900g/罐" : "L 54片");
    g->set_bar_code(absl::StrCat("690000000000", i));
    g->set_unit(i == 0 ? "122" : "011");
    g->set_qty("1");
    g->set_price(i == 0 ? "100.00" : "80.00");
    g->set_total_price(i == 0 ? "100.00" : "80.00");
    g->set_currency(d.currency());
    g->set_country(import ? "116" : "");
  }
  return d;
}

v1::Inventory CompleteDraft(v1::Inventory inv, dv1::Direction direction, int n) {
  bool import = direction == dv1::DIRECTION_IMPORT;
  auto fill = [](std::string* field, const std::string& value) {
    if (field->empty()) *field = value;
  };
  fill(inv.mutable_ebp_name(), "示例平台 Sample Platform");
  fill(inv.mutable_ebc_name(), "示例电商 Sample E-commerce");
  fill(inv.mutable_logistics_name(), "示例物流 Sample Logistics");
  fill(inv.mutable_agent_name(), "示例报关 Sample Agent");
  fill(inv.mutable_country(), import ? "116" : "502");
  fill(inv.mutable_gross_weight(), "2.5");
  fill(inv.mutable_net_weight(), "2.1");
  fill(inv.mutable_freight(), "10");
  fill(inv.mutable_insured_fee(), "0");
  if (inv.pack_no() <= 0) inv.set_pack_no(1);
  if (import) {
    fill(inv.mutable_currency(), "142");
    fill(inv.mutable_assure_code(), inv.ebc_code());
    fill(inv.mutable_buyer_id_type(), "1");
    fill(inv.mutable_buyer_id_number(), "110101199003070014");
    fill(inv.mutable_buyer_name(), absl::StrCat("买家", n));
    fill(inv.mutable_buyer_telephone(), "13800000000");
    fill(inv.mutable_consignee_address(), "福建省福州市示例路1号");
  } else {
    fill(inv.mutable_currency(), "502");
    fill(inv.mutable_ie_date(), "20250301");
    fill(inv.mutable_statistics_flag(), "B");
    fill(inv.mutable_owner_code(), inv.ebc_code());
    fill(inv.mutable_owner_name(), "示例电商 Sample E-commerce");
    fill(inv.mutable_pod(), "USLAX");
    inv.set_pod(inv.pod().substr(0, 4));
    fill(inv.mutable_wrap_type(), "2");
  }
  for (int i = 0; i < inv.lines_size(); ++i) {
    v1::InventoryLine* l = inv.mutable_lines(i);
    fill(l->mutable_gcode(), i % 2 == 0 ? "0402100000" : "9619001100");
    fill(l->mutable_gname(), l->item_name().empty() ? "goods" : l->item_name());
    fill(l->mutable_gmodel(), "1");
    fill(l->mutable_country(), import ? "116" : "502");
    fill(l->mutable_currency(), import ? "142" : "502");
    fill(l->mutable_unit(), "011");
    fill(l->mutable_qty(), "1");
    fill(l->mutable_qty1(), "0.9");
    fill(l->mutable_unit1(), "035");
    fill(l->mutable_item_no(), absl::StrCat("SKU-", i + 1));
    fill(l->mutable_price(), "1");
    fill(l->mutable_total_price(), l->price());
  }
  return inv;
}

}  // namespace parkline::clearance
