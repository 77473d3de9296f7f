// The supervision job on a controllable clock: nothing is overdue before a deadline; just after
// it, each passed deadline is marked once (acknowledgement first, then resolution), a complaint
// that moved on meanwhile is left alone, and answered complaints are never overdue.
#include "complaints/supervision.h"

#include <gtest/gtest.h>

#include <map>

#include "complaints/complaint_workflow.h"

namespace parkline::complaints {
namespace {

// Complaints in memory, applying the same rule the desk applies in its transaction.
class FakeComplaints : public SupervisedComplaints {
 public:
  absl::StatusOr<std::vector<std::pair<std::string, DeadlineWatch>>> DueAt(
      absl::Time now) override {
    std::vector<std::pair<std::string, DeadlineWatch>> out;
    for (const auto& [id, w] : watches) {
      if (PassedDeadline(w, now)) out.emplace_back(id, w);
    }
    // What the job saw may be stale by the time it marks: simulate a step taken meanwhile.
    for (const auto& [id, status] : moved_on_after_listing) watches[id].status = status;
    return out;
  }
  absl::StatusOr<bool> MarkOverdue(const std::string& id, v1::DeadlineKind kind,
                                   absl::Time now) override {
    DeadlineWatch& w = watches.at(id);
    if (PassedDeadline(w, now) != kind) return false;
    (kind == v1::DEADLINE_KIND_ACKNOWLEDGEMENT ? w.acknowledgement_overdue : w.resolution_overdue) =
        true;
    if (NextStatus(w.status, Action::kEscalate).ok()) w.status = v1::COMPLAINT_STATUS_ESCALATED;
    marks.push_back({id, kind});
    return true;
  }

  std::map<std::string, DeadlineWatch> watches;
  std::map<std::string, v1::ComplaintStatus> moved_on_after_listing;
  std::vector<std::pair<std::string, v1::DeadlineKind>> marks;
};

class ComplaintSupervisionTest : public ::testing::Test {
 protected:
  void Add(const std::string& id, v1::ComplaintStatus status, absl::Duration ack,
           absl::Duration resolve) {
    DeadlineWatch w;
    w.status = status;
    w.acknowledge_by = start_ + ack;
    w.resolve_by = start_ + resolve;
    complaints_.watches[id] = w;
  }

  const absl::Time start_ = absl::FromUnixSeconds(1780000000);
  absl::Time now_ = start_;
  FakeComplaints complaints_;
  SupervisionJob job_{complaints_, [this] { return now_; }};
};

TEST_F(ComplaintSupervisionTest, NothingIsOverdueBeforeOrAtTheDeadline) {
  Add("A", v1::COMPLAINT_STATUS_RECEIVED, absl::Hours(24), absl::Hours(120));
  now_ = start_ + absl::Hours(24);
  EXPECT_EQ(*job_.RunOnce(), 0);
  EXPECT_TRUE(complaints_.marks.empty());
}

TEST_F(ComplaintSupervisionTest, APassedAcknowledgementIsMarkedOnceAndEscalated) {
  Add("A", v1::COMPLAINT_STATUS_RECEIVED, absl::Hours(24), absl::Hours(120));
  now_ = start_ + absl::Hours(24) + absl::Seconds(1);
  EXPECT_EQ(*job_.RunOnce(), 1);
  EXPECT_EQ(complaints_.watches["A"].status, v1::COMPLAINT_STATUS_ESCALATED);
  EXPECT_EQ(*job_.RunOnce(), 0) << "a deadline is marked overdue once";
  now_ = start_ + absl::Hours(121);
  EXPECT_EQ(*job_.RunOnce(), 1);
  ASSERT_EQ(complaints_.marks.size(), 2u);
  EXPECT_EQ(complaints_.marks[0].second, v1::DEADLINE_KIND_ACKNOWLEDGEMENT);
  EXPECT_EQ(complaints_.marks[1].second, v1::DEADLINE_KIND_RESOLUTION);
}

TEST_F(ComplaintSupervisionTest, BothDeadlinesPassedSinceTheLastRunAreBothMarked) {
  Add("A", v1::COMPLAINT_STATUS_RECEIVED, absl::Hours(24), absl::Hours(120));
  now_ = start_ + absl::Hours(200);
  EXPECT_EQ(*job_.RunOnce(), 2);
  ASSERT_EQ(complaints_.marks.size(), 2u);
  EXPECT_EQ(complaints_.marks[0].second, v1::DEADLINE_KIND_ACKNOWLEDGEMENT);
  EXPECT_EQ(complaints_.marks[1].second, v1::DEADLINE_KIND_RESOLUTION);
}

TEST_F(ComplaintSupervisionTest, AcknowledgedInTimeOnlyTheResolutionCounts) {
  Add("A", v1::COMPLAINT_STATUS_INVESTIGATING, absl::Hours(24), absl::Hours(120));
  now_ = start_ + absl::Hours(100);
  EXPECT_EQ(*job_.RunOnce(), 0);
  now_ = start_ + absl::Hours(130);
  EXPECT_EQ(*job_.RunOnce(), 1);
  EXPECT_EQ(complaints_.marks[0].second, v1::DEADLINE_KIND_RESOLUTION);
  EXPECT_EQ(complaints_.watches["A"].status, v1::COMPLAINT_STATUS_ESCALATED);
}

TEST_F(ComplaintSupervisionTest, AnsweredAndClosedComplaintsAreNeverOverdue) {
  Add("R", v1::COMPLAINT_STATUS_RESPONDED, absl::Hours(1), absl::Hours(2));
  Add("C", v1::COMPLAINT_STATUS_CLOSED, absl::Hours(1), absl::Hours(2));
  now_ = start_ + absl::Hours(1000);
  EXPECT_EQ(*job_.RunOnce(), 0);
}

TEST_F(ComplaintSupervisionTest, AComplaintThatMovedOnMeanwhileIsLeftAlone) {
  Add("A", v1::COMPLAINT_STATUS_RECEIVED, absl::Hours(24), absl::Hours(120));
  complaints_.moved_on_after_listing["A"] = v1::COMPLAINT_STATUS_ACKNOWLEDGED;
  now_ = start_ + absl::Hours(25);
  EXPECT_EQ(*job_.RunOnce(), 0);
  EXPECT_EQ(complaints_.watches["A"].status, v1::COMPLAINT_STATUS_ACKNOWLEDGED);
}

TEST(ComplaintPassedDeadlineTest, TheRule) {
  absl::Time t = absl::FromUnixSeconds(1000);
  DeadlineWatch w{v1::COMPLAINT_STATUS_RECEIVED, t, t + absl::Hours(1), false, false};
  EXPECT_FALSE(PassedDeadline(w, t));
  EXPECT_EQ(PassedDeadline(w, t + absl::Seconds(1)), v1::DEADLINE_KIND_ACKNOWLEDGEMENT);
  w.acknowledgement_overdue = true;
  EXPECT_FALSE(PassedDeadline(w, t + absl::Seconds(1)));
  EXPECT_EQ(PassedDeadline(w, t + absl::Hours(2)), v1::DEADLINE_KIND_RESOLUTION);
  w.status = v1::COMPLAINT_STATUS_ACKNOWLEDGED;
  w.acknowledgement_overdue = false;
  EXPECT_EQ(PassedDeadline(w, t + absl::Hours(2)), v1::DEADLINE_KIND_RESOLUTION);
  w.resolution_overdue = true;
  EXPECT_FALSE(PassedDeadline(w, t + absl::Hours(2)));
}

}  // namespace
}  // namespace parkline::complaints
