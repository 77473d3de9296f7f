// Reads the official CEB 202205 samples and XSDs from outside the repository
// (PARKLINE_CEB_REFERENCE, by default ../shared/reference/ceb-202205), which is why these tests are
// labelled integration; the tests that need them skip when they are absent.
#include "ceb/ceb_reader.h"

#include <gtest/gtest.h>
#include <libxml/parserInternals.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "ceb/xsd_validator.h"
#include "google/protobuf/util/message_differencer.h"
#include "tests/support/ceb_reference.h"

namespace parkline::ceb {
namespace {

namespace fs = std::filesystem;
using ::google::protobuf::util::MessageDifferencer;
using ::parkline::declarations::v1::APP_TYPE_NEW;
using ::parkline::declarations::v1::CebMessage;
using ::parkline::declarations::v1::DIRECTION_EXPORT;
using ::parkline::declarations::v1::DIRECTION_IMPORT;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

// "import/CEB311Message.xml" -> the official sample's bytes.
std::string Sample(const std::string& relative) {
  std::string content = ReadFile(testing::CebReferenceDir() / "samples" / relative);
  EXPECT_FALSE(content.empty()) << "cannot read sample " << relative;
  return content;
}

std::string Xsd(const std::string& name) { return testing::CebReference("xsd/" + name); }

// The sample files in `folder` of the reference, as "import/CEB311Message.xml", sorted.
std::vector<std::string> SampleFiles(const std::string& folder) {
  std::vector<std::string> files;
  std::error_code error;
  for (const auto& entry :
       fs::directory_iterator(testing::CebReferenceDir() / "samples" / folder, error)) {
    if (entry.path().extension() == ".xml") {
      files.push_back(folder + "/" + entry.path().filename().string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

// The official samples as the reference's README lists them, sorted. Named here rather than
// listed from the folder: CTest discovers the cases once per build, so cases that came and went
// with the files would run under a stale name, match nothing and pass.
std::vector<std::string> OfficialSampleNames(const std::string& folder) {
  const std::vector<int> numbers =
      folder == "import"
          ? std::vector<int>{311, 312, 411, 412, 511, 512, 513, 514,
                             621, 622, 623, 624, 625, 626, 711, 712}
          : std::vector<int>{213, 214, 215, 216, 303, 304, 403, 404, 505, 506, 507, 508,
                             509, 510, 603, 604, 605, 606, 607, 608, 701, 702, 792};
  std::vector<std::string> files;
  for (int number : numbers) files.push_back(absl::StrCat(folder, "/CEB", number, "Message.xml"));
  return files;
}

std::vector<std::string> AllOfficialSampleNames() {
  std::vector<std::string> files = OfficialSampleNames("import");
  for (std::string& file : OfficialSampleNames("export")) files.push_back(std::move(file));
  return files;
}

std::string TestName(const ::testing::TestParamInfo<std::string>& info) {
  return absl::StrReplaceAll(info.param, {{"/", "_"}, {".", "_"}});
}

// The CEB message base64-encoded, in lines of 76 characters as MIME writers do, inside a DxpMsg
// envelope built to dxp-terminal.xsd.
std::string DxpEnvelope(const std::string& ceb_xml) {
  std::string encoded = absl::Base64Escape(ceb_xml);
  std::string wrapped;
  for (size_t i = 0; i < encoded.size(); i += 76) {
    absl::StrAppend(&wrapped, encoded.substr(i, 76), "\n");
  }
  return absl::StrCat(R"(<?xml version="1.0" encoding="UTF-8"?>
<dxp:DxpMsg ver="1.0" xmlns:dxp="http://www.chinaport.gov.cn/dxp">
  <dxp:TransInfo>
    <dxp:CopMsgId>4CDE1CFD-EDED-46B1-946C-B8022E42FC94</dxp:CopMsgId>
    <dxp:SenderId>DXPENT0000000001</dxp:SenderId>
    <dxp:ReceiverIds><dxp:ReceiverId>DXPEDCCEB0000002</dxp:ReceiverId></dxp:ReceiverIds>
    <dxp:CreatTime>2016-03-08T11:27:01</dxp:CreatTime>
    <dxp:MsgType>CEB311Message</dxp:MsgType>
  </dxp:TransInfo>
  <dxp:Data>)",
                      wrapped, R"(</dxp:Data>
</dxp:DxpMsg>)");
}

// A minimal CEB311 around `order_head_fields`, for the tests of one rule at a time.
std::string Ceb311WithHead(const std::string& order_head_fields) {
  return absl::StrCat(R"(<?xml version="1.0" encoding="UTF-8"?>
<ceb:CEB311Message guid="G-1" version="1.0" xmlns:ceb="http://www.chinaport.gov.cn/ceb">
  <ceb:Order>
    <ceb:OrderHead>
)",
                      order_head_fields, R"(
    </ceb:OrderHead>
  </ceb:Order>
</ceb:CEB311Message>)");
}

void ExpectInvalidArgumentMentioning(const absl::StatusOr<CebMessage>& result,
                                     const std::vector<std::string>& fragments) {
  ASSERT_FALSE(result.ok()) << "read although it should not: " << result->DebugString();
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument) << result.status();
  for (const std::string& fragment : fragments) {
    EXPECT_NE(result.status().message().find(fragment), std::string::npos)
        << "'" << fragment << "' missing from: " << result.status();
  }
}

// Records every attempt of libxml2 to load an external DTD or entity (a file or URL) while it
// lives, and refuses them all.
class ExternalLoadProbe {
 public:
  ExternalLoadProbe() : previous_(xmlGetExternalEntityLoader()) {
    urls_.clear();
    xmlSetExternalEntityLoader(&Record);
  }
  ~ExternalLoadProbe() { xmlSetExternalEntityLoader(previous_); }
  ExternalLoadProbe(const ExternalLoadProbe&) = delete;
  ExternalLoadProbe& operator=(const ExternalLoadProbe&) = delete;

  const std::vector<std::string>& urls() const { return urls_; }

 private:
  static xmlParserInputPtr Record(const char* url, const char* /*id*/, xmlParserCtxtPtr) {
    urls_.push_back(url != nullptr ? url : "(null)");
    return nullptr;
  }

  static inline std::vector<std::string> urls_;
  xmlExternalEntityLoader previous_;
};

// --- Every official sample ---------------------------------------------------------------------

TEST(OfficialSamples, AreAllThere) {
  PARKLINE_REQUIRE_CEB_REFERENCE("samples/import", "samples/export");
  // The README of the reference lists 16 import and 23 export samples: no more, no fewer.
  EXPECT_EQ(OfficialSampleNames("import").size(), 16u);
  EXPECT_EQ(OfficialSampleNames("export").size(), 23u);
  EXPECT_EQ(SampleFiles("import"), OfficialSampleNames("import")) << testing::CebReferenceDir();
  EXPECT_EQ(SampleFiles("export"), OfficialSampleNames("export")) << testing::CebReferenceDir();
}

class OfficialSample : public ::testing::TestWithParam<std::string> {};

TEST_P(OfficialSample, Reads) {
  PARKLINE_REQUIRE_CEB_REFERENCE("samples/" + GetParam());
  absl::StatusOr<CebMessage> message = ReadCebMessage(Sample(GetParam()));
  ASSERT_TRUE(message.ok()) << GetParam() << ": " << message.status();
  // CEB311Message.xml is a CEB311 (and CEB214Message.xml, whose root is <CEB214>, a CEB214).
  EXPECT_EQ(message->message_type(), fs::path(GetParam()).filename().string().substr(0, 6))
      << GetParam();
  EXPECT_FALSE(message->guid().empty()) << GetParam();
}

INSTANTIATE_TEST_SUITE_P(ImportAndExport, OfficialSample,
                         ::testing::ValuesIn(AllOfficialSampleNames()), TestName);

class OfficialImportSample : public ::testing::TestWithParam<std::string> {};

TEST_P(OfficialImportSample, ValidatesAgainstTheImportXsd) {
  PARKLINE_REQUIRE_CEB_REFERENCE("samples/" + GetParam(), "xsd/ceb-import.xsd");
  absl::Status status = ValidateAgainstXsd(Sample(GetParam()), Xsd("ceb-import.xsd"));
  EXPECT_TRUE(status.ok()) << GetParam() << ": " << status;
}

INSTANTIATE_TEST_SUITE_P(Import, OfficialImportSample,
                         ::testing::ValuesIn(OfficialSampleNames("import")), TestName);

// --- The six messages read into documents ------------------------------------------------------

TEST(ReadCebMessage, ReadsTheImportOrdersOfCeb311) {
  PARKLINE_REQUIRE_CEB_REFERENCE("samples/import/CEB311Message.xml");
  absl::StatusOr<CebMessage> message = ReadCebMessage(Sample("import/CEB311Message.xml"));
  ASSERT_TRUE(message.ok()) << message.status();
  EXPECT_EQ(message->message_type(), "CEB311");
  EXPECT_EQ(message->guid(), "4CDE1CFD-EDED-46B1-946C-B8022E42FC94");
  EXPECT_EQ(message->version(), "1.0");
  ASSERT_EQ(message->orders_size(), 6);  // the official sample repeats one order six times
  for (const auto& order : message->orders()) {
    EXPECT_EQ(order.direction(), DIRECTION_IMPORT);
    EXPECT_EQ(order.goods_size(), 2);
  }
  const auto& order = message->orders(1);
  EXPECT_EQ(order.guid(), "4CDE1CFD-EDED-46B1-946C-B8022E42FC94");
  EXPECT_EQ(order.app_type(), APP_TYPE_NEW);
  EXPECT_EQ(order.app_time(), "20160308112701");
  EXPECT_EQ(order.app_status(), 2);
  EXPECT_EQ(order.order_type(), "I");
  EXPECT_EQ(order.order_no(), "order20160321116421002");
  EXPECT_EQ(order.ebp_code(), "1105910159");
  EXPECT_EQ(order.ebc_name(), "东方物通科技(北京)有限公司");
  EXPECT_EQ(order.goods_value(), "14000");
  EXPECT_EQ(order.freight(), "5000");
  EXPECT_EQ(order.discount(), "0");
  EXPECT_EQ(order.tax_total(), "50");
  EXPECT_EQ(order.actural_paid(), "19050");
  EXPECT_EQ(order.currency(), "142");
  EXPECT_EQ(order.buyer_reg_no(), "ID20160001");
  EXPECT_EQ(order.buyer_name(), "aa");
  EXPECT_EQ(order.buyer_telephone(), "18813025940");
  EXPECT_EQ(order.buyer_id_type(), "1");
  EXPECT_EQ(order.buyer_id_number(), "130681136250023332");
  EXPECT_EQ(order.pay_code(), "1105910159");
  EXPECT_EQ(order.pay_transaction_id(), "20160001634226001");
  EXPECT_EQ(order.batch_numbers(), "20160317");
  EXPECT_EQ(order.consignee(), "焦洪宇");
  EXPECT_EQ(order.consignee_telephone(), "13522652231");
  EXPECT_EQ(order.consignee_address(), "北京市海淀区");
  EXPECT_EQ(order.consignee_district(), "072750");
  EXPECT_EQ(order.note(), "test");
  EXPECT_EQ(order.business_mode(), "");  // a park addition, never read from CEB

  const auto& line = order.goods(1);
  EXPECT_EQ(line.gnum(), 2);
  EXPECT_EQ(line.item_no(), "AF001-002");
  EXPECT_EQ(line.item_name(), "v");
  EXPECT_EQ(line.gmodel(), "33mm");
  EXPECT_EQ(line.item_describe(), "v");
  EXPECT_EQ(line.bar_code(), "2345123");
  EXPECT_EQ(line.unit(), "007");
  EXPECT_EQ(line.qty(), "200");
  EXPECT_EQ(line.price(), "10");
  EXPECT_EQ(line.total_price(), "12000");
  EXPECT_EQ(line.currency(), "142");
  EXPECT_EQ(line.country(), "116");
  EXPECT_EQ(line.note(), "");
  EXPECT_EQ(order.goods(0).item_no(), "AF001-001");

  EXPECT_EQ(message->base_transfer().cop_code(), "1101180326");
  EXPECT_EQ(message->base_transfer().cop_name(), "物流企业");
  EXPECT_EQ(message->base_transfer().dxp_mode(), "DXP");
  EXPECT_EQ(message->base_transfer().dxp_id(), "EXP2016522002580001");
  EXPECT_EQ(message->base_transfer().note(), "test");
  EXPECT_EQ(message->payments_size() + message->receipts_size() + message->waybills_size(), 0);
}

TEST(ReadCebMessage, ReadsTheExportOrdersOfCeb303) {
  PARKLINE_REQUIRE_CEB_REFERENCE("samples/export/CEB303Message.xml");
  absl::StatusOr<CebMessage> message = ReadCebMessage(Sample("export/CEB303Message.xml"));
  ASSERT_TRUE(message.ok()) << message.status();
  EXPECT_EQ(message->message_type(), "CEB303");
  EXPECT_EQ(message->guid(), "311af125-6fed-4603-8c5d-49b1fa4b4b9b");
  ASSERT_EQ(message->orders_size(), 10);
  const auto& order = message->orders(9);
  EXPECT_EQ(order.direction(), DIRECTION_EXPORT);
  EXPECT_EQ(order.guid(), "704ea0f1-b229-4e89-9f2f-c2e550e95c86");
  EXPECT_EQ(order.order_type(), "E");
  EXPECT_EQ(order.order_no(), "order2018050711340001");
  EXPECT_EQ(order.goods_value(), "12345678912345.12345");
  EXPECT_EQ(order.freight(), "0");
  EXPECT_EQ(order.currency(), "142");
  EXPECT_EQ(order.actural_paid(), "");  // not an export field
  ASSERT_EQ(order.goods_size(), 1);
  EXPECT_EQ(order.goods(0).gnum(), 1);
  EXPECT_EQ(order.goods(0).item_name(), "小米盒子");
  EXPECT_EQ(order.goods(0).unit(), "aaa");
  EXPECT_EQ(order.goods(0).total_price(), "2000");
  EXPECT_EQ(message->base_transfer().dxp_id(), "DXPLGS0000000001");
}

TEST(ReadCebMessage, ReadsThePaymentsOfCeb411) {
  PARKLINE_REQUIRE_CEB_REFERENCE("samples/import/CEB411Message.xml");
  absl::StatusOr<CebMessage> message = ReadCebMessage(Sample("import/CEB411Message.xml"));
  ASSERT_TRUE(message.ok()) << message.status();
  ASSERT_EQ(message->payments_size(), 10);
  const auto& payment = message->payments(1);
  EXPECT_EQ(payment.guid(), "4CDE1CFD-EDED-46B1-946C-B8022E42FC95");
  EXPECT_EQ(payment.app_type(), APP_TYPE_NEW);
  EXPECT_EQ(payment.app_time(), "20160308112745");
  EXPECT_EQ(payment.app_status(), 2);
  EXPECT_EQ(payment.pay_code(), "1101110323");
  EXPECT_EQ(payment.pay_name(), "测试企业");
  EXPECT_EQ(payment.pay_transaction_id(), "P0242250008");
  EXPECT_EQ(payment.order_no(), "order2016030811340008");
  EXPECT_EQ(payment.ebp_code(), "1101110325");
  EXPECT_EQ(payment.payer_id_type(), "1");
  EXPECT_EQ(payment.payer_id_number(), "130625021345225322");
  EXPECT_EQ(payment.payer_name(), "支付人");
  EXPECT_EQ(payment.telephone(), "13256254445");
  EXPECT_EQ(payment.amount_paid(), "19050");
  EXPECT_EQ(payment.currency(), "142");
  EXPECT_EQ(payment.pay_time(), "20160315153555");
  EXPECT_EQ(message->payments(0).pay_transaction_id(), "P0242250007");
  EXPECT_EQ(message->orders_size(), 0);
}

TEST(ReadCebMessage, ReadsTheReceiptsOfCeb403) {
  PARKLINE_REQUIRE_CEB_REFERENCE("samples/export/CEB403Message.xml");
  absl::StatusOr<CebMessage> message = ReadCebMessage(Sample("export/CEB403Message.xml"));
  ASSERT_TRUE(message.ok()) << message.status();
  ASSERT_EQ(message->receipts_size(), 10);
  const auto& receipt = message->receipts(0);
  EXPECT_EQ(receipt.guid(), "4CDE1CFD-EDED-46B1-946C-B8022E42FC94");
  EXPECT_EQ(receipt.app_type(), APP_TYPE_NEW);
  EXPECT_EQ(receipt.app_status(), 2);
  EXPECT_EQ(receipt.ebp_code(), "1105910159");
  EXPECT_EQ(receipt.ebc_name(), "东方物通科技(北京)有限公司");
  EXPECT_EQ(receipt.order_no(), "order2018050711340001");
  EXPECT_EQ(receipt.pay_code(), "1105910159");
  EXPECT_EQ(receipt.pay_no(), "P20180507001");
  EXPECT_EQ(receipt.charge(), "200.50");
  EXPECT_EQ(receipt.currency(), "142");
  EXPECT_EQ(receipt.accounting_date(), "20180507153001");
  EXPECT_EQ(receipt.note(), "test");
}

TEST(ReadCebMessage, ReadsTheImportWaybillsOfCeb511) {
  PARKLINE_REQUIRE_CEB_REFERENCE("samples/import/CEB511Message.xml");
  absl::StatusOr<CebMessage> message = ReadCebMessage(Sample("import/CEB511Message.xml"));
  ASSERT_TRUE(message.ok()) << message.status();
  ASSERT_EQ(message->waybills_size(), 6);
  const auto& waybill = message->waybills(1);
  EXPECT_EQ(waybill.direction(), DIRECTION_IMPORT);
  EXPECT_EQ(waybill.guid(), "4CDE1CFD-EDED-46B1-946C-B8022E42FC94");
  EXPECT_EQ(waybill.app_time(), "20160315153555");
  EXPECT_EQ(waybill.logistics_code(), "1101180326");
  EXPECT_EQ(waybill.logistics_name(), "测试物流企业");
  EXPECT_EQ(waybill.logistics_no(), "L201603081138007");
  EXPECT_EQ(waybill.bill_no(), "TY201603081344007");
  EXPECT_EQ(waybill.order_no(), "order20160321116421003");
  EXPECT_EQ(waybill.freight(), "5000");
  EXPECT_EQ(waybill.insured_fee(), "200");
  EXPECT_EQ(waybill.weight(), "4000");
  EXPECT_EQ(waybill.pack_no(), 6000);
  EXPECT_EQ(waybill.goods_info(), "包裹");
  EXPECT_EQ(waybill.consignee(), "李小可");
  EXPECT_EQ(waybill.consignee_address(), "北京市海淀区");
  EXPECT_EQ(waybill.consignee_telephone(), "13936921298");
  // The fourth waybill's orderNo is indented differently in the sample: same value.
  EXPECT_EQ(message->waybills(3).order_no(), "order20160321116421004");
  EXPECT_EQ(message->waybills(5).order_no(), "order20160321116421008");
  EXPECT_EQ(message->base_transfer().cop_name(), "物流企业");
}

TEST(ReadCebMessage, ReadsTheExportWaybillsOfCeb505WithGrossWeightAsWeight) {
  PARKLINE_REQUIRE_CEB_REFERENCE("samples/export/CEB505Message.xml");
  absl::StatusOr<CebMessage> message = ReadCebMessage(Sample("export/CEB505Message.xml"));
  ASSERT_TRUE(message.ok()) << message.status();
  ASSERT_EQ(message->waybills_size(), 10);
  const auto& waybill = message->waybills(4);
  EXPECT_EQ(waybill.direction(), DIRECTION_EXPORT);
  EXPECT_EQ(waybill.logistics_no(), "L2018050700001");
  EXPECT_EQ(waybill.freight(), "20.50");
  EXPECT_EQ(waybill.insured_fee(), "30.50");
  EXPECT_EQ(waybill.weight(), "50.50");
  EXPECT_EQ(waybill.pack_no(), 9);
  EXPECT_EQ(waybill.ebc_code(), "1105910159");
  EXPECT_EQ(waybill.ebc_telephone(), "15088795220");
  EXPECT_EQ(waybill.order_no(), "");  // CEB505 does not carry it
  EXPECT_EQ(waybill.bill_no(), "");
}

TEST(ReadCebMessage, ReturnsOtherCebMessagesWithoutDocuments) {
  PARKLINE_REQUIRE_CEB_REFERENCE("samples/import/CEB312Message.xml",
                                 "samples/import/CEB621Message.xml",
                                 "samples/export/CEB214Message.xml");
  for (const char* file :
       {"import/CEB312Message.xml", "import/CEB621Message.xml", "export/CEB214Message.xml"}) {
    absl::StatusOr<CebMessage> message = ReadCebMessage(Sample(file));
    ASSERT_TRUE(message.ok()) << file << ": " << message.status();
    EXPECT_FALSE(message->guid().empty()) << file;
    EXPECT_EQ(message->orders_size() + message->payments_size() + message->receipts_size() +
                  message->waybills_size(),
              0)
        << file;
  }
  absl::StatusOr<CebMessage> inventory = ReadCebMessage(Sample("import/CEB621Message.xml"));
  ASSERT_TRUE(inventory.ok());
  EXPECT_EQ(inventory->message_type(), "CEB621");
  EXPECT_EQ(inventory->guid(), "4CDE1CFD-EDED-46B1-946C-B8022E42FC94");
}

// --- The DxpMsg envelope -----------------------------------------------------------------------

TEST(ReadCebMessage, ReadsTheSameMessageInsideADxpMsgEnvelope) {
  PARKLINE_REQUIRE_CEB_REFERENCE("samples/import/CEB311Message.xml", "xsd/dxp-terminal.xsd");
  std::string bare = Sample("import/CEB311Message.xml");
  std::string envelope = DxpEnvelope(bare);
  // The envelope is the real thing, not just something the reader accepts.
  absl::Status valid = ValidateAgainstXsd(envelope, Xsd("dxp-terminal.xsd"));
  EXPECT_TRUE(valid.ok()) << valid;

  absl::StatusOr<CebMessage> direct = ReadCebMessage(bare);
  absl::StatusOr<CebMessage> enveloped = ReadCebMessage(envelope);
  ASSERT_TRUE(direct.ok()) << direct.status();
  ASSERT_TRUE(enveloped.ok()) << enveloped.status();
  EXPECT_EQ(enveloped->orders_size(), 6);
  EXPECT_TRUE(MessageDifferencer::Equals(*direct, *enveloped));

  // A transfer node's DxpMsgSv wraps the DxpMsg once more.
  std::string dxp_msg = envelope.substr(envelope.find("<dxp:DxpMsg "));
  std::string sv = absl::StrCat(
      R"(<dxp:DxpMsgSv ver="1.0" xmlns:dxp="http://www.chinaport.gov.cn/dxp"><dxp:SvNo Ver="1.0">)",
      "<dxp:MsgId>1</dxp:MsgId><dxp:SendTime>2016-03-08T11:27:01</dxp:SendTime>",
      "<dxp:EndNode>1</dxp:EndNode><dxp:StaNode>1</dxp:StaNode></dxp:SvNo>", dxp_msg,
      "</dxp:DxpMsgSv>");
  absl::StatusOr<CebMessage> transferred = ReadCebMessage(sv);
  ASSERT_TRUE(transferred.ok()) << transferred.status();
  EXPECT_TRUE(MessageDifferencer::Equals(*direct, *transferred));
}

TEST(ReadCebMessage, RefusesADxpMsgWhoseDataIsNotBase64) {
  std::string envelope = DxpEnvelope("x");
  size_t data = envelope.find("<dxp:Data>") + 10;
  envelope.replace(data, envelope.find("</dxp:Data>") - data, "not*base64!");
  ExpectInvalidArgumentMentioning(ReadCebMessage(envelope), {"DxpMsg", "base64"});
}

TEST(ReadCebMessage, RefusesADxpMsgWhoseDataIsNotACebMessage) {
  ExpectInvalidArgumentMentioning(ReadCebMessage(DxpEnvelope("<html><body/></html>")),
                                  {"DxpMsg <Data>", "not a CEB message", "<html>"});
  ExpectInvalidArgumentMentioning(ReadCebMessage(DxpEnvelope("PK\x03\x04 zip bytes")),
                                  {"DxpMsg <Data>", "not well-formed"});
  ExpectInvalidArgumentMentioning(ReadCebMessage(DxpEnvelope(DxpEnvelope("<a/>"))),
                                  {"DxpMsg <Data>", "not a CEB message"});
}

TEST(ReadCebMessage, RefusesADxpMsgWithoutData) {
  ExpectInvalidArgumentMentioning(
      ReadCebMessage(R"(<DxpMsg ver="1.0" xmlns="http://www.chinaport.gov.cn/dxp"/>)"),
      {"DxpMsg", "Data"});
  ExpectInvalidArgumentMentioning(
      ReadCebMessage(R"(<DxpMsg ver="1.0" xmlns="http://www.chinaport.gov.cn/dxp"><Data>)"
                     R"(<CEB311Message xmlns="http://www.chinaport.gov.cn/ceb"/></Data></DxpMsg>)"),
      {"base64"});
}

// --- Lenient reading ---------------------------------------------------------------------------

TEST(ReadCebMessage, MatchesElementsByNamespaceNotByPrefix) {
  PARKLINE_REQUIRE_CEB_REFERENCE("samples/import/CEB311Message.xml");
  std::string original = Sample("import/CEB311Message.xml");
  absl::StatusOr<CebMessage> expected = ReadCebMessage(original);
  ASSERT_TRUE(expected.ok()) << expected.status();

  std::string other_prefix = absl::StrReplaceAll(
      original, {{"<ceb:", "<c:"}, {"</ceb:", "</c:"}, {"xmlns:ceb", "xmlns:c"}});
  absl::StatusOr<CebMessage> read = ReadCebMessage(other_prefix);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_TRUE(MessageDifferencer::Equals(*expected, *read));

  std::string default_namespace =
      absl::StrReplaceAll(original, {{"<ceb:", "<"}, {"</ceb:", "</"}, {"xmlns:ceb", "xmlns"}});
  read = ReadCebMessage(default_namespace);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_TRUE(MessageDifferencer::Equals(*expected, *read));

  // The right names in the wrong namespace are not the CEB's.
  std::string wrong_namespace =
      absl::StrReplaceAll(original, {{"http://www.chinaport.gov.cn/ceb", "urn:not-ceb"}});
  ExpectInvalidArgumentMentioning(ReadCebMessage(wrong_namespace),
                                  {"not a CEB message", "urn:not-ceb"});
}

TEST(ReadCebMessage, ReadsElementsInAnyOrderAndSkipsUnknownOnes) {
  absl::StatusOr<CebMessage> message = ReadCebMessage(R"(<?xml version="1.0"?>
<CEB511Message guid="G-2" version="1.0" xmlns="http://www.chinaport.gov.cn/ceb">
  <BaseTransfer><dxpId>DXP-1</dxpId><copCode>C1</copCode></BaseTransfer>
  <Unexpected><orderNo>not this one</orderNo></Unexpected>
  <Logistics>
    <LogisticsHead>
      <weight>  12.5
      </weight>
      <x:orderNo xmlns:x="urn:elsewhere">not this one either</x:orderNo>
      <orderNo><![CDATA[ORDER-1]]></orderNo>
      <orderNo>a second orderNo does not count</orderNo>
      <vatRate>0</vatRate>
      <direction>2</direction>
      <packNo>3</packNo>
      <appType>2</appType>
    </LogisticsHead>
  </Logistics>
</CEB511Message>)");
  ASSERT_TRUE(message.ok()) << message.status();
  EXPECT_EQ(message->base_transfer().dxp_id(), "DXP-1");
  EXPECT_EQ(message->base_transfer().cop_code(), "C1");
  ASSERT_EQ(message->waybills_size(), 1);
  const auto& waybill = message->waybills(0);
  EXPECT_EQ(waybill.direction(), DIRECTION_IMPORT);
  EXPECT_EQ(waybill.weight(), "12.5");
  EXPECT_EQ(waybill.order_no(), "ORDER-1");
  EXPECT_EQ(waybill.pack_no(), 3);
  EXPECT_EQ(waybill.app_type(), ::parkline::declarations::v1::APP_TYPE_CHANGE);
}

TEST(ReadCebMessage, NeverTakesTheParksOwnFieldsFromTheMessage) {
  absl::StatusOr<CebMessage> message =
      ReadCebMessage(absl::StrReplaceAll(Ceb311WithHead("<ceb:orderNo>O-1</ceb:orderNo>"),
                                         {{"</ceb:OrderHead>",
                                           "<ceb:businessMode>1210</ceb:businessMode>"
                                           "</ceb:OrderHead><ceb:OrderList><ceb:vatRate>0"
                                           "</ceb:vatRate><ceb:gnum>1</ceb:gnum>"
                                           "</ceb:OrderList>"}}));
  ASSERT_TRUE(message.ok()) << message.status();
  ASSERT_EQ(message->orders_size(), 1);
  EXPECT_EQ(message->orders(0).order_no(), "O-1");
  EXPECT_EQ(message->orders(0).business_mode(), "");
  ASSERT_EQ(message->orders(0).goods_size(), 1);
  EXPECT_EQ(message->orders(0).goods(0).gnum(), 1);
  EXPECT_EQ(message->orders(0).goods(0).vat_rate(), "");
}

TEST(ReadCebMessage, RefusesValuesTheProtoCannotHold) {
  ExpectInvalidArgumentMentioning(ReadCebMessage(Ceb311WithHead("<ceb:appType>4</ceb:appType>")),
                                  {"CEB311 Order 1 OrderHead appType", "line 5", "'4'", "1, 2, 3"});
  ExpectInvalidArgumentMentioning(ReadCebMessage(Ceb311WithHead("<ceb:appType>new</ceb:appType>")),
                                  {"appType"});
  ExpectInvalidArgumentMentioning(
      ReadCebMessage(Ceb311WithHead("\n<ceb:appStatus>2x</ceb:appStatus>")),
      {"appStatus", "line 6", "not a whole number"});
  // Empty reads as absent, for the business rules to report.
  absl::StatusOr<CebMessage> empty =
      ReadCebMessage(Ceb311WithHead("<ceb:appType/><ceb:appStatus> </ceb:appStatus>"));
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_EQ(empty->orders(0).app_status(), 0);
  EXPECT_EQ(empty->orders(0).app_type(), ::parkline::declarations::v1::APP_TYPE_UNSPECIFIED);
}

TEST(ReadCebMessage, ReadsFromManyThreadsAtOnce) {
  PARKLINE_REQUIRE_CEB_REFERENCE("samples/import/CEB311Message.xml");
  const std::string envelope = DxpEnvelope(Sample("import/CEB311Message.xml"));
  absl::StatusOr<CebMessage> expected = ReadCebMessage(envelope);
  ASSERT_TRUE(expected.ok()) << expected.status();
  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        absl::StatusOr<CebMessage> read = ReadCebMessage(i % 2 == 0 ? envelope : "<broken");
        bool as_expected = i % 2 == 0 ? read.ok() && MessageDifferencer::Equals(*expected, *read)
                                      : read.status().code() == absl::StatusCode::kInvalidArgument;
        if (!as_expected) ++mismatches;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(mismatches.load(), 0);
}

// --- Bad and hostile input ---------------------------------------------------------------------

TEST(ReadCebMessage, RefusesXmlThatIsNotWellFormedWithLibxml2sMessageAndLine) {
  ExpectInvalidArgumentMentioning(
      ReadCebMessage("<ceb:CEB311Message xmlns:ceb=\"http://www.chinaport.gov.cn/ceb\">\n"
                     "  <ceb:Order>\n"
                     "</ceb:CEB311Message>\n"),
      {"not well-formed", "line 3", "Opening and ending tag mismatch"});
  ExpectInvalidArgumentMentioning(ReadCebMessage(""), {"empty"});
  ExpectInvalidArgumentMentioning(ReadCebMessage("just text"), {"not well-formed", "line 1"});
  // An undeclared prefix breaks XML Namespaces well-formedness.
  ExpectInvalidArgumentMentioning(ReadCebMessage("<ceb:CEB311Message guid=\"g\"/>"),
                                  {"not well-formed", "ceb"});
}

TEST(ReadCebMessage, RefusesAnOfficialSampleCutInHalf) {
  PARKLINE_REQUIRE_CEB_REFERENCE("samples/import/CEB311Message.xml");
  std::string truncated = Sample("import/CEB311Message.xml");
  truncated.resize(truncated.size() / 2);
  ExpectInvalidArgumentMentioning(ReadCebMessage(truncated), {"not well-formed"});
}

TEST(ReadCebMessage, RefusesARootThatIsNotACebMessage) {
  ExpectInvalidArgumentMentioning(ReadCebMessage("<html/>"),
                                  {"not a CEB message", "<html> (no namespace)"});
  ExpectInvalidArgumentMentioning(ReadCebMessage("<CEB311Message guid=\"g\"/>"),
                                  {"not a CEB message"});
  ExpectInvalidArgumentMentioning(
      ReadCebMessage("<Order xmlns=\"http://www.chinaport.gov.cn/ceb\"/>"),
      {"not a CEB message", "<Order>"});
  ExpectInvalidArgumentMentioning(
      ReadCebMessage("<CEB31Message xmlns=\"http://www.chinaport.gov.cn/ceb\"/>"),
      {"not a CEB message"});
}

TEST(ReadCebMessage, RefusesInputOverTheSizeCap) {
  std::string huge(kMaxCebMessageBytes + 1, ' ');
  absl::StatusOr<CebMessage> result = ReadCebMessage(huge);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), absl::StatusCode::kResourceExhausted) << result.status();
}

TEST(ReadCebMessage, RefusesEntityExpansionBeforeExpandingAnything) {
  std::string entities = "<!ENTITY lol0 \"lol\">\n";
  for (int level = 1; level <= 9; ++level) {
    std::string references;
    for (int i = 0; i < 10; ++i) absl::StrAppend(&references, "&lol", level - 1, ";");
    absl::StrAppend(&entities, "<!ENTITY lol", level, " \"", references, "\">\n");
  }
  for (int depth : {3, 9}) {  // a thousand "lol"s, and a billion
    std::string laughs = absl::StrCat(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE ceb:CEB311Message [\n", entities, "]>\n",
        absl::StrReplaceAll(Ceb311WithHead(absl::StrCat("<ceb:note>&lol", depth, ";</ceb:note>")),
                            {{"<?xml version=\"1.0\" encoding=\"UTF-8\"?>", ""}}));
    ExternalLoadProbe probe;
    absl::StatusOr<CebMessage> result = ReadCebMessage(laughs);
    ExpectInvalidArgumentMentioning(result, {"DOCTYPE", "line 2"});
    EXPECT_EQ(result.status().message().find("lollol"), std::string::npos);
    EXPECT_TRUE(probe.urls().empty());

    // Inside a DxpMsg the inner document gets the same treatment.
    ExpectInvalidArgumentMentioning(ReadCebMessage(DxpEnvelope(laughs)),
                                    {"DxpMsg <Data>", "DOCTYPE"});
  }
}

TEST(ReadCebMessage, NeverReadsExternalEntitiesOrDtds) {
  // A file of our own, so that its content can be recognised if it ever leaks.
  fs::path secret = fs::temp_directory_path() / absl::StrCat("ceb_reader_test_", getpid(), ".txt");
  std::ofstream(secret) << "SECRET-7f3a9c";
  std::string secret_url = absl::StrCat("file://", secret.string());
  const std::string kHead = "<ceb:note>&xxe;</ceb:note>";
  const std::string body = absl::StrReplaceAll(
      Ceb311WithHead(kHead), {{"<?xml version=\"1.0\" encoding=\"UTF-8\"?>", ""}});

  for (const std::string& url : {std::string("file:///etc/passwd"), secret_url}) {
    std::vector<std::string> attacks = {
        // External general entity.
        absl::StrCat("<!DOCTYPE ceb:CEB311Message [<!ENTITY xxe SYSTEM \"", url, "\">]>", body),
        // External DTD subset.
        absl::StrCat("<!DOCTYPE ceb:CEB311Message SYSTEM \"", url, "\">",
                     absl::StrReplaceAll(body, {{"&xxe;", ""}})),
        // External parameter entity.
        absl::StrCat("<!DOCTYPE ceb:CEB311Message [<!ENTITY % p SYSTEM \"", url, "\"> %p;]>",
                     absl::StrReplaceAll(body, {{"&xxe;", ""}})),
        // Network, which must not even be tried.
        absl::StrCat("<!DOCTYPE ceb:CEB311Message SYSTEM \"http://127.0.0.1:9/x.dtd\">",
                     absl::StrReplaceAll(body, {{"&xxe;", ""}})),
    };
    for (const std::string& attack : attacks) {
      ExternalLoadProbe probe;
      absl::StatusOr<CebMessage> result = ReadCebMessage(attack);
      ExpectInvalidArgumentMentioning(result, {"DOCTYPE"});
      std::string seen = result.ok() ? result->DebugString() : result.status().ToString();
      EXPECT_EQ(seen.find("root:"), std::string::npos) << seen;
      EXPECT_EQ(seen.find("SECRET-7f3a9c"), std::string::npos) << seen;
      EXPECT_TRUE(probe.urls().empty()) << "libxml2 tried to load " << probe.urls().front();
    }
  }
  fs::remove(secret);
}

// --- XSD validation ----------------------------------------------------------------------------

TEST(ValidateAgainstXsd, RefusesASampleWithARequiredElementRemoved) {
  PARKLINE_REQUIRE_CEB_REFERENCE("samples/import/CEB311Message.xml", "xsd/ceb-import.xsd");
  std::string sample = Sample("import/CEB311Message.xml");
  // The first <ceb:orderNo> is on line 11; without it the schema trips on <ceb:ebpCode>, line 12.
  size_t start = sample.find("<ceb:orderNo>");
  size_t end = sample.find("</ceb:orderNo>") + std::string("</ceb:orderNo>").size();
  ASSERT_NE(start, std::string::npos);
  std::string tampered = sample;
  tampered.erase(start, end - start);

  absl::Status status = ValidateAgainstXsd(tampered, Xsd("ceb-import.xsd"));
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  EXPECT_NE(status.message().find("line 12"), std::string::npos) << status;
  EXPECT_NE(status.message().find("orderNo"), std::string::npos) << status;
  // The reader, lenient, still reads it; the order simply has no number.
  absl::StatusOr<CebMessage> read = ReadCebMessage(tampered);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->orders(0).order_no(), "");
}

TEST(ValidateAgainstXsd, ListsEverySchemaError) {
  PARKLINE_REQUIRE_CEB_REFERENCE("samples/import/CEB411Message.xml", "xsd/ceb-import.xsd");
  std::string tampered = absl::StrReplaceAll(Sample("import/CEB411Message.xml"),
                                             {{"<ceb:currency>142</ceb:currency>", ""}});
  absl::Status status = ValidateAgainstXsd(tampered, Xsd("ceb-import.xsd"));
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  // Ten payments, each missing its currency: ten errors.
  size_t count = 0;
  for (size_t at = status.message().find("line "); at != absl::string_view::npos;
       at = status.message().find("line ", at + 1)) {
    ++count;
  }
  EXPECT_EQ(count, 10u) << status;
}

TEST(ValidateAgainstXsd, TellsABadDocumentFromABadSchema) {
  PARKLINE_REQUIRE_CEB_REFERENCE("samples/import/CEB311Message.xml", "xsd/ceb-import.xsd",
                                 "xsd/dxp-transfer.xsd", "xsd/dxp-terminal.xsd");
  EXPECT_EQ(ValidateAgainstXsd("<a>", Xsd("ceb-import.xsd")).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ValidateAgainstXsd(Sample("import/CEB311Message.xml"), Xsd("no-such.xsd")).code(),
            absl::StatusCode::kNotFound);
  // dxp-transfer.xsd includes a file the reference does not ship.
  EXPECT_EQ(ValidateAgainstXsd(Sample("import/CEB311Message.xml"), Xsd("dxp-transfer.xsd")).code(),
            absl::StatusCode::kFailedPrecondition);
  // A well-formed document of another schema.
  EXPECT_EQ(ValidateAgainstXsd(Sample("import/CEB311Message.xml"), Xsd("dxp-terminal.xsd")).code(),
            absl::StatusCode::kInvalidArgument);
}

// What WriteCeb311 writes reads back as the same orders: the writer and the reader share their
// element tables, so a test that sends orders as XML sends exactly those orders.
TEST(WriteCeb311, ReadsBackAsTheSameOrders) {
  declarations::v1::Order order;
  order.set_direction(declarations::v1::DIRECTION_IMPORT);
  order.set_guid("G-1");
  order.set_app_type(declarations::v1::APP_TYPE_NEW);
  order.set_order_no("O-1");
  order.set_ebp_code("3301960001");
  order.set_ebp_name("Tom & Jerry <Platform>");
  order.set_goods_value("10.5");
  order.add_goods()->set_item_name("Milk powder");
  order.mutable_goods(0)->set_gnum(1);
  declarations::v1::Order second = order;
  second.set_order_no("O-2");

  auto read = ReadCebMessage(WriteCeb311({order, second}, "M-1"));
  ASSERT_TRUE(read.ok()) << read.status();
  ASSERT_EQ(read->orders_size(), 2);
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(read->orders(0), order))
      << read->orders(0).DebugString();
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(read->orders(1), second));
  EXPECT_EQ(read->guid(), "M-1");
}

}  // namespace
}  // namespace parkline::ceb
