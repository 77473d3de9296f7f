#include "declarations/declaration_matcher.h"

#include "absl/strings/str_cat.h"
#include "declarations/amount.h"
#include "declarations/document_rules.h"
#include "declarations/tax_estimate.h"
#include "errors/violations.h"

namespace parkline::declarations {

std::string OrderKey(absl::string_view ebp_code, absl::string_view order_no) {
  return absl::StrCat(ebp_code, "/", order_no);
}

std::string BusinessModeOf(const v1::Order& order) {
  return order.business_mode().empty() ? "9610" : order.business_mode();
}

bool IsComplete(const DocumentSet& set) {
  if (!set.order || !set.waybill) return false;
  if (set.order->direction() == v1::DIRECTION_IMPORT) return set.payment.has_value();
  return BusinessModeOf(*set.order) != "9610" || set.receipt.has_value();
}

v1::Declaration Match(const DocumentSet& set, const QuotaLimits& limits, int64_t quota_used) {
  v1::Declaration d;
  d.set_status(v1::DECLARATION_STATUS_WAITING);
  if (!set.order) return d;
  const v1::Order& order = *set.order;
  d.set_order_key(OrderKey(order.ebp_code(), order.order_no()));
  d.set_direction(order.direction());
  d.set_business_mode(BusinessModeOf(order));
  d.set_order_no(order.order_no());
  d.set_ebp_code(order.ebp_code());
  d.set_ebc_code(order.ebc_code());
  d.set_currency(order.currency());
  *d.mutable_goods() = order.goods();
  if (order.currency() == "142") {
    auto value = ParseAmount(order.goods_value());
    if (value.ok()) d.set_value_cny(FormatAmount(*value));
  }
  if (set.payment) d.set_pay_code(set.payment->pay_code());
  if (set.receipt) d.set_pay_code(set.receipt->pay_code());
  if (set.waybill) {
    d.set_logistics_code(set.waybill->logistics_code());
    d.set_logistics_no(set.waybill->logistics_no());
  }
  bool import = order.direction() == v1::DIRECTION_IMPORT;
  if (import) {
    auto tax = EstimateImportTax(order);
    if (tax.ok()) {
      d.set_estimated_tax(tax->total_text);
      d.set_declared_tax(tax->declared_text);
    }
    auto year = QuotaYear(order.app_time());
    if (year.ok()) d.set_quota_year(*year);
  }
  if (!IsComplete(set)) return d;

  errors::Violations v;
  if (set.payment) CheckPaymentMatchesOrder(order, *set.payment, v);
  if (set.receipt) CheckReceiptMatchesOrder(order, *set.receipt, v);
  CheckWaybillMatchesOrder(order, *set.waybill, v);
  if (import) {
    auto value = QuotaValue(order);
    absl::Status within =
        value.ok() ? CheckWithinLimits(limits, *value, quota_used, d.quota_year()) : value.status();
    if (!within.ok()) v.Add("order.actural_paid", "RETAIL_LIMIT", within.message());
  }
  for (const errors::Violation& violation : v.list()) {
    v1::Mismatch* m = d.add_mismatches();
    m->set_field(violation.field);
    m->set_reason(violation.reason);
    m->set_description(violation.description);
  }
  d.set_status(v.empty() ? v1::DECLARATION_STATUS_MATCHED : v1::DECLARATION_STATUS_REJECTED);
  return d;
}

}  // namespace parkline::declarations
