// The complaint desk against a real database, on every backend: a complaint filed once and
// driven to CLOSED with its events in the outbox and on the real Kafka broker; bad input refused
// by name with nothing changed; every workflow step retried (with its request_id, or as an exact
// repeat of the last step) answered without a new record entry or event, also when copies race
// through the group commit and two desks; a request_id reused for another step refused with
// nothing changed; the supervision job on a controllable clock; a row tampered with in the
// database found by verification, and a stored complaint rewritten behind its record; contact
// details for the handler alone; the export.
#include "complaints/complaint_desk.h"

#include <gtest/gtest.h>

#include <functional>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "calendar/calendar_data.h"
#include "complaints/complaint_repository.h"
#include "complaints/schema.h"
#include "errors/violations.h"
#include "events/outbox.h"
#include "events/outbox_relay.h"
#include "events/schema.h"
#include "google/protobuf/util/message_differencer.h"
#include "google/protobuf/util/time_util.h"
#include "parkline/complaints/v1/events.pb.h"
#include "parkline/enterprises/v1/events.pb.h"
#include "residents/residents.h"
#include "store/group_commit.h"
#include "tests/support/backend_test.h"
#include "tests/support/test_env.h"

namespace parkline::complaints {
namespace {

using google::protobuf::util::MessageDifferencer;
using google::protobuf::util::TimeUtil;

constexpr char kPhone[] = "+86-571-8888-0001";
constexpr char kComplainantUscc[] = "91350100M000100Y43";
constexpr char kTargetUscc[] = "91110000100000000R";  // another enterprise, valid check char

Viewer Staff(const std::string& name) { return Viewer{name, true, ""}; }
Viewer Enterprise(const std::string& uscc) { return Viewer{"enterprise-" + uscc, false, uscc}; }

class ComplaintDeskTest : public testing::BackendTest<ApplySchema> {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    ASSERT_TRUE(absl::LoadTimeZone("Asia/Shanghai", &park_));
    auto calendar = WorkingCalendar::FromJson(parkline::calendar::kBuiltInCalendar);
    ASSERT_TRUE(calendar.ok());
    deadlines_ = std::make_unique<ComplaintDeadline>(*calendar, park_);
    writer_ = std::make_unique<store::GroupCommitter>(*db_);
    // Monday 9 March 2026, 10:00 in the park.
    now_ = absl::FromCivil(absl::CivilMinute(2026, 3, 9, 10, 0), park_);
    desk_ = std::make_unique<ComplaintDesk>(*db_, *writer_, nullptr, *deadlines_, routing_,
                                            [this] { return now_; });
    Registry("EnterpriseAdmitted", kComplainantUscc);
    Registry("EnterpriseAdmitted", kTargetUscc);
  }

  // An event of the enterprise registry, applied as the service's consumer applies it.
  void Registry(const std::string& type, const std::string& uscc) {
    enterprises::v1::Enterprise enterprise;
    enterprise.set_uscc(uscc);
    ASSERT_TRUE(db_->Transact([&](store::Transaction& tx) {
                     if (type == "EnterpriseDeparted") {
                       enterprises::v1::EnterpriseDeparted departed;
                       *departed.mutable_enterprise() = enterprise;
                       return residents::OnDeparted(tx, departed);
                     }
                     enterprises::v1::EnterpriseAdmitted admitted;
                     *admitted.mutable_enterprise() = enterprise;
                     return residents::OnAdmitted(tx, admitted);
                   })
                    .ok());
  }

  v1::FileComplaintRequest Filing(const std::string& request_id) {
    v1::FileComplaintRequest r;
    r.set_request_id(request_id);
    r.mutable_complainant()->set_kind(v1::PARTY_KIND_RESIDENT_ENTERPRISE);
    r.mutable_complainant()->set_uscc(kComplainantUscc);
    r.mutable_complainant()->mutable_contact()->set_person_name("Chen Jing");
    r.mutable_complainant()->mutable_contact()->set_phone(kPhone);
    r.mutable_target()->set_kind(v1::PARTY_KIND_RESIDENT_ENTERPRISE);
    r.mutable_target()->set_uscc(kTargetUscc);
    r.set_category(v1::CATEGORY_LOGISTICS);
    r.set_channel(v1::CHANNEL_WEB);
    r.set_description("Parcels left in the rain at the shared loading bay.");
    r.add_attachment_refs("docs://complaints/photo-1.jpg");
    return r;
  }

  v1::Complaint FileOne(const std::string& request_id) {
    auto c = desk_->File(Filing(request_id), Staff("hotline"));
    EXPECT_TRUE(c.ok()) << c.status();
    return c.ok() ? *c : v1::Complaint();
  }

  absl::StatusOr<v1::Complaint> Do(Action action, const std::string& id,
                                   const std::string& who = "staff-li") {
    StepRequest step;
    step.complaint_id = id;
    step.note = ActionName(action) + " note";
    step.response = "We moved the loading bay under the canopy.";
    step.satisfaction = 4;
    return desk_->Step(action, step, Staff(who));
  }

  // Do() with the client's idempotency key.
  absl::StatusOr<v1::Complaint> Keyed(Action action, const std::string& id,
                                      const std::string& request_id,
                                      const std::string& who = "staff-li") {
    StepRequest step;
    step.complaint_id = id;
    step.request_id = request_id;
    step.note = ActionName(action) + " note";
    step.response = "We moved the loading bay under the canopy.";
    step.satisfaction = 4;
    return desk_->Step(action, step, Staff(who));
  }

  v1::OverrideDeadlineRequest Override(const std::string& id, const std::string& request_id,
                                       absl::Time deadline) {
    v1::OverrideDeadlineRequest r;
    r.set_complaint_id(id);
    r.set_request_id(request_id);
    r.set_kind(v1::DEADLINE_KIND_RESOLUTION);
    r.set_note("the contractor needs a spare part");
    *r.mutable_deadline() = TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(deadline));
    return r;
  }

  // The complaint with its full history, as the handler sees it.
  v1::Complaint Snapshot(const std::string& id) {
    v1::GetComplaintRequest get;
    get.set_complaint_id(id);
    auto c = desk_->Get(get, Staff("staff-li"));
    EXPECT_TRUE(c.ok()) << c.status();
    return c.ok() ? *c : v1::Complaint();
  }

