// Complaints tried as a hostile tenant would (#18): over gRPC, on both backends, every other
// tenant of the park tries every trick against a complaint that one enterprise filed against
// another. Each attempt is refused (PERMISSION_DENIED or NOT_FOUND; a reused request id
// ALREADY_EXISTS, naming nothing of the complaint it belongs to) and the witness shows that no
// row, no outbox event and no record on the topic changed. The target of a complaint reads it,
// shaped: the steps and the answer, never the complainant's identity, contact or staff notes.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "calendar/calendar_data.h"
#include "complaints/access_policy.h"
#include "complaints/complaint_desk.h"
#include "complaints/complaint_service.h"
#include "complaints/schema.h"
#include "google/protobuf/util/time_util.h"
#include "parkline/enterprises/v1/events.pb.h"
#include "residents/residents.h"
#include "store/group_commit.h"
#include "tests/support/access_matrix.h"
#include "tests/support/backend_test.h"
#include "tests/support/tamper_witness.h"

namespace parkline::complaints {
namespace {

const std::string kComplainant = testing::NumberedUscc(1);
const std::string kTarget = testing::NumberedUscc(2);
const std::string kOutsider = testing::NumberedUscc(3);
constexpr char kPhone[] = "+86-571-8888-0001";
constexpr char kStaffNote[] = "internal: the target has two earlier warnings";

const std::vector<testing::TestCaller>& Callers() {
  static const auto* callers = new std::vector<testing::TestCaller>{
      {"t-complainant", "chen-erp", "enterprise", kComplainant, "", ""},
      {"t-target", "target-erp", "enterprise", kTarget, "", ""},
      {"t-outsider", "outsider-erp", "enterprise", kOutsider, "", ""},
      {"t-carrier", "carrier-tms", "carrier", "", "", "SF"},
      {"t-customs", "customs-gateway", "customs-gateway", "", "", ""},
      {"t-analyst", "analyst-bi", "analyst", "", "", ""},
  };
  return *callers;
}

using Stub = v1::ComplaintService::Stub;

class AdversarialComplaintsTest : public testing::BackendTest<ApplySchema> {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    absl::TimeZone park;
    ASSERT_TRUE(absl::LoadTimeZone("Asia/Shanghai", &park));
    auto calendar = WorkingCalendar::FromJson(parkline::calendar::kBuiltInCalendar);
    ASSERT_TRUE(calendar.ok());
    deadlines_ = std::make_unique<ComplaintDeadline>(*calendar, park);
    writer_ = std::make_unique<store::GroupCommitter>(*db_);
    desk_ =
        std::make_unique<ComplaintDesk>(*db_, *writer_, nullptr, *deadlines_, routing_, nullptr);
    for (const std::string& uscc : {kComplainant, kTarget, kOutsider}) {
      enterprises::v1::EnterpriseAdmitted admitted;
      admitted.mutable_enterprise()->set_uscc(uscc);
      ASSERT_TRUE(
          db_->Transact([&](store::Transaction& tx) { return residents::OnAdmitted(tx, admitted); })
              .ok());
    }
    auto server = testing::PolicyServer::Start(
        dir_.path(), AccessPolicy(), Callers(),
        [&](const auth::Authorizer& a) { return std::make_unique<ComplaintService>(*desk_, a); });
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    stub_ = v1::ComplaintService::NewStub(server_->channel());

    // The victim: the complainant's complaint against the target, acknowledged and assigned by
    // staff with an internal note.
    grpc::ClientContext ctx;
    As(ctx, "complainant");
    grpc::Status filed = stub_->FileComplaint(&ctx, Filing(), &complaint_);
    ASSERT_TRUE(filed.ok()) << filed.error_message();
    StepRequest step;
    step.complaint_id = complaint_.complaint_id();
    step.note = kStaffNote;
    ASSERT_TRUE(desk_->Step(Action::kAcknowledge, step, Viewer{"staff-li", true, ""}).ok());
    // Assigned, it is forwarded to the target (7.3.3), which may then follow it.
    ASSERT_TRUE(desk_->Step(Action::kAssign, step, Viewer{"staff-li", true, ""}).ok());
    witness_ = std::make_unique<testing::TamperWitness>(
        *db_, std::vector<std::string>{"parkline.complaints.v1"});
    witness_->Mark();
  }

  // Calls as the caller whose token is "t-<who>".
  static void As(grpc::ClientContext& ctx, const std::string& who) {
    ctx.AddMetadata("authorization", "Bearer t-" + who);
  }

