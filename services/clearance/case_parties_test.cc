// Who may open, retry, submit and read a case, from the stored case and the mandate in force;
// and what a completed inventory may change of the stored one.
#include "clearance/case_parties.h"

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"

namespace parkline::clearance {
namespace {

constexpr char kPlatform[] = "3301960001";
constexpr char kEnterprise[] = "3301960002";
constexpr char kBroker[] = "3301960003";
constexpr char kLogistics[] = "3301960004";
constexpr char kOther[] = "4401960009";

constexpr bool kMandate = true;
constexpr bool kNoMandate = false;

v1::Inventory Inventory(const std::string& agent = kBroker) {
  v1::Inventory i;
  i.set_order_no("ORD-1");
  i.set_ebp_code(kPlatform);
  i.set_ebc_code(kEnterprise);
  i.set_agent_code(agent);
  i.set_logistics_code(kLogistics);
  i.set_logistics_no("WB-1");
  i.set_cop_no("COP-1");
  i.set_buyer_id_type("1");
  i.set_buyer_id_number("110101199003070014");
  i.set_buyer_name("张三");
  i.set_buyer_telephone("13800000000");
  i.set_consignee_address("福州");
  v1::InventoryLine* l = i.add_lines();
  l->set_gnum(1);
  l->set_item_name("milk");
  l->set_qty("2");
  l->set_price("50");
  l->set_total_price("100");
  return i;
}

v1::ClearanceCase Case(const std::string& agent = kBroker, bool submitted = false) {
  v1::ClearanceCase c;
  c.set_case_id("CASE");
  *c.mutable_inventory() = Inventory(agent);
  if (submitted) c.mutable_submit_time()->set_seconds(1);
  return c;
}

auth::Viewer Enterprise(const std::string& code) {
  auth::Viewer v;
  v.codes = {absl::StrCat("9135", code), code};
  return v;
}

auth::Viewer Admin() {
  auth::Viewer v;
  v.admin = true;
  v.park_staff = true;
  return v;
}

auth::Viewer Staff() {
  auth::Viewer v;
  v.park_staff = true;
  return v;
}

auth::Viewer Customs() {
  auth::Viewer v;
  v.customs = true;
  return v;
}

auth::Viewer Carrier() {
  auth::Viewer v;
  v.carrier_code = kLogistics;  // the carrier's code is the logistics enterprise's customs code
  return v;
}

absl::StatusCode Code(const absl::Status& s) { return s.code(); }

TEST(CasePartiesTest, TheEnterpriseDeclaresForItselfWithoutAMandate) {
  EXPECT_TRUE(DeclaresForItself(Enterprise(kEnterprise), Inventory(kEnterprise)));
  EXPECT_TRUE(DeclaresForItself(Enterprise(kOther), Inventory("")));
  EXPECT_FALSE(DeclaresForItself(Enterprise(kEnterprise), Inventory(kBroker)));
  // Its own USCC as agent is still itself, when it is the one asking.
  auth::Viewer e = Enterprise(kEnterprise);
  EXPECT_TRUE(DeclaresForItself(e, Inventory(e.codes[0])));
  EXPECT_FALSE(DeclaresForItself(Admin(), Inventory(e.codes[0])));
}

TEST(CasePartiesTest, OpeningIsForTheEnterpriseOrItsMandatedBrokerOrTheAdmin) {
  EXPECT_TRUE(MayOpenCase(Enterprise(kEnterprise), Inventory(kEnterprise), kNoMandate).ok());
  EXPECT_TRUE(MayOpenCase(Enterprise(kEnterprise), Inventory(kBroker), kMandate).ok());
  EXPECT_TRUE(MayOpenCase(Enterprise(kBroker), Inventory(kBroker), kMandate).ok());
  EXPECT_TRUE(MayOpenCase(Admin(), Inventory(kBroker), kMandate).ok());
  EXPECT_TRUE(MayOpenCase(Admin(), Inventory(kEnterprise), kNoMandate).ok());
}

TEST(CasePartiesTest, AnAgentOtherThanTheEnterpriseNeedsAMandateWhoeverOpens) {
  for (const auth::Viewer& v : {Enterprise(kEnterprise), Enterprise(kBroker), Admin()}) {
    absl::Status s = MayOpenCase(v, Inventory(kBroker), kNoMandate);
    EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied);
    EXPECT_NE(s.message().find("inventory.agent_code"), std::string::npos) << s;
  }
}

TEST(CasePartiesTest, NobodyElseOpensInTheEnterprisesName) {
  // Another enterprise naming itself as agent, with or without the victim's mandate to someone
  // else; the platform and the logistics enterprise of the order; staff, customs, a carrier.
  for (const auth::Viewer& v : {Enterprise(kOther), Enterprise(kPlatform), Enterprise(kLogistics),
                                Staff(), Customs(), Carrier()}) {
    EXPECT_EQ(Code(MayOpenCase(v, Inventory(kBroker), kMandate)),
              absl::StatusCode::kPermissionDenied);
    EXPECT_EQ(Code(MayOpenCase(v, Inventory(kEnterprise), kNoMandate)),
              absl::StatusCode::kPermissionDenied);
  }
  absl::Status s = MayOpenCase(Enterprise(kOther), Inventory(kOther), kNoMandate);
  EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_NE(s.message().find("inventory.agent_code"), std::string::npos) << s;
}

TEST(CasePartiesTest, ARetryReturnsTheCaseOnlyToTheStoredCasesDeclarant) {
  v1::ClearanceCase stored = Case(kBroker);
  EXPECT_TRUE(MayRetryOpenCase(Enterprise(kEnterprise), stored, kNoMandate).ok());
  EXPECT_TRUE(MayRetryOpenCase(Enterprise(kBroker), stored, kMandate).ok());
  EXPECT_TRUE(MayRetryOpenCase(Admin(), stored, kNoMandate).ok());
  // The broker whose mandate ended, another broker, the other parties.
  EXPECT_EQ(Code(MayRetryOpenCase(Enterprise(kBroker), stored, kNoMandate)),
            absl::StatusCode::kPermissionDenied);
  for (const auth::Viewer& v :
       {Enterprise(kOther), Enterprise(kPlatform), Enterprise(kLogistics), Staff(), Customs()}) {
    EXPECT_EQ(Code(MayRetryOpenCase(v, stored, kMandate)), absl::StatusCode::kPermissionDenied);
  }
}

TEST(CasePartiesTest, SubmittingIsTheDeclarantsTheOtherPartiesAreDeniedOutsidersNotFound) {
  v1::ClearanceCase stored = Case(kBroker);
  EXPECT_TRUE(MaySubmitCase(Enterprise(kEnterprise), stored, kNoMandate).ok());
  EXPECT_TRUE(MaySubmitCase(Enterprise(kBroker), stored, kMandate).ok());
  EXPECT_TRUE(MaySubmitCase(Admin(), stored, kNoMandate).ok());
  EXPECT_EQ(Code(MaySubmitCase(Enterprise(kBroker), stored, kNoMandate)),
            absl::StatusCode::kNotFound);  // a draft it no longer may see
  for (const auth::Viewer& v :
       {Enterprise(kPlatform), Enterprise(kLogistics), Staff(), Customs(), Carrier()}) {
    EXPECT_EQ(Code(MaySubmitCase(v, stored, kMandate)), absl::StatusCode::kPermissionDenied);
  }
  EXPECT_EQ(Code(MaySubmitCase(Enterprise(kOther), stored, kMandate)), absl::StatusCode::kNotFound);
}

TEST(CasePartiesTest, TheStoredPartiesReadABrokerWhoseMandateEndedReadsWhatItSubmitted) {
  v1::ClearanceCase draft = Case(kBroker);
  for (const auth::Viewer& v : {Enterprise(kEnterprise), Enterprise(kPlatform),
                                Enterprise(kLogistics), Staff(), Admin(), Customs(), Carrier()}) {
    EXPECT_TRUE(MaySeeCase(v, draft, kNoMandate));
  }
  EXPECT_TRUE(MaySeeCase(Enterprise(kBroker), draft, kMandate));
  EXPECT_FALSE(MaySeeCase(Enterprise(kBroker), draft, kNoMandate));
  EXPECT_TRUE(MaySeeCase(Enterprise(kBroker), Case(kBroker, /*submitted=*/true), kNoMandate));
  EXPECT_FALSE(MaySeeCase(Enterprise(kOther), draft, kMandate));
  auth::Viewer other_carrier;
  other_carrier.carrier_code = "SF";
  EXPECT_FALSE(MaySeeCase(other_carrier, draft, kMandate));
}

TEST(CasePartiesTest, TheKeysNeverChange) {
  v1::Inventory stored = Inventory();
  for (auto set :
       std::vector<void (*)(v1::Inventory&)>{[](v1::Inventory& i) { i.set_order_no("ORD-2"); },
                                             [](v1::Inventory& i) { i.set_ebp_code(kOther); },
                                             [](v1::Inventory& i) { i.set_ebc_code(kOther); },
                                             [](v1::Inventory& i) { i.set_cop_no("COP-2"); }}) {
    v1::Inventory arriving = stored;
    set(arriving);
    errors::Violations v;
    CheckCompletion(stored, arriving, "inventory", v);
    ASSERT_EQ(v.list().size(), 1u) << arriving.ShortDebugString();
    EXPECT_EQ(v.list()[0].reason, "UNCHANGEABLE");
  }
}

TEST(CasePartiesTest, TheBuyerTheWaybillAndTheGoodsAreFilledNeverChanged) {
  v1::Inventory stored = Inventory();
  v1::Inventory arriving = stored;
  arriving.set_buyer_id_number("110101199003070022");
  arriving.set_buyer_name("李四");
  arriving.set_logistics_code(kOther);
  arriving.set_logistics_no("WB-2");
  arriving.mutable_lines(0)->set_qty("20");
  arriving.mutable_lines(0)->set_gcode("0402100000");  // was empty: filled
  errors::Violations v;
  CheckCompletion(stored, arriving, "inventory", v);
  std::vector<std::string> fields;
  for (const auto& x : v.list()) {
    fields.push_back(x.field);
    // The buyer's identity is never quoted back.
    EXPECT_EQ(x.description.find("110101199003070014"), std::string::npos);
    EXPECT_EQ(x.description.find("张三"), std::string::npos);
  }
  EXPECT_EQ(fields, (std::vector<std::string>{"inventory.logistics_code", "inventory.logistics_no",
                                              "inventory.buyer_id_number", "inventory.buyer_name",
                                              "inventory.lines[0].qty"}));

  // A line more or less.
  v1::Inventory more = stored;
  more.add_lines()->set_item_name("more");
  errors::Violations lines;
  CheckCompletion(stored, more, "inventory", lines);
  ASSERT_EQ(lines.list().size(), 1u);
  EXPECT_EQ(lines.list()[0].field, "inventory.lines");
}

TEST(CasePartiesTest, TheCurrencyIsFilledNeverChanged) {
  v1::Inventory stored = Inventory();
  v1::Inventory arriving = stored;
  arriving.set_currency("502");  // was empty: filled
  errors::Violations filled;
  CheckCompletion(stored, arriving, "inventory", filled);
  EXPECT_TRUE(filled.empty()) << filled.ToStatus();

  stored.set_currency("502");
  arriving.set_currency("300");
  errors::Violations v;
  CheckCompletion(stored, arriving, "inventory", v);
  ASSERT_EQ(v.list().size(), 1u);
  EXPECT_EQ(v.list()[0].field, "inventory.currency");
  EXPECT_EQ(v.list()[0].reason, "UNCHANGEABLE");
}

TEST(CasePartiesTest, ADraftIsCompletedWhereItIsEmpty) {
  v1::Inventory draft = Inventory();
  draft.clear_buyer_id_number();
  draft.clear_buyer_name();
  draft.clear_buyer_telephone();
  draft.clear_consignee_address();
  v1::Inventory completed = Inventory();
  completed.mutable_lines(0)->set_gcode("0402100000");
  completed.set_gross_weight("2.5");
  completed.set_agent_code(kEnterprise);  // MayDeclareAs's business, not CheckCompletion's
  errors::Violations v;
  CheckCompletion(draft, completed, "inventory", v);
  EXPECT_TRUE(v.empty()) << v.ToStatus();
}

TEST(CasePartiesTest, TheAgentGoesOutOnlyAsTheEnterpriseOrUnderAMandate) {
  EXPECT_TRUE(MayDeclareAs(Enterprise(kEnterprise), Inventory(kEnterprise), kNoMandate).ok());
  EXPECT_TRUE(MayDeclareAs(Enterprise(kEnterprise), Inventory(kBroker), kMandate).ok());
  absl::Status s = MayDeclareAs(Enterprise(kEnterprise), Inventory(kOther), kNoMandate);
  EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_NE(s.message().find("inventory.agent_code"), std::string::npos);
}

}  // namespace
}  // namespace parkline::clearance
