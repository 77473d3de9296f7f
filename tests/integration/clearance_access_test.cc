// Every RPC of the clearance service against every role, over a real gRPC server: who may call
// what, about whose cases and mandates. An enterprise reaches only cases it is a party to and
// mandates it granted or holds; only the customs gateway (and the park admin) speaks for customs;
// refusals are PERMISSION_DENIED, decided from the request alone. (Who among a case's parties may
// open and submit it is the desk's, from what is stored: adversarial_clearance_test.)
#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <map>

#include "absl/strings/str_cat.h"
#include "auth/credentials.h"
#include "auth/grpc_authorizer.h"
#include "clearance/access_policy.h"
#include "clearance/clearance_desk.h"
#include "clearance/clearance_service.h"
#include "clearance/guidance.h"
#include "clearance/schema.h"
#include "events/schema.h"
#include "grpcpp/create_channel.h"
#include "runtime/server.h"
#include "store/group_commit.h"
#include "tests/support/access_matrix.h"
#include "tests/support/test_env.h"

namespace parkline::clearance {
namespace {

constexpr char kOwn[] = "3301960001";    // the enterprise's customs code, and the carrier's code
constexpr char kOther[] = "4401960009";  // somebody else's

// The expected policy, written out independently of access_policy.cc.
const testing::AccessTable kExpected = {
    {"OpenCase", {{"park-admin"}, {"enterprise"}}},
    {"GetCase", {{"park-admin", "park-staff", "customs-gateway"}, {"enterprise"}}},
    {"ListCases", {{"park-admin", "park-staff", "customs-gateway"}, {"enterprise"}}},
    {"SubmitCase", {{"park-admin"}, {"enterprise"}}},
    {"GetInventoryMessage", {{"park-admin", "park-staff", "customs-gateway"}, {"enterprise"}}},
    {"RecordReceipt", {{"park-admin", "customs-gateway"}, {}}},
    {"SubmitReceiptMessage", {{"park-admin", "customs-gateway"}, {}}},
    {"RecordTaxBill", {{"park-admin", "customs-gateway"}, {}}},
    {"GetGuidance",
     {{"park-admin", "park-staff", "enterprise", "customs-gateway", "carrier", "analyst"}, {}}},
    {"ListRefundEligible", {{"park-admin", "park-staff"}, {"enterprise"}}},
    {"GrantMandate", {{"park-admin"}, {"enterprise"}}},
    {"RevokeMandate", {{"park-admin"}, {"enterprise"}}},
    {"ListMandates", {{"park-admin", "park-staff", "customs-gateway"}, {"enterprise"}}},
};

using Stub = v1::ClearanceService::Stub;
using Call = std::function<grpc::Status(Stub&, grpc::ClientContext*, const std::string& code)>;

const std::map<std::string, Call>& Calls() {
  static const auto* calls = new std::map<std::string, Call>{
      {"OpenCase",
       [](Stub& s, grpc::ClientContext* c, const std::string& code) {
         v1::OpenCaseRequest r;
         r.mutable_inventory()->set_ebc_code(code);
         r.mutable_inventory()->set_agent_code(code);
         v1::ClearanceCase out;
         return s.OpenCase(c, r, &out);
       }},
      {"GetCase",
       [](Stub& s, grpc::ClientContext* c, const std::string& code) {
         v1::GetCaseRequest r;
         r.set_case_id("X");
         r.set_enterprise_code(code);
         v1::ClearanceCase out;
         return s.GetCase(c, r, &out);
       }},
      {"ListCases",
       [](Stub& s, grpc::ClientContext* c, const std::string& code) {
         v1::ListCasesRequest r;
         r.set_enterprise_code(code);
         v1::ListCasesResponse out;
         return s.ListCases(c, r, &out);
       }},
      {"SubmitCase",
       [](Stub& s, grpc::ClientContext* c, const std::string& code) {
         v1::SubmitCaseRequest r;
         r.set_case_id("X");
         r.set_enterprise_code(code);
         v1::ClearanceCase out;
         return s.SubmitCase(c, r, &out);
       }},
      {"GetInventoryMessage",
       [](Stub& s, grpc::ClientContext* c, const std::string& code) {
         v1::GetInventoryMessageRequest r;
         r.set_case_id("X");
         r.set_enterprise_code(code);
         v1::InventoryMessage out;
         return s.GetInventoryMessage(c, r, &out);
       }},
      {"RecordReceipt",
       [](Stub& s, grpc::ClientContext* c, const std::string&) {
         v1::RecordReceiptRequest r;
         r.mutable_receipt()->set_guid("X");
         v1::ReceiptResult out;
         return s.RecordReceipt(c, r, &out);
       }},
      {"SubmitReceiptMessage",
       [](Stub& s, grpc::ClientContext* c, const std::string&) {
         v1::SubmitReceiptMessageRequest r;
         r.set_xml("<x/>");
         v1::SubmitReceiptMessageResponse out;
         return s.SubmitReceiptMessage(c, r, &out);
       }},
      {"RecordTaxBill",
       [](Stub& s, grpc::ClientContext* c, const std::string&) {
         v1::RecordTaxBillRequest r;
         r.set_case_id("X");
         v1::ClearanceCase out;
         return s.RecordTaxBill(c, r, &out);
       }},
      {"GetGuidance",
       [](Stub& s, grpc::ClientContext* c, const std::string&) {
         v1::GetGuidanceRequest r;
         r.set_business_mode("9610");
         r.set_direction(parkline::declarations::v1::DIRECTION_IMPORT);
         v1::Guidance out;
         return s.GetGuidance(c, r, &out);
       }},
      {"ListRefundEligible",
       [](Stub& s, grpc::ClientContext* c, const std::string& code) {
         v1::ListRefundEligibleRequest r;
         r.set_enterprise_code(code);
         v1::ListRefundEligibleResponse out;
         return s.ListRefundEligible(c, r, &out);
       }},
      {"GrantMandate",
       [](Stub& s, grpc::ClientContext* c, const std::string& code) {
         v1::GrantMandateRequest r;
         r.set_ebc_code(code);
         r.set_agent_code("3301960003");
         v1::Mandate out;
         return s.GrantMandate(c, r, &out);
       }},
      {"RevokeMandate",
       [](Stub& s, grpc::ClientContext* c, const std::string& code) {
         v1::RevokeMandateRequest r;
         r.set_mandate_id("X");
         r.set_enterprise_code(code);
         v1::Mandate out;
         return s.RevokeMandate(c, r, &out);
       }},
      {"ListMandates",
       [](Stub& s, grpc::ClientContext* c, const std::string& code) {
         v1::ListMandatesRequest r;
         r.set_enterprise_code(code);
         v1::ListMandatesResponse out;
         return s.ListMandates(c, r, &out);
       }},
  };
  return *calls;
}

class ClearanceAccessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = testing::OpenServiceDatabase("sqlite://" + dir_.path() + "/c.db", ApplySchema);
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    writer_ = std::make_unique<store::GroupCommitter>(*db_);
    desk_ = std::make_unique<ClearanceDesk>(*db_, *writer_, signer_, DeskOptions{}, nullptr);
    auto book = LoadGuidanceBook();
    ASSERT_TRUE(book.ok());
    book_ = *book;
    auto server =
        testing::PolicyServer::Start(dir_.path(), AccessPolicy(), "91350100M000100Y43", kOwn, kOwn,
                                     [&](const auth::Authorizer& a) {
                                       return std::make_unique<ClearanceService>(*desk_, book_, a);
                                     });
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    stub_ = v1::ClearanceService::NewStub(server_->channel());
  }

  testing::Invoke Invoker() { return testing::InvokerOf(*stub_, Calls()); }

  testing::TempDir dir_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<store::GroupCommitter> writer_;
  UnsignedSigner signer_;
  std::unique_ptr<ClearanceDesk> desk_;
  v1::GuidanceBook book_;
  std::unique_ptr<testing::PolicyServer> server_;
  std::unique_ptr<Stub> stub_;
};

TEST_F(ClearanceAccessTest, TheTableCoversEveryRpcOfTheService) {
  std::set<std::string> calls;
  for (const auto& [name, call] : Calls()) calls.insert(name);
  testing::ExpectTableCoversService(
      v1::ClearanceCase::descriptor()->file()->FindServiceByName("ClearanceService"), kExpected,
      calls);
}

TEST_F(ClearanceAccessTest, EveryRpcTimesEveryRole) {
  testing::ExpectEveryRpcTimesEveryRole(kExpected, kOwn, kOther, Invoker());
}

TEST_F(ClearanceAccessTest, NoCredentialsAreUnauthenticatedOnEveryRpc) {
  testing::ExpectUnauthenticatedWithoutCredentials(kExpected, kOwn, Invoker());
}

}  // namespace
}  // namespace parkline::clearance
