// The CEB513 reader: each status an event on Beijing time, one carrier per message; the message
// bare or base64 inside a DxpMsg transport envelope (or a DxpMsgSv around one) reads the same;
// a broken envelope, another message type, or a bad status is INVALID_ARGUMENT naming what is
// wrong, as a google.rpc.BadRequest violation.
#include "logistics/waybill_status_message.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "errors/violations.h"
#include "google/protobuf/util/time_util.h"

namespace parkline::logistics {
namespace {

using google::protobuf::util::TimeUtil;

std::string Ceb513(const std::vector<std::pair<std::string, std::string>>& statuses) {
  std::string xml =
      R"(<ceb:CEB513Message guid="G" version="1.0" xmlns:ceb="http://www.chinaport.gov.cn/ceb">)";
  for (const auto& [carrier, time] : statuses) {
    xml += "<ceb:LogisticsStatus><ceb:logisticsCode>" + carrier +
           "</ceb:logisticsCode><ceb:logisticsNo>L1</ceb:logisticsNo>"
           "<ceb:logisticsStatus>S</ceb:logisticsStatus><ceb:logisticsTime>" +
           time + "</ceb:logisticsTime></ceb:LogisticsStatus>";
  }
  return xml + "</ceb:CEB513Message>";
}

// A DxpMsg as dxp-terminal.xsd has it, around `data` (the <Data> content as it is).
std::string DxpMsg(const std::string& data) {
  return absl::StrCat(R"(<?xml version="1.0" encoding="UTF-8"?>
<dxp:DxpMsg ver="1.0" xmlns:dxp="http://www.chinaport.gov.cn/dxp">
  <dxp:TransInfo>
    <dxp:CopMsgId>4CDE1CFD-EDED-46B1-946C-B8022E42FC94</dxp:CopMsgId>
    <dxp:SenderId>DXPLGS0000000001</dxp:SenderId>
    <dxp:ReceiverIds><dxp:ReceiverId>DXPEDCCEB0000002</dxp:ReceiverId></dxp:ReceiverIds>
    <dxp:CreatTime>2025-12-31T23:59:59</dxp:CreatTime>
    <dxp:MsgType>CEB513Message</dxp:MsgType>
  </dxp:TransInfo>
  <dxp:Data>)",
                      data, R"(</dxp:Data>
</dxp:DxpMsg>)");
}

// The message base64-encoded in lines of 76 characters, as MIME writers do, in a DxpMsg.
std::string InDxpMsg(const std::string& message) {
  std::string encoded = absl::Base64Escape(message);
  std::string lines;
  for (size_t i = 0; i < encoded.size(); i += 76) {
    absl::StrAppend(&lines, encoded.substr(i, 76), "\n");
  }
  return DxpMsg(lines);
}

// The one violation `status` carries, as "field reason: description".
std::string OnlyViolation(const absl::Status& status) {
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  auto v = errors::ViolationsOf(status);
  if (v.size() != 1) return absl::StrCat(v.size(), " violations: ", status.ToString());
  return absl::StrCat(v[0].field, " ", v[0].reason, ": ", v[0].description);
}

TEST(LogisticsWaybillStatusMessage, ReadsEachStatusAsAnEventOnBeijingTime) {
  auto batch = ReadWaybillStatusMessage(Ceb513({{"1101180326", "20251231235959"}}));
  ASSERT_TRUE(batch.ok()) << batch.status();
  EXPECT_EQ(batch->carrier_code(), "1101180326");
  ASSERT_EQ(batch->events_size(), 1);
  EXPECT_EQ(batch->events(0).event_code(), "S");
  EXPECT_EQ(batch->events(0).utc_offset_minutes(), 480);
  EXPECT_EQ(TimeUtil::ToString(batch->events(0).event_time()), "2025-12-31T15:59:59Z");
}

TEST(LogisticsWaybillStatusMessage, RefusesImpossibleTimesAndMixedCarriers) {
  auto bad = ReadWaybillStatusMessage(Ceb513({{"1101180326", "20250230120000"},
                                              {"1101180326", "2025123112"},
                                              {"9999999999", "20250101120000"}}));
  ASSERT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  auto v = errors::ViolationsOf(bad.status());
  ASSERT_EQ(v.size(), 3u) << bad.status();
  EXPECT_EQ(v[0].field, "xml.LogisticsStatus[0].logisticsTime");
  EXPECT_EQ(v[1].field, "xml.LogisticsStatus[1].logisticsTime");
  EXPECT_EQ(v[2].field, "xml.LogisticsStatus[2].logisticsCode");
  EXPECT_EQ(ReadWaybillStatusMessage(Ceb513({})).status().code(),
            absl::StatusCode::kInvalidArgument);
}

// A status without a carrier is no status of the next one's carrier, and a message whose
// statuses name none is a bad message (INVALID_ARGUMENT), not a carrier refused.
TEST(LogisticsWaybillStatusMessage, AStatusWithoutALogisticsCodeIsRefusedByPosition) {
  auto leading =
      ReadWaybillStatusMessage(Ceb513({{"", "20251231235959"}, {"1101180326", "20251231235959"}}));
  EXPECT_EQ(OnlyViolation(leading.status()),
            "xml.LogisticsStatus[0].logisticsCode REQUIRED: is required");
  auto none = ReadWaybillStatusMessage(Ceb513({{"", "20251231235959"}, {" ", "20251231235959"}}));
  ASSERT_EQ(none.status().code(), absl::StatusCode::kInvalidArgument) << none.status();
  auto v = errors::ViolationsOf(none.status());
  ASSERT_EQ(v.size(), 2u) << none.status();
  EXPECT_EQ(v[0].field, "xml.LogisticsStatus[0].logisticsCode");
  EXPECT_EQ(v[1].field, "xml.LogisticsStatus[1].logisticsCode");
  EXPECT_EQ(v[1].reason, "REQUIRED");
}

TEST(LogisticsWaybillStatusMessage, ReadsTheSameMessageInsideADxpMsgEnvelope) {
  const std::string bare =
      Ceb513({{"1101180326", "20251231235959"}, {"1101180326", "20260101080000"}});
  auto expected = ReadWaybillStatusMessage(bare);
  ASSERT_TRUE(expected.ok()) << expected.status();
  ASSERT_EQ(expected->events_size(), 2);

  const std::string envelope = InDxpMsg(bare);
  // A transfer node's DxpMsgSv wraps the DxpMsg once more.
  const std::string transfer = absl::StrCat(
      R"(<dxp:DxpMsgSv ver="1.0" xmlns:dxp="http://www.chinaport.gov.cn/dxp"><dxp:SvNo Ver="1.0">)",
      "<dxp:Sender>DXPLGS0000000001</dxp:Sender></dxp:SvNo>",
      envelope.substr(envelope.find("<dxp:DxpMsg ")), "</dxp:DxpMsgSv>");
  // Base64 on one line, without the line breaks, is the same.
  const std::string one_line = DxpMsg(absl::Base64Escape(bare));
  for (const std::string& input : {envelope, transfer, one_line}) {
    auto batch = ReadWaybillStatusMessage(input);
    ASSERT_TRUE(batch.ok()) << batch.status() << "\n" << input;
    EXPECT_EQ(batch->SerializeAsString(), expected->SerializeAsString()) << input;
  }
}

TEST(LogisticsWaybillStatusMessage, ABrokenEnvelopeIsInvalidArgumentSayingWhatIsWrong) {
  const std::string message = Ceb513({{"1101180326", "20251231235959"}});
  const std::vector<std::pair<std::string, std::string>> cases = {
      {DxpMsg("@@@ not base64 @@@"), "xml UNREADABLE: DxpMsg <Data> is not valid base64"},
      {DxpMsg(absl::StrCat(absl::Base64Escape(message), "%")),
       "xml UNREADABLE: DxpMsg <Data> is not valid base64"},
      {DxpMsg("  \n "), "xml UNREADABLE: DxpMsg <Data> is empty"},
      {DxpMsg(message),
       "xml UNREADABLE: DxpMsg <Data> holds the element <CEB513Message> in namespace "
       "http://www.chinaport.gov.cn/ceb; Data is xs:base64Binary, so the CEB message must be "
       "base64 text"},
      {R"(<dxp:DxpMsg ver="1.0" xmlns:dxp="http://www.chinaport.gov.cn/dxp"/>)",
       "xml UNREADABLE: DxpMsg has no <Data> element in namespace "
       "http://www.chinaport.gov.cn/dxp"},
      {R"(<dxp:DxpMsgSv ver="1.0" xmlns:dxp="http://www.chinaport.gov.cn/dxp"/>)",
       "xml UNREADABLE: DxpMsgSv holds no DxpMsg"},
      {DxpMsg(absl::Base64Escape("PK\x03\x04 zip bytes")),
       "xml UNREADABLE: DxpMsg <Data> is not well-formed XML"},
      {DxpMsg(absl::Base64Escape("<!DOCTYPE x [<!ENTITY a \"a\">]>" + message)),
       "xml UNREADABLE: DxpMsg <Data> has a DOCTYPE"},
      {"<dxp:DxpMsg xmlns:dxp=\"http://www.chinaport.gov.cn/dxp\"><dxp:Data>",
       "xml UNREADABLE: the message is not well-formed XML"},
      {"", "xml UNREADABLE: the message is empty"},
  };
  for (const auto& [input, expected] : cases) {
    auto batch = ReadWaybillStatusMessage(input);
    ASSERT_FALSE(batch.ok()) << input;
    EXPECT_EQ(OnlyViolation(batch.status()).substr(0, expected.size()), expected) << input;
  }
}

TEST(LogisticsWaybillStatusMessage, AnotherMessageTypeBareOrInsideTheEnvelopeIsRefusedByName) {
  const std::string ceb311 =
      R"(<ceb:CEB311Message guid="G" version="1.0" xmlns:ceb="http://www.chinaport.gov.cn/ceb">)"
      "<ceb:Order/></ceb:CEB311Message>";
  const std::string suffix =
      "; a waybill status message is a CEB513Message in namespace "
      "http://www.chinaport.gov.cn/ceb, bare or base64 in a DxpMsg envelope";
  EXPECT_EQ(OnlyViolation(ReadWaybillStatusMessage(InDxpMsg(ceb311)).status()),
            "xml MESSAGE_TYPE: DxpMsg <Data> holds <CEB311Message> in namespace "
            "http://www.chinaport.gov.cn/ceb" +
                suffix);
  EXPECT_EQ(OnlyViolation(ReadWaybillStatusMessage(ceb311).status()),
            "xml MESSAGE_TYPE: the root element is <CEB311Message> in namespace "
            "http://www.chinaport.gov.cn/ceb" +
                suffix);
  // The right name in no namespace is not the customs message either.
  EXPECT_EQ(OnlyViolation(ReadWaybillStatusMessage(InDxpMsg("<CEB513Message/>")).status()),
            "xml MESSAGE_TYPE: DxpMsg <Data> holds <CEB513Message> (no namespace)" + suffix);
  // An envelope inside the envelope is not unwrapped twice.
  EXPECT_EQ(OnlyViolation(ReadWaybillStatusMessage(InDxpMsg(InDxpMsg(Ceb513({})))).status()),
            "xml MESSAGE_TYPE: DxpMsg <Data> holds <DxpMsg> in namespace "
            "http://www.chinaport.gov.cn/dxp" +
                suffix);
}

TEST(LogisticsWaybillStatusMessage, TheStatusRulesApplyInsideTheEnvelopeToo) {
  auto bad = ReadWaybillStatusMessage(
      InDxpMsg(Ceb513({{"1101180326", "20250230120000"}, {"9999999999", "20250101120000"}})));
  auto v = errors::ViolationsOf(bad.status());
  ASSERT_EQ(v.size(), 2u) << bad.status();
  EXPECT_EQ(v[0].field, "xml.LogisticsStatus[0].logisticsTime");
  EXPECT_EQ(v[1].field, "xml.LogisticsStatus[1].logisticsCode");
  EXPECT_EQ(OnlyViolation(ReadWaybillStatusMessage(InDxpMsg(Ceb513({}))).status()),
            "xml REQUIRED: the message carries no LogisticsStatus");
}

TEST(LogisticsWaybillStatusMessage, AnOversizedEnvelopeIsResourceExhausted) {
  std::string big = DxpMsg(std::string(5 * 1024 * 1024, 'A'));
  EXPECT_EQ(ReadWaybillStatusMessage(big).status().code(), absl::StatusCode::kResourceExhausted);
}

}  // namespace
}  // namespace parkline::logistics
