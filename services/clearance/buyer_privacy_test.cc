// The buyer's identity on a clearance case: the masks (by character, so a Chinese name keeps its
// surname whole), who sees it in full (customs, the e-commerce enterprise, its declaring agent)
// and who masked (the park, the platform, the logistics enterprise, anyone else), the case and
// the inventory message as each sees them, and a masked identity refused when it comes back.
#include "clearance/buyer_privacy.h"

#include <gtest/gtest.h>

#include "clearance/inventory_message.h"
#include "clearance/inventory_rules.h"
#include "clearance/message_signer.h"
#include "clearance/sample_cases.h"

namespace parkline::clearance {
namespace {

namespace dv1 = ::parkline::declarations::v1;

constexpr char kPlatform[] = "3301960001";
constexpr char kEnterprise[] = "3301960002";
constexpr char kAgent[] = "3301960003";
constexpr char kLogistics[] = "3301960004";

v1::Inventory Identity() {
  v1::Inventory i;
  i.set_ebp_code(kPlatform);
  i.set_ebc_code(kEnterprise);
  i.set_agent_code(kAgent);
  i.set_logistics_code(kLogistics);
  i.set_buyer_id_type("1");
  i.set_buyer_id_number("11010119900307001X");
  i.set_buyer_name("欧阳娜娜");
  i.set_buyer_telephone("13800138000");
  i.set_consignee_address("福建省福州市鼓楼区示例路1号");
  return i;
}

auth::Principal Caller(auth::Role role, const std::string& uscc = "",
                       const std::string& customs_code = "") {
  auth::Principal p;
  p.name = "caller";
  p.roles = {role};
  p.uscc = uscc;
  p.customs_code = customs_code;
  return p;
}

TEST(ClearanceBuyerPrivacy, ANameKeepsItsFirstCharacterWhole) {
  EXPECT_EQ(MaskName("张三"), "张*");
  EXPECT_EQ(MaskName("张三丰"), "张**");
  EXPECT_EQ(MaskName("欧阳娜娜"), "欧***");  // a compound surname loses its second character
  EXPECT_EQ(MaskName("李"), "*");            // one character would be the whole name
  EXPECT_EQ(MaskName("Li Lei"), "L*****");
  EXPECT_EQ(MaskName(""), "");
}

TEST(ClearanceBuyerPrivacy, AnIdNumberAndATelephoneKeepTheirLastFourCharacters) {
  EXPECT_EQ(MaskIdNumber("110101199003070014"), "**************0014");
  EXPECT_EQ(MaskIdNumber("11010119900307001X"), "**************001X");
  EXPECT_EQ(MaskIdNumber("E12345678"), "*****5678");  // a passport
  EXPECT_EQ(MaskIdNumber("12345"), "*2345");
  EXPECT_EQ(MaskIdNumber("1234"), "****");  // four would be all of it
  EXPECT_EQ(MaskIdNumber(""), "");
  EXPECT_EQ(MaskTelephone("13800138000"), "*******8000");
  EXPECT_EQ(MaskTelephone("+86 591 8765 4321"), "*************4321");
  EXPECT_EQ(MaskTelephone("110"), "***");
}

TEST(ClearanceBuyerPrivacy, AnAddressKeepsNothingNotEvenItsLength) {
  EXPECT_EQ(MaskAddress("福建省福州市鼓楼区示例路1号"), "****");
  EXPECT_EQ(MaskAddress("1号"), "****");
  EXPECT_EQ(MaskAddress(""), "");
}

TEST(ClearanceBuyerPrivacy, MalformedUtf8IsMaskedWithoutReadingPastTheEnd) {
  EXPECT_EQ(MaskName("\xE5\xBC"), "*");   // one truncated character
  EXPECT_EQ(MaskName("A\x80\x80"), "*");  // stray continuation bytes belong to the first
  EXPECT_EQ(MaskName("A\x80"
                     "B\xE5"),
            "A\x80**");
  EXPECT_EQ(MaskIdNumber("\xFF\xFF\xFF\xFF\xFF"), "*\xFF\xFF\xFF\xFF");
}

TEST(ClearanceBuyerPrivacy, CustomsAndTheDeclarantSeeTheIdentityEveryoneElseMasked) {
  const v1::Inventory i = Identity();
  auto sees = [&](const auth::Principal& p) { return MaySeeBuyerIdentity(ViewerOf(p), i); };
  EXPECT_TRUE(sees(Caller(auth::Role::kCustomsGateway)));
  // The e-commerce enterprise and its agent, by customs code or by USCC.
  EXPECT_TRUE(sees(Caller(auth::Role::kEnterprise, "91350100M000100Y43", kEnterprise)));
  EXPECT_TRUE(sees(Caller(auth::Role::kEnterprise, "91350100M000100Y43", kAgent)));
  v1::Inventory by_uscc = i;
  by_uscc.set_ebc_code("91350100M000100Y43");
  EXPECT_TRUE(MaySeeBuyerIdentity(ViewerOf(Caller(auth::Role::kEnterprise, "91350100M000100Y43")),
                                  by_uscc));
  // The other parties of the order, the park, and everyone else: masked.
  EXPECT_FALSE(sees(Caller(auth::Role::kEnterprise, "91350100M000100Y43", kPlatform)));
  EXPECT_FALSE(sees(Caller(auth::Role::kEnterprise, "91350100M000100Y43", kLogistics)));
  EXPECT_FALSE(sees(Caller(auth::Role::kEnterprise, "91350100M000100Y43", "4401960009")));
  EXPECT_FALSE(sees(Caller(auth::Role::kParkStaff)));
  EXPECT_FALSE(sees(Caller(auth::Role::kParkAdmin)));
  EXPECT_FALSE(sees(Caller(auth::Role::kAnalyst)));
  // A code is the enterprise role's: a staff member bound to the enterprise's code sees nothing.
  EXPECT_FALSE(sees(Caller(auth::Role::kParkStaff, "", kEnterprise)));
  EXPECT_FALSE(sees(Caller(auth::Role::kCarrier, "", kEnterprise)));
  // Without an agent, an enterprise without a customs code is not the (empty) agent.
  v1::Inventory no_agent = i;
  no_agent.clear_agent_code();
  EXPECT_FALSE(MaySeeBuyerIdentity(ViewerOf(Caller(auth::Role::kEnterprise, "X")), no_agent));
  EXPECT_FALSE(MaySeeBuyerIdentity(Viewer{}, no_agent));
  EXPECT_TRUE(MaySeeBuyerIdentity(CustomsViewer(), no_agent));
}

TEST(ClearanceBuyerPrivacy, TheCaseIsMaskedForWhoMayNotSeeAndMarkedSo) {
  v1::ClearanceCase c;
  c.set_case_id("C1");
  *c.mutable_inventory() = Identity();
  c.add_missing("inventory.lines[0].gcode");

  v1::ClearanceCase full = CaseFor(CustomsViewer(), c);
  EXPECT_EQ(full.SerializeAsString(), c.SerializeAsString());
  EXPECT_FALSE(full.buyer_identity_masked());

  v1::ClearanceCase masked = CaseFor(ViewerOf(Caller(auth::Role::kParkStaff)), c);
  EXPECT_TRUE(masked.buyer_identity_masked());
  EXPECT_EQ(masked.inventory().buyer_name(), "欧***");
  EXPECT_EQ(masked.inventory().buyer_id_number(), "**************001X");
  EXPECT_EQ(masked.inventory().buyer_telephone(), "*******8000");
  EXPECT_EQ(masked.inventory().consignee_address(), "****");
  EXPECT_EQ(masked.inventory().buyer_id_type(), "1");
  EXPECT_TRUE(HoldsMaskedIdentity(masked.inventory()));
  EXPECT_FALSE(HoldsMaskedIdentity(c.inventory()));
  // Everything else as it is.
  v1::ClearanceCase rest = masked;
  *rest.mutable_inventory() = c.inventory();
  rest.set_buyer_identity_masked(false);
  EXPECT_EQ(rest.SerializeAsString(), c.SerializeAsString());
  // An identity not given yet stays empty: `missing` still says what is absent.
  v1::ClearanceCase draft;
  draft.mutable_inventory()->set_ebc_code(kEnterprise);
  EXPECT_EQ(CaseFor(Viewer{}, draft).inventory().buyer_name(), "");
  EXPECT_FALSE(HoldsMaskedIdentity(CaseFor(Viewer{}, draft).inventory()));
}

TEST(ClearanceBuyerPrivacy, AMaskedIdentitySentBackIsRefusedFieldByField) {
  v1::Inventory masked = Identity();
  MaskBuyerIdentity(masked);
  errors::Violations v;
  CheckInventory(dv1::DIRECTION_IMPORT, masked, "inventory", v);
  std::vector<std::string> fields;
  for (const auto& x : v.list()) {
    if (x.reason == "MASKED") fields.push_back(x.field);
  }
  EXPECT_EQ(fields,
            (std::vector<std::string>{"inventory.buyer_name", "inventory.buyer_id_number",
                                      "inventory.buyer_telephone", "inventory.consignee_address"}));
  errors::Violations none;
  CheckInventory(dv1::DIRECTION_IMPORT, Identity(), "inventory", none);
  for (const auto& x : none.list()) EXPECT_NE(x.reason, "MASKED") << x.field;
}

// The CEB621 the park wrote for a complete sample case.
v1::InventoryMessage WrittenMessage(const v1::Inventory& inventory) {
  InventoryMessageInput in;
  in.guid = "0123ABCD-0000-0000-0000-000000000001";
  in.business_mode = "9610";
  in.direction = dv1::DIRECTION_IMPORT;
  in.inventory = inventory;
  in.app_time = absl::FromUnixSeconds(1'750'000'000);
  in.cop_code = kAgent;
  in.cop_name = "Agent";
  v1::InventoryMessage m;
  m.set_case_id(in.guid);
  m.set_message_type("CEB621");
  auto xml = WriteInventoryMessage(in);
  EXPECT_TRUE(xml.ok()) << xml.status();
  auto signed_xml = UnsignedSigner().Sign(xml.value_or(""));
  EXPECT_TRUE(signed_xml.ok()) << signed_xml.status();
  m.set_xml(signed_xml.value_or(""));
  return m;
}

TEST(ClearanceBuyerPrivacy, TheInventoryMessageIsMaskedForWhoMayNotSee) {
  v1::Inventory inventory =
      CompleteDraft(DraftFromDeclaration(SampleDeclaration(dv1::DIRECTION_IMPORT, "9610", 1), {}),
                    dv1::DIRECTION_IMPORT, 1);
  inventory.set_cop_no("COP1");
  inventory.set_buyer_name("张三丰 & Co");  // escaped in the XML, masked as text
  inventory.set_buyer_id_number("11010119900307001X");
  inventory.set_buyer_telephone("13800138000");
  inventory.set_consignee_address("福建省福州市鼓楼区示例路1号");
  const v1::InventoryMessage sent = WrittenMessage(inventory);
  ASSERT_NE(sent.xml().find("11010119900307001X"), std::string::npos);

  auto full = MessageFor(CustomsViewer(), inventory, sent);
  ASSERT_TRUE(full.ok()) << full.status();
  EXPECT_EQ(full->xml(), sent.xml());
  EXPECT_FALSE(full->buyer_identity_masked());

  auto masked = MessageFor(ViewerOf(Caller(auth::Role::kParkStaff)), inventory, sent);
  ASSERT_TRUE(masked.ok()) << masked.status();
  EXPECT_TRUE(masked->buyer_identity_masked());
  const std::string& xml = masked->xml();
  for (const char* clear : {"11010119900307001X", "13800138000", "三丰", "鼓楼", "福州"}) {
    EXPECT_EQ(xml.find(clear), std::string::npos) << clear << " in\n" << xml;
  }
  for (const char* element : {"<ceb:buyerName>张*******</ceb:buyerName>",
                              "<ceb:buyerIdNumber>**************001X</ceb:buyerIdNumber>",
                              "<ceb:buyerTelephone>*******8000</ceb:buyerTelephone>",
                              "<ceb:consigneeAddress>****</ceb:consigneeAddress>",
                              "<ceb:buyerIdType>1</ceb:buyerIdType>", "<ceb:ebcCode>"}) {
    EXPECT_NE(xml.find(element), std::string::npos) << element << " not in\n" << xml;
  }
  EXPECT_EQ(masked->case_id(), sent.case_id());
  EXPECT_EQ(masked->message_type(), "CEB621");

  // The e-commerce enterprise sees the message as sent.
  auto agent = MessageFor(ViewerOf(Caller(auth::Role::kEnterprise, "U", inventory.ebc_code())),
                          inventory, sent);
  ASSERT_TRUE(agent.ok());
  EXPECT_EQ(agent->xml(), sent.xml());

  v1::InventoryMessage broken = sent;
  broken.set_xml("<ceb:CEB621Message");
  EXPECT_EQ(MessageFor(Viewer{}, inventory, broken).status().code(), absl::StatusCode::kInternal);
}

}  // namespace
}  // namespace parkline::clearance
