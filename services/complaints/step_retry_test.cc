// Recognising a retried workflow step: with a request_id the key decides (the same step again is
// a retry, the key on anything else is ALREADY_EXISTS naming request_id); without one only an
// exact repeat of the complaint's last entry is a retry. The digest covers exactly the fields a
// step reads, in a form no value can shift between fields.
#include "complaints/step_retry.h"

#include <gtest/gtest.h>

#include <set>

#include "complaints/complaint_rules.h"
#include "google/protobuf/util/time_util.h"

namespace parkline::complaints {
namespace {

StepRequest Assign() {
  StepRequest r;
  r.complaint_id = "CMP-20260309-1";
  r.request_id = "erp-7f3a";
  r.note = "the loading bay belongs to logistics";
  r.department = "logistics-services";
  r.handler = "staff-li";
  return r;
}

StepAttempt AttemptOf(Action action, const StepRequest& r, const std::string& actor = "staff-li") {
  return StepAttempt{r.complaint_id, ActionName(action), actor, r.request_id,
                     StepDigest(action, r)};
}

// The step `attempt` would leave in the record, as entry 3.
AppliedStep Applied(const StepAttempt& attempt) {
  return AppliedStep{attempt.complaint_id, 3, attempt.action, attempt.actor, attempt.request_id,
                     attempt.digest};
}

TEST(ComplaintStepRetryTest, TheSameKeyForTheSameStepIsARetryWhateverCameSince) {
  StepAttempt attempt = AttemptOf(Action::kAssign, Assign());
  AppliedStep other_last{attempt.complaint_id, 5, "OVERDUE", "supervision", "", ""};
  auto verdict = JudgeStep(attempt, Applied(attempt), other_last);
  ASSERT_TRUE(verdict.ok()) << verdict.status();
  EXPECT_EQ(*verdict, StepVerdict::kRetry);
}

TEST(ComplaintStepRetryTest, AKeyNoStepHoldsIsANewStepEvenWhenTheLastEntryLooksTheSame) {
  StepAttempt attempt = AttemptOf(Action::kAssign, Assign());
  StepAttempt earlier = attempt;
  earlier.request_id = "erp-0001";
  auto verdict = JudgeStep(attempt, std::nullopt, Applied(earlier));
  ASSERT_TRUE(verdict.ok());
  EXPECT_EQ(*verdict, StepVerdict::kApply) << "the client's new key says it is a new step";
}

TEST(ComplaintStepRetryTest, AKeyReusedForAnythingElseIsRefusedNamingTheFieldAndTheStep) {
  StepRequest first = Assign();
  AppliedStep applied = Applied(AttemptOf(Action::kAssign, first));

  StepRequest other_complaint = first;
  other_complaint.complaint_id = "CMP-20260309-2";
  StepRequest other_content = first;
  other_content.department = "facilities-management";
  StepRequest other_note = first;
  other_note.note = "on second thought";
  struct Case {
    const char* what;
    StepAttempt attempt;
    const char* says;
  };
  for (const Case& c : {
           Case{"another complaint", AttemptOf(Action::kAssign, other_complaint),
                "another complaint"},
           Case{"another step", AttemptOf(Action::kEscalate, first), "to ESCALATE"},
           Case{"another caller", AttemptOf(Action::kAssign, first, "staff-zhao"),
                "another caller"},
           Case{"another department", AttemptOf(Action::kAssign, other_content), "other content"},
           Case{"another note", AttemptOf(Action::kAssign, other_note), "other content"},
       }) {
    SCOPED_TRACE(c.what);
    auto verdict = JudgeStep(c.attempt, applied, std::nullopt);
    ASSERT_TRUE(absl::IsAlreadyExists(verdict.status())) << verdict.status();
    std::string message(verdict.status().message());
    EXPECT_EQ(message.rfind("request_id: 'erp-7f3a'", 0), 0u) << message;
    EXPECT_NE(message.find("ASSIGN to complaint CMP-20260309-1 (record entry 3)"),
              std::string::npos)
        << message;
    EXPECT_NE(message.find(c.says), std::string::npos) << message;
  }
}

TEST(ComplaintStepRetryTest, WithoutAKeyOnlyAnExactRepeatOfTheLastEntryIsARetry) {
  StepRequest r = Assign();
  r.request_id.clear();
  StepAttempt attempt = AttemptOf(Action::kAssign, r);
  EXPECT_EQ(*JudgeStep(attempt, std::nullopt, Applied(attempt)), StepVerdict::kRetry);

  // The last step was given a key, the repeat none: still the same step by the same caller.
  AppliedStep keyed_last = Applied(attempt);
  keyed_last.request_id = "erp-7f3a";
  EXPECT_EQ(*JudgeStep(attempt, std::nullopt, keyed_last), StepVerdict::kRetry);

  EXPECT_EQ(*JudgeStep(attempt, std::nullopt, std::nullopt), StepVerdict::kApply);
  AppliedStep by_other = Applied(AttemptOf(Action::kAssign, r, "staff-zhao"));
  EXPECT_EQ(*JudgeStep(attempt, std::nullopt, by_other), StepVerdict::kApply);
  AppliedStep other_action = Applied(AttemptOf(Action::kStartInvestigation, r));
  EXPECT_EQ(*JudgeStep(attempt, std::nullopt, other_action), StepVerdict::kApply);
  StepRequest elsewhere = r;
  elsewhere.department = "facilities-management";
  AppliedStep other_content = Applied(AttemptOf(Action::kAssign, elsewhere));
  EXPECT_EQ(*JudgeStep(attempt, std::nullopt, other_content), StepVerdict::kApply);
  AppliedStep other_complaint = Applied(attempt);
  other_complaint.complaint_id = "CMP-20260309-2";
  EXPECT_EQ(*JudgeStep(attempt, std::nullopt, other_complaint), StepVerdict::kApply);
  // Entries without a digest (the filing, supervision, entries older than this rule) never match.
  AppliedStep legacy = Applied(attempt);
  legacy.digest.clear();
  StepAttempt no_digest = attempt;
  no_digest.digest.clear();
  EXPECT_EQ(*JudgeStep(no_digest, std::nullopt, legacy), StepVerdict::kApply);
}

TEST(ComplaintStepRetryTest, TheDigestCoversTheFieldsTheStepReadsAndNothingElse) {
  const StepRequest base = Assign();
  const std::string digest = StepDigest(Action::kAssign, base);
  EXPECT_EQ(digest.size(), 64u);
  EXPECT_EQ(StepDigest(Action::kAssign, base), digest) << "deterministic";

  StepRequest r = base;
  r.request_id = "another-key";
  r.complaint_id = "CMP-other";
  r.response = "not read by ASSIGN";
  r.satisfaction = 5;
  EXPECT_EQ(StepDigest(Action::kAssign, r), digest);

  std::set<std::string> seen = {digest};
  auto differs = [&](const char* what, Action action, const StepRequest& changed) {
    EXPECT_TRUE(seen.insert(StepDigest(action, changed)).second) << what;
  };
  r = base;
  r.note += ".";
  differs("note", Action::kAssign, r);
  r = base;
  r.department = "finance";
  differs("department", Action::kAssign, r);
  r = base;
  r.handler = "staff-zhao";
  differs("handler", Action::kAssign, r);
  differs("action", Action::kEscalate, base);
  // No value can run into the next field.
  r = base;
  r.note = base.note + base.department.substr(0, 3);
  r.department = base.department.substr(3);
  differs("a note shifted into the department", Action::kAssign, r);

  StepRequest respond;
  respond.response = "moved under the canopy";
  std::string answered = StepDigest(Action::kRespond, respond);
  respond.response += "!";
  EXPECT_NE(StepDigest(Action::kRespond, respond), answered);
  StepRequest close;
  close.satisfaction = 4;
  std::string closed = StepDigest(Action::kClose, close);
  close.satisfaction = 5;
  EXPECT_NE(StepDigest(Action::kClose, close), closed);
}

TEST(ComplaintStepRetryTest, AnOverridesDigestCoversKindDeadlineAndNote) {
  v1::OverrideDeadlineRequest r;
  r.set_complaint_id("CMP-1");
  r.set_kind(v1::DEADLINE_KIND_RESOLUTION);
  *r.mutable_deadline() = google::protobuf::util::TimeUtil::SecondsToTimestamp(1780000000);
  r.set_note("the supplier needs a spare part");
  const std::string digest = DeadlineOverrideDigest(r);
  v1::OverrideDeadlineRequest same = r;
  same.set_request_id("key");
  same.set_complaint_id("CMP-2");
  EXPECT_EQ(DeadlineOverrideDigest(same), digest);
  v1::OverrideDeadlineRequest kind = r, deadline = r, note = r;
  kind.set_kind(v1::DEADLINE_KIND_ACKNOWLEDGEMENT);
  deadline.mutable_deadline()->set_nanos(1000);
  note.set_note("another reason");
  EXPECT_NE(DeadlineOverrideDigest(kind), digest);
  EXPECT_NE(DeadlineOverrideDigest(deadline), digest);
  EXPECT_NE(DeadlineOverrideDigest(note), digest);
  StepRequest as_step;
  as_step.note = r.note();
  EXPECT_NE(StepDigest(Action::kAssign, as_step), digest);
}

TEST(ComplaintStepRetryTest, AStepsRequestIdIsOptionalAndAtMost128Bytes) {
  for (size_t size : {size_t{0}, size_t{1}, size_t{128}}) {
    errors::Violations v;
    CheckStepRequestId(std::string(size, 'k'), v);
    EXPECT_TRUE(v.empty()) << size;
  }
  errors::Violations v;
  CheckStepRequestId(std::string(129, 'k'), v);
  ASSERT_EQ(v.list().size(), 1u);
  EXPECT_EQ(v.list()[0].field, "request_id");
  EXPECT_EQ(v.list()[0].reason, "TOO_LONG");
}

}  // namespace
}  // namespace parkline::complaints
