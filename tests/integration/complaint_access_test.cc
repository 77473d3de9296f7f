// Every RPC of the complaints service against every role, over a real gRPC server: park staff
// and admins run the desk; an enterprise files and follows only its own complaints (naming
// itself in the request); analysts, customs and carriers have no access. Refusals are
// PERMISSION_DENIED, decided from the request alone.
#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <map>

#include "absl/strings/str_cat.h"
#include "auth/credentials.h"
#include "auth/grpc_authorizer.h"
#include "calendar/calendar_data.h"
#include "complaints/access_policy.h"
#include "complaints/complaint_desk.h"
#include "complaints/complaint_service.h"
#include "complaints/schema.h"
#include "events/schema.h"
#include "grpcpp/create_channel.h"
#include "runtime/server.h"
#include "store/group_commit.h"
#include "tests/support/access_matrix.h"
#include "tests/support/test_env.h"

namespace parkline::complaints {
namespace {

constexpr char kOwn[] = "91350100M000100Y43";    // the enterprise caller's USCC
constexpr char kOther[] = "91110000100000000R";  // somebody else's

// The expected policy, written out independently of access_policy.cc.
const std::set<std::string> kDesk = {"park-admin", "park-staff"};
const testing::AccessTable kExpected = {
    {"FileComplaint", {kDesk, {"enterprise"}}},
    {"GetComplaint", {kDesk, {"enterprise"}}},
    {"ListComplaints", {kDesk, {"enterprise"}}},
    {"AcknowledgeComplaint", {kDesk, {}}},
    {"AssignComplaint", {kDesk, {}}},
    {"StartInvestigation", {kDesk, {}}},
    {"RespondToComplaint", {kDesk, {}}},
    {"CloseComplaint", {kDesk, {}}},
    {"ReopenComplaint", {kDesk, {}}},
    {"EscalateComplaint", {kDesk, {}}},
    {"OverrideDeadline", {kDesk, {}}},
    {"VerifyRecord", {kDesk, {}}},
    {"ExportComplaints", {kDesk, {}}},
    {"RecordFeedback", {kDesk, {}}},
    {"ListFeedback", {kDesk, {}}},
};

using Stub = v1::ComplaintService::Stub;
using Call = std::function<grpc::Status(Stub&, grpc::ClientContext*, const std::string& uscc)>;

v1::TransitionRequest Transition() {
  v1::TransitionRequest r;
  r.set_complaint_id("CMP-20260309-000000000000");
  return r;
}

const std::map<std::string, Call>& Calls() {
  static const auto* calls = new std::map<std::string, Call>{
      {"FileComplaint",
       [](Stub& s, grpc::ClientContext* c, const std::string& uscc) {
         v1::FileComplaintRequest r;
         r.set_request_id("access-" + uscc);
         r.mutable_complainant()->set_kind(v1::PARTY_KIND_RESIDENT_ENTERPRISE);
         r.mutable_complainant()->set_uscc(uscc);
         r.mutable_complainant()->mutable_contact()->set_email("desk@example.com");
         r.mutable_target()->set_kind(v1::PARTY_KIND_PARK_OPERATOR);
         r.set_category(v1::CATEGORY_FEES);
         r.set_channel(v1::CHANNEL_WEB);
         r.set_description("The water bill counts a month twice.");
         v1::Complaint out;
         return s.FileComplaint(c, r, &out);
       }},
      {"GetComplaint",
       [](Stub& s, grpc::ClientContext* c, const std::string& uscc) {
         v1::GetComplaintRequest r;
         r.set_complaint_id("CMP-20260309-000000000000");
         r.set_party_uscc(uscc);
         v1::Complaint out;
         return s.GetComplaint(c, r, &out);
       }},
      {"ListComplaints",
       [](Stub& s, grpc::ClientContext* c, const std::string& uscc) {
         v1::ListComplaintsRequest r;
         r.set_party_uscc(uscc);
         v1::ListComplaintsResponse out;
         return s.ListComplaints(c, r, &out);
       }},
      {"AcknowledgeComplaint",
       [](Stub& s, grpc::ClientContext* c, const std::string&) {
         v1::Complaint out;
         return s.AcknowledgeComplaint(c, Transition(), &out);
       }},
      {"AssignComplaint",
       [](Stub& s, grpc::ClientContext* c, const std::string&) {
         v1::AssignComplaintRequest r;
         r.set_complaint_id("CMP-20260309-000000000000");
         v1::Complaint out;
         return s.AssignComplaint(c, r, &out);
       }},
      {"StartInvestigation",
       [](Stub& s, grpc::ClientContext* c, const std::string&) {
         v1::Complaint out;
         return s.StartInvestigation(c, Transition(), &out);
       }},
      {"RespondToComplaint",
       [](Stub& s, grpc::ClientContext* c, const std::string&) {
         v1::RespondRequest r;
         r.set_complaint_id("CMP-20260309-000000000000");
         r.set_response("fixed");
         v1::Complaint out;
         return s.RespondToComplaint(c, r, &out);
       }},
      {"CloseComplaint",
       [](Stub& s, grpc::ClientContext* c, const std::string&) {
         v1::CloseComplaintRequest r;
         r.set_complaint_id("CMP-20260309-000000000000");
         r.set_satisfaction(5);
         v1::Complaint out;
         return s.CloseComplaint(c, r, &out);
       }},
      {"ReopenComplaint",
       [](Stub& s, grpc::ClientContext* c, const std::string&) {
         v1::Complaint out;
         return s.ReopenComplaint(c, Transition(), &out);
       }},
      {"EscalateComplaint",
       [](Stub& s, grpc::ClientContext* c, const std::string&) {
         v1::Complaint out;
         return s.EscalateComplaint(c, Transition(), &out);
       }},
      {"OverrideDeadline",
       [](Stub& s, grpc::ClientContext* c, const std::string&) {
         v1::OverrideDeadlineRequest r;
         r.set_complaint_id("CMP-20260309-000000000000");
         v1::Complaint out;
         return s.OverrideDeadline(c, r, &out);
       }},
      {"VerifyRecord",
       [](Stub& s, grpc::ClientContext* c, const std::string&) {
         v1::VerifyRecordResponse out;
         return s.VerifyRecord(c, {}, &out);
       }},
      {"ExportComplaints",
       [](Stub& s, grpc::ClientContext* c, const std::string&) {
         v1::ExportComplaintsResponse out;
         return s.ExportComplaints(c, {}, &out);
       }},
      {"RecordFeedback",
       [](Stub& s, grpc::ClientContext* c, const std::string&) {
         v1::Feedback out;
         return s.RecordFeedback(c, {}, &out);
       }},
      {"ListFeedback",
       [](Stub& s, grpc::ClientContext* c, const std::string&) {
         v1::ListFeedbackResponse out;
         return s.ListFeedback(c, {}, &out);
       }},
  };
  return *calls;
}

class ComplaintAccessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = testing::OpenServiceDatabase("sqlite://" + dir_.path() + "/c.db", ApplySchema);
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    absl::TimeZone park;
    ASSERT_TRUE(absl::LoadTimeZone("Asia/Shanghai", &park));
    deadlines_ = std::make_unique<ComplaintDeadline>(
        *WorkingCalendar::FromJson(parkline::calendar::kBuiltInCalendar), park);
    writer_ = std::make_unique<store::GroupCommitter>(*db_);
    desk_ =
        std::make_unique<ComplaintDesk>(*db_, *writer_, nullptr, *deadlines_, routing_, nullptr);
    auto server = testing::PolicyServer::Start(
        dir_.path(), AccessPolicy(), kOwn, "3301960001", "SF",
        [&](const auth::Authorizer& a) { return std::make_unique<ComplaintService>(*desk_, a); });
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    stub_ = v1::ComplaintService::NewStub(server_->channel());
  }

  testing::Invoke Invoker() { return testing::InvokerOf(*stub_, Calls()); }

  testing::TempDir dir_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<ComplaintDeadline> deadlines_;
  RoutingRules routing_;
  std::unique_ptr<store::GroupCommitter> writer_;
  std::unique_ptr<ComplaintDesk> desk_;
  std::unique_ptr<testing::PolicyServer> server_;
  std::unique_ptr<Stub> stub_;
};

TEST_F(ComplaintAccessTest, TheTableCoversEveryRpcOfTheService) {
  std::set<std::string> calls;
  for (const auto& [name, call] : Calls()) calls.insert(name);
  testing::ExpectTableCoversService(
      v1::Complaint::descriptor()->file()->FindServiceByName("ComplaintService"), kExpected, calls);
}

TEST_F(ComplaintAccessTest, EveryRpcTimesEveryRole) {
  testing::ExpectEveryRpcTimesEveryRole(kExpected, kOwn, kOther, Invoker());
}

TEST_F(ComplaintAccessTest, NoCredentialsAreUnauthenticatedOnEveryRpc) {
  testing::ExpectUnauthenticatedWithoutCredentials(kExpected, kOwn, Invoker());
}

}  // namespace
}  // namespace parkline::complaints
