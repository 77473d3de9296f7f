// What a complaint's record says the complaint is: the filing's digest covers what was filed
// (not the contact details) in an encoding that cannot be shifted; replaying the record of every
// kind of step, written as the desk writes it, gives the complaint as stored; a stored complaint
// changed behind the record's back is named field by field; a filing recorded before the digest
// leaves its filed content unchecked and everything else checked.
#include "complaints/recorded_state.h"

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "auth/sha256.h"
#include "calendar/calendar_data.h"
#include "complaints/complaint_change.h"
#include "complaints/complaint_time.h"
#include "complaints/contact_privacy.h"
#include "complaints/record_chain.h"
#include "complaints/step_effects.h"

namespace parkline::complaints {
namespace {

constexpr char kId[] = "CMP-20260309-000000000001";
constexpr char kComplainantUscc[] = "91350100M000100Y43";
constexpr char kTargetUscc[] = "91110000100000000R";
const std::string kActor = "staff-li";

v1::FileComplaintRequest Request() {
  v1::FileComplaintRequest r;
  r.set_request_id("req-1");
  r.mutable_complainant()->set_kind(v1::PARTY_KIND_RESIDENT_ENTERPRISE);
  r.mutable_complainant()->set_uscc(kComplainantUscc);
  r.mutable_complainant()->mutable_contact()->set_phone("+86-571-8888-0001");
  r.mutable_target()->set_kind(v1::PARTY_KIND_RESIDENT_ENTERPRISE);
  r.mutable_target()->set_uscc(kTargetUscc);
  r.set_category(v1::CATEGORY_LOGISTICS);
  r.set_channel(v1::CHANNEL_WEB);
  r.set_description("Parcels left in the rain at the shared loading bay.");
  r.add_attachment_refs("docs://complaints/photo-1.jpg");
  return r;
}

template <typename Map>
std::set<std::string> Keys(const Map& m) {
  std::set<std::string> out;
  for (const auto& [k, v] : m) out.insert(k);
  return out;
}

class RecordedStateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(absl::LoadTimeZone("Asia/Shanghai", &park_));
    auto calendar = WorkingCalendar::FromJson(parkline::calendar::kBuiltInCalendar);
    ASSERT_TRUE(calendar.ok());
    deadlines_ = std::make_unique<ComplaintDeadline>(*calendar, park_);
    now_ = absl::FromCivil(absl::CivilMinute(2026, 3, 9, 10, 0), park_);  // a Monday
    Filing filing = OpenComplaint(Request(), kId, "hotline", now_,
                                  deadlines_->For(v1::CATEGORY_LOGISTICS, now_));
    complaint_ = filing.complaint;
    record_ = {filing.entry};
  }

  // Runs `change` `later` after the last step, as the desk does (ComplaintDesk::Apply): on the
  // stored complaint, then sealing its entry after the record's last.
  void Change(absl::Duration later, const std::function<void(ComplaintChange&)>& change) {
    now_ += later;
    ChainHead head{record_.back().sequence(), record_.back().hash()};
    ComplaintChange c{StoredComplaint{complaint_, {}, "", head}, now_, {}, {}, false};
    v1::ComplaintStatus from = complaint_.status();
    change(c);
    ASSERT_FALSE(c.skip);
    c.SealEntry(kId, from, nullptr);
    complaint_ = c.stored.complaint;
    record_.push_back(c.entry);
  }

  void Do(Action action, const StepRequest& request = {}) {
    Change(absl::Hours(1), [&](ComplaintChange& c) {
      StepContext context{kActor, c.now, routing_, *deadlines_};
      ASSERT_TRUE(ApplyStep(action, request, context, c.stored.complaint, c.entry, c.events).ok())
          << ActionName(action);
    });
  }

  void Override(v1::DeadlineKind kind, absl::Duration from_now) {
    Change(absl::Hours(1), [&](ComplaintChange& c) {
      v1::OverrideDeadlineRequest request;
      request.set_kind(kind);
      *request.mutable_deadline() = Ts(c.now + from_now);
      request.set_note("the contractor needs a spare part");
      StepContext context{kActor, c.now, routing_, *deadlines_};
      ASSERT_TRUE(ApplyDeadlineOverride(request, context, c.stored.complaint, c.entry).ok());
    });
  }

  // Supervision, once the `kind` deadline passed.
  void Overdue(v1::DeadlineKind kind) {
    absl::Time deadline =
        TimeOf(kind == v1::DEADLINE_KIND_ACKNOWLEDGEMENT ? complaint_.acknowledge_by()
                                                         : complaint_.resolve_by());
    Change(deadline + absl::Minutes(1) - now_, [&](ComplaintChange& c) {
      StepContext context{"supervision", c.now, routing_, *deadlines_};
      ASSERT_TRUE(ApplyOverdue(kind, context, c.stored.complaint, c.entry, c.events));
    });
  }

