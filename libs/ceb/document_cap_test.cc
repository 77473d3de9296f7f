// The cap on documents per message (CebReadOptions::max_documents): reading stops at the first
// document beyond it, whatever kind of document the message carries. Built from what WriteCeb311
// writes and small hand-written messages, so it needs none of customs' reference files.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "ceb/ceb_reader.h"

namespace parkline::ceb {
namespace {

using ::parkline::declarations::v1::Order;

std::vector<Order> Orders(int n) {
  std::vector<Order> orders;
  for (int i = 0; i < n; ++i) {
    Order order;
    order.set_direction(declarations::v1::DIRECTION_IMPORT);
    order.set_app_type(declarations::v1::APP_TYPE_NEW);
    order.set_order_no(absl::StrCat("O-", i));
    orders.push_back(order);
  }
  return orders;
}

// A CEB403 message of `n` receipts.
std::string Receipts(int n) {
  std::string xml =
      R"(<ceb:CEB403Message xmlns:ceb="http://www.chinaport.gov.cn/ceb" guid="M-403">)";
  for (int i = 0; i < n; ++i) {
    absl::StrAppend(&xml, "<ceb:Receipts><ceb:orderNo>R-", i, "</ceb:orderNo></ceb:Receipts>");
  }
  return xml + "</ceb:CEB403Message>";
}

TEST(CebDocumentCap, AMessageAtTheCapIsReadWhole) {
  auto read = ReadCebMessage(WriteCeb311(Orders(3), "M-1"), {3});
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->orders_size(), 3);
  auto receipts = ReadCebMessage(Receipts(3), {3});
  ASSERT_TRUE(receipts.ok()) << receipts.status();
  EXPECT_EQ(receipts->receipts_size(), 3);
}

TEST(CebDocumentCap, OneDocumentBeyondTheCapIsRefusedNamingTheCapAndTheDocument) {
  auto read = ReadCebMessage(WriteCeb311(Orders(4), "M-1"), {3});
  ASSERT_EQ(read.status().code(), absl::StatusCode::kInvalidArgument) << read.status();
  EXPECT_NE(read.status().message().find("CEB311 message carries more than 3 documents (Order 4"),
            std::string::npos)
      << read.status();
  EXPECT_NE(read.status().message().find("max_message_documents"), std::string::npos);

  auto receipts = ReadCebMessage(Receipts(4), {3});
  ASSERT_EQ(receipts.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(receipts.status().message().find("more than 3 documents (Receipts 4"),
            std::string::npos)
      << receipts.status();
}

// The count is checked before a document is read: a broken field in the first document beyond
// the cap is never reached, so the sender hears about the count, and no time goes into reading
// documents that will be thrown away.
TEST(CebDocumentCap, ReadingStopsBeforeTheFirstDocumentBeyondTheCap) {
  std::string xml = WriteCeb311(Orders(3), "M-1");
  std::string broken =
      "<ceb:Order><ceb:OrderHead><ceb:appType>not a number</ceb:appType></ceb:OrderHead>"
      "</ceb:Order></ceb:CEB311Message>";
  xml = absl::StrReplaceAll(xml, {{"</ceb:CEB311Message>", broken}});
  auto uncapped = ReadCebMessage(xml, {10});
  ASSERT_EQ(uncapped.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(uncapped.status().message().find("appType"), std::string::npos) << uncapped.status();

  auto capped = ReadCebMessage(xml, {3});
  ASSERT_EQ(capped.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(capped.status().message().find("more than 3 documents"), std::string::npos)
      << capped.status();
  EXPECT_EQ(capped.status().message().find("appType"), std::string::npos) << capped.status();
}

TEST(CebDocumentCap, TheDefaultCapIsTheLibrarys) {
  EXPECT_EQ(CebReadOptions().max_documents, kDefaultMaxCebDocuments);
  EXPECT_TRUE(ReadCebMessage(WriteCeb311(Orders(kDefaultMaxCebDocuments), "M-1")).ok());
  EXPECT_EQ(ReadCebMessage(WriteCeb311(Orders(kDefaultMaxCebDocuments + 1), "M-1")).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace parkline::ceb
