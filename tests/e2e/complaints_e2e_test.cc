// The complaints service as the park runs it: the real binary as a process on the real local
// Kafka broker, driven over gRPC from filing to CLOSED; its events read back from the topic; the
// supervision job inside the process escalating a complaint whose deadline passed; the handler
// alone seeing contact details; a row tampered with in the stopped service's database found by
// the VerifyRecord RPC after a restart; workflow steps retried over gRPC answered once and
// published once; SIGTERM answered with exit code 0.
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <iterator>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "auth/credentials.h"
#include "google/protobuf/util/time_util.h"
#include "parkline/complaints/v1/complaints.grpc.pb.h"
#include "parkline/complaints/v1/events.pb.h"
#include "parkline/enterprises/v1/enterprises.grpc.pb.h"
#include "store/database.h"
#include "tests/support/service_process.h"
#include "tests/support/test_env.h"

namespace parkline {
namespace {

namespace v1 = complaints::v1;
using Complaints = testing::ServiceUnderTest<v1::ComplaintService>;
using Stub = v1::ComplaintService::Stub;
constexpr char kStaffToken[] = "e2e-staff-zhao-token";
constexpr char kPhone[] = "+86-571-8888-0002";
constexpr char kComplainantToken[] = "e2e-enterprise-complainant-token";
constexpr char kTargetToken[] = "e2e-enterprise-target-token";

std::string Caller(const std::string& token, const std::string& name, const std::string& role,
                   const std::string& uscc) {
  return absl::StrCat(R"({"sha256":")", auth::Sha256Hex(token), R"(","principal":")", name,
                      R"(","roles":[")", role, R"("],"uscc":")", uscc, R"("})");
}

class ComplaintsE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Topics of this test's own (PARKLINE_TOPIC_PREFIX): no event reaches a developer's park on
    // the same broker, and the complaints service's residents consumer reads only this run's.
    for (const char* topic :
         {"parkline.complaints.v1", "parkline.enterprises.v1", "parkline.deadletter.v1"}) {
      ASSERT_TRUE(testing::CreateTopic(prefix_ + topic, 3).ok());
    }
    // The admin of the test harness, a second member of staff who does not handle anything, and
    // two resident enterprises of this run.
    std::ofstream(dir_.path() + "/tokens.json") << absl::StrCat(
        R"({"tokens":[)", Caller(testing::kAdminToken, "e2e-admin", "park-admin", ""), ",",
        Caller(kStaffToken, "staff-zhao", "park-staff", ""), ",",
        Caller(kComplainantToken, "complainant-co", "enterprise", complainant_), ",",
        Caller(kTargetToken, "target-co", "enterprise", target_), "]}");
    Start();
  }

  void Start() {
    service_ = std::make_unique<Complaints>(
        COMPLAINTS_BINARY, "complaints", dir_.path(),
        std::map<std::string, std::string>{{"PARKLINE_SUPERVISION_SECONDS", "1"},
                                           {"PARKLINE_TOPIC_PREFIX", prefix_}});
    ASSERT_EQ(service_->WaitServing(absl::Seconds(30)),
              grpc::health::v1::HealthCheckResponse::SERVING);
  }

  void Stop() {
    service_->process().Signal(SIGTERM);
    EXPECT_EQ(service_->process().Wait(absl::Seconds(10)), 0);
  }

  v1::Complaint File(const std::string& request_id) {
    v1::FileComplaintRequest r;
    r.set_request_id(request_id);
    r.mutable_complainant()->set_kind(v1::PARTY_KIND_PUBLIC);
    r.mutable_complainant()->mutable_contact()->set_person_name("Li Wei");
    r.mutable_complainant()->mutable_contact()->set_phone(kPhone);
    r.mutable_target()->set_kind(v1::PARTY_KIND_PARK_OPERATOR);
    r.set_category(v1::CATEGORY_FACILITIES);
    r.set_channel(v1::CHANNEL_PHONE);
    r.set_description("The east gate barrier has not opened for trucks since Monday.");
    v1::Complaint out;
    absl::Status s = service_->Call(&Stub::FileComplaint, r, &out);
    EXPECT_TRUE(s.ok()) << s;
    return out;
  }

  std::vector<testing::ConsumedRecord> EventsOf(const std::string& id, size_t want) {
    return testing::ReadTopic(
        prefix_ + "parkline.complaints.v1", absl::Seconds(60),
        [&](const testing::ConsumedRecord& r) { return r.key == id; },
        [want](const auto& kept) { return kept.size() >= want; });
  }

  testing::TempDir dir_;
  const std::string prefix_ = absl::StrCat("e2e", std::random_device{}(), ".");
  const std::string complainant_ = testing::RandomUscc();
  const std::string target_ = testing::RandomUscc();
  std::unique_ptr<Complaints> service_;
};

