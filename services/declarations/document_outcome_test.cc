#include "declarations/document_outcome.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace parkline::declarations {
namespace {

constexpr char kKey[] = "31109600M1/ORD-1";
constexpr char kContent[] = "content";
constexpr char kOtherContent[] = "other content";

ArrivingDocument Arriving(v1::AppType app_type, absl::string_view payload = kContent,
                          v1::DocumentKind kind = v1::DOCUMENT_KIND_PAYMENT) {
  return ArrivingDocument{kind, kKey, "payment", app_type, payload};
}

std::optional<StoredDocument> Live(std::string payload = kContent) {
  return StoredDocument{std::move(payload), false};
}

std::optional<StoredDocument> Withdrawn() { return StoredDocument{kContent, true}; }

std::optional<StoredDocument> Nothing() { return std::nullopt; }

bool Mentions(const absl::Status& status, absl::string_view text) {
  return status.message().find(text) != absl::string_view::npos;
}

TEST(DocumentOutcome, ANewDocumentWithNothingStoredIsAccepted) {
  EXPECT_EQ(*DocumentOutcomeOf(Arriving(v1::APP_TYPE_NEW), Nothing(), false),
            v1::DOCUMENT_OUTCOME_ACCEPTED);
}

TEST(DocumentOutcome, ANewDocumentAfterAWithdrawalIsAcceptedAgain) {
  EXPECT_EQ(*DocumentOutcomeOf(Arriving(v1::APP_TYPE_NEW), Withdrawn(), false),
            v1::DOCUMENT_OUTCOME_ACCEPTED);
}

TEST(DocumentOutcome, ANewDocumentResentWithTheSameContentIsADuplicate) {
  EXPECT_EQ(*DocumentOutcomeOf(Arriving(v1::APP_TYPE_NEW), Live(), true),
            v1::DOCUMENT_OUTCOME_DUPLICATE);
}

TEST(DocumentOutcome, ANewDocumentWithOtherContentThanTheLiveOneAlreadyExists) {
  auto outcome = DocumentOutcomeOf(Arriving(v1::APP_TYPE_NEW), Live(kOtherContent), false);
  EXPECT_EQ(outcome.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_TRUE(Mentions(outcome.status(), "DOCUMENT_KIND_PAYMENT 31109600M1/ORD-1"))
      << outcome.status();
  EXPECT_TRUE(Mentions(outcome.status(), "send appType 2")) << outcome.status();
}

TEST(DocumentOutcome, AChangeWithOtherContentIsChanged) {
  EXPECT_EQ(*DocumentOutcomeOf(Arriving(v1::APP_TYPE_CHANGE), Live(kOtherContent), false),
            v1::DOCUMENT_OUTCOME_CHANGED);
}

TEST(DocumentOutcome, AChangeWithTheSameContentIsADuplicateEvenWhenMatched) {
  EXPECT_EQ(*DocumentOutcomeOf(Arriving(v1::APP_TYPE_CHANGE), Live(), true),
            v1::DOCUMENT_OUTCOME_DUPLICATE);
}

TEST(DocumentOutcome, AChangeOfNothingLiveIsRefused) {
  for (const auto& stored : {Nothing(), Withdrawn()}) {
    auto outcome = DocumentOutcomeOf(Arriving(v1::APP_TYPE_CHANGE), stored, false);
    EXPECT_EQ(outcome.status().code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_TRUE(Mentions(outcome.status(), "no DOCUMENT_KIND_PAYMENT 31109600M1/ORD-1 to change"))
        << outcome.status();
  }
}

TEST(DocumentOutcome, AChangeToAMatchedDeclarationIsRefused) {
  auto outcome = DocumentOutcomeOf(Arriving(v1::APP_TYPE_CHANGE), Live(kOtherContent), true);
  EXPECT_EQ(outcome.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(Mentions(outcome.status(), "matched declaration and cannot change"))
      << outcome.status();
}

TEST(DocumentOutcome, AWithdrawalOfALiveDocumentIsWithdrawn) {
  EXPECT_EQ(*DocumentOutcomeOf(Arriving(v1::APP_TYPE_WITHDRAW, ""), Live(), false),
            v1::DOCUMENT_OUTCOME_WITHDRAWN);
}

TEST(DocumentOutcome, AWithdrawalOfAMatchedOrderIsWithdrawn) {
  auto order = Arriving(v1::APP_TYPE_WITHDRAW, kContent, v1::DOCUMENT_KIND_ORDER);
  EXPECT_EQ(*DocumentOutcomeOf(order, Live(), true), v1::DOCUMENT_OUTCOME_WITHDRAWN);
}

TEST(DocumentOutcome, AWithdrawalRepeatedIsADuplicateEvenWhenMatched) {
  EXPECT_EQ(*DocumentOutcomeOf(Arriving(v1::APP_TYPE_WITHDRAW), Withdrawn(), true),
            v1::DOCUMENT_OUTCOME_DUPLICATE);
}

TEST(DocumentOutcome, AWithdrawalOfNothingStoredIsRefused) {
  auto outcome = DocumentOutcomeOf(Arriving(v1::APP_TYPE_WITHDRAW), Nothing(), false);
  EXPECT_EQ(outcome.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(Mentions(outcome.status(), "no DOCUMENT_KIND_PAYMENT 31109600M1/ORD-1 to withdraw"))
      << outcome.status();
}

TEST(DocumentOutcome, AWithdrawalOfAMatchedPartnerOfTheOrderIsRefused) {
  for (v1::DocumentKind kind :
       {v1::DOCUMENT_KIND_PAYMENT, v1::DOCUMENT_KIND_RECEIPT, v1::DOCUMENT_KIND_WAYBILL}) {
    auto outcome = DocumentOutcomeOf(Arriving(v1::APP_TYPE_WITHDRAW, kContent, kind), Live(), true);
    EXPECT_EQ(outcome.status().code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_TRUE(Mentions(outcome.status(), "withdraw the order instead")) << outcome.status();
  }
}

TEST(DocumentOutcome, AnyOtherAppTypeIsInvalidAndNamesTheField) {
  auto outcome = DocumentOutcomeOf(Arriving(v1::APP_TYPE_UNSPECIFIED), Live(), false);
  EXPECT_EQ(outcome.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(outcome.status().message(), "payment.app_type: must be 1, 2 or 3");
}

}  // namespace
}  // namespace parkline::declarations