  // Everything a retry must leave alone: the complaint and its record (compared in full), the
  // outbox, and the record's chain.
  struct State {
    v1::Complaint complaint;
    size_t events;
  };
  State Now(const std::string& id) { return State{Snapshot(id), Pending().size()}; }
  void ExpectUnchanged(const State& before, const std::string& id) {
    State after = Now(id);
    EXPECT_TRUE(MessageDifferencer::Equals(before.complaint, after.complaint))
        << "before: " << before.complaint.ShortDebugString()
        << "\nafter: " << after.complaint.ShortDebugString();
    EXPECT_EQ(after.events, before.events) << "an event was appended to the outbox";
    v1::VerifyRecordRequest verify;
    verify.set_complaint_id(id);
    auto report = desk_->Verify(verify);
    ASSERT_TRUE(report.ok()) << report.status();
    EXPECT_TRUE(report->intact());
  }
  // Whether a retry's answer is OK with the complaint as it is now (Get adds the history).
  ::testing::AssertionResult AnsweredAsItIs(const absl::StatusOr<v1::Complaint>& answer,
                                            const std::string& id) {
    if (!answer.ok()) return ::testing::AssertionFailure() << answer.status();
    v1::Complaint now = Snapshot(id);
    now.clear_history();
    if (!MessageDifferencer::Equals(*answer, now)) {
      return ::testing::AssertionFailure()
             << "answer: " << answer->ShortDebugString() << "\nnow: " << now.ShortDebugString();
    }
    return ::testing::AssertionSuccess();
  }

  std::vector<std::string> TypesFor(const std::string& id) {
    std::vector<std::string> out;
    for (const auto& p : Pending()) {
      if (p.envelope.subject == id) out.push_back(p.envelope.type.substr(23));
    }
    return out;
  }

  int64_t RecordLength(const std::string& id) {
    v1::GetComplaintRequest get;
    get.set_complaint_id(id);
    auto c = desk_->Get(get, Staff("auditor"));
    EXPECT_TRUE(c.ok());
    return c.ok() ? c->history_size() : -1;
  }

  absl::Status Sql(const std::string& sql, const store::Params& params) {
    return db_->Transact([&](store::Transaction& tx) { return tx.Execute(sql, params).status(); });
  }

  absl::TimeZone park_;
  std::unique_ptr<ComplaintDeadline> deadlines_;
  RoutingRules routing_;
  std::unique_ptr<store::GroupCommitter> writer_;
  absl::Time now_;
  std::unique_ptr<ComplaintDesk> desk_;
};

PARKLINE_BACKEND_TESTS(ComplaintDeskTest);

TEST_P(ComplaintDeskTest, FiledOnceAndDrivenToClosedWithItsEventsAndRecord) {
  v1::Complaint c = FileOne("req-life");
  EXPECT_EQ(c.status(), v1::COMPLAINT_STATUS_RECEIVED);
  // Logistics: acknowledge in 1, resolve in 5 working days, the filing day not counted.
  EXPECT_EQ(TimeUtil::TimestampToMicroseconds(c.acknowledge_by()),
            absl::ToUnixMicros(absl::FromCivil(absl::CivilDay(2026, 3, 11), park_)));
  EXPECT_EQ(TimeUtil::TimestampToMicroseconds(c.resolve_by()),
            absl::ToUnixMicros(absl::FromCivil(absl::CivilDay(2026, 3, 17), park_)));

  for (Action a :
       {Action::kAcknowledge, Action::kAssign, Action::kStartInvestigation, Action::kRespond}) {
    now_ += absl::Hours(2);
    ASSERT_TRUE(Do(a, c.complaint_id()).ok()) << ActionName(a);
  }
  now_ += absl::Hours(1);
  auto closed = Do(Action::kClose, c.complaint_id());
  ASSERT_TRUE(closed.ok()) << closed.status();
  EXPECT_EQ(closed->status(), v1::COMPLAINT_STATUS_CLOSED);
  EXPECT_EQ(closed->department(), "logistics-services");
  EXPECT_EQ(closed->forwarded_to_uscc(), kTargetUscc) << "7.3.3: forwarded to the enterprise";
  EXPECT_EQ(closed->handler(), "staff-li");
  EXPECT_EQ(closed->satisfaction(), 4);

  EXPECT_EQ(TypesFor(c.complaint_id()),
            (std::vector<std::string>{"ComplaintFiled", "ComplaintAssigned", "ComplaintResolved",
                                      "ComplaintClosed"}));
  for (const auto& p : Pending()) {
    if (p.envelope.subject != c.complaint_id()) continue;
    EXPECT_EQ(p.envelope.topic, "parkline.complaints.v1");
    EXPECT_EQ(p.envelope.payload.find(kPhone), std::string::npos) << "contact details in an event";
    EXPECT_EQ(p.envelope.payload.find("Chen Jing"), std::string::npos);
    if (p.envelope.type == "parkline.complaints.v1.ComplaintResolved") {
      v1::ComplaintResolved r;
      ASSERT_TRUE(r.ParseFromString(p.envelope.payload));
      EXPECT_TRUE(r.on_time());
      EXPECT_EQ(r.handling_seconds(), 8 * 3600);
    }
  }

  v1::GetComplaintRequest get;
  get.set_complaint_id(c.complaint_id());
  auto full = desk_->Get(get, Staff("staff-li"));
  ASSERT_TRUE(full.ok());
  ASSERT_EQ(full->history_size(), 6);
  EXPECT_EQ(full->history(0).action(), "FILE");
  EXPECT_EQ(full->history(0).actor(), "hotline");
  EXPECT_EQ(full->history(5).action(), "CLOSE");
  EXPECT_EQ(full->history(5).to_status(), v1::COMPLAINT_STATUS_CLOSED);
  EXPECT_EQ(full->history(2).details().at("department"), "logistics-services");

  v1::VerifyRecordRequest verify;
  verify.set_complaint_id(c.complaint_id());
  auto report = desk_->Verify(verify);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->intact());
  EXPECT_EQ(report->entries_checked(), 6);
}

TEST_P(ComplaintDeskTest, ARetriedFilingIsTheSameComplaintAndOtherContentIsRefused) {
  v1::Complaint first = FileOne("req-retry");
  v1::Complaint again = FileOne("req-retry");
  EXPECT_EQ(again.complaint_id(), first.complaint_id());
  EXPECT_EQ(TypesFor(first.complaint_id()).size(), 1u);
  auto other = Filing("req-retry");
  other.set_description("something else");
  EXPECT_TRUE(absl::IsAlreadyExists(desk_->File(other, Staff("hotline")).status()));
}

