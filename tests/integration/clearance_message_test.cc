// The clearance service's official messages against the official 202205 XSDs (read from
// PARKLINE_CEB_REFERENCE, by default ../shared/reference/ceb-202205/, never copied here; the tests
// skip without them): the inventory it writes for every business
// mode in every direction validates; customs' receipts (the official CEB622 and CEB604 samples,
// bare or in a DxpMsg) are read; malformed receipts are refused. Signed for real (SM2/SM3 and
// RSA/SHA-1, keys made by the test), every inventory still validates and verifies.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "ceb/receipt_reader.h"
#include "ceb/signing_key.h"
#include "ceb/xml_signature.h"
#include "ceb/xsd_validator.h"
#include "clearance/inventory_message.h"
#include "clearance/inventory_rules.h"
#include "clearance/message_signer.h"
#include "clearance/sample_cases.h"
#include "tests/support/ceb_reference.h"
#include "tests/support/signing_keys.h"

namespace parkline::clearance {
namespace {

namespace dv1 = ::parkline::declarations::v1;

std::string Read(const std::string& path) {
  std::ifstream in(testing::CebReference(path), std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string Xsd(dv1::Direction direction) {
  return testing::CebReference(direction == dv1::DIRECTION_IMPORT ? "xsd/ceb-import.xsd"
                                                                  : "xsd/ceb-export.xsd");
}

std::string Message(dv1::Direction direction, const std::string& mode, int n,
                    const MessageSigner* signer = nullptr) {
  InventoryMessageInput in;
  in.guid = "6F1D2C3B-4A59-4E6F-8A7B-0C1D2E3F4A5B";
  in.business_mode = mode;
  in.direction = direction;
  in.inventory =
      CompleteDraft(DraftFromDeclaration(SampleDeclaration(direction, mode, n), {}), direction, n);
  in.inventory.set_cop_no(absl::StrCat("COP", n));
  in.app_time = absl::Now();
  in.app_status = signer != nullptr && signer->signs() ? 2 : 1;
  in.cop_code = in.inventory.agent_code();
  in.cop_name = "Sample Agent";
  auto xml = WriteInventoryMessage(in);
  EXPECT_TRUE(xml.ok()) << xml.status();
  UnsignedSigner drafts;
  auto signed_xml = (signer != nullptr ? *signer : drafts).Sign(*xml);
  EXPECT_TRUE(signed_xml.ok()) << signed_xml.status();
  return signed_xml.value_or("");
}

TEST(ClearanceMessageXsd, TheInventoryOfEveryModeAndDirectionValidates) {
  PARKLINE_REQUIRE_CEB_REFERENCE("xsd/ceb-import.xsd", "xsd/ceb-export.xsd");
  const std::vector<std::pair<std::string, dv1::Direction>> procedures = {
      {"9610", dv1::DIRECTION_IMPORT}, {"1210", dv1::DIRECTION_IMPORT},
      {"1239", dv1::DIRECTION_IMPORT}, {"9610", dv1::DIRECTION_EXPORT},
      {"1210", dv1::DIRECTION_EXPORT}, {"9710", dv1::DIRECTION_EXPORT},
      {"9810", dv1::DIRECTION_EXPORT}};
  int n = 1;
  for (const auto& [mode, direction] : procedures) {
    std::string xml = Message(direction, mode, n++);
    EXPECT_TRUE(ceb::ValidateAgainstXsd(xml, Xsd(direction)).ok())
        << mode << " " << dv1::Direction_Name(direction) << ": "
        << ceb::ValidateAgainstXsd(xml, Xsd(direction)) << "\n"
        << xml;
  }
}

// Signed for real (both suites, keys made here), every inventory still validates against the XSD,
// verifies, and says appStatus 2 only because the desk asks for it when the signer signs.
class SignedMessageXsd : public ::testing::TestWithParam<ceb::SignatureSuite> {};

TEST_P(SignedMessageXsd, TheSignedInventoryOfEveryModeAndDirectionValidatesAndVerifies) {
  PARKLINE_REQUIRE_CEB_REFERENCE("xsd/ceb-import.xsd", "xsd/ceb-export.xsd");
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / absl::StrCat("parkline-signed-xsd-", getpid());
  std::filesystem::create_directories(dir);
  auto files = testing::MakeKeyFiles(GetParam(), dir, "park");
  auto key = ceb::LoadPemSigningKey(files.key, files.certificate, "0001");
  ASSERT_TRUE(key.ok()) << key.status();
  XmlDsigSigner signer(std::shared_ptr<const ceb::SigningKey>(std::move(*key)));
  EXPECT_TRUE(signer.signs());
  EXPECT_EQ(signer.algorithm(), ceb::SuiteName(GetParam()));
  const std::vector<std::pair<std::string, dv1::Direction>> procedures = {
      {"9610", dv1::DIRECTION_IMPORT}, {"1210", dv1::DIRECTION_IMPORT},
      {"1239", dv1::DIRECTION_IMPORT}, {"9610", dv1::DIRECTION_EXPORT},
      {"1210", dv1::DIRECTION_EXPORT}, {"9710", dv1::DIRECTION_EXPORT},
      {"9810", dv1::DIRECTION_EXPORT}};
  int n = 1;
  for (const auto& [mode, direction] : procedures) {
    std::string xml = Message(direction, mode, n++, &signer);
    EXPECT_TRUE(ceb::ValidateAgainstXsd(xml, Xsd(direction)).ok())
        << mode << " " << dv1::Direction_Name(direction) << ": "
        << ceb::ValidateAgainstXsd(xml, Xsd(direction)) << "\n"
        << xml;
    auto verified = ceb::VerifyEnveloped(xml);
    EXPECT_TRUE(verified.ok()) << mode << ": " << verified.status();
  }
  std::filesystem::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Suites, SignedMessageXsd,
                         ::testing::Values(ceb::SignatureSuite::kSm2Sm3,
                                           ceb::SignatureSuite::kRsaSha1),
                         [](const auto& info) {
                           return info.param == ceb::SignatureSuite::kSm2Sm3 ? "Sm2Sm3" : "RsaSha1";
                         });

TEST(ClearanceMessageXsd, TheValidatorWouldCatchAMissingRequiredElement) {
  PARKLINE_REQUIRE_CEB_REFERENCE("xsd/ceb-import.xsd");
  // The check can fail: without the signature CEB621 is not valid (ds:Signature is required).
  InventoryMessageInput in;
  in.guid = "6F1D2C3B-4A59-4E6F-8A7B-0C1D2E3F4A5B";
  in.business_mode = "9610";
  in.direction = dv1::DIRECTION_IMPORT;
  in.inventory = CompleteDraft(DraftFromDeclaration(SampleDeclaration(in.direction, "9610", 1), {}),
                               in.direction, 1);
  in.app_time = absl::Now();
  in.cop_code = "3301960002";
  auto unsigned_xml = WriteInventoryMessage(in);
  ASSERT_TRUE(unsigned_xml.ok());
  EXPECT_EQ(ceb::ValidateAgainstXsd(*unsigned_xml, Xsd(in.direction)).code(),
            absl::StatusCode::kInvalidArgument);
  // Nor is an inventory whose HS code is missing (gcode is required).
  in.inventory.mutable_lines(0)->clear_gcode();
  auto xml = UnsignedSigner().Sign(*WriteInventoryMessage(in));
  EXPECT_EQ(ceb::ValidateAgainstXsd(*xml, Xsd(in.direction)).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ClearanceReceiptReader, TheOfficialCeb622AndCeb604SamplesAreRead) {
  PARKLINE_REQUIRE_CEB_REFERENCE("samples/import/CEB622Message.xml",
                                 "samples/export/CEB604Message.xml");
  std::string import = Read("samples/import/CEB622Message.xml");
  auto r = ceb::ReadInventoryReturns(import);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->message_type, "CEB622");
  ASSERT_FALSE(r->receipts.empty());
  EXPECT_EQ(r->receipts[0].guid().size(), 36u);
  EXPECT_EQ(r->receipts[0].return_time().size(), 17u);
  EXPECT_FALSE(r->receipts[0].return_status().empty());

  auto e = ceb::ReadInventoryReturns(Read("samples/export/CEB604Message.xml"));
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->message_type, "CEB604");
  EXPECT_EQ(e->receipts.size(), 10u);
  EXPECT_EQ(e->receipts[0].return_status(), "2");
  EXPECT_EQ(e->receipts[0].return_time(), "20180507153001001");
  EXPECT_EQ(e->receipts[0].invt_no(), "Invt20180507000001");
}

TEST(ClearanceReceiptReader, AReceiptInADxpMsgEnvelopeIsRead) {
  PARKLINE_REQUIRE_CEB_REFERENCE("samples/export/CEB604Message.xml");
  std::string inner = Read("samples/export/CEB604Message.xml");
  std::string dxp = absl::StrCat(
      R"(<?xml version="1.0" encoding="UTF-8"?><dxp:DxpMsg ver="1.0" xmlns:dxp="http://www.chinaport.gov.cn/dxp">)",
      "<dxp:TransInfo><dxp:CopMsgId>1</dxp:CopMsgId></dxp:TransInfo><dxp:Data>",
      absl::Base64Escape(inner), "</dxp:Data></dxp:DxpMsg>");
  auto r = ceb::ReadInventoryReturns(dxp);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->message_type, "CEB604");
  EXPECT_EQ(r->receipts.size(), 10u);
}

TEST(ClearanceReceiptReader, TheOfficialOrderReceiptIsNotAnInventoryReceipt) {
  PARKLINE_REQUIRE_CEB_REFERENCE("samples/import/CEB312Message.xml");
  EXPECT_EQ(ceb::ReadInventoryReturns(Read("samples/import/CEB312Message.xml")).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ClearanceReceiptReader, MalformedReceiptsAreInvalidArgument) {
  const std::vector<std::string> bad = {
      "<ceb:CEB622Message xmlns:ceb=\"http://www.chinaport.gov.cn/ceb\"><ceb:InventoryReturn>",
      "not xml at all",
      R"(<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>)",
      // An inventory receipt without returnStatus.
      R"(<ceb:CEB622Message guid="G" version="1.0" xmlns:ceb="http://www.chinaport.gov.cn/ceb"><ceb:InventoryReturn><ceb:guid>X</ceb:guid><ceb:returnTime>20250301120000000</ceb:returnTime></ceb:InventoryReturn></ceb:CEB622Message>)",
      // No receipt at all.
      R"(<ceb:CEB622Message guid="G" version="1.0" xmlns:ceb="http://www.chinaport.gov.cn/ceb"/>)",
      // A DxpMsg whose Data is not base64.
      R"(<dxp:DxpMsg xmlns:dxp="http://www.chinaport.gov.cn/dxp"><dxp:Data>@@@</dxp:Data></dxp:DxpMsg>)",
  };
  for (const auto& xml : bad) {
    EXPECT_EQ(ceb::ReadInventoryReturns(xml).status().code(), absl::StatusCode::kInvalidArgument)
        << xml.substr(0, 120);
  }
}

}  // namespace
}  // namespace parkline::clearance
