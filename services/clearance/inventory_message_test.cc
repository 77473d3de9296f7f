// The inventory message as written: root and namespace per direction, the case's guid, escaping,
// the element order of the XSD, optional empty elements left out, and the unsigned signature
// step. (Validation against the official XSDs is in tests/integration/clearance_message_test.cc.)
#include "clearance/inventory_message.h"

#include <gtest/gtest.h>

#include "clearance/inventory_rules.h"
#include "clearance/message_signer.h"
#include "clearance/sample_cases.h"

namespace parkline::clearance {
namespace {

namespace dv1 = ::parkline::declarations::v1;

InventoryMessageInput Input(dv1::Direction direction, const std::string& mode) {
  InventoryMessageInput in;
  in.guid = "0123ABCD-0000-0000-0000-000000000001";
  in.business_mode = mode;
  in.direction = direction;
  in.inventory =
      CompleteDraft(DraftFromDeclaration(SampleDeclaration(direction, mode, 1), {}), direction, 1);
  in.inventory.set_cop_no("COP1");
  in.app_time = absl::FromCivil(absl::CivilSecond(2025, 3, 1, 8, 30, 5), absl::UTCTimeZone());
  in.cop_code = "3301960002";
  in.cop_name = "Agent";
  return in;
}

// Position of `text` in `xml`, failing the test when it is not there.
size_t At(const std::string& xml, const std::string& text) {
  size_t at = xml.find(text);
  EXPECT_NE(at, std::string::npos) << text;
  return at;
}

TEST(ClearanceInventoryMessage, ImportIsACeb621WithTheHeadInXsdOrder) {
  auto xml = WriteInventoryMessage(Input(dv1::DIRECTION_IMPORT, "9610"));
  ASSERT_TRUE(xml.ok()) << xml.status();
  EXPECT_EQ(std::string(InventoryMessageType(dv1::DIRECTION_IMPORT)), "CEB621");
  At(*xml, "<ceb:CEB621Message ");
  At(*xml, "xmlns:ceb=\"http://www.chinaport.gov.cn/ceb\"");
  At(*xml, "guid=\"0123ABCD-0000-0000-0000-000000000001\"");
  // appTime is the park's clock: 08:30:05 UTC is 16:30:05 in Asia/Shanghai.
  At(*xml, "<ceb:appTime>20250301163005</ceb:appTime>");
  At(*xml, "<ceb:declTime>20250301</ceb:declTime>");
  At(*xml, "<ceb:ieFlag>I</ceb:ieFlag>");
  At(*xml, "<ceb:tradeMode>9610</ceb:tradeMode>");
  std::vector<std::string> order = {
      "<ceb:guid>",          "<ceb:appType>",     "<ceb:orderNo>",    "<ceb:ebpCode>",
      "<ceb:logisticsNo>",   "<ceb:copNo>",       "<ceb:assureCode>", "<ceb:ieFlag>",
      "<ceb:customsCode>",   "<ceb:buyerIdType>", "<ceb:agentCode>",  "<ceb:tradeMode>",
      "<ceb:country>",       "<ceb:freight>",     "<ceb:packNo>",     "<ceb:netWeight>",
      "<ceb:InventoryList>", "<ceb:BaseTransfer>"};
  for (size_t i = 1; i < order.size(); ++i) {
    EXPECT_LT(At(*xml, order[i - 1]), At(*xml, order[i])) << order[i - 1] << " " << order[i];
  }
  // Optional elements with no value are left out; required ones never.
  EXPECT_EQ(xml->find("<ceb:emsNo"), std::string::npos);
  EXPECT_EQ(xml->find("<ceb:note"), std::string::npos);
}

TEST(ClearanceInventoryMessage, TextIsEscaped) {
  auto xml = WriteInventoryMessage(Input(dv1::DIRECTION_IMPORT, "9610"));
  ASSERT_TRUE(xml.ok());
  At(*xml, "Milk powder &lt;900g&gt;");
  At(*xml, "Diapers &amp; wipes");
  EXPECT_EQ(xml->find("<900g>"), std::string::npos);
}

TEST(ClearanceInventoryMessage, ExportIsACeb603WithItsOwnHead) {
  auto xml = WriteInventoryMessage(Input(dv1::DIRECTION_EXPORT, "9710"));
  ASSERT_TRUE(xml.ok()) << xml.status();
  EXPECT_EQ(std::string(InventoryMessageType(dv1::DIRECTION_EXPORT)), "CEB603");
  At(*xml, "<ceb:CEB603Message");
  At(*xml, "<ceb:ieFlag>E</ceb:ieFlag>");
  At(*xml, "<ceb:tradeMode>9710</ceb:tradeMode>");
  At(*xml, "<ceb:fFlag>3</ceb:fFlag>");
  EXPECT_LT(At(*xml, "<ceb:customsCode>"), At(*xml, "<ceb:ebpCode>"));
  EXPECT_LT(At(*xml, "<ceb:statisticsFlag>"), At(*xml, "<ceb:ownerCode>"));
  EXPECT_EQ(xml->find("<ceb:buyerIdNumber>"), std::string::npos);
}

TEST(ClearanceInventoryMessage, ADirectionIsRequired) {
  EXPECT_EQ(WriteInventoryMessage(Input(dv1::DIRECTION_UNSPECIFIED, "9610")).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ClearanceInventoryMessage, TheUnsignedSignerAddsAnEmptySignatureLast) {
  auto xml = WriteInventoryMessage(Input(dv1::DIRECTION_IMPORT, "1210"));
  ASSERT_TRUE(xml.ok());
  UnsignedSigner signer;
  EXPECT_FALSE(signer.signs());
  auto signed_xml = signer.Sign(*xml);
  ASSERT_TRUE(signed_xml.ok());
  size_t signature =
      At(*signed_xml, "<ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\">");
  EXPECT_LT(At(*signed_xml, "</ceb:BaseTransfer>"), signature);
  EXPECT_LT(signature, At(*signed_xml, "</ceb:CEB621Message>"));
  At(*signed_xml, "<ds:SignatureValue></ds:SignatureValue>");
  EXPECT_EQ(signer.Sign("no tags").status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace parkline::clearance