  // The record holds, and replays to the complaint as stored, every field of it compared.
  void ExpectAgrees() {
    SCOPED_TRACE(record_.back().action());
    ChainHead head{record_.back().sequence(), record_.back().hash()};
    EXPECT_FALSE(VerifyChain(kId, record_, head));
    RecordedState state = ReplayRecord(record_);
    EXPECT_EQ(Keys(state), Keys(AsRecorded(complaint_))) << "a field the record leaves unchecked";
    EXPECT_TRUE(StoredDifferences(state, complaint_).empty())
        << StoredDifferences(state, complaint_).front();
    EXPECT_FALSE(CheckStoredComplaint(complaint_, record_));
  }

  // Filed, acknowledged, assigned, investigated, answered and closed with `satisfaction`.
  void Lifecycle(int satisfaction) {
    Do(Action::kAcknowledge);
    StepRequest assign;
    assign.handler = "clerk-7";
    Do(Action::kAssign, assign);
    Do(Action::kStartInvestigation);
    StepRequest respond;
    respond.response = "We moved the loading bay under the canopy.";
    Do(Action::kRespond, respond);
    StepRequest close;
    close.satisfaction = satisfaction;
    Do(Action::kClose, close);
  }

  // Why `stored` does not match the record; "" when it does.
  std::string Reason(const v1::Complaint& stored) {
    auto broken = CheckStoredComplaint(stored, record_);
    if (!broken) return "";
    EXPECT_EQ(broken->complaint_id(), kId);
    EXPECT_EQ(broken->sequence(), 0) << "the complaint, not an entry";
    return broken->reason();
  }

  absl::TimeZone park_;
  absl::Time now_;
  RoutingRules routing_;
  std::unique_ptr<ComplaintDeadline> deadlines_;
  v1::Complaint complaint_;
  std::vector<v1::RecordEntry> record_;
};

TEST(FiledDigestTest, IsTheSha256OfTheDocumentedEncoding) {
  v1::Complaint c;
  c.set_request_id("req-1");
  c.mutable_complainant()->set_kind(v1::PARTY_KIND_PUBLIC);
  c.set_description("lift broken");
  c.add_attachment_refs("docs://a");
  c.add_attachment_refs("docs://bc");
  EXPECT_EQ(FiledDigest(c), auth::Sha256Hex("parkline.complaints.filed.v1\n"
                                            "5:req-1\n"
                                            "17:PARTY_KIND_PUBLIC\n"
                                            "0:\n"
                                            "11:lift broken\n"
                                            "1:2\n"
                                            "8:docs://a\n"
                                            "9:docs://bc\n"));
}

TEST(FiledDigestTest, CoversEachFiledFieldButTheContactDetailsAndCannotBeShifted) {
  v1::Complaint base;
  base.set_request_id("req-1");
  base.mutable_complainant()->set_kind(v1::PARTY_KIND_RESIDENT_ENTERPRISE);
  base.mutable_complainant()->set_uscc(kComplainantUscc);
  base.set_description("late");
  base.add_attachment_refs("ab");
  base.add_attachment_refs("c");
  const std::string digest = FiledDigest(base);
  EXPECT_EQ(digest.size(), 64u);

  std::vector<std::function<void(v1::Complaint&)>> changes = {
      [](v1::Complaint& c) { c.set_request_id("req-2"); },
      [](v1::Complaint& c) { c.mutable_complainant()->set_kind(v1::PARTY_KIND_PUBLIC); },
      [](v1::Complaint& c) { c.mutable_complainant()->set_uscc("91110000100000000R"); },
      [](v1::Complaint& c) { c.set_description("withdrawn"); },
      [](v1::Complaint& c) { c.set_attachment_refs(1, "d"); },
      [](v1::Complaint& c) { c.mutable_attachment_refs()->RemoveLast(); },
      // The same bytes split otherwise between the fields.
      [](v1::Complaint& c) {
        c.set_attachment_refs(0, "a");
        c.set_attachment_refs(1, "bc");
      },
      [](v1::Complaint& c) {
        c.set_description("late\n1:ab");
        c.mutable_attachment_refs()->DeleteSubrange(0, 1);
      },
  };
  for (size_t i = 0; i < changes.size(); ++i) {
    v1::Complaint changed = base;
    changes[i](changed);
    EXPECT_NE(FiledDigest(changed), digest) << "change " << i;
  }
  // The contact details, the status and what the record carries elsewhere are not in it.
  v1::Complaint other = base;
  other.mutable_complainant()->mutable_contact()->set_phone("+86-571-8888-0001");
  other.set_status(v1::COMPLAINT_STATUS_CLOSED);
  other.set_category(v1::CATEGORY_FEES);
  EXPECT_EQ(FiledDigest(other), digest);
}

