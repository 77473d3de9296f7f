// Every RPC of the support service against every role, over a real gRPC server: park staff and
// admins run the activities; an enterprise reads the programme and registers, cancels and lists
// only its own attendees (naming itself in the request); analysts read the figures only; customs
// and carriers have no access. In the directory an enterprise publishes offerings as a provider,
// files, rates, reads and lists its own requests and answers those routed to it, each naming
// itself; the park routes. Refusals are PERMISSION_DENIED, decided from the request alone.
#include <gtest/gtest.h>

#include <functional>
#include <map>

#include "grpcpp/create_channel.h"
#include "store/group_commit.h"
#include "support/access_policy.h"
#include "support/schema.h"
#include "support/support_desk.h"
#include "support/support_service.h"
#include "tests/support/access_matrix.h"
#include "tests/support/test_env.h"

namespace parkline::support {
namespace {

constexpr char kOwn[] = "91350100M000100Y43";    // the enterprise caller's USCC
constexpr char kOther[] = "91110000100000000R";  // somebody else's
constexpr char kRegistration[] = "REG-20260601-000000000000";
constexpr char kRequest[] = "SRQ-20260601-000000000000";

// The expected policy, written out independently of access_policy.cc.
const std::set<std::string> kDesk = {"park-admin", "park-staff"};
const std::set<std::string> kProgramme = {"park-admin", "park-staff", "enterprise"};
const testing::AccessTable kExpected = {
    {"ScheduleActivity", {kDesk, {}}},
    {"GetActivity", {kProgramme, {}}},
    {"ListActivities", {kProgramme, {}}},
    {"RegisterAttendees", {kDesk, {"enterprise"}}},
    {"CancelRegistration", {kDesk, {"enterprise"}}},
    {"ListRegistrations", {kDesk, {"enterprise"}}},
    {"ConfirmAttendance", {kDesk, {}}},
    {"GetActivityFigures", {{"park-admin", "park-staff", "analyst"}, {}}},
    {"CancelActivity", {kDesk, {}}},
    {"WithdrawOffering", {kDesk, {"enterprise"}}},
    {"RerouteServiceRequest", {kDesk, {}}},
    {"PublishOffering", {kDesk, {"enterprise"}}},
    {"ListOfferings", {kProgramme, {}}},
    {"FileServiceRequest", {kDesk, {"enterprise"}}},
    {"RouteServiceRequest", {kDesk, {}}},
    {"AnswerServiceRequest", {kDesk, {"enterprise"}}},
    {"RateServiceRequest", {kDesk, {"enterprise"}}},
    {"GetServiceRequest", {kDesk, {"enterprise"}}},
    {"ListServiceRequests", {kDesk, {"enterprise"}}},
    {"GetRequestFigures", {{"park-admin", "park-staff", "analyst"}, {}}},
};

using Stub = v1::SupportService::Stub;
using Call = std::function<grpc::Status(Stub&, grpc::ClientContext*, const std::string& uscc)>;

const std::map<std::string, Call>& Calls() {
  static const auto* calls = new std::map<std::string, Call>{
      {"ScheduleActivity",
       [](Stub& s, grpc::ClientContext* c, const std::string&) {
         v1::ScheduleActivityRequest r;
         r.set_request_id("access-schedule");
         v1::Activity out;
         return s.ScheduleActivity(c, r, &out);
       }},
      {"GetActivity",
       [](Stub& s, grpc::ClientContext* c, const std::string&) {
         v1::GetActivityRequest r;
         r.set_activity_id("ACT-20260601-000000000000");
         v1::Activity out;
         return s.GetActivity(c, r, &out);
       }},
      {"ListActivities",
       [](Stub& s, grpc::ClientContext* c, const std::string&) {
         v1::ListActivitiesResponse out;
         return s.ListActivities(c, {}, &out);
       }},
      {"RegisterAttendees",
       [](Stub& s, grpc::ClientContext* c, const std::string& uscc) {
         v1::RegisterAttendeesRequest r;
         r.set_request_id("access-" + uscc);
         r.set_activity_id("ACT-20260601-000000000000");
         r.set_enterprise_uscc(uscc);
         r.set_head_count(1);
         v1::Registration out;
         return s.RegisterAttendees(c, r, &out);
       }},
      {"CancelRegistration",
       [](Stub& s, grpc::ClientContext* c, const std::string& uscc) {
         v1::CancelRegistrationRequest r;
         r.set_registration_id(kRegistration);
         r.set_enterprise_uscc(uscc);
         v1::Registration out;
         return s.CancelRegistration(c, r, &out);
       }},
      {"ListRegistrations",
       [](Stub& s, grpc::ClientContext* c, const std::string& uscc) {
         v1::ListRegistrationsRequest r;
         r.set_enterprise_uscc(uscc);
         v1::ListRegistrationsResponse out;
         return s.ListRegistrations(c, r, &out);
       }},
      {"ConfirmAttendance",
       [](Stub& s, grpc::ClientContext* c, const std::string&) {
         v1::ConfirmAttendanceRequest r;
         r.set_registration_id(kRegistration);
         v1::Registration out;
         return s.ConfirmAttendance(c, r, &out);
       }},
      {"GetActivityFigures",
       [](Stub& s, grpc::ClientContext* c, const std::string&) {
         v1::GetActivityFiguresRequest r;
         r.set_year(2026);
         v1::ActivityFigures out;
         return s.GetActivityFigures(c, r, &out);
       }},
      {"CancelActivity",
       [](Stub& s, grpc::ClientContext* c, const std::string&) {
         v1::CancelActivityRequest r;
         r.set_activity_id("ACT-20260601-000000000000");
         r.set_reason("The hall is flooded.");
         v1::Activity out;
         return s.CancelActivity(c, r, &out);
       }},
      {"WithdrawOffering",
       [](Stub& s, grpc::ClientContext* c, const std::string& uscc) {
         v1::WithdrawOfferingRequest r;
         r.set_offering_id("OFR-20260601-000000000000");
         r.set_provider_uscc(uscc);
         v1::Offering out;
         return s.WithdrawOffering(c, r, &out);
       }},
      {"RerouteServiceRequest",
       [](Stub& s, grpc::ClientContext* c, const std::string&) {
         v1::RerouteServiceRequestRequest r;
         r.set_service_request_id(kRequest);
         r.set_provider_uscc(kOther);
         r.set_reason("No answer.");
         v1::ServiceRequest out;
         return s.RerouteServiceRequest(c, r, &out);
       }},
      {"PublishOffering",
       [](Stub& s, grpc::ClientContext* c, const std::string& uscc) {
         v1::PublishOfferingRequest r;
         r.set_request_id("access-offer-" + uscc);
         r.set_provider_uscc(uscc);
         r.set_category(v1::SERVICE_CATEGORY_LEGAL);
         r.set_title("Trademark filings abroad");
         v1::Offering out;
         return s.PublishOffering(c, r, &out);
       }},
      {"ListOfferings",
       [](Stub& s, grpc::ClientContext* c, const std::string&) {
         v1::ListOfferingsResponse out;
         return s.ListOfferings(c, {}, &out);
       }},
      {"FileServiceRequest",
       [](Stub& s, grpc::ClientContext* c, const std::string& uscc) {
         v1::FileServiceRequestRequest r;
         r.set_request_id("access-file-" + uscc);
         r.set_enterprise_uscc(uscc);
         r.set_category(v1::SERVICE_CATEGORY_FINANCE);
         r.set_description("A supply-chain credit line for Q3 stock.");
         v1::ServiceRequest out;
         return s.FileServiceRequest(c, r, &out);
       }},
      {"RouteServiceRequest",
       [](Stub& s, grpc::ClientContext* c, const std::string&) {
         v1::RouteServiceRequestRequest r;
         r.set_service_request_id(kRequest);
         r.set_response_working_days(3);
         v1::ServiceRequest out;
         return s.RouteServiceRequest(c, r, &out);
       }},
      {"AnswerServiceRequest",
       [](Stub& s, grpc::ClientContext* c, const std::string& uscc) {
         v1::AnswerServiceRequestRequest r;
         r.set_service_request_id(kRequest);
         r.set_provider_uscc(uscc);
         r.set_answer("Approved.");
         v1::ServiceRequest out;
         return s.AnswerServiceRequest(c, r, &out);
       }},
      {"RateServiceRequest",
       [](Stub& s, grpc::ClientContext* c, const std::string& uscc) {
         v1::RateServiceRequestRequest r;
         r.set_service_request_id(kRequest);
         r.set_enterprise_uscc(uscc);
         r.set_rating(5);
         v1::ServiceRequest out;
         return s.RateServiceRequest(c, r, &out);
       }},
      {"GetServiceRequest",
       [](Stub& s, grpc::ClientContext* c, const std::string& uscc) {
         v1::GetServiceRequestRequest r;
         r.set_service_request_id(kRequest);
         r.set_party_uscc(uscc);
         v1::ServiceRequest out;
         return s.GetServiceRequest(c, r, &out);
       }},
      {"ListServiceRequests",
       [](Stub& s, grpc::ClientContext* c, const std::string& uscc) {
         v1::ListServiceRequestsRequest r;
         r.set_party_uscc(uscc);
         v1::ListServiceRequestsResponse out;
         return s.ListServiceRequests(c, r, &out);
       }},
      {"GetRequestFigures",
       [](Stub& s, grpc::ClientContext* c, const std::string&) {
         v1::GetRequestFiguresRequest r;
         r.set_year(2026);
         v1::RequestFigures out;
         return s.GetRequestFigures(c, r, &out);
       }},
  };
  return *calls;
}

class SupportAccessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = testing::OpenServiceDatabase("sqlite://" + dir_.path() + "/s.db", ApplySchema);
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    writer_ = std::make_unique<store::GroupCommitter>(*db_);
    desk_ = std::make_unique<SupportDesk>(*db_, *writer_, nullptr, secrets::KeyRing::Generate("k1"),
                                          nullptr);
    requests_ = std::make_unique<RequestDesk>(*db_, *writer_, nullptr, calendar::WorkingCalendar(),
                                              nullptr);
    auto server = testing::PolicyServer::Start(
        dir_.path(), AccessPolicy(), kOwn, "3301960001", "SF", [&](const auth::Authorizer& a) {
          return std::make_unique<SupportService>(*desk_, *requests_, a);
        });
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    stub_ = v1::SupportService::NewStub(server_->channel());
  }
  testing::Invoke Invoker() { return testing::InvokerOf(*stub_, Calls()); }

  testing::TempDir dir_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<store::GroupCommitter> writer_;
  std::unique_ptr<SupportDesk> desk_;
  std::unique_ptr<RequestDesk> requests_;
  std::unique_ptr<testing::PolicyServer> server_;
  std::unique_ptr<Stub> stub_;
};

TEST_F(SupportAccessTest, TheTableCoversEveryRpcOfTheService) {
  std::set<std::string> calls;
  for (const auto& [name, call] : Calls()) calls.insert(name);
  testing::ExpectTableCoversService(
      v1::Activity::descriptor()->file()->FindServiceByName("SupportService"), kExpected, calls);
}

TEST_F(SupportAccessTest, EveryRpcTimesEveryRole) {
  testing::ExpectEveryRpcTimesEveryRole(kExpected, kOwn, kOther, Invoker());
}

TEST_F(SupportAccessTest, NoCredentialsAreUnauthenticatedOnEveryRpc) {
  testing::ExpectUnauthenticatedWithoutCredentials(kExpected, kOwn, Invoker());
}

}  // namespace
}  // namespace parkline::support
