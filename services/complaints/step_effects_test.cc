// What filing and each workflow step write: the complaint's fields, the record entry and the
// events, decided without a database; a step the workflow refuses changes nothing.
#include "complaints/step_effects.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "auth/sha256.h"
#include "calendar/calendar_data.h"
#include "complaints/complaint_time.h"
#include "complaints/record_chain.h"
#include "complaints/recorded_state.h"

namespace parkline::complaints {
namespace {

constexpr char kTargetUscc[] = "91330100MA27XYZ12X";
const std::string kActor = "officer-1";

class StepEffectsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(absl::LoadTimeZone("Asia/Shanghai", &park_));
    auto calendar = WorkingCalendar::FromJson(parkline::calendar::kBuiltInCalendar);
    ASSERT_TRUE(calendar.ok());
    deadlines_ = std::make_unique<ComplaintDeadline>(*calendar, park_);
    now_ = absl::FromCivil(absl::CivilMinute(2025, 3, 3, 10, 0), park_);  // a Monday
  }

  v1::Complaint InStatus(v1::ComplaintStatus status) {
    v1::Complaint c;
    c.set_complaint_id("CMP-20250303-000000000001");
    c.set_status(status);
    c.set_category(v1::CATEGORY_FEES);
    c.set_channel(v1::CHANNEL_PHONE);
    c.mutable_target()->set_kind(v1::PARTY_KIND_PARK_OPERATOR);
    *c.mutable_filed_time() = Ts(now_ - absl::Hours(48));
    *c.mutable_resolve_by() = Ts(now_ + absl::Hours(24));
    return c;
  }

  // Applies `action` to `complaint` at `now_`; fills entry_ and events_.
  absl::Status Apply(Action action, const StepRequest& request, v1::Complaint& complaint) {
    StepContext context{kActor, now_, routing_, *deadlines_};
    return ApplyStep(action, request, context, complaint, entry_, events_);
  }

  absl::TimeZone park_;
  absl::Time now_;
  RoutingRules routing_;
  std::unique_ptr<ComplaintDeadline> deadlines_;
  v1::RecordEntry entry_;
  Events events_;
};

TEST_F(StepEffectsTest, FilingOpensAReceivedComplaintWithItsFirstSealedEntryAndEvent) {
  v1::FileComplaintRequest request;
  request.set_request_id("req-1");
  request.set_category(v1::CATEGORY_FEES);
  request.set_channel(v1::CHANNEL_PHONE);
  request.mutable_complainant()->set_kind(v1::PARTY_KIND_PUBLIC);
  request.mutable_complainant()->mutable_contact()->set_phone("+86 571 0000 0000");
  request.mutable_target()->set_kind(v1::PARTY_KIND_RESIDENT_ENTERPRISE);
  request.mutable_target()->set_uscc(kTargetUscc);
  request.set_description("overcharged");
  Deadlines due = deadlines_->For(v1::CATEGORY_FEES, now_);

  Filing f = OpenComplaint(request, "CMP-1", kActor, now_, due);

  EXPECT_EQ(f.complaint.complaint_id(), "CMP-1");
  EXPECT_EQ(f.complaint.status(), v1::COMPLAINT_STATUS_RECEIVED);
  EXPECT_EQ(f.complaint.request_id(), "req-1");
  EXPECT_FALSE(f.complaint.complainant().has_contact());  // stored apart
  EXPECT_EQ(TimeOf(f.complaint.resolve_by()), due.resolve_by);
  EXPECT_EQ(f.entry.action(), "FILE");
  EXPECT_EQ(f.entry.actor(), kActor);
  EXPECT_EQ(f.entry.details().at("target"),
            std::string("PARTY_KIND_RESIDENT_ENTERPRISE ") + kTargetUscc);
  EXPECT_EQ(f.entry.details().at("filed_sha256"), FiledDigest(f.complaint));
  EXPECT_EQ(f.entry.previous_hash(), kGenesisHash);
  EXPECT_EQ(f.entry.hash(), ChainHash(kGenesisHash, "CMP-1", f.entry));
  EXPECT_EQ(f.filed.complaint_id(), "CMP-1");
  EXPECT_EQ(f.filed.target_uscc(), kTargetUscc);
}

