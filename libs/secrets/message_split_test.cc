#include "secrets/message_split.h"

#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "parkline/clearance/v1/clearance.pb.h"

namespace parkline::secrets {
namespace {

using clearance::v1::ClearanceCase;

const std::vector<std::string>& Paths() {
  static const auto* paths =
      new std::vector<std::string>{"inventory.buyer_name", "inventory.buyer_id_number"};
  return *paths;
}

ClearanceCase ACase() {
  ClearanceCase c;
  c.set_case_id("C-1");
  c.mutable_inventory()->set_ebc_code("3301960002");
  c.mutable_inventory()->set_buyer_name("张三丰");
  c.mutable_inventory()->set_buyer_id_number("110101199003070014");
  c.mutable_inventory()->add_lines()->set_gname("tea");
  return c;
}

TEST(MessageSplit, TheRestHoldsNoneOfTheCutValuesAndTheCutNothingElse) {
  ClearanceCase c = ACase();
  auto cut = CutFields(c, Paths());
  ASSERT_TRUE(cut.ok()) << cut.status();
  std::string rest = c.SerializeAsString();
  EXPECT_FALSE(absl::StrContains(rest, "张三丰"));
  EXPECT_FALSE(absl::StrContains(rest, "110101199003070014"));
  EXPECT_TRUE(c.inventory().buyer_name().empty());
  EXPECT_EQ(c.inventory().ebc_code(), "3301960002");
  ClearanceCase only;
  ASSERT_TRUE(only.ParseFromString(*cut));
  EXPECT_EQ(only.inventory().buyer_name(), "张三丰");
  EXPECT_TRUE(only.case_id().empty());
  EXPECT_EQ(only.inventory().lines_size(), 0);
}

TEST(MessageSplit, JoiningTheCutBackGivesTheMessageByteForByte) {
  const ClearanceCase original = ACase();
  ClearanceCase c = original;
  auto cut = CutFields(c, Paths());
  ASSERT_TRUE(cut.ok());
  ASSERT_TRUE(JoinFields(c, *cut).ok());
  EXPECT_EQ(c.SerializeAsString(), original.SerializeAsString());
}

TEST(MessageSplit, NothingToCutIsAnEmptyCutAndAMissingParentIsNotCreated) {
  ClearanceCase c;
  c.set_case_id("C-2");
  auto cut = CutFields(c, Paths());
  ASSERT_TRUE(cut.ok());
  EXPECT_TRUE(cut->empty());
  EXPECT_FALSE(c.has_inventory());
  ASSERT_TRUE(JoinFields(c, "").ok());
  EXPECT_EQ(c.case_id(), "C-2");
}

TEST(MessageSplit, APathThatIsNotASingularStringFieldIsRefusedNamingIt) {
  ClearanceCase c = ACase();
  for (const char* bad : {"inventory.lines", "inventory", "no_such_field", "status"}) {
    auto cut = CutFields(c, {std::string(bad)});
    EXPECT_EQ(cut.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_TRUE(absl::StrContains(cut.status().message(), bad));
  }
}

TEST(MessageSplit, ACutThatDoesNotParseIsDataLoss) {
  ClearanceCase c;
  EXPECT_EQ(JoinFields(c, "\xff\xff\xff").code(), absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace parkline::secrets