TEST_F(ComplaintsE2eTest, FromFilingToClosedOverGrpcWithItsEventsOnTheTopic) {
  std::string run = events::NewUuid();
  v1::Complaint c = File("e2e-" + run);
  ASSERT_FALSE(c.complaint_id().empty());
  EXPECT_EQ(c.status(), v1::COMPLAINT_STATUS_RECEIVED);
  v1::Complaint retried = File("e2e-" + run);
  EXPECT_EQ(retried.complaint_id(), c.complaint_id());

  v1::TransitionRequest t;
  t.set_complaint_id(c.complaint_id());
  t.set_note("called the complainant back");
  v1::Complaint out;
  ASSERT_TRUE(service_->Call(&Stub::AcknowledgeComplaint, t, &out).ok());
  EXPECT_EQ(out.handler(), "e2e-admin");
  EXPECT_EQ(out.complainant().contact().phone(), kPhone) << "the handler sees the contact";
  v1::AssignComplaintRequest assign;
  assign.set_complaint_id(c.complaint_id());
  ASSERT_TRUE(service_->Call(&Stub::AssignComplaint, assign, &out).ok());
  EXPECT_EQ(out.department(), "facilities-management");
  ASSERT_TRUE(service_->Call(&Stub::StartInvestigation, t, &out).ok());
  // An impossible step is refused and changes nothing.
  v1::CloseComplaintRequest close;
  close.set_complaint_id(c.complaint_id());
  close.set_satisfaction(5);
  EXPECT_TRUE(absl::IsFailedPrecondition(service_->Call(&Stub::CloseComplaint, close, &out)));
  v1::RespondRequest respond;
  respond.set_complaint_id(c.complaint_id());
  respond.set_response("The barrier's controller was replaced on Wednesday.");
  ASSERT_TRUE(service_->Call(&Stub::RespondToComplaint, respond, &out).ok());
  close.set_satisfaction(9);
  EXPECT_TRUE(absl::IsInvalidArgument(service_->Call(&Stub::CloseComplaint, close, &out)));
  close.set_satisfaction(5);
  ASSERT_TRUE(service_->Call(&Stub::CloseComplaint, close, &out).ok());
  EXPECT_EQ(out.status(), v1::COMPLAINT_STATUS_CLOSED);

  v1::GetComplaintRequest get;
  get.set_complaint_id(c.complaint_id());
  ASSERT_TRUE(service_->Call(&Stub::GetComplaint, get, &out).ok());
  EXPECT_EQ(out.history_size(), 6);
  EXPECT_EQ(out.satisfaction(), 5);
  service_->Connect({grpc::InsecureChannelCredentials(), kStaffToken});
  ASSERT_TRUE(service_->Call(&Stub::GetComplaint, get, &out).ok());
  EXPECT_FALSE(out.complainant().has_contact()) << "staff not handling it see no contact";
  v1::VerifyRecordRequest verify;
  verify.set_complaint_id(c.complaint_id());
  v1::VerifyRecordResponse report;
  ASSERT_TRUE(service_->Call(&Stub::VerifyRecord, verify, &report).ok());
  EXPECT_TRUE(report.intact());

  auto records = EventsOf(c.complaint_id(), 4);
  std::vector<std::string> types;
  for (const auto& r : records) {
    types.push_back(testing::Header(r, "ce_type"));
    EXPECT_EQ(r.value.find(kPhone), std::string::npos) << "contact details on the topic";
  }
  EXPECT_EQ(types, (std::vector<std::string>{"parkline.complaints.v1.ComplaintFiled",
                                             "parkline.complaints.v1.ComplaintAssigned",
                                             "parkline.complaints.v1.ComplaintResolved",
                                             "parkline.complaints.v1.ComplaintClosed"}));
  ASSERT_EQ(records.size(), 4u);
  v1::ComplaintClosed closed;
  ASSERT_TRUE(closed.ParseFromString(records[3].value));
  EXPECT_EQ(closed.satisfaction(), 5);
  EXPECT_EQ(closed.category(), v1::CATEGORY_FACILITIES);
  EXPECT_NE(testing::HttpGet(service_->metrics_port(), "/metrics")
                .find("parkline_complaint_filings_total"),
            std::string::npos);
  Stop();
  std::ifstream log(dir_.path() + "/complaints.log");
  std::string logged((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
  EXPECT_NE(logged.find(c.complaint_id()), std::string::npos);
  EXPECT_EQ(logged.find(kPhone), std::string::npos) << "contact details in the log";
  EXPECT_EQ(logged.find("Li Wei"), std::string::npos) << "the complainant's name in the log";
}

TEST_F(ComplaintsE2eTest, TheSupervisionJobEscalatesAComplaintWhoseDeadlinePassed) {
  v1::Complaint c = File("e2e-late-" + events::NewUuid());
  v1::OverrideDeadlineRequest soon;
  soon.set_complaint_id(c.complaint_id());
  soon.set_kind(v1::DEADLINE_KIND_ACKNOWLEDGEMENT);
  soon.set_note("test: a deadline two seconds away");
  *soon.mutable_deadline() = google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
      absl::ToUnixMicros(absl::Now() + absl::Seconds(2)));
  v1::Complaint out;
  ASSERT_TRUE(service_->Call(&Stub::OverrideDeadline, soon, &out).ok());

  auto records = EventsOf(c.complaint_id(), 2);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(testing::Header(records[1], "ce_type"), "parkline.complaints.v1.ComplaintOverdue");
  v1::ComplaintOverdue overdue;
  ASSERT_TRUE(overdue.ParseFromString(records[1].value));
  EXPECT_EQ(overdue.deadline_kind(), v1::DEADLINE_KIND_ACKNOWLEDGEMENT);
  EXPECT_EQ(overdue.escalated_to(), "supervision-office");
  v1::GetComplaintRequest get;
  get.set_complaint_id(c.complaint_id());
  ASSERT_TRUE(service_->Call(&Stub::GetComplaint, get, &out).ok());
  EXPECT_EQ(out.status(), v1::COMPLAINT_STATUS_ESCALATED);
  EXPECT_TRUE(out.acknowledgement_overdue());
  Stop();
}

TEST_F(ComplaintsE2eTest, ARowTamperedWithInTheDatabaseIsFoundByTheVerifyRpc) {
  v1::Complaint c = File("e2e-tamper-" + events::NewUuid());
  v1::TransitionRequest t;
  t.set_complaint_id(c.complaint_id());
  v1::Complaint out;
  ASSERT_TRUE(service_->Call(&Stub::AcknowledgeComplaint, t, &out).ok());
  Stop();
  {
    auto db = store::Database::Open("sqlite://" + dir_.path() + "/complaints.db");
    ASSERT_TRUE(db.ok()) << db.status();
    ASSERT_TRUE((*db)
                    ->Transact([&](store::Transaction& tx) {
                      return tx
                          .Execute(
                              "UPDATE complaint_record SET actor = 'nobody' "
                              "WHERE complaint_id = $1 AND sequence = 2",
                              {c.complaint_id()})
                          .status();
                    })
                    .ok());
  }
  Start();
  v1::VerifyRecordResponse report;
  ASSERT_TRUE(service_->Call(&Stub::VerifyRecord, v1::VerifyRecordRequest(), &report).ok());
  EXPECT_FALSE(report.intact());
  ASSERT_EQ(report.breaks_size(), 1);
  EXPECT_EQ(report.breaks(0).complaint_id(), c.complaint_id());
  EXPECT_EQ(report.breaks(0).sequence(), 2);
  Stop();
}

TEST_F(ComplaintsE2eTest, StepsRetriedOverGrpcAreAnsweredAndPublishedOnce) {
  v1::Complaint c = File("e2e-retry-" + events::NewUuid());
  const std::string run = events::NewUuid();
  v1::TransitionRequest ack;
  ack.set_complaint_id(c.complaint_id());
  ack.set_request_id("ack-" + run);
  v1::AssignComplaintRequest assign;
  assign.set_complaint_id(c.complaint_id());
  assign.set_request_id("assign-" + run);
  v1::Complaint acked, assigned, out;
  ASSERT_TRUE(service_->Call(&Stub::AcknowledgeComplaint, ack, &acked).ok());
  ASSERT_TRUE(service_->Call(&Stub::AssignComplaint, assign, &assigned).ok());
  // Both replies "lost": the client sends both steps again, as it would after a timeout.
  absl::Status retried = service_->Call(&Stub::AcknowledgeComplaint, ack, &out);
  ASSERT_TRUE(retried.ok()) << retried;
  EXPECT_EQ(out.status(), v1::COMPLAINT_STATUS_ASSIGNED) << "the complaint as it is now";
  retried = service_->Call(&Stub::AssignComplaint, assign, &out);
  ASSERT_TRUE(retried.ok()) << retried;
  EXPECT_EQ(out.SerializeAsString(), assigned.SerializeAsString());
  // The key of the acknowledgement, sent with another step, is refused by name.
  v1::TransitionRequest start = ack;
  absl::Status reused = service_->Call(&Stub::StartInvestigation, start, &out);
  EXPECT_TRUE(absl::IsAlreadyExists(reused)) << reused;
  EXPECT_EQ(std::string(reused.message()).rfind("request_id: ", 0), 0u) << reused;

  v1::GetComplaintRequest get;
  get.set_complaint_id(c.complaint_id());
  ASSERT_TRUE(service_->Call(&Stub::GetComplaint, get, &out).ok());
  ASSERT_EQ(out.history_size(), 3);
  EXPECT_EQ(out.history(1).details().at("request_id"), "ack-" + run);
  EXPECT_EQ(out.history(2).details().at("request_id"), "assign-" + run);

  // A last step whose event closes the stream: before it, one event per applied step.
  start.set_request_id("start-" + run);
  ASSERT_TRUE(service_->Call(&Stub::StartInvestigation, start, &out).ok());
  v1::RespondRequest respond;
  respond.set_complaint_id(c.complaint_id());
  respond.set_request_id("respond-" + run);
  respond.set_response("The barrier's controller was replaced.");
  ASSERT_TRUE(service_->Call(&Stub::RespondToComplaint, respond, &out).ok());
  ASSERT_TRUE(service_->Call(&Stub::RespondToComplaint, respond, &out).ok());
  auto records = testing::ReadTopic(
      prefix_ + "parkline.complaints.v1", absl::Seconds(60),
      [&](const testing::ConsumedRecord& r) { return r.key == c.complaint_id(); },
      [](const std::vector<testing::ConsumedRecord>& kept) {
        return !kept.empty() && testing::Header(kept.back(), "ce_type") ==
                                    "parkline.complaints.v1.ComplaintResolved";
      });
  std::vector<std::string> types;
  for (const auto& r : records) types.push_back(testing::Header(r, "ce_type"));
  EXPECT_EQ(types, (std::vector<std::string>{"parkline.complaints.v1.ComplaintFiled",
                                             "parkline.complaints.v1.ComplaintAssigned",
                                             "parkline.complaints.v1.ComplaintResolved"}));
  EXPECT_NE(testing::HttpGet(service_->metrics_port(), "/metrics")
                .find("parkline_complaint_step_retries_total{action=\"ASSIGN\"}"),
            std::string::npos);
  Stop();
}

TEST_F(ComplaintsE2eTest, AComplaintAboutAResidentEnterpriseIsForwardedToIt) {
  namespace ev1 = enterprises::v1;
  testing::ServiceUnderTest<ev1::EnterpriseService> registry(
      ENTERPRISES_BINARY, "enterprises", dir_.path(), {{"PARKLINE_TOPIC_PREFIX", prefix_}});
  ASSERT_EQ(registry.WaitServing(absl::Seconds(30)),
            grpc::health::v1::HealthCheckResponse::SERVING);
  for (const std::string& uscc : {complainant_, target_}) {
    ev1::AdmitEnterpriseRequest admit;
    admit.mutable_enterprise()->set_uscc(uscc);
    admit.mutable_enterprise()->set_name("E2E " + uscc);
    admit.mutable_enterprise()->add_roles(ev1::ENTERPRISE_ROLE_ECOMMERCE_ENTERPRISE);
    admit.mutable_enterprise()->mutable_move_in_date()->set_year(2025);
    admit.mutable_enterprise()->mutable_move_in_date()->set_month(3);
    admit.mutable_enterprise()->mutable_move_in_date()->set_day(1);
    ev1::Enterprise admitted;
    ASSERT_TRUE(
        registry.Call(&ev1::EnterpriseService::Stub::AdmitEnterprise, admit, &admitted).ok());
  }

  // The complainant enterprise files; both parties must be resident, which the complaints service
  // learns from the registry's events (NOT_RESIDENT until then).
  service_->Connect({grpc::InsecureChannelCredentials(), kComplainantToken});
  v1::FileComplaintRequest file;
  file.set_request_id("e2e-forward-" + events::NewUuid());
  file.mutable_complainant()->set_kind(v1::PARTY_KIND_RESIDENT_ENTERPRISE);
  file.mutable_complainant()->set_uscc(complainant_);
  file.mutable_complainant()->mutable_contact()->set_email("quality@complainant.example");
  file.mutable_target()->set_kind(v1::PARTY_KIND_RESIDENT_ENTERPRISE);
  file.mutable_target()->set_uscc(target_);
  file.set_category(v1::CATEGORY_PROPERTY);
  file.set_channel(v1::CHANNEL_WEB);
  file.set_description("Our neighbour's pallets block the shared fire exit.");
  v1::Complaint c;
  absl::Status filed;
  absl::Time deadline = absl::Now() + absl::Seconds(30);
  do {
    filed = service_->Call(&Stub::FileComplaint, file, &c);
    if (absl::IsInvalidArgument(filed)) absl::SleepFor(absl::Milliseconds(200));
  } while (absl::IsInvalidArgument(filed) && absl::Now() < deadline);
  ASSERT_TRUE(filed.ok()) << filed;

  service_->Connect({});
  v1::TransitionRequest t;
  t.set_complaint_id(c.complaint_id());
  v1::Complaint out;
  ASSERT_TRUE(service_->Call(&Stub::AcknowledgeComplaint, t, &out).ok());
  v1::AssignComplaintRequest assign;
  assign.set_complaint_id(c.complaint_id());
  ASSERT_TRUE(service_->Call(&Stub::AssignComplaint, assign, &out).ok());
  EXPECT_EQ(out.forwarded_to_uscc(), target_);
  EXPECT_EQ(out.department(), "property-management");

  // The target sees the complaint forwarded to it, without who complained.
  service_->Connect({grpc::InsecureChannelCredentials(), kTargetToken});
  v1::GetComplaintRequest get;
  get.set_complaint_id(c.complaint_id());
  get.set_party_uscc(target_);
  ASSERT_TRUE(service_->Call(&Stub::GetComplaint, get, &out).ok());
  EXPECT_TRUE(out.complainant().uscc().empty());
  EXPECT_FALSE(out.complainant().has_contact());
  // Nor does its history say who: it shows the steps, not their actors, notes or handler.
  EXPECT_TRUE(out.handler().empty());
  ASSERT_GE(out.history_size(), 3);
  EXPECT_EQ(out.history(0).action(), "FILE");
  for (const v1::RecordEntry& e : out.history()) {
    EXPECT_TRUE(e.actor().empty()) << e.action();
    EXPECT_TRUE(e.hash().empty()) << e.action();
    EXPECT_EQ(e.details().count("handler"), 0u) << e.action();
    EXPECT_EQ(e.details().count("request_id"), 0u) << e.action();
  }
  // The complainant cannot ask in the target's name.
  service_->Connect({grpc::InsecureChannelCredentials(), kComplainantToken});
  EXPECT_TRUE(absl::IsPermissionDenied(service_->Call(&Stub::GetComplaint, get, &out)));

  auto records = EventsOf(c.complaint_id(), 2);
  ASSERT_EQ(records.size(), 2u);
  v1::ComplaintAssigned assigned;
  ASSERT_TRUE(assigned.ParseFromString(records[1].value));
  EXPECT_EQ(assigned.forwarded_to_uscc(), target_);
  Stop();
  registry.process().Signal(SIGTERM);
  EXPECT_EQ(registry.process().Wait(absl::Seconds(10)), 0);
}

}  // namespace
}  // namespace parkline
