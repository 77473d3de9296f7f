// The receipt state machine on every receipt sequence the specification describes, in every
// arrival order, and on the sequences it does not allow.
#include "clearance/receipt_state_machine.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace parkline::clearance {
namespace {

using S = v1::CaseStatus;

// Receipts one second apart, in the order given.
std::vector<ReceiptCode> Timed(const std::vector<int>& codes) {
  std::vector<ReceiptCode> out;
  for (size_t i = 0; i < codes.size(); ++i) {
    out.push_back({codes[i], static_cast<int64_t>(i + 1) * 1000000});
  }
  return out;
}

struct Sequence {
  std::vector<int> codes;
  S final;
  bool inspected;
};

// Every path the specification's returnStatus list gives an inventory (2.12.4 / 3.10.4).
const std::vector<Sequence>& SpecifiedSequences() {
  static const auto* sequences = new std::vector<Sequence>{
      {{2}, v1::CASE_STATUS_DECLARING, false},
      {{2, 120}, v1::CASE_STATUS_ACCEPTED, false},
      {{2, 120, 399}, v1::CASE_STATUS_CONCLUDED, false},
      {{2, 120, 399, 800}, v1::CASE_STATUS_RELEASED, false},
      {{2, 120, 399, 800, 899}, v1::CASE_STATUS_CLOSED, false},
      {{2, 120, 300, 399, 800}, v1::CASE_STATUS_RELEASED, false},
      {{2, 120, 300, 399, 800, 899}, v1::CASE_STATUS_CLOSED, false},
      {{2, 120, 399, 500, 800}, v1::CASE_STATUS_RELEASED, true},
      {{2, 120, 399, 500, 800, 899}, v1::CASE_STATUS_CLOSED, true},
      {{2, 120, 399, 500, 501, 800}, v1::CASE_STATUS_RELEASED, true},
      {{2, 120, 399, 501, 800}, v1::CASE_STATUS_RELEASED, true},
      {{2, 120, 399, 500, 502, 503, 800}, v1::CASE_STATUS_RELEASED, true},
      {{2, 120, 399, 500, 599, 700}, v1::CASE_STATUS_RETURNED, true},
      {{2, 120, 399, 500, 700}, v1::CASE_STATUS_RETURNED, true},
      {{2, 120, 399, 700}, v1::CASE_STATUS_RETURNED, false},
      {{2, 120, 300, 399, 500, 501, 800, 899}, v1::CASE_STATUS_CLOSED, true},
      {{100}, v1::CASE_STATUS_REJECTED, false},
      {{2, 100}, v1::CASE_STATUS_REJECTED, false},
      {{2, 120, 100}, v1::CASE_STATUS_REJECTED, false},
      {{2, 120, 300, 100}, v1::CASE_STATUS_REJECTED, false},
      {{-621005}, v1::CASE_STATUS_ERROR, false},
      {{2, -621018}, v1::CASE_STATUS_ERROR, false},
      {{2, 120, -1}, v1::CASE_STATUS_ERROR, false},
      // Customs sends 300, 500, 501..599 only when they happen, and a receipt can be lost.
      {{120, 399, 800}, v1::CASE_STATUS_RELEASED, false},
      {{2, 399, 800}, v1::CASE_STATUS_RELEASED, false},
      {{2, 120, 800}, v1::CASE_STATUS_RELEASED, false},
      // The same code again, with a new time, leaves the case where it is.
      {{2, 2, 120, 120, 399, 800, 800}, v1::CASE_STATUS_RELEASED, false},
  };
  return *sequences;
}

TEST(ClearanceStateMachine, EveryCodeMapsToItsStatus) {
  EXPECT_EQ(*StatusOfCode(2), v1::CASE_STATUS_DECLARING);
  EXPECT_EQ(*StatusOfCode(100), v1::CASE_STATUS_REJECTED);
  EXPECT_EQ(*StatusOfCode(120), v1::CASE_STATUS_ACCEPTED);
  EXPECT_EQ(*StatusOfCode(300), v1::CASE_STATUS_MANUAL_REVIEW);
  EXPECT_EQ(*StatusOfCode(399), v1::CASE_STATUS_CONCLUDED);
  EXPECT_EQ(*StatusOfCode(500), v1::CASE_STATUS_INSPECTION);
  for (int code = 501; code <= 599; ++code) {
    EXPECT_EQ(*StatusOfCode(code), v1::CASE_STATUS_DETAINED) << code;
  }
  EXPECT_EQ(*StatusOfCode(700), v1::CASE_STATUS_RETURNED);
  EXPECT_EQ(*StatusOfCode(800), v1::CASE_STATUS_RELEASED);
  EXPECT_EQ(*StatusOfCode(899), v1::CASE_STATUS_CLOSED);
  EXPECT_EQ(*StatusOfCode(-1), v1::CASE_STATUS_ERROR);
  EXPECT_EQ(*StatusOfCode(-621005), v1::CASE_STATUS_ERROR);
}

TEST(ClearanceStateMachine, CodesCustomsDoesNotSendAreInvalid) {
  // 1, 3, 4 are the e-Port's own results, not customs' receipts; the rest are not defined.
  for (int code : {0, 1, 3, 4, 99, 101, 121, 301, 400, 600, 701, 801, 900, 1000}) {
    EXPECT_EQ(StatusOfCode(code).status().code(), absl::StatusCode::kInvalidArgument) << code;
    EXPECT_EQ(CheckTransition(v1::CASE_STATUS_CREATED, code).code(),
              absl::StatusCode::kInvalidArgument)
        << code;
  }
  EXPECT_EQ(ParseReturnStatus("12O").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseReturnStatus("").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(*ParseReturnStatus(" -621005 "), -621005);
}

TEST(ClearanceStateMachine, EverySpecifiedSequenceEndsWhereItShould) {
  for (const Sequence& s : SpecifiedSequences()) {
    auto replay = ReplayReceipts(Timed(s.codes));
    ASSERT_TRUE(replay.ok()) << ::testing::PrintToString(s.codes) << ": " << replay.status();
    EXPECT_EQ(replay->status, s.final) << ::testing::PrintToString(s.codes);
    EXPECT_EQ(replay->inspected, s.inspected) << ::testing::PrintToString(s.codes);
    EXPECT_EQ(replay->steps.size(), s.codes.size());
    EXPECT_EQ(replay->steps.front().before, v1::CASE_STATUS_CREATED);
    for (size_t i = 1; i < replay->steps.size(); ++i) {
      EXPECT_EQ(replay->steps[i].before, replay->steps[i - 1].after);
    }
  }
}

TEST(ClearanceStateMachine, ReceiptsArrivingInAnyOrderAreOrderedByReturnTime) {
  for (const Sequence& s : SpecifiedSequences()) {
    std::vector<ReceiptCode> receipts = Timed(s.codes);
    std::vector<size_t> order(receipts.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    do {
      std::vector<ReceiptCode> arrived;
      for (size_t i : order) arrived.push_back(receipts[i]);
      auto replay = ReplayReceipts(arrived);
      ASSERT_TRUE(replay.ok()) << ::testing::PrintToString(s.codes);
      EXPECT_EQ(replay->status, s.final);
    } while (std::next_permutation(order.begin(), order.end()));
  }
}

// One receipt at a time, as the gateway delivers them: a receipt that comes before the one it
// needs (899 before 800) is refused and sent again later; whatever the arrival order, the case
// ends where the sequence says.
TEST(ClearanceStateMachine, OneAtATimeInAnyArrivalOrderWithRetriesConverges) {
  for (const Sequence& s : SpecifiedSequences()) {
    std::vector<ReceiptCode> receipts = Timed(s.codes);
    std::vector<size_t> order(receipts.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    do {
      std::vector<ReceiptCode> accepted;
      std::vector<size_t> waiting(order.begin(), order.end());
      bool progress = true;
      while (!waiting.empty() && progress) {
        progress = false;
        for (auto it = waiting.begin(); it != waiting.end();) {
          std::vector<ReceiptCode> attempt = accepted;
          attempt.push_back(receipts[*it]);
          if (ReplayReceipts(attempt).ok()) {
            accepted = attempt;
            it = waiting.erase(it);
            progress = true;
          } else {
            ++it;
          }
        }
      }
      ASSERT_TRUE(waiting.empty()) << ::testing::PrintToString(s.codes);
      EXPECT_EQ(ReplayReceipts(accepted)->status, s.final);
    } while (std::next_permutation(order.begin(), order.end()));
  }
}

TEST(ClearanceStateMachine, AnExactDuplicateChangesNothing) {
  auto once = ReplayReceipts(Timed({2, 120, 399}));
  auto receipts = Timed({2, 120, 399});
  receipts.push_back(receipts[1]);
  auto twice = ReplayReceipts(receipts);
  ASSERT_TRUE(twice.ok());
  EXPECT_EQ(twice->status, once->status);
  EXPECT_EQ(twice->steps.size(), once->steps.size());
}

TEST(ClearanceStateMachine, TransitionsTheSequenceDoesNotAllowAreFailedPrecondition) {
  const std::vector<std::vector<int>> impossible = {
      {2, 120, 399, 800, 120},       // backwards after release
      {2, 120, 399, 120},            // backwards
      {2, 120, 399, 300},            // manual review after conclusion
      {2, 120, 399, 800, 500},       // inspection after release
      {2, 120, 399, 899},            // closed without release
      {2, 120, 399, 100},            // rejected after conclusion
      {2, 120, 399, 800, 100},       // rejected after release
      {2, 120, 700},                 // returned before conclusion
      {2, 120, 399, 800, 700},       // returned after release
      {2, 120, 399, -621005},        // an error after examination
      {2, 100, 120},                 // anything after a rejection
      {2, 100, 100},                 //
      {2, 120, 399, 700, 800},       // anything after a return
      {2, 120, 399, 800, 899, 800},  // anything after closing
      {-621005, 2},                  // anything after an error
  };
  for (const auto& codes : impossible) {
    auto replay = ReplayReceipts(Timed(codes));
    EXPECT_EQ(replay.status().code(), absl::StatusCode::kFailedPrecondition)
        << ::testing::PrintToString(codes);
  }
  auto s = CheckTransition(v1::CASE_STATUS_RELEASED, 120);
  EXPECT_EQ(s.message(), "return_status: 120 (ACCEPTED) cannot follow RELEASED");
}

TEST(ClearanceStateMachine, TiesInReturnTimeFollowCustomsOrder) {
  std::vector<ReceiptCode> same_time = {{800, 5}, {399, 5}, {2, 5}, {120, 5}};
  auto replay = ReplayReceipts(same_time);
  ASSERT_TRUE(replay.ok()) << replay.status();
  EXPECT_EQ(replay->status, v1::CASE_STATUS_RELEASED);
}

TEST(ClearanceStateMachine, FinalStatuses) {
  for (S s : {v1::CASE_STATUS_CLOSED, v1::CASE_STATUS_REJECTED, v1::CASE_STATUS_RETURNED,
              v1::CASE_STATUS_ERROR}) {
    EXPECT_TRUE(IsFinal(s)) << StatusName(s);
  }
  for (S s : {v1::CASE_STATUS_CREATED, v1::CASE_STATUS_DECLARING, v1::CASE_STATUS_RELEASED,
              v1::CASE_STATUS_DETAINED}) {
    EXPECT_FALSE(IsFinal(s)) << StatusName(s);
  }
}

}  // namespace
}  // namespace parkline::clearance
