// Every RPC of the declarations service against every role, over a real gRPC server: who may
// call what, about whose documents. An enterprise or carrier reaches only documents it is a party
// to; refusals are PERMISSION_DENIED, decided from the request alone.
#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <map>

#include "absl/strings/str_cat.h"
#include "auth/credentials.h"
#include "auth/grpc_authorizer.h"
#include "declarations/access_policy.h"
#include "declarations/declaration_desk.h"
#include "declarations/declaration_matcher.h"
#include "declarations/declaration_repository.h"
#include "declarations/declaration_service.h"
#include "declarations/schema.h"
#include "events/schema.h"
#include "grpcpp/create_channel.h"
#include "runtime/server.h"
#include "samples/import_sets.h"
#include "store/group_commit.h"
#include "tests/support/access_matrix.h"
#include "tests/support/test_env.h"

namespace parkline::declarations {
namespace {

constexpr char kOwn[] = "3301960001";    // the enterprise's customs code, and the carrier's code
constexpr char kOther[] = "4401960009";  // somebody else's

// The expected policy, written out independently of access_policy.cc.
const testing::AccessTable kExpected = {
    {"SubmitOrder", {{"park-admin"}, {"enterprise"}}},
    {"SubmitPayment", {{"park-admin"}, {"enterprise"}}},
    {"SubmitReceipt", {{"park-admin"}, {"enterprise"}}},
    {"SubmitWaybill", {{"park-admin"}, {"enterprise", "carrier"}}},
    {"SubmitMessage", {{"park-admin"}, {"enterprise", "carrier"}}},
    {"GetDeclaration", {{"park-admin", "park-staff", "customs-gateway"}, {"enterprise"}}},
    {"ListDeclarations", {{"park-admin", "park-staff", "customs-gateway"}, {"enterprise"}}},
    {"GetBuyerQuota", {{"park-admin", "park-staff", "enterprise"}, {}}},
    {"ListWaitingDocuments", {{"park-admin", "park-staff", "customs-gateway"}, {}}},
};

using Stub = v1::DeclarationService::Stub;
using Call = std::function<grpc::Status(Stub&, grpc::ClientContext*, const std::string& code)>;

// A set whose every party is `code`.
samples::ImportSet SetOf(const std::string& code) {
  return samples::MakeImportSet(1, samples::ImportCodes{code, code, code, code});
}

const std::map<std::string, Call>& Calls() {
  static const auto* calls = new std::map<std::string, Call>{
      {"SubmitOrder",
       [](Stub& s, grpc::ClientContext* c, const std::string& code) {
         v1::SubmitOrderRequest r;
         *r.mutable_order() = SetOf(code).order;
         v1::DocumentReceipt out;
         return s.SubmitOrder(c, r, &out);
       }},
      {"SubmitPayment",
       [](Stub& s, grpc::ClientContext* c, const std::string& code) {
         v1::SubmitPaymentRequest r;
         *r.mutable_payment() = SetOf(code).payment;
         v1::DocumentReceipt out;
         return s.SubmitPayment(c, r, &out);
       }},
      {"SubmitReceipt",
       [](Stub& s, grpc::ClientContext* c, const std::string& code) {
         v1::SubmitReceiptRequest r;
         r.mutable_receipt()->set_ebc_code(code);
         r.mutable_receipt()->set_pay_code(code);
         v1::DocumentReceipt out;
         return s.SubmitReceipt(c, r, &out);
       }},
      {"SubmitWaybill",
       [](Stub& s, grpc::ClientContext* c, const std::string& code) {
         v1::SubmitWaybillRequest r;
         *r.mutable_waybill() = SetOf(code).waybill;
         v1::DocumentReceipt out;
         return s.SubmitWaybill(c, r, &out);
       }},
      {"SubmitMessage",
       [](Stub& s, grpc::ClientContext* c, const std::string& code) {
         // A one-waybill CEB511: its only party is the logistics enterprise.
         v1::SubmitMessageRequest r;
         r.set_xml(absl::StrCat(
             R"(<ceb:CEB511Message guid="G" version="1.0" xmlns:ceb="http://www.chinaport.gov.cn/ceb">)",
             "<ceb:Logistics><ceb:LogisticsHead><ceb:logisticsCode>", code,
             "</ceb:logisticsCode><ceb:orderNo>ORD-1</ceb:orderNo></ceb:LogisticsHead>",
             "</ceb:Logistics></ceb:CEB511Message>"));
         v1::SubmitMessageResponse out;
         return s.SubmitMessage(c, r, &out);
       }},
      {"GetDeclaration",
       [](Stub& s, grpc::ClientContext* c, const std::string& code) {
         v1::GetDeclarationRequest r;
         r.set_order_key(code + "/ORD-1");
         v1::Declaration out;
         return s.GetDeclaration(c, r, &out);
       }},
      {"ListDeclarations",
       [](Stub& s, grpc::ClientContext* c, const std::string& code) {
         v1::ListDeclarationsRequest r;
         r.set_enterprise_code(code);
         v1::ListDeclarationsResponse out;
         return s.ListDeclarations(c, r, &out);
       }},
      {"GetBuyerQuota",
       [](Stub& s, grpc::ClientContext* c, const std::string&) {
         v1::GetBuyerQuotaRequest r;
         r.set_buyer_id_number(samples::ResidentIdFor(1));
         r.set_year(2025);
         v1::BuyerQuota out;
         return s.GetBuyerQuota(c, r, &out);
       }},
      {"ListWaitingDocuments",
       [](Stub& s, grpc::ClientContext* c, const std::string&) {
         v1::ListWaitingDocumentsResponse out;
         return s.ListWaitingDocuments(c, {}, &out);
       }},
  };
  return *calls;
}

class DeclarationAccessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = testing::OpenServiceDatabase("sqlite://" + dir_.path() + "/d.db", ApplySchema);
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    writer_ = std::make_unique<store::GroupCommitter>(*db_);
    desk_ = std::make_unique<DeclarationDesk>(*db_, *writer_, nullptr, keys_);
    // The buyer whose quota GetBuyerQuota asks for has an order of which kOwn is every party.
    v1::Order order = SetOf(kOwn).order;
    ASSERT_TRUE(db_->Transact([&](store::Transaction& tx) {
                     return DeclarationRepository(tx, keys_).SaveDocument(
                         v1::DOCUMENT_KIND_ORDER, OrderKey(order.ebp_code(), order.order_no()),
                         OrderKey(order.ebp_code(), order.order_no()), order.order_no(),
                         order.guid(), order.SerializeAsString(), false);
                   })
                    .ok());
    auto server = testing::PolicyServer::Start(
        dir_.path(), AccessPolicy(), "91350100M000100Y43", kOwn, kOwn,
        [&](const auth::Authorizer& a) { return std::make_unique<DeclarationService>(*desk_, a); });
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    stub_ = v1::DeclarationService::NewStub(server_->channel());
  }