TEST_P(ComplaintDeskTest, EveryStepRetriedWithItsKeyIsAnsweredFromTheRecordAndChangesNothing) {
  v1::Complaint c = FileOne("req-retry-steps");
  const std::string id = c.complaint_id();
  // Every kind of step, each with a key of its own, each retried at once; then all of them
  // again once the complaint is CLOSED.
  struct Step {
    std::string key;
    std::function<absl::StatusOr<v1::Complaint>()> send;
    v1::ComplaintStatus leads_to;
  };
  auto step = [&](Action action, const std::string& key, v1::ComplaintStatus to) {
    return Step{key, [=] { return Keyed(action, id, key); }, to};
  };
  const absl::Time deadline = now_ + absl::Hours(24 * 20);
  const std::vector<Step> steps = {
      step(Action::kAcknowledge, "k-ack", v1::COMPLAINT_STATUS_ACKNOWLEDGED),
      step(Action::kAssign, "k-assign", v1::COMPLAINT_STATUS_ASSIGNED),
      Step{"k-override",
           [=] {
             return desk_->OverrideDeadline(Override(id, "k-override", deadline),
                                            Staff("staff-li"));
           },
           v1::COMPLAINT_STATUS_ASSIGNED},
      step(Action::kStartInvestigation, "k-start", v1::COMPLAINT_STATUS_INVESTIGATING),
      step(Action::kEscalate, "k-escalate", v1::COMPLAINT_STATUS_ESCALATED),
      step(Action::kRespond, "k-respond", v1::COMPLAINT_STATUS_RESPONDED),
      step(Action::kReopen, "k-reopen", v1::COMPLAINT_STATUS_REOPENED),
      step(Action::kStartInvestigation, "k-start-2", v1::COMPLAINT_STATUS_INVESTIGATING),
      step(Action::kRespond, "k-respond-2", v1::COMPLAINT_STATUS_RESPONDED),
      step(Action::kClose, "k-close", v1::COMPLAINT_STATUS_CLOSED),
  };
  int64_t entries = 1;
  for (const Step& s : steps) {
    SCOPED_TRACE(s.key);
    now_ += absl::Hours(1);
    auto applied = s.send();
    ASSERT_TRUE(applied.ok()) << applied.status();
    EXPECT_EQ(applied->status(), s.leads_to);
    ++entries;
    State before = Now(id);
    ASSERT_EQ(before.complaint.history_size(), entries);
    EXPECT_EQ(before.complaint.history(entries - 1).details().at("request_id"), s.key)
        << "the entry keeps its key, under its hash";
    now_ += absl::Minutes(5);  // the client's timeout
    auto retried = s.send();
    ASSERT_TRUE(AnsweredAsItIs(retried, id));
    EXPECT_TRUE(MessageDifferencer::Equals(*retried, *applied)) << "nothing moved in between";
    ExpectUnchanged(before, id);
  }
  // Much later, every step retried again: each answers with the CLOSED complaint.
  now_ += absl::Hours(24 * 30);  // the overridden deadline has passed too
  State closed = Now(id);
  for (const Step& s : steps) {
    SCOPED_TRACE(s.key);
    auto retried = s.send();
    ASSERT_TRUE(AnsweredAsItIs(retried, id));
    EXPECT_EQ(retried->status(), v1::COMPLAINT_STATUS_CLOSED);
  }
  ExpectUnchanged(closed, id);
  // Exactly one event per applied step that publishes one.
  EXPECT_EQ(TypesFor(id), (std::vector<std::string>{"ComplaintFiled", "ComplaintAssigned",
                                                    "ComplaintAssigned", "ComplaintResolved",
                                                    "ComplaintResolved", "ComplaintClosed"}));
}

TEST_P(ComplaintDeskTest, AKeyReusedForAnotherStepIsRefusedAndChangesNothing) {
  v1::Complaint c = FileOne("req-reused");
  v1::Complaint other = FileOne("req-reused-other");
  ASSERT_TRUE(Keyed(Action::kAcknowledge, c.complaint_id(), "k-ack").ok());
  ASSERT_TRUE(Keyed(Action::kAcknowledge, other.complaint_id(), "k-ack-other").ok());
  StepRequest assign;
  assign.complaint_id = c.complaint_id();
  assign.request_id = "k-assign";
  assign.department = "facilities-management";
  assign.note = "the bay is a facility";
  ASSERT_TRUE(desk_->Step(Action::kAssign, assign, Staff("staff-li")).ok());
  State before = Now(c.complaint_id());
  State other_before = Now(other.complaint_id());

  auto expect_refused = [&](const absl::StatusOr<v1::Complaint>& r, const char* what) {
    SCOPED_TRACE(what);
    ASSERT_TRUE(absl::IsAlreadyExists(r.status())) << r.status();
    EXPECT_EQ(r.status().message().rfind("request_id: 'k-assign' already applied ASSIGN", 0), 0u)
        << r.status();
    ExpectUnchanged(before, c.complaint_id());
    ExpectUnchanged(other_before, other.complaint_id());
  };
  StepRequest changed = assign;
  changed.department = "logistics-services";
  expect_refused(desk_->Step(Action::kAssign, changed, Staff("staff-li")), "other department");
  changed = assign;
  changed.note = "another note";
  expect_refused(desk_->Step(Action::kAssign, changed, Staff("staff-li")), "other note");
  expect_refused(desk_->Step(Action::kAssign, assign, Staff("staff-zhao")), "another caller");
  expect_refused(Keyed(Action::kStartInvestigation, c.complaint_id(), "k-assign"),
                 "another step, allowed by the workflow");
  changed = assign;
  changed.complaint_id = other.complaint_id();
  expect_refused(desk_->Step(Action::kAssign, changed, Staff("staff-li")), "another complaint");
  auto o = desk_->OverrideDeadline(Override(c.complaint_id(), "k-assign", now_ + absl::Hours(48)),
                                   Staff("staff-li"));
  expect_refused(o, "a deadline override");

  // The key still retries its own step, and a fresh key applies the new one.
  EXPECT_TRUE(
      AnsweredAsItIs(desk_->Step(Action::kAssign, assign, Staff("staff-li")), c.complaint_id()));
  ExpectUnchanged(before, c.complaint_id());
  auto start = Keyed(Action::kStartInvestigation, c.complaint_id(), "k-start");
  ASSERT_TRUE(start.ok()) << start.status();
  EXPECT_EQ(start->status(), v1::COMPLAINT_STATUS_INVESTIGATING);
  // A step that was refused stored nothing: its key is judged afresh once the step is possible.
  EXPECT_TRUE(
      absl::IsFailedPrecondition(Keyed(Action::kClose, c.complaint_id(), "k-close").status()));
  ASSERT_TRUE(Keyed(Action::kRespond, c.complaint_id(), "k-respond").ok());
  EXPECT_TRUE(Keyed(Action::kClose, c.complaint_id(), "k-close").ok());
  EXPECT_EQ(RecordLength(c.complaint_id()), 6);

  StepRequest long_key = assign;
  long_key.request_id = std::string(129, 'k');
  auto too_long = desk_->Step(Action::kAssign, long_key, Staff("staff-li"));
  ASSERT_TRUE(absl::IsInvalidArgument(too_long.status()));
  EXPECT_EQ(errors::ViolationsOf(too_long.status()).at(0).field, "request_id");
}