TEST_F(StepEffectsTest, AcknowledgingMakesTheCallerTheHandlerUnlessOneIsSet) {
  v1::Complaint c = InStatus(v1::COMPLAINT_STATUS_RECEIVED);
  ASSERT_TRUE(Apply(Action::kAcknowledge, {}, c).ok());
  EXPECT_EQ(c.status(), v1::COMPLAINT_STATUS_ACKNOWLEDGED);
  EXPECT_EQ(c.handler(), kActor);
  EXPECT_EQ(entry_.action(), "ACKNOWLEDGE");
  EXPECT_EQ(entry_.details().at("handler"), kActor);
  EXPECT_TRUE(events_.empty());
}

TEST_F(StepEffectsTest, AssigningRoutesByCategoryAndForwardsToAResidentTarget) {
  v1::Complaint c = InStatus(v1::COMPLAINT_STATUS_ACKNOWLEDGED);
  c.mutable_target()->set_kind(v1::PARTY_KIND_RESIDENT_ENTERPRISE);
  c.mutable_target()->set_uscc(kTargetUscc);
  StepRequest request;
  request.handler = "clerk-7";
  ASSERT_TRUE(Apply(Action::kAssign, request, c).ok());
  EXPECT_EQ(c.status(), v1::COMPLAINT_STATUS_ASSIGNED);
  EXPECT_EQ(c.department(), routing_.DepartmentFor(v1::CATEGORY_FEES));
  EXPECT_EQ(c.handler(), "clerk-7");
  EXPECT_EQ(c.forwarded_to_uscc(), kTargetUscc);
  EXPECT_EQ(entry_.details().at("forwarded_to_uscc"), kTargetUscc);
  ASSERT_EQ(events_.size(), 1u);
  auto* assigned = dynamic_cast<v1::ComplaintAssigned*>(events_[0].get());
  ASSERT_NE(assigned, nullptr);
  EXPECT_EQ(assigned->department(), c.department());
}

TEST_F(StepEffectsTest, AssigningToANamedDepartmentKeepsIt) {
  v1::Complaint c = InStatus(v1::COMPLAINT_STATUS_ACKNOWLEDGED);
  StepRequest request;
  request.department = "facilities-management";
  ASSERT_TRUE(Apply(Action::kAssign, request, c).ok());
  EXPECT_EQ(c.department(), "facilities-management");
  EXPECT_TRUE(c.forwarded_to_uscc().empty());
  EXPECT_EQ(entry_.details().count("forwarded_to_uscc"), 0u);
}

TEST_F(StepEffectsTest, EscalatingGoesToTheSupervisingDepartment) {
  v1::Complaint c = InStatus(v1::COMPLAINT_STATUS_ASSIGNED);
  StepRequest request;
  request.department = "finance";  // ESCALATE does not read it
  ASSERT_TRUE(Apply(Action::kEscalate, request, c).ok());
  EXPECT_EQ(c.status(), v1::COMPLAINT_STATUS_ESCALATED);
  EXPECT_EQ(c.department(), routing_.supervising());
  ASSERT_EQ(events_.size(), 1u);
  EXPECT_NE(dynamic_cast<v1::ComplaintAssigned*>(events_[0].get()), nullptr);
}

TEST_F(StepEffectsTest, StartingAnInvestigationChangesOnlyTheStatus) {
  v1::Complaint c = InStatus(v1::COMPLAINT_STATUS_ASSIGNED);
  v1::Complaint before = c;
  ASSERT_TRUE(Apply(Action::kStartInvestigation, {}, c).ok());
  before.set_status(v1::COMPLAINT_STATUS_INVESTIGATING);
  EXPECT_EQ(c.SerializeAsString(), before.SerializeAsString());
  EXPECT_EQ(entry_.action(), "START_INVESTIGATION");
  EXPECT_TRUE(entry_.details().empty());
  EXPECT_TRUE(events_.empty());
}

