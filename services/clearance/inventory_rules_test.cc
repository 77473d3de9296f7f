// What a draft from a matched declaration carries and lacks, and the format rules of the XSD.
#include "clearance/inventory_rules.h"

#include <gtest/gtest.h>

#include <limits>
#include <optional>
#include <set>
#include <utility>

#include "clearance/sample_cases.h"

namespace parkline::clearance {
namespace {

namespace dv1 = ::parkline::declarations::v1;

bool Has(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

TEST(ClearanceInventoryRules, TheDraftOfADeclarationCarriesItsDocumentsAndTheParkDefaults) {
  InventoryDefaults defaults;
  defaults.customs_code = "3501";
  auto d = SampleDeclaration(dv1::DIRECTION_IMPORT, "9610", 7);
  v1::Inventory inv = DraftFromDeclaration(d, defaults);
  EXPECT_EQ(inv.order_no(), "ORD-7");
  EXPECT_EQ(inv.ebp_code(), "3301960001");
  EXPECT_EQ(inv.ebc_code(), "3301960002");
  EXPECT_EQ(inv.agent_code(), "3301960002");  // no agent configured: the enterprise declares
  EXPECT_EQ(inv.assure_code(), "3301960002");
  EXPECT_EQ(inv.logistics_no(), "LN7");
  EXPECT_EQ(inv.customs_code(), "3501");
  EXPECT_EQ(inv.currency(), "142");
  ASSERT_EQ(inv.lines_size(), 2);
  EXPECT_EQ(inv.lines(1).gnum(), 2);
  EXPECT_EQ(inv.lines(1).total_price(), "80.00");
}

TEST(ClearanceInventoryRules, TheDraftLacksWhatNoDocumentCarries) {
  auto d = SampleDeclaration(dv1::DIRECTION_IMPORT, "9610", 1);
  auto missing = MissingFields(dv1::DIRECTION_IMPORT, DraftFromDeclaration(d, {}));
  for (const char* f : {"inventory.buyer_id_number", "inventory.buyer_name", "inventory.ebp_name",
                        "inventory.lines[0].gcode", "inventory.lines[1].qty1",
                        "inventory.gross_weight", "inventory.cop_no"}) {
    EXPECT_TRUE(Has(missing, f)) << f;
  }
  EXPECT_FALSE(Has(missing, "inventory.order_no"));
  EXPECT_FALSE(Has(missing, "inventory.ie_date"));  // optional for import
}

TEST(ClearanceInventoryRules, ExportNeedsItsOwnFieldsAndNoBuyer) {
  auto d = SampleDeclaration(dv1::DIRECTION_EXPORT, "9610", 1);
  auto missing = MissingFields(dv1::DIRECTION_EXPORT, DraftFromDeclaration(d, {}));
  EXPECT_TRUE(Has(missing, "inventory.ie_date"));
  EXPECT_TRUE(Has(missing, "inventory.pod"));
  EXPECT_FALSE(Has(missing, "inventory.buyer_id_number"));
  EXPECT_FALSE(Has(missing, "inventory.statistics_flag"));  // A by default
}

TEST(ClearanceInventoryRules, ACompletedDraftLacksNothing) {
  for (auto direction : {dv1::DIRECTION_IMPORT, dv1::DIRECTION_EXPORT}) {
    v1::Inventory inv = CompleteDraft(
        DraftFromDeclaration(SampleDeclaration(direction, "9610", 1), {}), direction, 1);
    inv.set_cop_no("COP1");
    EXPECT_TRUE(MissingFields(direction, inv).empty())
        << ::testing::PrintToString(MissingFields(direction, inv));
    errors::Violations v;
    CheckInventory(direction, inv, "inventory", v);
    EXPECT_TRUE(v.empty()) << v.ToStatus();
  }
}

TEST(ClearanceInventoryRules, FormatRulesNameEveryBrokenField) {
  v1::Inventory inv =
      CompleteDraft(DraftFromDeclaration(SampleDeclaration(dv1::DIRECTION_IMPORT, "9610", 1), {}),
                    dv1::DIRECTION_IMPORT, 1);
  inv.set_customs_code("35");
  inv.set_freight("1.123456");
  inv.mutable_lines(0)->set_gcode("04021");
  inv.mutable_lines(1)->set_gnum(5);
  inv.mutable_lines(1)->set_qty("-1");
  errors::Violations v;
  CheckInventory(dv1::DIRECTION_IMPORT, inv, "inventory", v);
  auto all = errors::ViolationsOf(v.ToStatus());
  std::set<std::string> fields;
  for (const auto& f : all) fields.insert(f.field);
  EXPECT_EQ(fields, (std::set<std::string>{"inventory.customs_code", "inventory.freight",
                                           "inventory.lines[0].gcode", "inventory.lines[1].gnum",
                                           "inventory.lines[1].qty"}));
}

// (field, rule) of every violation.
using Rules = std::set<std::pair<std::string, std::string>>;

Rules Broken(dv1::Direction direction, const v1::Inventory& inv) {
  errors::Violations v;
  CheckInventory(direction, inv, "inventory", v);
  Rules out;
  for (const auto& x : v.list()) out.insert({x.field, x.reason});
  return out;
}

v1::Inventory Completed(dv1::Direction direction) {
  v1::Inventory inv = CompleteDraft(
      DraftFromDeclaration(SampleDeclaration(direction, "9610", 1), {}), direction, 1);
  inv.set_cop_no("COP1");
  return inv;
}

// ceb-import.xsd: CEB621's head and line currency are fixed="142"; CEB603 takes any code.
TEST(ClearanceInventoryRules, AnImportInventoryIsInCnyHeadAndLines) {
  v1::Inventory inv = Completed(dv1::DIRECTION_IMPORT);
  inv.set_currency("502");
  inv.mutable_lines(1)->set_currency("502");
  EXPECT_EQ(
      Broken(dv1::DIRECTION_IMPORT, inv),
      (Rules{{"inventory.currency", "CURRENCY"}, {"inventory.lines[1].currency", "CURRENCY"}}));
  // Not a currency code at all: one rule, not two.
  inv = Completed(dv1::DIRECTION_IMPORT);
  inv.mutable_lines(0)->set_currency("50");
  EXPECT_EQ(Broken(dv1::DIRECTION_IMPORT, inv),
            (Rules{{"inventory.lines[0].currency", "CURRENCY"}}));
  // Export: dollars or euros, any 3-character code.
  for (const char* currency : {"502", "300", "142"}) {
    v1::Inventory out = Completed(dv1::DIRECTION_EXPORT);
    out.set_currency(currency);
    for (auto& l : *out.mutable_lines()) l.set_currency(currency);
    EXPECT_EQ(Broken(dv1::DIRECTION_EXPORT, out), Rules{}) << currency;
  }
  v1::Inventory out = Completed(dv1::DIRECTION_EXPORT);
  out.set_currency("50");
  EXPECT_EQ(Broken(dv1::DIRECTION_EXPORT, out), (Rules{{"inventory.currency", "FORMAT"}}));
}

TEST(ClearanceInventoryRules, LinesWhoseTotalDoesNotFitAnAmountAreTooLarge) {
  for (auto direction : {dv1::DIRECTION_IMPORT, dv1::DIRECTION_EXPORT}) {
    v1::Inventory inv = Completed(direction);
    // Each line fits (the largest is 92233720368547.75807); the two together do not, and
    // summed in 64 bits they wrapped to a negative goods value.
    for (auto& l : *inv.mutable_lines()) l.set_total_price("90000000000000");
    EXPECT_EQ(Broken(direction, inv), (Rules{{"inventory.lines", "TOTAL_TOO_LARGE"}}));
    EXPECT_EQ(GoodsValue(inv), std::nullopt);

    inv.mutable_lines(1)->set_total_price("2233720368547.75807");
    EXPECT_EQ(Broken(direction, inv), Rules{});
    EXPECT_EQ(GoodsValue(inv), std::numeric_limits<int64_t>::max());
    inv.mutable_lines(1)->set_total_price("2233720368547.75808");
    EXPECT_EQ(Broken(direction, inv), (Rules{{"inventory.lines", "TOTAL_TOO_LARGE"}}));
  }
  v1::Inventory inv = Completed(dv1::DIRECTION_IMPORT);
  inv.mutable_lines(0)->set_total_price("1.5");
  inv.mutable_lines(1)->clear_total_price();  // counts 0 until completed
  EXPECT_EQ(GoodsValue(inv), 150000);
}

TEST(ClearanceInventoryRules, AmountsAddOnlyWhileTheSumFits) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  int64_t total = kMax - 1;
  EXPECT_TRUE(AddAmount(total, 1));
  EXPECT_EQ(total, kMax);
  EXPECT_FALSE(AddAmount(total, 1));
  EXPECT_EQ(total, kMax);  // unchanged
  total = std::numeric_limits<int64_t>::min();
  EXPECT_FALSE(AddAmount(total, -1));
  EXPECT_TRUE(AddAmount(total, kMax));
  EXPECT_EQ(total, -1);
}

TEST(ClearanceInventoryRules, BusinessModes) {
  for (const char* m : {"9610", "9710", "9810", "1210", "1239"}) EXPECT_TRUE(IsBusinessMode(m));
  for (const char* m : {"", "0110", "9611", "1200"}) EXPECT_FALSE(IsBusinessMode(m));
}

}  // namespace
}  // namespace parkline::clearance
