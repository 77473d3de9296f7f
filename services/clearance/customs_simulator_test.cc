// The simulated customs: what it answers is a pure function of the seed and the case, follows
// the receipt state machine, and honours the rates and the delay; the running simulator delivers
// each planned receipt when due.
#include "clearance/customs_simulator.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "clearance/receipt_state_machine.h"

namespace parkline::clearance {
namespace {

std::vector<int> Codes(const std::vector<PlannedReceipt>& plan) {
  std::vector<int> out;
  for (const auto& p : plan) out.push_back(std::stoi(p.receipt.return_status()));
  return out;
}

TEST(ClearanceSimulator, TheSameSeedAndCaseGiveTheSameReceipts) {
  SimulatorOptions o;
  o.inspection_percent = 50;
  o.rejection_percent = 30;
  absl::Time t = absl::FromUnixSeconds(1700000000);
  for (int i = 0; i < 50; ++i) {
    std::string id = absl::StrCat("CASE-", i);
    EXPECT_EQ(Codes(PlanReceipts(o, id, t)), Codes(PlanReceipts(o, id, t)));
  }
}

TEST(ClearanceSimulator, EveryPlanIsASequenceTheStateMachineAccepts) {
  SimulatorOptions o;
  o.inspection_percent = 30;
  o.rejection_percent = 20;
  o.step = absl::ZeroDuration();  // even with no delay, returnTime orders them
  absl::Time t = absl::FromUnixMillis(1700000000123);
  std::map<v1::CaseStatus, int> outcomes;
  for (int i = 0; i < 1000; ++i) {
    auto plan = PlanReceipts(o, absl::StrCat("CASE-", i), t);
    std::vector<ReceiptCode> codes;
    for (const auto& p : plan) {
      ASSERT_EQ(p.receipt.return_time().size(), 17u);
      ASSERT_EQ(p.receipt.guid(), absl::StrCat("CASE-", i));
      codes.push_back({std::stoi(p.receipt.return_status()), absl::ToUnixMicros(p.due)});
    }
    auto replay = ReplayReceipts(codes);
    ASSERT_TRUE(replay.ok()) << replay.status();
    outcomes[replay->status]++;
  }
  // 20% rejected; of the rest 30% inspected, all released. Loose bounds: 1000 cases.
  EXPECT_NEAR(outcomes[v1::CASE_STATUS_REJECTED], 200, 50);
  EXPECT_NEAR(outcomes[v1::CASE_STATUS_RELEASED], 800, 50);
  EXPECT_EQ(outcomes.size(), 2u);
}

TEST(ClearanceSimulator, RatesOfZeroAndHundred) {
  SimulatorOptions o;
  o.inspection_percent = 0;
  o.rejection_percent = 0;
  absl::Time t = absl::Now();
  EXPECT_EQ(Codes(PlanReceipts(o, "A", t)), (std::vector<int>{2, 120, 399, 800}));
  o.inspection_percent = 100;
  EXPECT_EQ(Codes(PlanReceipts(o, "A", t)), (std::vector<int>{2, 120, 399, 500, 800}));
  o.rejection_percent = 100;
  EXPECT_EQ(Codes(PlanReceipts(o, "A", t)), (std::vector<int>{2, 100}));
}

TEST(ClearanceSimulator, ReceiptsAreDueOneStepApart) {
  SimulatorOptions o;
  o.inspection_percent = 0;
  o.rejection_percent = 0;
  o.step = absl::Seconds(3);
  absl::Time t = absl::FromUnixSeconds(1700000000);
  auto plan = PlanReceipts(o, "A", t);
  ASSERT_EQ(plan.size(), 4u);
  EXPECT_GE(plan[0].due - t, absl::Seconds(3));
  EXPECT_LT(plan[0].due - t, absl::Seconds(4));
  EXPECT_GE(plan[3].due - t, absl::Seconds(12));
  // 1700000000 is 2023-11-15 06:13:20 in Shanghai; the first is due 3 s and 1 ms later.
  EXPECT_EQ(plan[0].receipt.return_time(), "20231115061323001");
}

TEST(ClearanceSimulator, TheRunningSimulatorDeliversEveryReceiptWhenDue) {
  std::mutex mu;
  std::vector<std::string> delivered;
  SimulatorOptions o;
  o.inspection_percent = 0;
  o.rejection_percent = 0;
  o.step = absl::Milliseconds(20);
  {
    CustomsSimulator simulator(o, [&](const v1::CustomsReceipt& r) {
      std::lock_guard<std::mutex> lock(mu);
      delivered.push_back(r.guid() + ":" + r.return_status());
      return absl::OkStatus();
    });
    ASSERT_TRUE(simulator.Send({"A", "CEB621", "<x/>", absl::Now()}).ok());
    ASSERT_TRUE(simulator.Send({"B", "CEB603", "<x/>", absl::Now()}).ok());
    absl::Time deadline = absl::Now() + absl::Seconds(5);
    while (absl::Now() < deadline) {
      {
        std::lock_guard<std::mutex> lock(mu);
        if (delivered.size() == 8) break;
      }
      absl::SleepFor(absl::Milliseconds(10));
    }
  }
  ASSERT_EQ(delivered.size(), 8u);
  std::vector<std::string> a;
  for (const auto& d : delivered) {
    if (d[0] == 'A') a.push_back(d);
  }
  EXPECT_EQ(a, (std::vector<std::string>{"A:2", "A:120", "A:399", "A:800"}));
}

}  // namespace
}  // namespace parkline::clearance