TEST_P(ComplaintDeskTest, WithoutAKeyAnExactRepeatOfTheLastStepIsARetry) {
  v1::Complaint c = FileOne("req-repeat");
  const std::string id = c.complaint_id();
  ASSERT_TRUE(Do(Action::kAcknowledge, id).ok());
  State acked = Now(id);
  now_ += absl::Minutes(1);
  EXPECT_TRUE(AnsweredAsItIs(Do(Action::kAcknowledge, id), id));  // was FAILED_PRECONDITION
  ExpectUnchanged(acked, id);

  // ASSIGN may follow itself: repeated as it was, it is the same step, not a second one.
  ASSERT_TRUE(Do(Action::kAssign, id).ok());
  State assigned = Now(id);
  now_ += absl::Minutes(1);
  EXPECT_TRUE(AnsweredAsItIs(Do(Action::kAssign, id), id));
  ExpectUnchanged(assigned, id);
  EXPECT_EQ(TypesFor(id), (std::vector<std::string>{"ComplaintFiled", "ComplaintAssigned"}));

  // By another caller, or with other content, it is a new step.
  ASSERT_TRUE(Do(Action::kAssign, id, "staff-zhao").ok());
  EXPECT_EQ(RecordLength(id), 4);
  StepRequest elsewhere;
  elsewhere.complaint_id = id;
  elsewhere.department = "facilities-management";
  ASSERT_TRUE(desk_->Step(Action::kAssign, elsewhere, Staff("staff-zhao")).ok());
  EXPECT_EQ(RecordLength(id), 5);
  // Once another step came in between, a keyless repeat is judged as new, as before.
  ASSERT_TRUE(Do(Action::kStartInvestigation, id).ok());
  ASSERT_TRUE(Do(Action::kRespond, id).ok());
  State responded = Now(id);
  EXPECT_TRUE(absl::IsFailedPrecondition(Do(Action::kStartInvestigation, id).status()));
  ExpectUnchanged(responded, id);
  EXPECT_EQ(TypesFor(id),
            (std::vector<std::string>{"ComplaintFiled", "ComplaintAssigned", "ComplaintAssigned",
                                      "ComplaintAssigned", "ComplaintResolved"}));

  // A deadline override repeated as it was is the same override.
  v1::Complaint d = FileOne("req-repeat-override");
  auto once = Override(d.complaint_id(), "", now_ + absl::Hours(72));
  ASSERT_TRUE(desk_->OverrideDeadline(once, Staff("staff-li")).ok());
  State overridden = Now(d.complaint_id());
  EXPECT_TRUE(AnsweredAsItIs(desk_->OverrideDeadline(once, Staff("staff-li")), d.complaint_id()));
  ExpectUnchanged(overridden, d.complaint_id());
}

TEST_P(ComplaintDeskTest, ARetriedOverrideIsAnsweredEvenOnceItsDeadlinePassed) {
  v1::Complaint c = FileOne("req-override-late");
  auto soon = Override(c.complaint_id(), "k-soon", now_ + absl::Hours(1));
  ASSERT_TRUE(desk_->OverrideDeadline(soon, Staff("staff-li")).ok());
  State before = Now(c.complaint_id());
  now_ += absl::Hours(2);
  EXPECT_TRUE(AnsweredAsItIs(desk_->OverrideDeadline(soon, Staff("staff-li")), c.complaint_id()));
  ExpectUnchanged(before, c.complaint_id());
  // A new override to a passed deadline is still refused, naming the field; nothing changes.
  soon.set_request_id("k-soon-2");
  auto past = desk_->OverrideDeadline(soon, Staff("staff-li"));
  ASSERT_TRUE(absl::IsInvalidArgument(past.status())) << past.status();
  EXPECT_EQ(errors::ViolationsOf(past.status()).at(0).field, "deadline");
  EXPECT_EQ(errors::ViolationsOf(past.status()).at(0).reason, "IN_THE_PAST");
  ExpectUnchanged(before, c.complaint_id());
  // With another broken rule too, both are named at once.
  soon.clear_note();
  auto both = desk_->OverrideDeadline(soon, Staff("staff-li"));
  ASSERT_TRUE(absl::IsInvalidArgument(both.status()));
  EXPECT_EQ(errors::ViolationsOf(both.status()).size(), 2u);
}

TEST_P(ComplaintDeskTest, CopiesOfOneStepRacingThroughGroupCommitAndTwoDesksApplyOnce) {
  // A second desk on the same database, with its own connection and group commit: another
  // replica of the service.
  auto db2 = store::Database::Open(database_.url());
  ASSERT_TRUE(db2.ok()) << db2.status();
  store::GroupCommitter writer2(**db2);
  ComplaintDesk desk2(**db2, writer2, nullptr, *deadlines_, routing_, [this] { return now_; });

  v1::Complaint c = FileOne("req-race");
  const std::string id = c.complaint_id();
  ASSERT_TRUE(Do(Action::kAcknowledge, id).ok());
  constexpr int kCopies = 12;
  // Each round: every copy of the step at once, half through each desk; every copy answers OK
  // with the step applied once.
  auto race = [&](Action action, const std::string& request_id) {
    SCOPED_TRACE(ActionName(action) + " " + request_id);
    StepRequest step;
    step.complaint_id = id;
    step.request_id = request_id;
    step.note = "sent by the park's ERP";
    step.response = "fixed";
    step.satisfaction = 5;
    std::vector<absl::Status> results(kCopies);
    std::vector<std::thread> threads;
    for (int i = 0; i < kCopies; ++i) {
      threads.emplace_back([&, i] {
        ComplaintDesk& desk = i % 2 == 0 ? *desk_ : desk2;
        results[i] = desk.Step(action, step, Staff("park-erp")).status();
      });
    }
    for (auto& t : threads) t.join();
    for (const absl::Status& r : results) EXPECT_TRUE(r.ok()) << r;
  };
  race(Action::kAssign, "k-race-assign");
  race(Action::kStartInvestigation, "");  // an exact repeat, without a key
  race(Action::kRespond, "k-race-respond");
  race(Action::kClose, "k-race-close");
  v1::Complaint now = Snapshot(id);
  EXPECT_EQ(now.status(), v1::COMPLAINT_STATUS_CLOSED);
  std::vector<std::string> actions;
  for (const auto& e : now.history()) actions.push_back(e.action());
  EXPECT_EQ(actions, (std::vector<std::string>{"FILE", "ACKNOWLEDGE", "ASSIGN",
                                               "START_INVESTIGATION", "RESPOND", "CLOSE"}));
  EXPECT_EQ(TypesFor(id), (std::vector<std::string>{"ComplaintFiled", "ComplaintAssigned",
                                                    "ComplaintResolved", "ComplaintClosed"}));
  v1::VerifyRecordRequest verify;
  EXPECT_TRUE(desk_->Verify(verify)->intact());
}

