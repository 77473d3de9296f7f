#include "paging/page.h"

#include <gtest/gtest.h>

#include "absl/strings/escaping.h"

namespace parkline::paging {
namespace {

common::v1::PageRequest Request(int size, const std::string& token = "") {
  common::v1::PageRequest request;
  request.set_page_size(size);
  request.set_page_token(token);
  return request;
}

// The one violation `v` holds, as "field REASON".
std::string Only(const errors::Violations& v) {
  if (v.list().size() != 1) return "violations: " + std::to_string(v.list().size());
  return v.list()[0].field + " " + v.list()[0].reason;
}

TEST(ReadPage, SizeZeroIsTheDefaultAndNoTokenIsTheFirstPage) {
  errors::Violations v;
  Page page = ReadPage(Request(0), v);
  EXPECT_TRUE(v.empty());
  EXPECT_EQ(page.size, kDefaultPageSize);
  EXPECT_EQ(page.limit(), kDefaultPageSize + 1);
  EXPECT_TRUE(page.first());
  EXPECT_EQ(page.AfterPart(0), "");
}

TEST(ReadPage, SizesOutsideZeroToTheMaximumAreRefused) {
  for (int size : {-1, kMaxPageSize + 1}) {
    errors::Violations v;
    ReadPage(Request(size), v);
    EXPECT_EQ(Only(v), "page.page_size RANGE") << size;
    EXPECT_EQ(v.list()[0].description, "must be 0..500");
  }
  errors::Violations v;
  EXPECT_EQ(ReadPage(Request(kMaxPageSize), v).size, kMaxPageSize);
  EXPECT_TRUE(v.empty());
}

TEST(ReadPage, ATokenItMadeReadsBackAsTheKey) {
  KeyFormat pair{2, '|', true};
  errors::Violations v;
  Page page = ReadPage(Request(10, TokenAfter({"1712345678000000", "CMP|7"}, pair)), v, pair);
  EXPECT_TRUE(v.empty());
  EXPECT_EQ(page.size, 10);
  EXPECT_EQ(page.after, (Key{"1712345678000000", "CMP|7"}));  // the last part keeps its '|'
  EXPECT_EQ(page.after_number, 1712345678000000);

  page = ReadPage(Request(0, TokenAfter({"91350100M000100Y43"})), v);
  EXPECT_TRUE(v.empty());
  EXPECT_EQ(page.AfterPart(0), "91350100M000100Y43");
}

TEST(ReadPage, TokensNotMadeInTheFormatAreRefused) {
  KeyFormat pair{2, '/', true};
  for (const std::string& token :
       {std::string("not base64!"), absl::WebSafeBase64Escape("no-separator"),
        absl::WebSafeBase64Escape("not-a-number/K-1")}) {
    errors::Violations v;
    Page page = ReadPage(Request(0, token), v, pair);
    EXPECT_EQ(Only(v), "page.page_token PAGE_TOKEN") << token;
    EXPECT_EQ(v.list()[0].description, "is not a token this service returned");
    EXPECT_TRUE(page.first());
  }
}

TEST(ReadPage, ABadSizeAndABadTokenAreBothReported) {
  errors::Violations v;
  ReadPage(Request(-5, "%%"), v);
  ASSERT_EQ(v.list().size(), 2u);
  EXPECT_EQ(v.list()[0].field, "page.page_size");
  EXPECT_EQ(v.list()[1].field, "page.page_token");
}

TEST(NextPageToken, AnExtraItemMeansAnotherPageAfterTheLastKept) {
  std::vector<std::string> fetched = {"a", "b", "c"};
  std::string token = NextPageToken(fetched, 2, [](const std::string& s) { return Key{s}; });
  EXPECT_EQ(fetched, (std::vector<std::string>{"a", "b"}));
  errors::Violations v;
  EXPECT_EQ(ReadPage(Request(2, token), v).AfterPart(0), "b");
}

TEST(NextPageToken, NoExtraItemIsTheLastPage) {
  std::vector<std::string> fetched = {"a", "b"};
  EXPECT_EQ(NextPageToken(fetched, 2, [](const std::string& s) { return Key{s}; }), "");
  EXPECT_EQ(fetched.size(), 2u);
}

}  // namespace
}  // namespace parkline::paging