  static v1::FileComplaintRequest Filing() {
    v1::FileComplaintRequest r;
    r.set_request_id("victim-request-1");
    r.mutable_complainant()->set_kind(v1::PARTY_KIND_RESIDENT_ENTERPRISE);
    r.mutable_complainant()->set_uscc(kComplainant);
    r.mutable_complainant()->mutable_contact()->set_person_name("Chen Jing");
    r.mutable_complainant()->mutable_contact()->set_phone(kPhone);
    r.mutable_target()->set_kind(v1::PARTY_KIND_RESIDENT_ENTERPRISE);
    r.mutable_target()->set_uscc(kTarget);
    r.set_category(v1::CATEGORY_LOGISTICS);
    r.set_channel(v1::CHANNEL_WEB);
    r.set_description("Parcels left in the rain at the shared loading bay.");
    return r;
  }

  // Runs `attempt` as `who`, expects one of `codes`, and that nothing changed; the refusal.
  grpc::Status ExpectRefused(const std::string& who, const std::string& trick,
                             const std::function<grpc::Status(grpc::ClientContext*)>& attempt,
                             std::vector<grpc::StatusCode> codes = {
                                 grpc::StatusCode::PERMISSION_DENIED,
                                 grpc::StatusCode::NOT_FOUND}) {
    grpc::ClientContext ctx;
    As(ctx, who);
    grpc::Status status = attempt(&ctx);
    witness_->ExpectRefused(absl::StrCat(who, " ", trick), status, codes);
    return status;
  }