TEST_F(RecordedStateTest, TheFilingsDigestIsForTheParkAlone) {
  const v1::RecordEntry& filed = record_.front();
  EXPECT_EQ(filed.details().at(kFiledDigestKey), FiledDigest(complaint_));
  // The enterprise complained about sees the description but not the complainant: the digest
  // would let it try the resident enterprises until one matched.
  Viewer target{"enterprise-target", false, kTargetUscc};
  EXPECT_EQ(EntryForViewer(filed, target).details().count(kFiledDigestKey), 0u);
  Viewer staff{kActor, true, ""};
  EXPECT_EQ(EntryForViewer(filed, staff).details().count(kFiledDigestKey), 1u);
}

TEST_F(RecordedStateTest, AStraightLifecycleReplaysToTheComplaintAsStored) {
  ExpectAgrees();
  Lifecycle(4);
  ExpectAgrees();
  RecordedState state = ReplayRecord(record_);
  EXPECT_EQ(state.at("status").value, "COMPLAINT_STATUS_CLOSED");
  EXPECT_EQ(state.at("status").sequence, 6);
  EXPECT_EQ(state.at("satisfaction").value, "4");
  EXPECT_EQ(state.at("satisfaction").sequence, 6);
  EXPECT_EQ(state.at("handler").value, "clerk-7");
  EXPECT_EQ(state.at("department").value, "logistics-services");
  EXPECT_EQ(state.at("forwarded_to_uscc").value, kTargetUscc);
  EXPECT_EQ(state.at("response").value,
            auth::Sha256Hex("We moved the loading bay under the canopy."));
  EXPECT_EQ(state.at("response").sequence, 5);
  EXPECT_EQ(state.at(kFiledDigestKey).value, FiledDigest(complaint_));
  EXPECT_EQ(state.at(kFiledDigestKey).sequence, 1);
}

TEST_F(RecordedStateTest, DeadlinesSupervisionAndReopeningReplayToTheComplaintAsStored) {
  Override(v1::DEADLINE_KIND_ACKNOWLEDGEMENT, absl::Hours(3));
  ExpectAgrees();
  Overdue(v1::DEADLINE_KIND_ACKNOWLEDGEMENT);  // escalated
  ExpectAgrees();
  Do(Action::kAssign);
  Do(Action::kStartInvestigation);
  Override(v1::DEADLINE_KIND_RESOLUTION, absl::Hours(24));
  ExpectAgrees();
  Overdue(v1::DEADLINE_KIND_RESOLUTION);  // escalated again
  ExpectAgrees();
  StepRequest respond;
  respond.response = "first answer";
  Do(Action::kRespond, respond);
  Do(Action::kReopen);
  ExpectAgrees();
  StepRequest assign;
  assign.department = "finance";
  Do(Action::kAssign, assign);
  Do(Action::kStartInvestigation);
  respond.response = "second answer";
  Do(Action::kRespond, respond);
  StepRequest close;
  close.satisfaction = 2;
  Do(Action::kClose, close);
  ExpectAgrees();
  RecordedState state = ReplayRecord(record_);
  EXPECT_EQ(state.at("acknowledgement_overdue").value, "true");
  EXPECT_EQ(state.at("resolution_overdue").value, "false") << "reopening clears it";
  EXPECT_EQ(state.at("department").value, "finance");
  EXPECT_EQ(state.at("response").value, auth::Sha256Hex("second answer"));
}