TEST_F(StepEffectsTest, RespondingRecordsTheAnswersHashAndWhetherItWasOnTime) {
  v1::Complaint c = InStatus(v1::COMPLAINT_STATUS_INVESTIGATING);
  StepRequest request;
  request.response = "refunded";
  request.note = "called back";
  ASSERT_TRUE(Apply(Action::kRespond, request, c).ok());
  EXPECT_EQ(c.status(), v1::COMPLAINT_STATUS_RESPONDED);
  EXPECT_EQ(c.response(), "refunded");
  EXPECT_EQ(entry_.note(), "called back");
  EXPECT_EQ(entry_.details().at("response_sha256"), auth::Sha256Hex("refunded"));
  ASSERT_EQ(events_.size(), 1u);
  auto* resolved = dynamic_cast<v1::ComplaintResolved*>(events_[0].get());
  ASSERT_NE(resolved, nullptr);
  EXPECT_TRUE(resolved->on_time());
  EXPECT_EQ(resolved->handling_seconds(), 48 * 3600);
}

TEST_F(StepEffectsTest, AnAnswerAfterTheResolutionDeadlineIsLate) {
  v1::Complaint c = InStatus(v1::COMPLAINT_STATUS_INVESTIGATING);
  *c.mutable_resolve_by() = Ts(now_ - absl::Seconds(1));
  StepRequest request;
  request.response = "refunded";
  ASSERT_TRUE(Apply(Action::kRespond, request, c).ok());
  ASSERT_EQ(events_.size(), 1u);
  EXPECT_FALSE(dynamic_cast<v1::ComplaintResolved&>(*events_[0]).on_time());
}

TEST_F(StepEffectsTest, ClosingRecordsTheSatisfaction) {
  v1::Complaint c = InStatus(v1::COMPLAINT_STATUS_RESPONDED);
  StepRequest request;
  request.satisfaction = 4;
  ASSERT_TRUE(Apply(Action::kClose, request, c).ok());
  EXPECT_EQ(c.status(), v1::COMPLAINT_STATUS_CLOSED);
  EXPECT_EQ(c.satisfaction(), 4);
  EXPECT_EQ(entry_.details().at("satisfaction"), "4");
  ASSERT_EQ(events_.size(), 1u);
  EXPECT_EQ(dynamic_cast<v1::ComplaintClosed&>(*events_[0]).satisfaction(), 4);
}

TEST_F(StepEffectsTest, ReopeningGivesTheResolutionTimeAgainFromNow) {
  v1::Complaint c = InStatus(v1::COMPLAINT_STATUS_RESPONDED);
  c.set_resolution_overdue(true);
  ASSERT_TRUE(Apply(Action::kReopen, {}, c).ok());
  absl::Time expected =
      deadlines_->After(now_, deadlines_->TargetsFor(v1::CATEGORY_FEES).resolve_days);
  EXPECT_EQ(c.status(), v1::COMPLAINT_STATUS_REOPENED);
  EXPECT_EQ(TimeOf(c.resolve_by()), expected);
  EXPECT_FALSE(c.resolution_overdue());
  EXPECT_EQ(entry_.details().at("resolve_by"), Rfc3339(expected));
  EXPECT_TRUE(events_.empty());
}

TEST_F(StepEffectsTest, AStepTheWorkflowRefusesChangesNothing) {
  v1::Complaint c = InStatus(v1::COMPLAINT_STATUS_CLOSED);
  v1::Complaint before = c;
  absl::Status refused = Apply(Action::kReopen, {}, c);
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(c.SerializeAsString(), before.SerializeAsString());
  EXPECT_EQ(entry_.ByteSizeLong(), 0u);
  EXPECT_TRUE(events_.empty());
}

