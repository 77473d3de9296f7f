// The reviewed guidance book: it parses, covers every business mode in every direction customs
// has, cites the standard, and refuses pairs that do not exist.
#include "clearance/guidance.h"

#include <gtest/gtest.h>

namespace parkline::clearance {
namespace {

namespace dv1 = ::parkline::declarations::v1;

TEST(ClearanceGuidance, TheBookCoversEveryModeAndDirectionCustomsHas) {
  auto book = LoadGuidanceBook();
  ASSERT_TRUE(book.ok()) << book.status();
  const std::vector<std::pair<std::string, dv1::Direction>> procedures = {
      {"9610", dv1::DIRECTION_IMPORT}, {"1210", dv1::DIRECTION_IMPORT},
      {"1239", dv1::DIRECTION_IMPORT}, {"9610", dv1::DIRECTION_EXPORT},
      {"1210", dv1::DIRECTION_EXPORT}, {"9710", dv1::DIRECTION_EXPORT},
      {"9810", dv1::DIRECTION_EXPORT}};
  EXPECT_EQ(book->guidance_size(), static_cast<int>(procedures.size()));
  for (const auto& [mode, direction] : procedures) {
    auto g = FindGuidance(*book, mode, direction);
    ASSERT_TRUE(g.ok()) << mode << " " << g.status();
    EXPECT_FALSE(g->title().empty());
    EXPECT_GE(g->steps_size(), 3) << mode;
    EXPECT_NE(std::find(g->clauses().begin(), g->clauses().end(), "6.2.2"), g->clauses().end());
    for (const auto& step : g->steps()) {
      EXPECT_FALSE(step.actor().empty()) << mode << " " << step.title();
    }
    // Every receipt code the state machine knows has its meaning.
    EXPECT_GE(g->receipts_size(), 11);
    bool inventory_message = false;
    for (const auto& step : g->steps()) {
      for (const auto& m : step.messages()) {
        inventory_message |= m == (direction == dv1::DIRECTION_IMPORT ? "CEB621" : "CEB603");
      }
    }
    EXPECT_TRUE(inventory_message) << mode;
    if (direction == dv1::DIRECTION_EXPORT) {
      EXPECT_GT(g->refund_requirements_size(), 0) << mode;
    }
  }
}

TEST(ClearanceGuidance, PairsCustomsDoesNotHaveAreNotFoundAndBadInputIsInvalid) {
  auto book = LoadGuidanceBook();
  ASSERT_TRUE(book.ok());
  EXPECT_EQ(FindGuidance(*book, "9710", dv1::DIRECTION_IMPORT).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(FindGuidance(*book, "1239", dv1::DIRECTION_EXPORT).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(FindGuidance(*book, "0110", dv1::DIRECTION_IMPORT).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FindGuidance(*book, "9610", dv1::DIRECTION_UNSPECIFIED).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseGuidanceBook("guidance { nonsense: 1 }").status().code(),
            absl::StatusCode::kInternal);
}

}  // namespace
}  // namespace parkline::clearance