  testing::Invoke Invoker() { return testing::InvokerOf(*stub_, Calls()); }

  testing::TempDir dir_;
  secrets::KeyRing keys_ = secrets::KeyRing::Generate("test-1");
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<store::GroupCommitter> writer_;
  std::unique_ptr<DeclarationDesk> desk_;
  std::unique_ptr<testing::PolicyServer> server_;
  std::unique_ptr<Stub> stub_;
};

TEST_F(DeclarationAccessTest, TheTableCoversEveryRpcOfTheService) {
  std::set<std::string> calls;
  for (const auto& [name, call] : Calls()) calls.insert(name);
  testing::ExpectTableCoversService(
      v1::Declaration::descriptor()->file()->FindServiceByName("DeclarationService"), kExpected,
      calls);
}

TEST_F(DeclarationAccessTest, EveryRpcTimesEveryRole) {
  testing::ExpectEveryRpcTimesEveryRole(kExpected, kOwn, kOther, Invoker());
}

TEST_F(DeclarationAccessTest, NoCredentialsAreUnauthenticatedOnEveryRpc) {
  testing::ExpectUnauthenticatedWithoutCredentials(kExpected, kOwn, Invoker());
}

// A message that cannot be read names no party: whoever may send messages of its own is told what
// is wrong with it (INVALID_ARGUMENT naming the xml field), not refused; the others still are.
TEST_F(DeclarationAccessTest, AnUnreadableMessageIsExplainedToWhoeverMaySendOne) {
  for (const std::string& role : testing::AllRoles()) {
    const testing::ExpectedAccess& access = kExpected.at("SubmitMessage");
    bool may_send = access.any.count(role) > 0 || access.own_only.count(role) > 0;
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", "Bearer " + testing::RoleToken(role));
    v1::SubmitMessageRequest request;
    request.set_xml("<ceb:CEB311Message");
    v1::SubmitMessageResponse response;
    grpc::Status status = stub_->SubmitMessage(&ctx, request, &response);
    EXPECT_EQ(status.error_code(),
              may_send ? grpc::StatusCode::INVALID_ARGUMENT : grpc::StatusCode::PERMISSION_DENIED)
        << role << ": " << status.error_message();
    if (may_send) {
      EXPECT_NE(status.error_message().find("XML"), std::string::npos)
          << role << ": " << status.error_message();
    }
  }
}

}  // namespace
}  // namespace parkline::declarations
