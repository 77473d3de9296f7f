// What an inventory must carry before customs can take it (CEB621 import, CEB603 export, as the
// 202205 XSDs require), and the draft a matched declaration gives. Pure; thread-safe.
#ifndef PARKLINE_CLEARANCE_INVENTORY_RULES_H_
#define PARKLINE_CLEARANCE_INVENTORY_RULES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "errors/violations.h"
#include "parkline/clearance/v1/clearance.pb.h"
#include "parkline/declarations/v1/declarations.pb.h"

namespace parkline::clearance {

namespace v1 = ::parkline::clearance::v1;
namespace dv1 = ::parkline::declarations::v1;

// The park's defaults for what no document carries: set by flags of the service.
struct InventoryDefaults {
  std::string customs_code = "2991";  // 4 digits: the customs office the park declares at
  std::string port_code = "2991";
  std::string agent_code;  // empty: the e-commerce enterprise declares for itself
  std::string agent_name;
  std::string traf_mode = "4";  // road
  std::string wrap_type = "2";  // carton
};

// 9610, 9710, 9810, 1210, 1239.
bool IsBusinessMode(const std::string& mode);

// The draft inventory of a matched declaration: parties, order and waybill numbers, values and
// goods lines (item number, name, model, bar code, unit, quantity, prices, country). What the
// documents do not carry (HS codes, legal quantities, the buyer's identity, which no event
// carries, names) stays empty and is listed by MissingFields.
v1::Inventory DraftFromDeclaration(const dv1::Declaration& d, const InventoryDefaults& defaults);

// The fields an inventory lacks for `direction`, as paths ("inventory.buyer_id_number",
// "inventory.lines[0].gcode"). Empty when it can be submitted.
std::vector<std::string> MissingFields(dv1::Direction direction, const v1::Inventory& inventory);

// total += amount (amounts are int64 at scale 5, the largest 92233720368547.75807); false, and
// total unchanged, when the sum would not fit: each amount fits, a sum of them need not, and
// must never wrap.
bool AddAmount(int64_t& total, int64_t amount);

// The goods value: the exact sum of the lines' total_price at scale 5 (an empty one counts 0).
// nullopt when a total_price is not a decimal, or when the sum does not fit (AddAmount);
// CheckInventory names either.
std::optional<int64_t> GoodsValue(const v1::Inventory& inventory);

// Format rules for what is present (lengths and patterns of the XSD, decimals N19,5), added to
// `v` under `field`. A buyer identity field holding the mask character (buyer_privacy.h) is
// MASKED: what a viewer who may not see the identity was shown, never an identity. An import
// inventory (CEB621) is in CNY: its currency and every line's are "142" (CURRENCY). Lines whose
// total_price sum is over the largest amount held are TOTAL_TOO_LARGE on `field`.lines.
void CheckInventory(dv1::Direction direction, const v1::Inventory& inventory,
                    const std::string& field, errors::Violations& v);

}  // namespace parkline::clearance

#endif  // PARKLINE_CLEARANCE_INVENTORY_RULES_H_
