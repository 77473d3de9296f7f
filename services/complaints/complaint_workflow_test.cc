// Every (status, action) pair of the workflow: the allowed ones lead where the table below says
// (written out independently of complaint_workflow.cc), every other one is FAILED_PRECONDITION
// naming the status and the action.
#include "complaints/complaint_workflow.h"

#include <gtest/gtest.h>

#include <map>

namespace parkline::complaints {
namespace {

using S = v1::ComplaintStatus;
constexpr S kReceived = v1::COMPLAINT_STATUS_RECEIVED, kAck = v1::COMPLAINT_STATUS_ACKNOWLEDGED,
            kAssigned = v1::COMPLAINT_STATUS_ASSIGNED,
            kInvestigating = v1::COMPLAINT_STATUS_INVESTIGATING,
            kResponded = v1::COMPLAINT_STATUS_RESPONDED, kClosed = v1::COMPLAINT_STATUS_CLOSED,
            kReopened = v1::COMPLAINT_STATUS_REOPENED, kEscalated = v1::COMPLAINT_STATUS_ESCALATED;

const std::map<std::pair<S, Action>, S>& Expected() {
  static const auto* t = new std::map<std::pair<S, Action>, S>{
      {{kReceived, Action::kAcknowledge}, kAck},
      {{kReceived, Action::kEscalate}, kEscalated},
      {{kAck, Action::kAssign}, kAssigned},
      {{kAck, Action::kEscalate}, kEscalated},
      {{kAssigned, Action::kAssign}, kAssigned},
      {{kAssigned, Action::kStartInvestigation}, kInvestigating},
      {{kAssigned, Action::kEscalate}, kEscalated},
      {{kInvestigating, Action::kAssign}, kAssigned},
      {{kInvestigating, Action::kRespond}, kResponded},
      {{kInvestigating, Action::kEscalate}, kEscalated},
      {{kResponded, Action::kClose}, kClosed},
      {{kResponded, Action::kReopen}, kReopened},
      {{kReopened, Action::kAssign}, kAssigned},
      {{kReopened, Action::kStartInvestigation}, kInvestigating},
      {{kReopened, Action::kEscalate}, kEscalated},
      {{kEscalated, Action::kAssign}, kAssigned},
      {{kEscalated, Action::kStartInvestigation}, kInvestigating},
      {{kEscalated, Action::kRespond}, kResponded},
  };
  return *t;
}

TEST(ComplaintWorkflowTest, EveryStatusTimesEveryAction) {
  int allowed = 0, refused = 0;
  for (int i = v1::ComplaintStatus_MIN; i <= v1::ComplaintStatus_MAX; ++i) {
    S from = static_cast<S>(i);
    for (Action action : AllActions()) {
      SCOPED_TRACE(v1::ComplaintStatus_Name(from) + " " + ActionName(action));
      auto next = NextStatus(from, action);
      auto expected = Expected().find({from, action});
      if (expected != Expected().end()) {
        ASSERT_TRUE(next.ok()) << next.status();
        EXPECT_EQ(*next, expected->second);
        ++allowed;
      } else {
        ASSERT_FALSE(next.ok());
        EXPECT_TRUE(absl::IsFailedPrecondition(next.status()));
        EXPECT_NE(next.status().message().find(v1::ComplaintStatus_Name(from)), std::string::npos);
        EXPECT_NE(next.status().message().find(ActionName(action)), std::string::npos);
        ++refused;
      }
    }
  }
  EXPECT_EQ(allowed, 18);
  EXPECT_EQ(refused, 9 * 7 - 18);
}

TEST(ComplaintWorkflowTest, ClosedIsFinal) {
  for (Action action : AllActions()) EXPECT_FALSE(NextStatus(kClosed, action).ok());
}

TEST(ComplaintWorkflowTest, TheHappyPathReachesClosed) {
  S s = kReceived;
  for (Action a : {Action::kAcknowledge, Action::kAssign, Action::kStartInvestigation,
                   Action::kRespond, Action::kClose}) {
    auto next = NextStatus(s, a);
    ASSERT_TRUE(next.ok()) << ActionName(a);
    s = *next;
  }
  EXPECT_EQ(s, kClosed);
}

TEST(ComplaintWorkflowTest, OnlyAnsweredComplaintsStopTheResolutionClock) {
  EXPECT_TRUE(AwaitsAnswer(kReceived));
  EXPECT_TRUE(AwaitsAnswer(kEscalated));
  EXPECT_TRUE(AwaitsAnswer(kReopened));
  EXPECT_FALSE(AwaitsAnswer(kResponded));
  EXPECT_FALSE(AwaitsAnswer(kClosed));
}

}  // namespace
}  // namespace parkline::complaints