TEST_F(StepEffectsTest, AnOverrideSetsTheDeadlineThatStillRuns) {
  v1::Complaint c = InStatus(v1::COMPLAINT_STATUS_INVESTIGATING);
  c.set_resolution_overdue(true);
  v1::OverrideDeadlineRequest request;
  request.set_kind(v1::DEADLINE_KIND_RESOLUTION);
  *request.mutable_deadline() = Ts(now_ + absl::Hours(240));
  request.set_note("waiting for the customs broker");
  StepContext context{kActor, now_, routing_, *deadlines_};
  ASSERT_TRUE(ApplyDeadlineOverride(request, context, c, entry_).ok());
  EXPECT_EQ(TimeOf(c.resolve_by()), now_ + absl::Hours(240));
  EXPECT_FALSE(c.resolution_overdue());
  EXPECT_EQ(entry_.action(), "OVERRIDE_DEADLINE");
  EXPECT_EQ(entry_.details().at("kind"), "DEADLINE_KIND_RESOLUTION");
  EXPECT_EQ(entry_.details().at("deadline"), Rfc3339(now_ + absl::Hours(240)));
}

TEST_F(StepEffectsTest, AnOverrideOfADeadlineThatNoLongerRunsIsRefused) {
  v1::Complaint c = InStatus(v1::COMPLAINT_STATUS_ACKNOWLEDGED);
  v1::Complaint before = c;
  v1::OverrideDeadlineRequest request;
  request.set_kind(v1::DEADLINE_KIND_ACKNOWLEDGEMENT);
  *request.mutable_deadline() = Ts(now_ + absl::Hours(24));
  StepContext context{kActor, now_, routing_, *deadlines_};
  absl::Status refused = ApplyDeadlineOverride(request, context, c, entry_);
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(c.SerializeAsString(), before.SerializeAsString());
}

TEST_F(StepEffectsTest, APassedDeadlineIsMarkedOverdueAndEscalated) {
  v1::Complaint c = InStatus(v1::COMPLAINT_STATUS_INVESTIGATING);
  *c.mutable_resolve_by() = Ts(now_ - absl::Minutes(1));
  StepContext context{kActor, now_, routing_, *deadlines_};
  ASSERT_TRUE(ApplyOverdue(v1::DEADLINE_KIND_RESOLUTION, context, c, entry_, events_));
  EXPECT_TRUE(c.resolution_overdue());
  EXPECT_EQ(c.status(), v1::COMPLAINT_STATUS_ESCALATED);
  EXPECT_EQ(c.department(), routing_.supervising());
  EXPECT_EQ(entry_.action(), "OVERDUE");
  EXPECT_EQ(entry_.details().at("escalated_to"), routing_.supervising());
  ASSERT_EQ(events_.size(), 1u);
  EXPECT_EQ(dynamic_cast<v1::ComplaintOverdue&>(*events_[0]).deadline_kind(),
            v1::DEADLINE_KIND_RESOLUTION);
}

TEST_F(StepEffectsTest, ADeadlineNotPassedOrAlreadyMarkedChangesNothing) {
  StepContext context{kActor, now_, routing_, *deadlines_};
  v1::Complaint running = InStatus(v1::COMPLAINT_STATUS_INVESTIGATING);
  v1::Complaint marked = InStatus(v1::COMPLAINT_STATUS_ESCALATED);
  *marked.mutable_resolve_by() = Ts(now_ - absl::Minutes(1));
  marked.set_resolution_overdue(true);
  for (v1::Complaint c : {running, marked}) {
    v1::Complaint before = c;
    EXPECT_FALSE(ApplyOverdue(v1::DEADLINE_KIND_RESOLUTION, context, c, entry_, events_));
    EXPECT_EQ(c.SerializeAsString(), before.SerializeAsString());
  }
  EXPECT_TRUE(events_.empty());
}

}  // namespace
}  // namespace parkline::complaints