TEST_P(ComplaintDeskTest, EnterprisesMustBeResidentAsTheRegistrySays) {
  Registry("EnterpriseDeparted", kTargetUscc);
  auto refused = desk_->File(Filing("req-departed"), Staff("hotline"));
  ASSERT_TRUE(absl::IsInvalidArgument(refused.status())) << refused.status();
  auto violations = errors::ViolationsOf(refused.status());
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].field, "target.uscc");
  EXPECT_EQ(violations[0].reason, "NOT_RESIDENT");
  EXPECT_TRUE(Pending().empty());
  Registry("EnterpriseAdmitted", kTargetUscc);
  EXPECT_TRUE(desk_->File(Filing("req-departed"), Staff("hotline")).ok());
}

// A database from before the shared residents projection (complaints migration 4) keeps its
// residents: the USCCs of the older table move into the library's and the older table goes.
TEST_P(ComplaintDeskTest, ResidentsOfTheOlderProjectionAreKeptWhenTheSchemaMovesOn) {
  ASSERT_TRUE(db_->Transact([](store::Transaction& tx) -> absl::Status {
                   for (const char* sql :
                        {"DELETE FROM resident_codes",
                         "CREATE TABLE resident_enterprises (uscc TEXT PRIMARY KEY)",
                         "DELETE FROM schema_migrations WHERE component = 'complaints' AND "
                         "version = 4"}) {
                     if (auto r = tx.Execute(sql); !r.ok()) return r.status();
                   }
                   return tx
                       .Execute("INSERT INTO resident_enterprises (uscc) VALUES ($1)",
                                {std::string(kTargetUscc)})
                       .status();
                 })
                  .ok());
  ASSERT_TRUE(ApplySchema(*db_).ok());
  EXPECT_TRUE(desk_->File(Filing("req-kept"), Staff("hotline")).status().code() ==
              absl::StatusCode::kInvalidArgument)
      << "the complainant was not in the older table";
  Registry("EnterpriseAdmitted", kComplainantUscc);
  EXPECT_TRUE(desk_->File(Filing("req-kept"), Staff("hotline")).ok()) << "the target was kept";
  auto left = db_->Read([](store::Transaction& tx) {
    return tx.Query("SELECT 1 FROM resident_enterprises").status();
  });
  EXPECT_FALSE(left.ok()) << "the older table is gone";
}

TEST_P(ComplaintDeskTest, BadInputIsNamedAndChangesNothing) {
  v1::Complaint c = FileOne("req-bad");
  size_t events = Pending().size();
  // Impossible transitions.
  for (Action a : {Action::kAssign, Action::kRespond, Action::kClose, Action::kReopen,
                   Action::kStartInvestigation}) {
    auto r = Do(a, c.complaint_id());
    EXPECT_TRUE(absl::IsFailedPrecondition(r.status())) << ActionName(a) << " " << r.status();
  }
  ASSERT_TRUE(Do(Action::kAcknowledge, c.complaint_id()).ok());
  events = Pending().size();
  int64_t length = RecordLength(c.complaint_id());

  StepRequest unknown;
  unknown.complaint_id = c.complaint_id();
  unknown.department = "marketing";
  auto r = desk_->Step(Action::kAssign, unknown, Staff("staff-li"));
  ASSERT_TRUE(absl::IsInvalidArgument(r.status()));
  EXPECT_EQ(errors::ViolationsOf(r.status()).at(0).field, "department");
  EXPECT_EQ(errors::ViolationsOf(r.status()).at(0).reason, "UNKNOWN_DEPARTMENT");

  StepRequest unhappy;
  unhappy.complaint_id = c.complaint_id();
  unhappy.satisfaction = 7;
  r = desk_->Step(Action::kClose, unhappy, Staff("staff-li"));
  ASSERT_TRUE(absl::IsInvalidArgument(r.status()));
  EXPECT_EQ(errors::ViolationsOf(r.status()).at(0).field, "satisfaction");

  v1::OverrideDeadlineRequest past;
  past.set_complaint_id(c.complaint_id());
  past.set_kind(v1::DEADLINE_KIND_RESOLUTION);
  past.set_note("moved");
  *past.mutable_deadline() = TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(now_) - 1);
  auto o = desk_->OverrideDeadline(past, Staff("staff-li"));
  ASSERT_TRUE(absl::IsInvalidArgument(o.status()));
  EXPECT_EQ(errors::ViolationsOf(o.status()).at(0).reason, "IN_THE_PAST");

  auto bad = Filing("req-bad-2");
  bad.set_category(static_cast<v1::Category>(99));
  auto f = desk_->File(bad, Staff("hotline"));
  ASSERT_TRUE(absl::IsInvalidArgument(f.status()));
  EXPECT_EQ(errors::ViolationsOf(f.status()).at(0).reason, "UNKNOWN_CATEGORY");

  EXPECT_TRUE(absl::IsNotFound(Do(Action::kAcknowledge, "CMP-nope").status()));
  EXPECT_EQ(Pending().size(), events);
  EXPECT_EQ(RecordLength(c.complaint_id()), length);

  // A valid override moves the deadline and is recorded.
  *past.mutable_deadline() =
      TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(now_ + absl::Hours(24 * 20)));
  ASSERT_TRUE(desk_->OverrideDeadline(past, Staff("staff-li")).ok());
  EXPECT_EQ(RecordLength(c.complaint_id()), length + 1);
}