TEST_F(RecordedStateTest, EachFieldChangedBehindTheRecordsBackIsNamed) {
  Lifecycle(1);
  ASSERT_EQ(Reason(complaint_), "");
  const std::string filed =
      "request_id, complainant, description or attachment_refs: not what "
      "entry 1 recorded (by its SHA-256)";
  struct Tamper {
    std::function<void(v1::Complaint&)> change;
    std::string named;
  };
  std::vector<Tamper> tampers = {
      {[](v1::Complaint& c) { c.set_description("withdrawn"); }, filed},
      {[](v1::Complaint& c) { c.mutable_complainant()->set_uscc(kTargetUscc); }, filed},
      {[](v1::Complaint& c) { c.mutable_complainant()->set_kind(v1::PARTY_KIND_PUBLIC); }, filed},
      {[](v1::Complaint& c) { c.add_attachment_refs("docs://forged.pdf"); }, filed},
      {[](v1::Complaint& c) { c.set_request_id("req-other"); }, filed},
      {[](v1::Complaint& c) { c.set_satisfaction(5); },
       "satisfaction: \"5\", where entry 6 recorded \"1\""},
      {[](v1::Complaint& c) { c.set_status(v1::COMPLAINT_STATUS_REOPENED); },
       "status: \"COMPLAINT_STATUS_REOPENED\", where entry 6 recorded \"COMPLAINT_STATUS_CLOSED\""},
      {[](v1::Complaint& c) { c.set_response("We did nothing."); },
       "response: not what entry 5 recorded (by its SHA-256)"},
      {[](v1::Complaint& c) { c.set_department("finance"); },
       "department: \"finance\", where entry 3 recorded \"logistics-services\""},
      {[](v1::Complaint& c) { c.set_handler("someone-else"); }, "handler: \"someone-else\""},
      {[](v1::Complaint& c) { c.clear_forwarded_to_uscc(); }, "forwarded_to_uscc: \"\""},
      {[](v1::Complaint& c) { c.set_category(v1::CATEGORY_FEES); }, "category: \"fees\""},
      {[](v1::Complaint& c) { c.set_channel(v1::CHANNEL_PHONE); }, "channel: \"CHANNEL_PHONE\""},
      {[](v1::Complaint& c) { c.mutable_target()->set_kind(v1::PARTY_KIND_PARK_OPERATOR); },
       "target: "},
      {[](v1::Complaint& c) { c.mutable_resolve_by()->set_seconds(0); }, "resolve_by: "},
      {[](v1::Complaint& c) { c.mutable_acknowledge_by()->set_seconds(0); }, "acknowledge_by: "},
      {[](v1::Complaint& c) { c.set_resolution_overdue(true); },
       "resolution_overdue: \"true\", where entry 1 recorded \"false\""},
      {[](v1::Complaint& c) { c.set_acknowledgement_overdue(true); }, "acknowledgement_overdue: "},
      {[](v1::Complaint& c) { c.mutable_filed_time()->set_seconds(0); }, "filed_time: "},
      {[](v1::Complaint& c) { c.mutable_update_time()->set_seconds(0); }, "update_time: "},
  };
  for (size_t i = 0; i < tampers.size(); ++i) {
    v1::Complaint stored = complaint_;
    tampers[i].change(stored);
    std::string reason = Reason(stored);
    EXPECT_EQ(reason.rfind("the stored complaint differs from its record: ", 0), 0u)
        << i << ": " << reason;
    EXPECT_NE(reason.find(tampers[i].named), std::string::npos) << i << ": " << reason;
  }
}

TEST_F(RecordedStateTest, EveryDifferenceIsNamedAndNoFiledTextShown) {
  Lifecycle(1);
  v1::Complaint stored = complaint_;
  stored.set_description("withdrawn");
  stored.set_satisfaction(5);
  std::string reason = Reason(stored);
  EXPECT_NE(reason.find("description"), std::string::npos) << reason;
  EXPECT_NE(reason.find("satisfaction: \"5\""), std::string::npos) << reason;
  EXPECT_EQ(reason.find("withdrawn"), std::string::npos) << "the filed text stays out of logs";
  EXPECT_EQ(StoredDifferences(ReplayRecord(record_), stored).size(), 2u);
}

TEST_F(RecordedStateTest, AFilingRecordedBeforeTheDigestLeavesOnlyItsFiledContentUnchecked) {
  Lifecycle(1);
  record_.front().mutable_details()->erase(kFiledDigestKey);
  EXPECT_EQ(ReplayRecord(record_).count(kFiledDigestKey), 0u);
  v1::Complaint stored = complaint_;
  stored.set_description("withdrawn");
  EXPECT_EQ(Reason(stored), "");
  stored.set_satisfaction(5);
  EXPECT_NE(Reason(stored).find("satisfaction: \"5\""), std::string::npos);
}

TEST_F(RecordedStateTest, ARecordThatDoesNotOpenWithItsFilingEstablishesNothing) {
  Lifecycle(1);
  EXPECT_TRUE(ReplayRecord({}).empty());
  std::vector<v1::RecordEntry> headless(record_.begin() + 1, record_.end());
  EXPECT_TRUE(ReplayRecord(headless).empty());
}

}  // namespace
}  // namespace parkline::complaints
