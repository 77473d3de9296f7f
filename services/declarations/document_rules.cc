#include "declarations/document_rules.h"

#include <algorithm>
#include <limits>
#include <optional>

#include "absl/numeric/int128.h"
#include "absl/strings/str_cat.h"
#include "calendar/date.h"
#include "declarations/amount.h"
#include "declarations/tax_estimate.h"
#include "ids/ids.h"

namespace parkline::declarations {
namespace {

using absl::int128;

constexpr int64_t kOne = 100000;  // 1 at scale 5
constexpr absl::string_view kCny = "142";

std::string Path(absl::string_view parent, absl::string_view child) {
  return parent.empty() ? std::string(child) : absl::StrCat(parent, ".", child);
}

std::string Item(absl::string_view parent, absl::string_view list, int index) {
  return absl::StrCat(Path(parent, list), "[", index, "]");
}

// Characters as XSD counts them: UTF-8 lead bytes, so that a Chinese name of 100 characters (300
// bytes) fits C..100. Protobuf has already rejected strings that are not UTF-8.
size_t CharCount(absl::string_view s) {
  return std::count_if(s.begin(), s.end(),
                       [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
}

bool IsDigits(absl::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int DigitsValue(absl::string_view digits) {
  int value = 0;
  for (char c : digits) value = value * 10 + (c - '0');
  return value;
}

// An amount computed from others may leave int64 (and so N19,5); it is then shown as such rather
// than wrapped around.
std::string FormatWide(int128 value) {
  if (value > std::numeric_limits<int64_t>::max() || value < std::numeric_limits<int64_t>::min()) {
    return "beyond N19,5";
  }
  return FormatAmount(static_cast<int64_t>(value));
}

// C..max: returns true when the value is present and within its length, so that callers check
// its content only then and a field breaks one rule at a time.
bool CheckText(absl::string_view value, absl::string_view path, size_t max, bool required,
               errors::Violations& v) {
  if (value.empty()) {
    if (required) v.Add(path, "REQUIRED", "is required");
    return false;
  }
  size_t n = CharCount(value);
  if (n > max) {
    v.Add(path, "TOO_LONG",
          absl::StrCat("is ", n, " characters, at most ", max, " (C..", max, ")"));
    return false;
  }
  return true;
}

// Cn: exactly n characters (currency and unit codes, district codes).
bool CheckExactLength(absl::string_view value, absl::string_view path, size_t length, bool required,
                      errors::Violations& v) {
  if (value.empty()) {
    if (required) v.Add(path, "REQUIRED", "is required");
    return false;
  }
  size_t n = CharCount(value);
  if (n != length) {
    v.Add(path, "LENGTH",
          absl::StrCat("is ", n, " characters, must be exactly ", length, " (C", length, ")"));
    return false;
  }
  return true;
}

void CheckGuid(absl::string_view guid, absl::string_view path, errors::Violations& v) {
  if (guid.empty()) {
    v.Add(path, "REQUIRED", "is required");
    return;
  }
  bool ok = guid.size() == 36 && std::all_of(guid.begin(), guid.end(), [](char c) {
              return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || c == '-';
            });
  if (!ok) {
    v.Add(path, "GUID", "must be 36 characters of 0-9, upper-case A-Z and '-' (C36)");
  }
}

// YYYYMMDDhhmmss (C14), a real time of the calendar: 20250230120000 is not one.
void CheckTime(absl::string_view time, absl::string_view path, errors::Violations& v) {
  if (time.empty()) {
    v.Add(path, "REQUIRED", "is required");
    return;
  }
  if (time.size() != 14 || !IsDigits(time)) {
    v.Add(path, "TIME", absl::StrCat("'", time, "' is not YYYYMMDDhhmmss"));
    return;
  }
  int year = DigitsValue(time.substr(0, 4));
  int month = DigitsValue(time.substr(4, 2));
  int day = DigitsValue(time.substr(6, 2));
  int hour = DigitsValue(time.substr(8, 2));
  int minute = DigitsValue(time.substr(10, 2));
  int second = DigitsValue(time.substr(12, 2));
  if (!calendar::IsValidDate(year, month, day) || hour > 23 || minute > 59 || second > 59) {
    v.Add(path, "TIME", absl::StrCat("'", time, "' is not a calendar time (YYYYMMDDhhmmss)"));
  }
}

void CheckAppType(int app_type, absl::string_view path, errors::Violations& v) {
  if (app_type < v1::APP_TYPE_NEW || app_type > v1::APP_TYPE_WITHDRAW) {
    v.Add(path, "APP_TYPE",
          absl::StrCat("must be 1 (new), 2 (change) or 3 (withdraw), got ", app_type));
  }
}

void CheckAppStatus(int app_status, absl::string_view path, errors::Violations& v) {
  if (app_status != 1 && app_status != 2) {
    v.Add(path, "APP_STATUS", absl::StrCat("must be 1 (stored) or 2 (declared), got ", app_status));
  }
}

// N19,5, not negative. The value when it is usable for the sums, std::nullopt otherwise (the
// violation, if any, already added), so that a broken amount is reported once and not again as a
// wrong sum.
std::optional<int64_t> CheckAmount(absl::string_view text, absl::string_view path, bool required,
                                   errors::Violations& v) {
  if (text.empty()) {
    if (required) v.Add(path, "REQUIRED", "is required (\"0\" when there is none)");
    return std::nullopt;
  }
  absl::StatusOr<int64_t> amount = ParseAmount(text);
  if (!amount.ok()) {
    v.Add(path, "DECIMAL", absl::StrCat(amount.status().message(), " (N19,5)"));
    return std::nullopt;
  }
  if (*amount < 0) {
    v.Add(path, "NON_NEGATIVE", absl::StrCat(text, " is negative"));
    return std::nullopt;
  }
  return *amount;
}

// A customs registration code (10 characters) or a USCC (18). `allow_none`: CEB303/CEB403 let a
// platform abroad without either write "无".
void CheckEnterpriseCode(absl::string_view code, absl::string_view path, bool required,
                         bool allow_none, errors::Violations& v) {
  if (code.empty()) {
    if (required) v.Add(path, "REQUIRED", "is required");
    return;
  }
  if (allow_none && code == "无") return;
  std::string rule;
  if (code.size() == 10) {
    rule = ids::CheckCustomsCode(code);
    if (!rule.empty()) rule = absl::StrCat("as a customs code: ", rule);
  } else if (code.size() == 18) {
    rule = ids::CheckUscc(code);
    if (!rule.empty()) rule = absl::StrCat("as a USCC: ", rule);
  } else {
    rule = absl::StrCat("must be a 10-character customs code or an 18-character USCC, got ",
                        CharCount(code), " characters");
  }
  v.AddIf(path, "ENTERPRISE_CODE", rule);
}

void CheckCurrency(absl::string_view currency, absl::string_view path, bool import,
                   errors::Violations& v) {
  if (!CheckExactLength(currency, path, 3, true, v)) return;
  if (import && currency != kCny) {
    v.Add(path, "CURRENCY", absl::StrCat("is '", currency, "'; import is in CNY, \"142\""));
  }
}

// CEB311 and CEB411 accept only a resident identity card (type "1").
void CheckIdentityCard(absl::string_view type, absl::string_view number,
                       absl::string_view type_path, absl::string_view number_path,
                       errors::Violations& v) {
  if (CheckExactLength(type, type_path, 1, true, v) && type != "1") {
    v.Add(type_path, "ID_TYPE", "must be \"1\" (resident identity card)");
  }
  if (CheckText(number, number_path, 60, true, v)) {
    v.AddIf(number_path, "RESIDENT_ID", ids::CheckResidentId(number));
  }
}

void CheckOrderType(absl::string_view type, v1::Direction direction, absl::string_view path,
                    errors::Violations& v) {
  if (!CheckExactLength(type, path, 1, true, v)) return;
  if (direction == v1::DIRECTION_IMPORT && type != "I") {
    v.Add(path, "ORDER_TYPE", absl::StrCat("is '", type, "'; an import order (CEB311) is \"I\""));
  }
  if (direction == v1::DIRECTION_EXPORT && type != "E" && type != "B" && type != "W") {
    v.Add(path, "ORDER_TYPE",
          absl::StrCat("is '", type,
                       "'; an export order (CEB303) is \"E\" (B2C), \"B\" (B2B) or \"W\" "
                       "(overseas warehouse)"));
  }
}

void CheckBusinessMode(absl::string_view mode, v1::Direction direction, absl::string_view path,
                       errors::Violations& v) {
  if (mode.empty()) return;
  auto in = [mode](std::initializer_list<absl::string_view> modes) {
    return std::find(modes.begin(), modes.end(), mode) != modes.end();
  };
  if (!in({"9610", "9710", "9810", "1210", "1239"})) {
    v.Add(path, "BUSINESS_MODE",
          absl::StrCat("'", mode, "' is not one of 9610, 9710, 9810, 1210, 1239"));
  } else if (direction == v1::DIRECTION_IMPORT && !in({"9610", "1210", "1239"})) {
    v.Add(path, "BUSINESS_MODE_DIRECTION",
          absl::StrCat(mode, " is not an import mode (import: 9610, 1210, 1239)"));
  } else if (direction == v1::DIRECTION_EXPORT && !in({"9610", "9710", "9810", "1210"})) {
    v.Add(path, "BUSINESS_MODE_DIRECTION",
          absl::StrCat(mode, " is not an export mode (export: 9610, 9710, 9810, 1210)"));
  }
}

// The park's tax rates on a goods line (not in CEB311): decimals in [0, 1].
void CheckRates(const v1::OrderGoods& goods, absl::string_view path, errors::Violations& v) {
  if (!goods.vat_rate().empty()) {
    absl::StatusOr<int64_t> rate = ParseVatRate(goods.vat_rate());
    if (!rate.ok()) v.Add(Path(path, "vat_rate"), "RATE", rate.status().message());
  }
  if (!goods.consumption_tax_rate().empty()) {
    absl::StatusOr<int64_t> rate = ParseConsumptionTaxRate(goods.consumption_tax_rate());
    if (!rate.ok()) v.Add(Path(path, "consumption_tax_rate"), "RATE", rate.status().message());
  }
}

// qty x price at scale 5. The exact product has scale 10; when its last 5 digits are not zero,
// N19,5 cannot hold it and the value rounded half up is the one a total_price can be.
int128 LineTotal(int64_t qty, int64_t price) {
  int128 product = int128(qty) * price;  // both non-negative
  return (product + kOne / 2) / kOne;
}

// The goods lines; returns their total_price sum when every one is usable.
std::optional<int128> CheckGoods(const v1::Order& order, absl::string_view field, bool import,
                                 bool exported, errors::Violations& v) {
  if (order.goods_size() == 0) {
    v.Add(Path(field, "goods"), "REQUIRED", "at least one goods line");
    return std::nullopt;
  }
  int128 sum = 0;
  bool all_usable = true;
  for (int i = 0; i < order.goods_size(); ++i) {
    const v1::OrderGoods& g = order.goods(i);
    std::string path = Item(field, "goods", i);
    auto at = [&path](absl::string_view child) { return Path(path, child); };
    if (g.gnum() != i + 1) {
      v.Add(at("gnum"), "GNUM_SEQUENCE",
            absl::StrCat("is ", g.gnum(), ", expected ", i + 1, ": lines are numbered 1..n"));
    }
    CheckText(g.item_no(), at("item_no"), 30, exported, v);  // CEB303 requires it, CEB311 not
    CheckText(g.item_name(), at("item_name"), 250, true, v);
    CheckText(g.gmodel(), at("gmodel"), 510, import, v);
    CheckText(g.item_describe(), at("item_describe"), 1000, false, v);
    CheckText(g.bar_code(), at("bar_code"), 50, false, v);
    CheckExactLength(g.unit(), at("unit"), 3, true, v);
    std::optional<int64_t> qty = CheckAmount(g.qty(), at("qty"), true, v);
    std::optional<int64_t> price = CheckAmount(g.price(), at("price"), true, v);
    std::optional<int64_t> total = CheckAmount(g.total_price(), at("total_price"), true, v);
    CheckCurrency(g.currency(), at("currency"), import, v);
    CheckExactLength(g.country(), at("country"), 3, import, v);
    CheckText(g.note(), at("note"), 1000, false, v);
    CheckRates(g, path, v);
    if (qty && price && total) {
      int128 expected = LineTotal(*qty, *price);
      if (expected != *total) {
        v.Add(at("total_price"), "TOTAL_PRICE_MISMATCH",
              absl::StrCat(FormatAmount(*total), " != qty x price (", FormatAmount(*qty), " x ",
                           FormatAmount(*price), " = ", FormatWide(expected), ")"));
      }
    }
    if (total) {
      sum += *total;
    } else {
      all_usable = false;
    }
  }
  if (!all_usable) return std::nullopt;
  return sum;
}

}  // namespace

void CheckOrder(const v1::Order& o, absl::string_view field, errors::Violations& v) {
  auto at = [field](absl::string_view child) { return Path(field, child); };
  const bool import = o.direction() == v1::DIRECTION_IMPORT;
  const bool exported = o.direction() == v1::DIRECTION_EXPORT;
  if (!import && !exported) {
    v.Add(at("direction"), "DIRECTION", "must be DIRECTION_IMPORT or DIRECTION_EXPORT");
  }
  CheckGuid(o.guid(), at("guid"), v);
  CheckAppType(o.app_type(), at("app_type"), v);
  CheckTime(o.app_time(), at("app_time"), v);
  CheckAppStatus(o.app_status(), at("app_status"), v);
  CheckOrderType(o.order_type(), o.direction(), at("order_type"), v);
  CheckText(o.order_no(), at("order_no"), 60, true, v);
  CheckEnterpriseCode(o.ebp_code(), at("ebp_code"), true, /*allow_none=*/exported, v);
  CheckText(o.ebp_name(), at("ebp_name"), 100, true, v);
  CheckEnterpriseCode(o.ebc_code(), at("ebc_code"), true, false, v);
  CheckText(o.ebc_name(), at("ebc_name"), 100, true, v);
  std::optional<int64_t> goods_value = CheckAmount(o.goods_value(), at("goods_value"), true, v);
  std::optional<int64_t> freight = CheckAmount(o.freight(), at("freight"), true, v);
  // CEB303 has no discount, tax or paid amount; when an export order carries them they must
  // still be amounts.
  std::optional<int64_t> discount = CheckAmount(o.discount(), at("discount"), import, v);
  std::optional<int64_t> tax_total = CheckAmount(o.tax_total(), at("tax_total"), import, v);
  std::optional<int64_t> paid = CheckAmount(o.actural_paid(), at("actural_paid"), import, v);
  CheckCurrency(o.currency(), at("currency"), import, v);

  // The buyer, the payment and the consignee are CEB311's; on an export order only their
  // lengths hold.
  CheckText(o.buyer_reg_no(), at("buyer_reg_no"), 60, import, v);
  CheckText(o.buyer_name(), at("buyer_name"), 60, import, v);
  CheckText(o.buyer_telephone(), at("buyer_telephone"), 30, import, v);
  if (import) {
    CheckIdentityCard(o.buyer_id_type(), o.buyer_id_number(), at("buyer_id_type"),
                      at("buyer_id_number"), v);
  } else {
    CheckText(o.buyer_id_type(), at("buyer_id_type"), 1, false, v);
    CheckText(o.buyer_id_number(), at("buyer_id_number"), 60, false, v);
  }
  // CEB311 leaves payCode optional; the park requires it of an import order, because matching
  // takes the payment of the enterprise the order names (filing_rules.h), and an order naming
  // none could never match.
  CheckEnterpriseCode(o.pay_code(), at("pay_code"), import, false, v);
  CheckText(o.pay_name(), at("pay_name"), 100, false, v);
  CheckText(o.pay_transaction_id(), at("pay_transaction_id"), 60, false, v);
  CheckText(o.batch_numbers(), at("batch_numbers"), 100, false, v);
  CheckText(o.consignee(), at("consignee"), 100, import, v);
  CheckText(o.consignee_telephone(), at("consignee_telephone"), 50, import, v);
  CheckText(o.consignee_address(), at("consignee_address"), 200, import, v);
  CheckExactLength(o.consignee_district(), at("consignee_district"), 6, false, v);
  CheckText(o.note(), at("note"), 1000, false, v);
  CheckBusinessMode(o.business_mode(), o.direction(), at("business_mode"), v);
  CheckEnterpriseCode(o.logistics_code(), at("logistics_code"), true, false, v);

  std::optional<int128> goods_sum = CheckGoods(o, field, import, exported, v);
  if (goods_sum && goods_value && *goods_sum != *goods_value) {
    v.Add(at("goods_value"), "GOODS_VALUE_MISMATCH",
          absl::StrCat(FormatAmount(*goods_value), " != sum of goods[].total_price (",
                       FormatWide(*goods_sum), ")"));
  }
  if (import && goods_value && freight && discount && tax_total && paid) {
    int128 expected = int128(*goods_value) + *freight + *tax_total - *discount;
    if (expected != *paid) {
      v.Add(at("actural_paid"), "ACTURAL_PAID_MISMATCH",
            absl::StrCat(FormatAmount(*paid), " != goodsValue+freight+taxTotal-discount (",
                         FormatWide(expected), ")"));
    }
  }
}

void CheckPayment(const v1::Payment& p, absl::string_view field, errors::Violations& v) {
  auto at = [field](absl::string_view child) { return Path(field, child); };
  CheckGuid(p.guid(), at("guid"), v);
  CheckAppType(p.app_type(), at("app_type"), v);
  CheckTime(p.app_time(), at("app_time"), v);
  CheckAppStatus(p.app_status(), at("app_status"), v);
  CheckEnterpriseCode(p.pay_code(), at("pay_code"), true, false, v);
  CheckText(p.pay_name(), at("pay_name"), 100, true, v);
  CheckText(p.pay_transaction_id(), at("pay_transaction_id"), 60, true, v);
  CheckText(p.order_no(), at("order_no"), 60, true, v);
  CheckEnterpriseCode(p.ebp_code(), at("ebp_code"), true, false, v);
  CheckText(p.ebp_name(), at("ebp_name"), 100, true, v);
  CheckIdentityCard(p.payer_id_type(), p.payer_id_number(), at("payer_id_type"),
                    at("payer_id_number"), v);
  CheckText(p.payer_name(), at("payer_name"), 60, true, v);
  CheckText(p.telephone(), at("telephone"), 60, false, v);
  CheckAmount(p.amount_paid(), at("amount_paid"), true, v);
  CheckCurrency(p.currency(), at("currency"), /*import=*/true, v);
  CheckTime(p.pay_time(), at("pay_time"), v);
  CheckText(p.note(), at("note"), 1000, false, v);
}

void CheckReceipt(const v1::Receipt& r, absl::string_view field, errors::Violations& v) {
  auto at = [field](absl::string_view child) { return Path(field, child); };
  CheckGuid(r.guid(), at("guid"), v);
  CheckAppType(r.app_type(), at("app_type"), v);
  CheckTime(r.app_time(), at("app_time"), v);
  CheckAppStatus(r.app_status(), at("app_status"), v);
  CheckEnterpriseCode(r.ebp_code(), at("ebp_code"), true, /*allow_none=*/true, v);
  CheckText(r.ebp_name(), at("ebp_name"), 100, true, v);
  CheckEnterpriseCode(r.ebc_code(), at("ebc_code"), true, false, v);
  CheckText(r.ebc_name(), at("ebc_name"), 100, true, v);
  CheckText(r.order_no(), at("order_no"), 60, true, v);
  // CEB403: "国内企业必填" — required of a domestic payment enterprise, which the message cannot
  // tell apart, so optional here.
  CheckEnterpriseCode(r.pay_code(), at("pay_code"), false, false, v);
  CheckText(r.pay_name(), at("pay_name"), 100, true, v);
  CheckText(r.pay_no(), at("pay_no"), 60, false, v);
  CheckAmount(r.charge(), at("charge"), true, v);
  CheckCurrency(r.currency(), at("currency"), /*import=*/false, v);
  CheckTime(r.accounting_date(), at("accounting_date"), v);
  CheckText(r.note(), at("note"), 1000, false, v);
}

void CheckWaybill(const v1::Waybill& w, absl::string_view field, errors::Violations& v) {
  auto at = [field](absl::string_view child) { return Path(field, child); };
  const bool import = w.direction() == v1::DIRECTION_IMPORT;
  const bool exported = w.direction() == v1::DIRECTION_EXPORT;
  if (!import && !exported) {
    v.Add(at("direction"), "DIRECTION", "must be DIRECTION_IMPORT or DIRECTION_EXPORT");
  }
  CheckGuid(w.guid(), at("guid"), v);
  CheckAppType(w.app_type(), at("app_type"), v);
  CheckTime(w.app_time(), at("app_time"), v);
  CheckAppStatus(w.app_status(), at("app_status"), v);
  CheckEnterpriseCode(w.logistics_code(), at("logistics_code"), true, false, v);
  CheckText(w.logistics_name(), at("logistics_name"), 100, true, v);
  CheckText(w.logistics_no(), at("logistics_no"), exported ? 32 : 60, true, v);
  CheckText(w.bill_no(), at("bill_no"), 37, false, v);
  CheckText(w.order_no(), at("order_no"), 60, true, v);
  CheckEnterpriseCode(w.ebp_code(), at("ebp_code"), true, /*allow_none=*/exported, v);
  CheckAmount(w.freight(), at("freight"), true, v);
  CheckAmount(w.insured_fee(), at("insured_fee"), true, v);
  CheckCurrency(w.currency(), at("currency"), import, v);
  CheckAmount(w.weight(), at("weight"), true, v);
  if (w.pack_no() == 0) {
    v.Add(at("pack_no"), "REQUIRED", "is required");
  } else if (import && w.pack_no() != 1) {
    v.Add(at("pack_no"), "PACK_NO",
          absl::StrCat("is ", w.pack_no(), "; an import waybill (CEB511) is one package, 1"));
  } else if (w.pack_no() < 0 || w.pack_no() > 999999999) {
    v.Add(at("pack_no"), "PACK_NO",
          absl::StrCat("is ", w.pack_no(), "; must be 1..999999999 (N9)"));
  }
  CheckText(w.goods_info(), at("goods_info"), 200, exported, v);
  CheckText(w.consignee(), at("consignee"), 100, import, v);
  CheckText(w.consignee_address(), at("consignee_address"), 200, import, v);
  CheckText(w.consignee_telephone(), at("consignee_telephone"), 50, import, v);
  CheckEnterpriseCode(w.ebc_code(), at("ebc_code"), false, false, v);
  CheckText(w.ebc_name(), at("ebc_name"), 100, false, v);
  CheckText(w.ebc_telephone(), at("ebc_telephone"), 50, false, v);
  CheckText(w.note(), at("note"), 1000, false, v);
}

void CheckPaymentMatchesOrder(const v1::Order& order, const v1::Payment& payment,
                              errors::Violations& v) {
  if (payment.order_no() != order.order_no()) {
    v.Add(
        "payment.order_no", "ORDER_NO_MISMATCH",
        absl::StrCat("'", payment.order_no(), "' != the order's orderNo '", order.order_no(), "'"));
  }
  absl::StatusOr<int64_t> paid = ParseAmount(order.actural_paid());
  absl::StatusOr<int64_t> amount = ParseAmount(payment.amount_paid());
  if (paid.ok() && amount.ok() && *paid != *amount) {
    v.Add("payment.amount_paid", "AMOUNT_MISMATCH",
          absl::StrCat(FormatAmount(*amount), " != the order's acturalPaid (", FormatAmount(*paid),
                       ")"));
  }
  // Names and identity numbers are personal data: the descriptions do not quote them.
  if (payment.payer_name() != order.buyer_name()) {
    v.Add("payment.payer_name", "PAYER_MISMATCH", "the payer is not the order's buyer (name)");
  }
  if (payment.payer_id_number() != order.buyer_id_number()) {
    v.Add("payment.payer_id_number", "PAYER_MISMATCH",
          "the payer is not the order's buyer (identity number)");
  }
  if (payment.ebp_code() != order.ebp_code()) {
    v.Add(
        "payment.ebp_code", "EBP_CODE_MISMATCH",
        absl::StrCat("'", payment.ebp_code(), "' != the order's ebpCode '", order.ebp_code(), "'"));
  }
  if (!order.pay_code().empty() && payment.pay_code() != order.pay_code()) {
    v.Add(
        "payment.pay_code", "PAY_CODE_MISMATCH",
        absl::StrCat("'", payment.pay_code(), "' != the order's payCode '", order.pay_code(), "'"));
  }
  if (!order.pay_transaction_id().empty() &&
      payment.pay_transaction_id() != order.pay_transaction_id()) {
    v.Add("payment.pay_transaction_id", "PAY_TRANSACTION_ID_MISMATCH",
          absl::StrCat("'", payment.pay_transaction_id(), "' != the order's payTransactionId '",
                       order.pay_transaction_id(), "'"));
  }
}

void CheckWaybillMatchesOrder(const v1::Order& order, const v1::Waybill& waybill,
                              errors::Violations& v) {
  if (waybill.direction() != order.direction()) {
    v.Add("waybill.direction", "DIRECTION_MISMATCH",
          absl::StrCat(v1::Direction_Name(waybill.direction()), " != the order's ",
                       v1::Direction_Name(order.direction())));
  }
  if (waybill.order_no() != order.order_no()) {
    v.Add(
        "waybill.order_no", "ORDER_NO_MISMATCH",
        absl::StrCat("'", waybill.order_no(), "' != the order's orderNo '", order.order_no(), "'"));
  }
  if (order.direction() == v1::DIRECTION_IMPORT) {
    // CEB311: the consignee "必须与电子运单的收货人...一致". Personal data: not quoted.
    if (waybill.consignee() != order.consignee()) {
      v.Add("waybill.consignee", "CONSIGNEE_MISMATCH", "is not the order's consignee");
    }
    if (waybill.consignee_telephone() != order.consignee_telephone()) {
      v.Add("waybill.consignee_telephone", "CONSIGNEE_MISMATCH",
            "is not the order's consigneeTelephone");
    }
    if (waybill.consignee_address() != order.consignee_address()) {
      v.Add("waybill.consignee_address", "CONSIGNEE_MISMATCH",
            "is not the order's consigneeAddress");
    }
  } else if (!waybill.ebc_code().empty() && waybill.ebc_code() != order.ebc_code()) {
    v.Add(
        "waybill.ebc_code", "EBC_CODE_MISMATCH",
        absl::StrCat("'", waybill.ebc_code(), "' != the order's ebcCode '", order.ebc_code(), "'"));
  }
}

void CheckReceiptMatchesOrder(const v1::Order& order, const v1::Receipt& receipt,
                              errors::Violations& v) {
  auto same = [&v](absl::string_view field, absl::string_view name, const std::string& got,
                   const std::string& want, absl::string_view reason) {
    if (got != want) {
      v.Add(field, reason, absl::StrCat("'", got, "' != the order's ", name, " '", want, "'"));
    }
  };
  same("receipt.order_no", "orderNo", receipt.order_no(), order.order_no(), "ORDER_NO_MISMATCH");
  same("receipt.ebp_code", "ebpCode", receipt.ebp_code(), order.ebp_code(), "EBP_CODE_MISMATCH");
  same("receipt.ebc_code", "ebcCode", receipt.ebc_code(), order.ebc_code(), "EBC_CODE_MISMATCH");
}

}  // namespace parkline::declarations