TEST_P(ComplaintDeskTest, SupervisionMarksPassedDeadlinesOnceAndEscalates) {
  v1::Complaint late = FileOne("req-late");
  v1::Complaint prompt = FileOne("req-prompt");
  ASSERT_TRUE(Do(Action::kAcknowledge, prompt.complaint_id()).ok());
  SupervisionJob job(*desk_, [this] { return now_; });

  now_ = absl::FromCivil(absl::CivilMinute(2026, 3, 10, 23, 59), park_);  // before the deadline
  EXPECT_EQ(*job.RunOnce(), 0);
  now_ = absl::FromCivil(absl::CivilMinute(2026, 3, 11, 0, 1), park_);  // just after
  EXPECT_EQ(*job.RunOnce(), 1);
  EXPECT_EQ(*job.RunOnce(), 0);

  v1::GetComplaintRequest get;
  get.set_complaint_id(late.complaint_id());
  auto c = desk_->Get(get, Staff("auditor"));
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->status(), v1::COMPLAINT_STATUS_ESCALATED);
  EXPECT_EQ(c->department(), "supervision-office");
  EXPECT_TRUE(c->acknowledgement_overdue());
  EXPECT_EQ(c->history(c->history_size() - 1).actor(), "supervision");
  EXPECT_EQ(TypesFor(late.complaint_id()),
            (std::vector<std::string>{"ComplaintFiled", "ComplaintOverdue"}));
  for (const auto& p : Pending()) {
    if (p.envelope.type != "parkline.complaints.v1.ComplaintOverdue") continue;
    v1::ComplaintOverdue o;
    ASSERT_TRUE(o.ParseFromString(p.envelope.payload));
    EXPECT_EQ(o.deadline_kind(), v1::DEADLINE_KIND_ACKNOWLEDGEMENT);
    EXPECT_EQ(o.escalated_to(), "supervision-office");
  }

  // After the resolution deadline (end of Mon 16 March) both are overdue for resolution.
  now_ = absl::FromCivil(absl::CivilMinute(2026, 3, 17, 9, 0), park_);
  EXPECT_EQ(*job.RunOnce(), 2);
  EXPECT_EQ(TypesFor(prompt.complaint_id()),
            (std::vector<std::string>{"ComplaintFiled", "ComplaintOverdue"}));
  v1::VerifyRecordRequest all;
  EXPECT_TRUE(desk_->Verify(all)->intact());
}

TEST_P(ComplaintDeskTest, ATamperedRowInTheDatabaseIsFoundWhereItBreaks) {
  v1::Complaint c = FileOne("req-tamper");
  v1::Complaint untouched = FileOne("req-untouched");
  for (Action a : {Action::kAcknowledge, Action::kAssign, Action::kStartInvestigation}) {
    ASSERT_TRUE(Do(a, c.complaint_id()).ok());
  }
  ASSERT_TRUE(Sql("UPDATE complaint_record SET note = $1 WHERE complaint_id = $2 AND sequence = 3",
                  {std::string("assigned to nobody"), c.complaint_id()})
                  .ok());
  v1::VerifyRecordRequest one;
  one.set_complaint_id(c.complaint_id());
  auto report = desk_->Verify(one);
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->intact());
  ASSERT_EQ(report->breaks_size(), 1);
  EXPECT_EQ(report->breaks(0).sequence(), 3);

  auto all = desk_->Verify(v1::VerifyRecordRequest());
  ASSERT_TRUE(all.ok());
  EXPECT_FALSE(all->intact());
  EXPECT_EQ(all->complaints_checked(), 2);
  ASSERT_EQ(all->breaks_size(), 1);
  EXPECT_EQ(all->breaks(0).complaint_id(), c.complaint_id());

  // Deleting the newest entry of the other complaint shows against its head.
  ASSERT_TRUE(
      Sql("DELETE FROM complaint_record WHERE complaint_id = $1", {untouched.complaint_id()}).ok());
  all = desk_->Verify(v1::VerifyRecordRequest());
  ASSERT_EQ(all->breaks_size(), 2);
}

// What GetComplaint and the export return is checked against the record: a stored complaint
// rewritten in the database with its record's head kept is found, and the field named.
TEST_P(ComplaintDeskTest, AStoredComplaintRewrittenBehindItsRecordIsFoundAndNamed) {
  struct Rewrite {
    std::string name;
    std::function<void(v1::Complaint&)> change;
    std::string named;
  };
  std::vector<Rewrite> rewrites = {
      {"description", [](v1::Complaint& c) { c.set_description("withdrawn"); }, "description"},
      {"satisfaction", [](v1::Complaint& c) { c.set_satisfaction(5); },
       "satisfaction: \"5\", where entry 6 recorded \"1\""},
      {"complainant", [](v1::Complaint& c) { c.mutable_complainant()->set_uscc(kTargetUscc); },
       "complainant"},
  };
  for (const Rewrite& rewrite : rewrites) {
    SCOPED_TRACE(rewrite.name);
    const std::string id = FileOne("req-rewrite-" + rewrite.name).complaint_id();
    for (Action a :
         {Action::kAcknowledge, Action::kAssign, Action::kStartInvestigation, Action::kRespond}) {
      ASSERT_TRUE(Do(a, id).ok()) << ActionName(a);
    }
    StepRequest close;
    close.complaint_id = id;
    close.satisfaction = 1;
    ASSERT_TRUE(desk_->Step(Action::kClose, close, Staff("staff-li")).ok());
    v1::VerifyRecordRequest one;
    one.set_complaint_id(id);
    ASSERT_TRUE(desk_->Verify(one)->intact());

    ASSERT_TRUE(db_->Transact([&](store::Transaction& tx) -> absl::Status {
                     ComplaintRepository repo(tx);
                     auto found = repo.Find(id);
                     if (!found.ok()) return found.status();
                     StoredComplaint stored = std::move(**found);
                     rewrite.change(stored.complaint);
                     return repo.Update(stored.complaint, stored.head);
                   })
                    .ok());
    auto report = desk_->Verify(one);
    ASSERT_TRUE(report.ok()) << report.status();
    EXPECT_FALSE(report->intact());
    ASSERT_EQ(report->breaks_size(), 1);
    EXPECT_EQ(report->breaks(0).complaint_id(), id);
    EXPECT_EQ(report->breaks(0).sequence(), 0) << "the complaint, not an entry";
    EXPECT_NE(report->breaks(0).reason().find(rewrite.named), std::string::npos)
        << report->breaks(0).reason();
  }
  auto all = desk_->Verify(v1::VerifyRecordRequest());
  ASSERT_TRUE(all.ok());
  EXPECT_FALSE(all->intact());
  EXPECT_EQ(all->complaints_checked(), 3);
  EXPECT_EQ(all->breaks_size(), 3);
}

