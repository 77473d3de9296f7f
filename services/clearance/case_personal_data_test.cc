#include "clearance/case_personal_data.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "absl/strings/match.h"
#include "clearance/buyer_privacy.h"
#include "clearance/receipt_state_machine.h"

namespace parkline::clearance {
namespace {

v1::ClearanceCase ACase() {
  v1::ClearanceCase c;
  c.set_case_id("8A1B2C3D-0000-0000-0000-000000000001");
  c.set_status(v1::CASE_STATUS_CREATED);
  v1::Inventory* i = c.mutable_inventory();
  i->set_ebc_code("3301960002");
  i->set_buyer_id_type("1");
  i->set_buyer_id_number("110101199003070014");
  i->set_buyer_name("张三丰");
  i->set_buyer_telephone("13800138000");
  i->set_consignee_address("浙江省杭州市西湖区文三路 1 号");
  i->add_lines()->set_gname("tea");
  return c;
}

std::vector<std::string> Identity(const v1::Inventory& i) {
  return {i.buyer_id_number(), i.buyer_name(), i.buyer_telephone(), i.consignee_address()};
}

TEST(CasePersonalData, TheRestOfACaseHoldsNoneOfTheBuyersIdentity) {
  v1::ClearanceCase c = ACase();
  auto split = SplitCasePersonal(c);
  ASSERT_TRUE(split.ok()) << split.status();
  EXPECT_FALSE(split->personal.empty());
  for (const std::string& value : Identity(c.inventory())) {
    EXPECT_FALSE(absl::StrContains(split->rest, value)) << value;
  }
  // What is not personal stays in the part stored in clear.
  EXPECT_TRUE(absl::StrContains(split->rest, "3301960002"));
  EXPECT_TRUE(absl::StrContains(split->rest, "tea"));
}

TEST(CasePersonalData, JoiningThePartsGivesTheCaseBackByteForByte) {
  v1::ClearanceCase c = ACase();
  auto split = SplitCasePersonal(c);
  ASSERT_TRUE(split.ok());
  auto joined = JoinCasePersonal(split->rest, split->personal);
  ASSERT_TRUE(joined.ok()) << joined.status();
  EXPECT_EQ(joined->SerializeAsString(), c.SerializeAsString());
}

TEST(CasePersonalData, AnErasedCaseReadsWithItsIdentityEmptyAndEverythingElseKept) {
  v1::ClearanceCase c = ACase();
  auto split = SplitCasePersonal(c);
  ASSERT_TRUE(split.ok());
  auto erased = JoinCasePersonal(split->rest, "");
  ASSERT_TRUE(erased.ok());
  for (const std::string& value : Identity(erased->inventory())) EXPECT_EQ(value, "");
  EXPECT_EQ(erased->inventory().buyer_id_type(), "1");
  EXPECT_EQ(erased->inventory().lines(0).gname(), "tea");
  EXPECT_EQ(erased->case_id(), c.case_id());
}

TEST(CasePersonalData, ACaseWithoutIdentityHasNothingToSeal) {
  v1::ClearanceCase c;
  c.set_case_id("X");
  c.mutable_inventory()->set_ebc_code("3301960002");
  auto split = SplitCasePersonal(c);
  ASSERT_TRUE(split.ok());
  EXPECT_TRUE(split->personal.empty());
}

TEST(CasePersonalData, ThePartReadsAsNothingElseThanACase) {
  EXPECT_EQ(JoinCasePersonal("\xff\xff", "").status().code(), absl::StatusCode::kDataLoss);
}

TEST(CasePersonalData, EveryFieldSealedIsOneTheMaskHidesAndTheReverse) {
  // The fields sealed at rest and the fields masked for other viewers are the same four.
  v1::ClearanceCase c = ACase();
  v1::Inventory masked = c.inventory();
  MaskBuyerIdentity(masked);
  auto split = SplitCasePersonal(c);
  ASSERT_TRUE(split.ok());
  auto rest = JoinCasePersonal(split->rest, "");
  ASSERT_TRUE(rest.ok());
  const auto* d = v1::Inventory::descriptor();
  for (int f = 0; f < d->field_count(); ++f) {
    const auto* field = d->field(f);
    if (field->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_STRING) continue;
    const auto* r = c.inventory().GetReflection();
    bool changed_by_mask = r->GetString(c.inventory(), field) != r->GetString(masked, field);
    bool sealed = r->GetString(c.inventory(), field) != r->GetString(rest->inventory(), field);
    EXPECT_EQ(changed_by_mask, sealed) << field->name();
  }
}

TEST(CasePersonalData, PersonalDataEndsWithEveryFinalStatusAndWithRelease) {
  const auto& ending = StatusesEndingPersonalData();
  for (int s = v1::CaseStatus_MIN; s <= v1::CaseStatus_MAX; ++s) {
    auto status = static_cast<v1::CaseStatus>(s);
    if (!v1::CaseStatus_IsValid(s)) continue;
    bool ends = std::find(ending.begin(), ending.end(), status) != ending.end();
    EXPECT_EQ(ends, IsFinal(status) || status == v1::CASE_STATUS_RELEASED) << StatusName(status);
  }
}

TEST(CasePersonalData, CustomsQuotingTheIdentityIsRedacted) {
  v1::ClearanceCase c = ACase();
  std::string info =
      "[Code:13102;Desc:订购人张三丰(110101199003070014)身份信息不符,电话13800138000]";
  std::string redacted = RedactIdentity(info, c.inventory());
  for (const std::string& value : Identity(c.inventory())) {
    EXPECT_FALSE(absl::StrContains(redacted, value)) << value;
  }
  EXPECT_TRUE(absl::StrContains(redacted, "[Code:13102;Desc:订购人张**"));
  EXPECT_TRUE(absl::StrContains(redacted, "**************0014"));
  EXPECT_EQ(RedactIdentity("[Code:2600;Desc:放行]", c.inventory()), "[Code:2600;Desc:放行]");
  EXPECT_EQ(RedactIdentity("anything", v1::Inventory()), "anything");
}

}  // namespace
}  // namespace parkline::clearance