  testing::TempDir dir_;
  std::unique_ptr<ComplaintDeadline> deadlines_;
  RoutingRules routing_;
  std::unique_ptr<store::GroupCommitter> writer_;
  std::unique_ptr<ComplaintDesk> desk_;
  std::unique_ptr<testing::PolicyServer> server_;
  std::unique_ptr<Stub> stub_;
  v1::Complaint complaint_;
  std::unique_ptr<testing::TamperWitness> witness_;
};

const std::vector<std::string> kStrangers = {"outsider", "target", "carrier", "customs", "analyst"};

TEST_P(AdversarialComplaintsTest, NobodyFilesInTheComplainantsName) {
  for (const std::string& who : kStrangers) {
    ExpectRefused(who, "files a complaint naming the complainant", [&](grpc::ClientContext* c) {
      v1::FileComplaintRequest r = Filing();
      r.set_request_id("attacker-" + who);
      r.set_description("Withdraw everything, says the complainant.");
      v1::Complaint out;
      return stub_->FileComplaint(c, r, &out);
    });
    ExpectRefused(who, "replays the complainant's filing", [&](grpc::ClientContext* c) {
      v1::Complaint out;
      return stub_->FileComplaint(c, Filing(), &out);
    });
  }
}

TEST_P(AdversarialComplaintsTest, AReusedRequestIdNamesNothingOfTheComplaint) {
  grpc::Status refused =
      ExpectRefused("outsider", "files its own complaint under the victim's request id",
                    [&](grpc::ClientContext* c) {
                      v1::FileComplaintRequest r = Filing();
                      r.mutable_complainant()->set_uscc(kOutsider);
                      v1::Complaint out;
                      return stub_->FileComplaint(c, r, &out);
                    },
                    {grpc::StatusCode::ALREADY_EXISTS});
  EXPECT_EQ(refused.error_message().find(complaint_.complaint_id()), std::string::npos)
      << "the outsider learned the victim's complaint id: " << refused.error_message();
}

TEST_P(AdversarialComplaintsTest, NobodyElseReadsIt) {
  for (const std::string& who : kStrangers) {
    if (who == "target") continue;  // a party: reads it shaped (below)
    for (const std::string& as : {kOutsider, kComplainant, std::string()}) {
      ExpectRefused(who, "reads the complaint naming " + as, [&](grpc::ClientContext* c) {
        v1::GetComplaintRequest r;
        r.set_complaint_id(complaint_.complaint_id());
        r.set_party_uscc(as);
        v1::Complaint out;
        return stub_->GetComplaint(c, r, &out);
      });
    }
    ExpectRefused(who, "lists the complainant's complaints", [&](grpc::ClientContext* c) {
      v1::ListComplaintsRequest r;
      r.set_party_uscc(kComplainant);
      v1::ListComplaintsResponse out;
      return stub_->ListComplaints(c, r, &out);
    });
  }
  // Its own list holds none of them.
  grpc::ClientContext ctx;
  As(ctx, "outsider");
  v1::ListComplaintsRequest r;
  r.set_party_uscc(kOutsider);
  v1::ListComplaintsResponse out;
  ASSERT_TRUE(stub_->ListComplaints(&ctx, r, &out).ok());
  EXPECT_EQ(out.complaints_size(), 0);
}

TEST_P(AdversarialComplaintsTest, NoTenantRunsTheDesk) {
  for (std::string who : {"complainant", "target", "outsider", "carrier", "customs"}) {
    const std::string& id = complaint_.complaint_id();
    ExpectRefused(who, "acknowledges", [&](grpc::ClientContext* c) {
      v1::TransitionRequest r;
      r.set_complaint_id(id);
      v1::Complaint out;
      return stub_->AcknowledgeComplaint(c, r, &out);
    });
    ExpectRefused(who, "assigns", [&](grpc::ClientContext* c) {
      v1::AssignComplaintRequest r;
      r.set_complaint_id(id);
      r.set_department("logistics");
      r.set_handler("attacker");
      v1::Complaint out;
      return stub_->AssignComplaint(c, r, &out);
    });
    ExpectRefused(who, "responds", [&](grpc::ClientContext* c) {
      v1::RespondRequest r;
      r.set_complaint_id(id);
      r.set_response("Nothing happened.");
      v1::Complaint out;
      return stub_->RespondToComplaint(c, r, &out);
    });
    ExpectRefused(who, "closes", [&](grpc::ClientContext* c) {
      v1::CloseComplaintRequest r;
      r.set_complaint_id(id);
      r.set_satisfaction(5);
      v1::Complaint out;
      return stub_->CloseComplaint(c, r, &out);
    });
    ExpectRefused(who, "escalates", [&](grpc::ClientContext* c) {
      v1::TransitionRequest r;
      r.set_complaint_id(id);
      v1::Complaint out;
      return stub_->EscalateComplaint(c, r, &out);
    });
    ExpectRefused(who, "moves the deadline", [&](grpc::ClientContext* c) {
      v1::OverrideDeadlineRequest r;
      r.set_complaint_id(id);
      r.set_kind(v1::DEADLINE_KIND_RESOLUTION);
      *r.mutable_deadline() = google::protobuf::util::TimeUtil::GetCurrentTime();
      v1::Complaint out;
      return stub_->OverrideDeadline(c, r, &out);
    });
    ExpectRefused(who, "exports the record", [&](grpc::ClientContext* c) {
      v1::ExportComplaintsResponse out;
      return stub_->ExportComplaints(c, {}, &out);
    });
    ExpectRefused(who, "records feedback", [&](grpc::ClientContext* c) {
      v1::RecordFeedbackRequest r;
      r.set_request_id("fb-" + who);
      r.mutable_feedback()->set_source(v1::FEEDBACK_SOURCE_ENTERPRISE);
      r.mutable_feedback()->set_satisfaction_centi(10000);
      v1::Feedback out;
      return stub_->RecordFeedback(c, r, &out);
    });
  }
}

TEST_P(AdversarialComplaintsTest, TheTargetReadsItWithoutTheComplainantOrTheNotes) {
  grpc::ClientContext ctx;
  As(ctx, "target");
  v1::GetComplaintRequest r;
  r.set_complaint_id(complaint_.complaint_id());
  r.set_party_uscc(kTarget);
  v1::Complaint seen;
  grpc::Status status = stub_->GetComplaint(&ctx, r, &seen);
  ASSERT_TRUE(status.ok()) << status.error_message();
  std::string everything = seen.DebugString();
  EXPECT_EQ(everything.find(kComplainant), std::string::npos) << everything;
  EXPECT_EQ(everything.find(kPhone), std::string::npos) << everything;
  EXPECT_EQ(everything.find("Chen Jing"), std::string::npos) << everything;
  EXPECT_EQ(everything.find("chen-erp"), std::string::npos) << everything;
  EXPECT_EQ(everything.find(kStaffNote), std::string::npos) << everything;
  // The filing's digest would let it try the resident enterprises until one matched.
  EXPECT_EQ(everything.find("filed_sha256"), std::string::npos) << everything;
  EXPECT_GE(seen.history_size(), 2) << "the steps themselves are the target's to see";
  witness_->ExpectUnchanged("the target reads the complaint");
}

PARKLINE_BACKEND_TESTS(AdversarialComplaintsTest);

}  // namespace
}  // namespace parkline::complaints