TEST_P(ComplaintDeskTest, ContactDetailsAreForTheHandlerAlone) {
  v1::Complaint filed = FileOne("req-private");
  EXPECT_FALSE(filed.complainant().has_contact()) << "nobody handles it yet";
  auto acked = Do(Action::kAcknowledge, filed.complaint_id(), "staff-li");
  ASSERT_TRUE(acked.ok());
  EXPECT_EQ(acked->complainant().contact().phone(), kPhone);

  v1::GetComplaintRequest get;
  get.set_complaint_id(filed.complaint_id());
  EXPECT_EQ(desk_->Get(get, Staff("staff-li"))->complainant().contact().phone(), kPhone);
  EXPECT_FALSE(desk_->Get(get, Staff("staff-zhao"))->complainant().has_contact());

  // The complainant enterprise sees its complaint (without contact details); the target only
  // once it was forwarded, and without the complainant's identity; anyone else gets NOT_FOUND.
  get.set_party_uscc(kComplainantUscc);
  auto own = desk_->Get(get, Enterprise(kComplainantUscc));
  ASSERT_TRUE(own.ok()) << own.status();
  EXPECT_FALSE(own->complainant().has_contact());
  EXPECT_EQ(own->complainant().uscc(), kComplainantUscc);
  get.set_party_uscc(kTargetUscc);
  EXPECT_TRUE(absl::IsNotFound(desk_->Get(get, Enterprise(kTargetUscc)).status()));
  ASSERT_TRUE(Do(Action::kAssign, filed.complaint_id()).ok());
  auto target = desk_->Get(get, Enterprise(kTargetUscc));
  ASSERT_TRUE(target.ok()) << target.status();
  EXPECT_TRUE(target->complainant().uscc().empty());
  EXPECT_FALSE(target->complainant().has_contact());
  get.set_party_uscc("91330100MA27XXXX0X");
  EXPECT_TRUE(absl::IsNotFound(desk_->Get(get, Enterprise("91330100MA27XXXX0X")).status()));

  v1::ListComplaintsRequest list;
  list.set_party_uscc(kTargetUscc);
  auto listed = desk_->List(list, Enterprise(kTargetUscc));
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->complaints_size(), 1);
  EXPECT_FALSE(listed->complaints(0).complainant().has_contact());
}

TEST_P(ComplaintDeskTest, ReopenedComplaintsGetANewResolutionDeadline) {
  v1::Complaint c = FileOne("req-reopen");
  for (Action a :
       {Action::kAcknowledge, Action::kAssign, Action::kStartInvestigation, Action::kRespond}) {
    ASSERT_TRUE(Do(a, c.complaint_id()).ok());
  }
  now_ = absl::FromCivil(absl::CivilMinute(2026, 3, 20, 9, 0), park_);  // Friday
  auto reopened = Do(Action::kReopen, c.complaint_id());
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(reopened->status(), v1::COMPLAINT_STATUS_REOPENED);
  EXPECT_EQ(TimeUtil::TimestampToMicroseconds(reopened->resolve_by()),
            absl::ToUnixMicros(absl::FromCivil(absl::CivilDay(2026, 3, 28), park_)));
  EXPECT_TRUE(Do(Action::kStartInvestigation, c.complaint_id()).ok());
  EXPECT_TRUE(Do(Action::kRespond, c.complaint_id()).ok());
  EXPECT_EQ(TypesFor(c.complaint_id()),
            (std::vector<std::string>{"ComplaintFiled", "ComplaintAssigned", "ComplaintResolved",
                                      "ComplaintResolved"}));
}

TEST_P(ComplaintDeskTest, ThePeriodExportCarriesTheHistoryAndNoContactDetails) {
  v1::Complaint march = FileOne("req-march");
  ASSERT_TRUE(Do(Action::kAcknowledge, march.complaint_id()).ok());
  now_ = absl::FromCivil(absl::CivilMinute(2026, 4, 1, 0, 30), park_);
  v1::Complaint april = FileOne("req-april");
  v1::ExportComplaintsRequest r;
  r.mutable_from()->set_year(2026);
  r.mutable_from()->set_month(3);
  r.mutable_from()->set_day(1);
  r.mutable_to()->set_year(2026);
  r.mutable_to()->set_month(3);
  r.mutable_to()->set_day(31);
  auto out = desk_->Export(r);
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->complaints_size(), 1);
  EXPECT_EQ(out->complaints(0).complaint_id(), march.complaint_id());
  EXPECT_EQ(out->complaints(0).history_size(), 2);
  EXPECT_FALSE(out->complaints(0).complainant().has_contact());
  r.mutable_to()->set_month(2);
  EXPECT_TRUE(absl::IsInvalidArgument(desk_->Export(r).status()));
}

TEST_P(ComplaintDeskTest, FeedbackIsRecordedOnceWithItsSource) {
  v1::RecordFeedbackRequest r;
  r.set_request_id("survey-2026-q1");
  r.mutable_feedback()->set_source(v1::FEEDBACK_SOURCE_THIRD_PARTY);
  r.mutable_feedback()->set_source_name("Zhejiang Quality Survey Institute");
  r.mutable_feedback()->mutable_survey_date()->set_year(2026);
  r.mutable_feedback()->mutable_survey_date()->set_month(3);
  r.mutable_feedback()->mutable_survey_date()->set_day(5);
  r.mutable_feedback()->set_satisfaction_centi(436);
  r.mutable_feedback()->set_respondents(52);
  auto first = desk_->RecordFeedback(r, Staff("staff-li"));
  ASSERT_TRUE(first.ok()) << first.status();
  auto again = desk_->RecordFeedback(r, Staff("staff-li"));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->feedback_id(), first->feedback_id());
  r.mutable_feedback()->set_satisfaction_centi(600);
  EXPECT_TRUE(absl::IsInvalidArgument(desk_->RecordFeedback(r, Staff("staff-li")).status()));
  auto list = desk_->ListFeedback(v1::ListFeedbackRequest());
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->feedback_size(), 1);
  EXPECT_EQ(list->feedback(0).source(), v1::FEEDBACK_SOURCE_THIRD_PARTY);
}

