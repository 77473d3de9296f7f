#include "declarations/personal_fields.h"

#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "samples/import_sets.h"

namespace parkline::declarations {
namespace {

// Every personal value of the sample set, as a stored byte string could hold it.
std::vector<std::string> PersonalValues(const samples::ImportSet& s) {
  return {s.order.buyer_name(),
          s.order.buyer_id_number(),
          s.order.buyer_telephone(),
          s.order.consignee_address(),
          s.payment.payer_name(),
          s.payment.payer_id_number(),
          s.waybill.consignee_telephone(),
          s.waybill.consignee_address()};
}

TEST(PersonalFields, TheRestOfEachDocumentHoldsNoPersonalValue) {
  samples::ImportSet s = samples::MakeImportSet(3);
  for (const auto& [kind, payload] : std::vector<std::pair<v1::DocumentKind, std::string>>{
           {v1::DOCUMENT_KIND_ORDER, s.order.SerializeAsString()},
           {v1::DOCUMENT_KIND_PAYMENT, s.payment.SerializeAsString()},
           {v1::DOCUMENT_KIND_WAYBILL, s.waybill.SerializeAsString()}}) {
    auto split = SplitPersonal(kind, payload);
    ASSERT_TRUE(split.ok()) << split.status();
    EXPECT_FALSE(split->personal.empty());
    for (const std::string& value : PersonalValues(s)) {
      ASSERT_FALSE(value.empty());
      EXPECT_FALSE(absl::StrContains(split->rest, value)) << v1::DocumentKind_Name(kind);
    }
  }
}

TEST(PersonalFields, JoiningThePartsGivesTheDocumentBackByteForByte) {
  samples::ImportSet s = samples::MakeImportSet(4);
  std::string order = s.order.SerializeAsString();
  auto split = SplitPersonal(v1::DOCUMENT_KIND_ORDER, order);
  ASSERT_TRUE(split.ok());
  auto joined = JoinPersonal(v1::DOCUMENT_KIND_ORDER, split->rest, split->personal);
  ASSERT_TRUE(joined.ok());
  EXPECT_EQ(*joined, order);
  v1::Order rest;
  ASSERT_TRUE(rest.ParseFromString(split->rest));
  EXPECT_EQ(rest.ebp_code(), s.order.ebp_code());  // the parties stay readable
  EXPECT_EQ(rest.buyer_id_type(), s.order.buyer_id_type());
  EXPECT_TRUE(rest.buyer_id_number().empty());
}

TEST(PersonalFields, WithoutThePersonalPartTheFieldsAreEmpty) {
  samples::ImportSet s = samples::MakeImportSet(5);
  auto split = SplitPersonal(v1::DOCUMENT_KIND_WAYBILL, s.waybill.SerializeAsString());
  ASSERT_TRUE(split.ok());
  auto erased = JoinPersonal(v1::DOCUMENT_KIND_WAYBILL, split->rest, "");
  ASSERT_TRUE(erased.ok());
  v1::Waybill w;
  ASSERT_TRUE(w.ParseFromString(*erased));
  EXPECT_TRUE(w.consignee().empty());
  EXPECT_EQ(w.logistics_no(), s.waybill.logistics_no());
}

TEST(PersonalFields, AReceiptHasNothingPersonal) {
  v1::Receipt r;
  r.set_order_no("R1");
  auto split = SplitPersonal(v1::DOCUMENT_KIND_RECEIPT, r.SerializeAsString());
  ASSERT_TRUE(split.ok());
  EXPECT_TRUE(split->personal.empty());
  EXPECT_EQ(split->rest, r.SerializeAsString());
}

TEST(PersonalFields, AnUnreadablePayloadIsDataLoss) {
  EXPECT_EQ(SplitPersonal(v1::DOCUMENT_KIND_ORDER, "\xff\xff").status().code(),
            absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace parkline::declarations
