#include "clearance/inventory_rules.h"

#include <functional>
#include <limits>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "clearance/buyer_privacy.h"
#include "clearance/refund_rules.h"
#include "decimal/fixed_point.h"

namespace parkline::clearance {
namespace {

using Getter = std::function<const std::string&(const v1::Inventory&)>;
using LineGetter = std::function<const std::string&(const v1::InventoryLine&)>;

#define HEAD(name)                                                               \
  {                                                                              \
#name, [](const v1::Inventory& i) -> const std::string& { return i.name(); } \
  }
#define LINE(name)                                                                   \
  {                                                                                  \
#name, [](const v1::InventoryLine& l) -> const std::string& { return l.name(); } \
  }

// Required by both XSDs.
const std::vector<std::pair<const char*, Getter>> kHeadBoth = {
    HEAD(order_no),     HEAD(ebp_code),     HEAD(ebc_code),  HEAD(logistics_code),
    HEAD(logistics_no), HEAD(customs_code), HEAD(port_code), HEAD(agent_code),
    HEAD(traf_mode),    HEAD(country),      HEAD(freight),   HEAD(insured_fee),
    HEAD(gross_weight), HEAD(net_weight),   HEAD(cop_no)};
const std::vector<std::pair<const char*, Getter>> kHeadImport = {
    HEAD(ebp_name),          HEAD(ebc_name),        HEAD(logistics_name), HEAD(assure_code),
    HEAD(buyer_id_type),     HEAD(buyer_id_number), HEAD(buyer_name),     HEAD(buyer_telephone),
    HEAD(consignee_address), HEAD(agent_name),      HEAD(currency)};
const std::vector<std::pair<const char*, Getter>> kHeadExport = {
    HEAD(ie_date), HEAD(statistics_flag), HEAD(owner_code), HEAD(owner_name),
    HEAD(pod),     HEAD(currency),        HEAD(wrap_type)};
const std::vector<std::pair<const char*, LineGetter>> kLineBoth = {
    LINE(gcode), LINE(gname), LINE(gmodel), LINE(country), LINE(currency),   LINE(qty),
    LINE(unit),  LINE(qty1),  LINE(unit1),  LINE(price),   LINE(total_price)};
const std::vector<std::pair<const char*, LineGetter>> kLineExport = {LINE(item_no)};

#undef HEAD
#undef LINE

bool AllDigits(const std::string& s) {
  for (char c : s) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

void CheckDecimal(const std::string& value, const std::string& field, errors::Violations& v) {
  if (value.empty()) return;
  auto parsed = decimal::ParseFixed(value, 5);
  if (!parsed.ok()) {
    v.Add(field, "DECIMAL",
          absl::StrCat("\"", value, "\" is not a decimal with at most 5 fraction digits"));
  } else if (*parsed < 0) {
    v.Add(field, "NON_NEGATIVE", "must not be negative");
  }
}

void CheckLength(const std::string& value, size_t length, bool digits, const std::string& field,
                 errors::Violations& v) {
  if (value.empty()) return;
  if (value.size() != length || (digits && !AllDigits(value))) {
    v.Add(field, "FORMAT",
          absl::StrCat("must be ", length, digits ? " digits" : " characters", ", not \"", value,
                       "\""));
  }
}

void CheckMax(const std::string& value, size_t max, const std::string& field,
              errors::Violations& v) {
  if (value.size() > max) v.Add(field, "TOO_LONG", absl::StrCat("at most ", max, " bytes"));
}

constexpr char kCny[] = "142";

// ceb-import.xsd fixes the currency of CEB621's head and lines to "142" (限定为人民币); CEB603
// takes any customs currency code. Empty is MissingFields' to list.
void CheckCurrency(const std::string& value, bool import, const std::string& field,
                   errors::Violations& v) {
  if (value.empty()) return;
  if (import && value != kCny) {
    v.Add(field, "CURRENCY",
          absl::StrCat("is \"", value, "\"; an import inventory (CEB621) is in CNY, \"142\""));
    return;
  }
  CheckLength(value, 3, false, field, v);
}

constexpr int64_t kMaxAmount = std::numeric_limits<int64_t>::max();
constexpr int64_t kMinAmount = std::numeric_limits<int64_t>::min();

// Whether the lines' total_price that are amounts (not negative: the others are DECIMAL or
// NON_NEGATIVE already) sum past the largest amount held.
bool LineTotalsTooLarge(const v1::Inventory& inventory) {
  int64_t sum = 0;
  for (const auto& line : inventory.lines()) {
    auto v = decimal::ParseFixed(line.total_price().empty() ? "0" : line.total_price(), 5);
    if (v.ok() && *v > 0 && !AddAmount(sum, *v)) return true;
  }
  return false;
}

}  // namespace

bool IsBusinessMode(const std::string& mode) {
  return mode == "9610" || mode == "9710" || mode == "9810" || mode == "1210" || mode == "1239";
}

v1::Inventory DraftFromDeclaration(const dv1::Declaration& d, const InventoryDefaults& defaults) {
  v1::Inventory inv;
  bool import = d.direction() == dv1::DIRECTION_IMPORT;
  inv.set_order_no(d.order_no());
  inv.set_ebp_code(d.ebp_code());
  inv.set_ebc_code(d.ebc_code());
  inv.set_logistics_code(d.logistics_code());
  inv.set_logistics_no(d.logistics_no());
  inv.set_customs_code(defaults.customs_code);
  inv.set_port_code(defaults.port_code);
  inv.set_agent_code(defaults.agent_code.empty() ? d.ebc_code() : defaults.agent_code);
  inv.set_agent_name(defaults.agent_name);
  inv.set_traf_mode(defaults.traf_mode);
  inv.set_wrap_type(defaults.wrap_type);
  inv.set_currency(import ? "142" : d.currency());
  inv.set_freight("0");
  inv.set_insured_fee("0");
  inv.set_pack_no(1);
  if (import) inv.set_assure_code(d.ebc_code());
  if (!import) {
    inv.set_owner_code(d.ebc_code());
    inv.set_statistics_flag("A");
  }
  for (const dv1::OrderGoods& g : d.goods()) {
    v1::InventoryLine* line = inv.add_lines();
    line->set_gnum(g.gnum());
    line->set_item_no(g.item_no());
    line->set_item_name(g.item_name());
    line->set_gname(g.item_name());
    line->set_gmodel(g.gmodel());
    line->set_bar_code(g.bar_code());
    line->set_country(g.country());
    line->set_currency(g.currency());
    line->set_qty(g.qty());
    line->set_unit(g.unit());
    line->set_price(g.price());
    line->set_total_price(g.total_price());
  }
  return inv;
}

std::vector<std::string> MissingFields(dv1::Direction direction, const v1::Inventory& inventory) {
  bool import = direction == dv1::DIRECTION_IMPORT;
  std::vector<std::string> missing;
  auto head = [&](const auto& list) {
    for (const auto& [name, get] : list) {
      if (get(inventory).empty()) missing.push_back(absl::StrCat("inventory.", name));
    }
  };
  head(kHeadBoth);
  head(import ? kHeadImport : kHeadExport);
  if (inventory.pack_no() <= 0) missing.push_back("inventory.pack_no");
  if (inventory.lines_size() == 0) missing.push_back("inventory.lines");
  for (int i = 0; i < inventory.lines_size(); ++i) {
    const v1::InventoryLine& line = inventory.lines(i);
    std::string at = absl::StrCat("inventory.lines[", i, "].");
    for (const auto& [name, get] : kLineBoth) {
      if (get(line).empty()) missing.push_back(at + name);
    }
    if (!import) {
      for (const auto& [name, get] : kLineExport) {
        if (get(line).empty()) missing.push_back(at + name);
      }
    }
  }
  return missing;
}

bool AddAmount(int64_t& total, int64_t amount) {
  if ((amount > 0 && total > kMaxAmount - amount) || (amount < 0 && total < kMinAmount - amount)) {
    return false;
  }
  total += amount;
  return true;
}

std::optional<int64_t> GoodsValue(const v1::Inventory& inventory) {
  int64_t sum = 0;
  for (const auto& line : inventory.lines()) {
    auto v = decimal::ParseFixed(line.total_price().empty() ? "0" : line.total_price(), 5);
    if (!v.ok() || !AddAmount(sum, *v)) return std::nullopt;
  }
  return sum;
}

void CheckInventory(dv1::Direction direction, const v1::Inventory& inv, const std::string& field,
                    errors::Violations& v) {
  bool import = direction == dv1::DIRECTION_IMPORT;
  std::string f = field + ".";
  CheckLength(inv.customs_code(), 4, true, f + "customs_code", v);
  CheckLength(inv.port_code(), 4, true, f + "port_code", v);
  CheckLength(inv.ie_date(), 8, true, f + "ie_date", v);
  CheckLength(inv.country(), 3, false, f + "country", v);
  CheckCurrency(inv.currency(), import, f + "currency", v);
  CheckLength(inv.traf_mode(), 1, false, f + "traf_mode", v);
  CheckLength(inv.wrap_type(), 1, false, f + "wrap_type", v);
  CheckLength(inv.buyer_id_type(), 1, false, f + "buyer_id_type", v);
  for (auto [value, name] : {std::pair{&inv.buyer_name(), "buyer_name"},
                             {&inv.buyer_id_number(), "buyer_id_number"},
                             {&inv.buyer_telephone(), "buyer_telephone"},
                             {&inv.consignee_address(), "consignee_address"}}) {
    if (value->find(kMaskCharacter) != std::string::npos) {
      v.Add(f + name, "MASKED",
            "holds '*': it is the masked form shown to callers who may not see the buyer's "
            "identity; give the identity in full, or leave the inventory unset to submit the "
            "stored one");
    }
  }
  CheckLength(inv.statistics_flag(), 1, false, f + "statistics_flag", v);
  if (!inv.statistics_flag().empty() && inv.statistics_flag() != "A" &&
      inv.statistics_flag() != "B") {
    v.Add(f + "statistics_flag", "ENUM", "must be A (simplified) or B (consolidated)");
  }
  if (!inv.customs_declaration_no().empty() &&
      !IsCustomsDeclarationNo(inv.customs_declaration_no())) {
    v.Add(f + "customs_declaration_no", "FORMAT",
          "must be the 18 digits of a customs declaration form");
  }
  CheckMax(inv.order_no(), 60, f + "order_no", v);
  CheckMax(inv.cop_no(), import ? 20 : 30, f + "cop_no", v);
  CheckMax(inv.ebp_code(), 18, f + "ebp_code", v);
  CheckMax(inv.ebc_code(), 18, f + "ebc_code", v);
  CheckMax(inv.agent_code(), 18, f + "agent_code", v);
  CheckMax(inv.logistics_code(), 18, f + "logistics_code", v);
  CheckMax(inv.logistics_no(), import ? 60 : 32, f + "logistics_no", v);
  if (!inv.pod().empty() && (inv.pod().size() < 3 || inv.pod().size() > 4)) {
    v.Add(f + "pod", "FORMAT", "must be 3 or 4 characters");
  }
  if (inv.pack_no() < 0) v.Add(f + "pack_no", "NON_NEGATIVE", "must not be negative");
  for (auto [value, name] : {std::pair{&inv.freight(), "freight"},
                             {&inv.insured_fee(), "insured_fee"},
                             {&inv.gross_weight(), "gross_weight"},
                             {&inv.net_weight(), "net_weight"}}) {
    CheckDecimal(*value, f + name, v);
  }
  int max_lines = import ? 99 : 100;
  if (inv.lines_size() > max_lines) {
    v.Add(f + "lines", "TOO_MANY", absl::StrCat("at most ", max_lines, " goods lines"));
  }
  for (int i = 0; i < inv.lines_size(); ++i) {
    const v1::InventoryLine& l = inv.lines(i);
    std::string at = absl::StrCat(f, "lines[", i, "].");
    if (l.gnum() != i + 1) {
      v.Add(at + "gnum", "SEQUENCE", absl::StrCat("must be ", i + 1, " (lines are numbered 1..n)"));
    }
    CheckLength(l.gcode(), 10, true, at + "gcode", v);
    CheckLength(l.country(), 3, false, at + "country", v);
    CheckCurrency(l.currency(), import, at + "currency", v);
    CheckLength(l.unit(), 3, false, at + "unit", v);
    CheckLength(l.unit1(), 3, false, at + "unit1", v);
    CheckLength(l.unit2(), 3, false, at + "unit2", v);
    CheckMax(l.item_no(), 20, at + "item_no", v);
    CheckMax(l.gname(), 250, at + "gname", v);
    CheckMax(l.gmodel(), import ? 510 : 250, at + "gmodel", v);
    for (auto [value, name] : {std::pair{&l.qty(), "qty"},
                               {&l.qty1(), "qty1"},
                               {&l.qty2(), "qty2"},
                               {&l.price(), "price"},
                               {&l.total_price(), "total_price"}}) {
      CheckDecimal(*value, at + name, v);
    }
  }
  // Each total_price fits; their sum may not, and would wrap into a negative goods value.
  if (LineTotalsTooLarge(inv)) {
    v.Add(f + "lines", "TOTAL_TOO_LARGE",
          absl::StrCat("the sum of total_price is over ", decimal::FormatFixed(kMaxAmount, 5),
                       ", the largest amount held"));
  }
}

}  // namespace parkline::clearance