// The quality service's assessment reads feedback from its event (7.2.2): one event per feedback
// (the retry and the refused one publish nothing), with the figures and no personal data.
TEST_P(ComplaintDeskTest, FeedbackPublishesItsFiguresOnceWithoutPersonalData) {
  v1::RecordFeedbackRequest r;
  r.set_request_id("survey-2026-q1");
  r.mutable_feedback()->set_source(v1::FEEDBACK_SOURCE_PARK_SURVEY);
  r.mutable_feedback()->set_source_name("Wang Xiaoming, resident of unit 3-201");
  r.mutable_feedback()->mutable_survey_date()->set_year(2026);
  r.mutable_feedback()->mutable_survey_date()->set_month(3);
  r.mutable_feedback()->mutable_survey_date()->set_day(5);
  r.mutable_feedback()->set_satisfaction_centi(436);
  r.mutable_feedback()->set_respondents(52);
  r.mutable_feedback()->set_summary("Call me on +86-571-8888-0001 about the loading bay");
  r.mutable_feedback()->set_report_ref("https://archive.example/wang-survey.pdf");
  auto first = desk_->RecordFeedback(r, Staff("staff-li"));
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_TRUE(desk_->RecordFeedback(r, Staff("staff-li")).ok());
  r.set_request_id("survey-bad");
  r.mutable_feedback()->set_satisfaction_centi(600);
  EXPECT_FALSE(desk_->RecordFeedback(r, Staff("staff-li")).ok());
  std::vector<events::Envelope> recorded;
  for (auto& e : Outbox()) {
    if (e.type == "parkline.complaints.v1.FeedbackRecorded") recorded.push_back(e);
  }
  ASSERT_EQ(recorded.size(), 1u);
  EXPECT_EQ(recorded[0].subject, first->feedback_id());
  v1::FeedbackRecorded event;
  ASSERT_TRUE(event.ParseFromString(recorded[0].payload));
  EXPECT_EQ(event.feedback_id(), first->feedback_id());
  EXPECT_EQ(event.source(), v1::FEEDBACK_SOURCE_PARK_SURVEY);
  EXPECT_EQ(event.survey_day(), "2026-03-05");
  EXPECT_EQ(event.satisfaction_centi(), 436);
  EXPECT_EQ(event.respondents(), 52);
  for (const char* personal : {"Wang", "8888", "wang-survey"}) {
    EXPECT_EQ(recorded[0].payload.find(personal), std::string::npos) << personal;
  }
}

TEST_P(ComplaintDeskTest, TheEventsReachTheRealBrokerInOrder) {
  // A topic of this test's own, through the relay's topic prefix.
  const std::string prefix = testing::UniqueTopic("complaints") + ".";
  ASSERT_TRUE(testing::CreateTopic(prefix + kTopic, 3).ok());
  v1::Complaint c = FileOne(absl::StrCat("req-kafka-", events::NewUuid()));
  for (Action a : {Action::kAcknowledge, Action::kAssign, Action::kStartInvestigation,
                   Action::kRespond, Action::kClose}) {
    ASSERT_TRUE(Do(a, c.complaint_id()).ok());
  }
  events::RelayOptions options;
  options.brokers = testing::KafkaBrokers();
  options.topic_prefix = prefix;
  events::OutboxRelay relay(*db_, options);
  ASSERT_TRUE(relay.Start().ok());
  relay.Notify();
  absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (!Pending().empty() && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(50));
  relay.Stop(absl::Seconds(5));
  ASSERT_TRUE(Pending().empty()) << "the relay did not publish the outbox";
  auto records = testing::ReadTopic(
      prefix + kTopic, absl::Seconds(60),
      [&](const testing::ConsumedRecord& r) { return r.key == c.complaint_id(); },
      [](const std::vector<testing::ConsumedRecord>& kept) { return kept.size() >= 4; });
  std::vector<std::string> types;
  for (const auto& r : records) {
    types.push_back(testing::Header(r, "ce_type"));
    EXPECT_EQ(testing::Header(r, "ce_source"), "/parkline/complaints");
    EXPECT_EQ(r.value.find(kPhone), std::string::npos);
  }
  EXPECT_EQ(types, (std::vector<std::string>{"parkline.complaints.v1.ComplaintFiled",
                                             "parkline.complaints.v1.ComplaintAssigned",
                                             "parkline.complaints.v1.ComplaintResolved",
                                             "parkline.complaints.v1.ComplaintClosed"}));
}

TEST_P(ComplaintDeskTest, RetriedStepsLeaveOneEventPerAppliedStepOnTheBroker) {
  // One partition of a topic of this test's own: everything reaches it in outbox order, so the
  // sentinel complaint filed last says when everything before it was read.
  const std::string prefix = testing::UniqueTopic("complaints-retry") + ".";
  ASSERT_TRUE(testing::CreateTopic(prefix + kTopic, 1).ok());
  events::RelayOptions options;
  options.brokers = testing::KafkaBrokers();
  options.topic_prefix = prefix;
  events::OutboxRelay relay(*db_, options);
  ASSERT_TRUE(relay.Start().ok());
  auto published = [&] {
    relay.Notify();
    absl::Time deadline = absl::Now() + absl::Seconds(30);
    while (!Pending().empty() && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(50));
    return Pending().empty();
  };

  v1::Complaint c = FileOne(absl::StrCat("req-kafka-retry-", events::NewUuid()));
  const std::string run = events::NewUuid();
  for (Action a : {Action::kAcknowledge, Action::kAssign, Action::kStartInvestigation,
                   Action::kRespond, Action::kClose}) {
    const std::string key = absl::StrCat(ActionName(a), "-", run);
    ASSERT_TRUE(Keyed(a, c.complaint_id(), key).ok()) << ActionName(a);
    ASSERT_TRUE(published()) << "the relay did not publish the outbox";
    // Retried after the step's event went out, with its key and as a keyless exact repeat.
    EXPECT_TRUE(Keyed(a, c.complaint_id(), key).ok()) << ActionName(a);
    EXPECT_TRUE(Keyed(a, c.complaint_id(), key).ok()) << ActionName(a);
    EXPECT_TRUE(Do(a, c.complaint_id()).ok()) << ActionName(a);
  }
  // A key reused for another step publishes nothing either.
  EXPECT_TRUE(absl::IsAlreadyExists(
      Keyed(Action::kReopen, c.complaint_id(), absl::StrCat("CLOSE-", run)).status()));
  v1::Complaint sentinel = FileOne(absl::StrCat("req-kafka-sentinel-", events::NewUuid()));
  ASSERT_TRUE(published());
  relay.Stop(absl::Seconds(5));

  auto records = testing::ReadTopic(
      prefix + kTopic, absl::Seconds(60),
      [&](const testing::ConsumedRecord& r) {
        return r.key == c.complaint_id() || r.key == sentinel.complaint_id();
      },
      [&](const std::vector<testing::ConsumedRecord>& kept) {
        return !kept.empty() && kept.back().key == sentinel.complaint_id();
      });
  ASSERT_FALSE(records.empty());
  ASSERT_EQ(records.back().key, sentinel.complaint_id()) << "the sentinel was not read";
  std::vector<std::string> types;
  for (const auto& r : records) {
    if (r.key == c.complaint_id()) types.push_back(testing::Header(r, "ce_type").substr(23));
  }
  EXPECT_EQ(types, (std::vector<std::string>{"ComplaintFiled", "ComplaintAssigned",
                                             "ComplaintResolved", "ComplaintClosed"}));
}

}  // namespace
}  // namespace parkline::complaints
