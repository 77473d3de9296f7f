// The declarations part of #18's adversarial matrix, over gRPC on every backend: a victim's
// import set (order, payment, waybill) filed by its own parties, and attackers of every other
// tenant role (another platform, another e-commerce enterprise, a payment and a logistics
// enterprise the order does not name, a carrier of another code) trying every trick of item 1:
// naming the victim's keys together with themselves, resending, changing, withdrawing, filing
// first under the victim's key, joining a waybill by order number, and the same in an official
// message. Each attempt is PERMISSION_DENIED or NOT_FOUND, and the tamper witness sees no row of
// any table, no outbox row and no record on parkline.declarations.v1 change.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "ceb/ceb_reader.h"
#include "declarations/access_policy.h"
#include "declarations/declaration_desk.h"
#include "declarations/declaration_matcher.h"
#include "declarations/declaration_service.h"
#include "declarations/schema.h"
#include "google/protobuf/descriptor.h"
#include "parkline/enterprises/v1/events.pb.h"
#include "residents/residents.h"
#include "samples/import_sets.h"
#include "store/group_commit.h"
#include "tests/support/access_matrix.h"
#include "tests/support/backend_test.h"
#include "tests/support/tamper_witness.h"
#include "tests/support/test_env.h"

namespace parkline::declarations {
namespace {

using Stub = v1::DeclarationService::Stub;
using Call = std::function<grpc::Status(Stub&, grpc::ClientContext*)>;

const samples::ImportCodes kVictim{"3301960001", "3301960002", "3301960003", "3301960004"};
const samples::ImportCodes kAttacker{"4401960001", "4401960002", "4401960003", "4401960004"};

// Tokens of the callers, each bound to its own code.
constexpr char kVictimPlatform[] = "tok-victim-platform";
constexpr char kVictimPayment[] = "tok-victim-payment";
constexpr char kVictimLogistics[] = "tok-victim-logistics";
constexpr char kOtherPlatform[] = "tok-other-platform";
constexpr char kOtherEnterprise[] = "tok-other-enterprise";
constexpr char kOtherPayment[] = "tok-other-payment";
constexpr char kOtherLogistics[] = "tok-other-logistics";
constexpr char kOtherCarrier[] = "tok-other-carrier";
constexpr char kAdmin[] = "tok-admin";

const std::vector<testing::TestCaller>& Callers() {
  static const auto* callers = new std::vector<testing::TestCaller>{
      {kVictimPlatform, "victim-platform", "enterprise", testing::RandomUscc(), kVictim.platform,
       ""},
      {kVictimPayment, "victim-payment", "enterprise", testing::RandomUscc(), kVictim.payment, ""},
      {kVictimLogistics, "victim-logistics", "enterprise", testing::RandomUscc(), kVictim.logistics,
       ""},
      {kOtherPlatform, "other-platform", "enterprise", testing::RandomUscc(), kAttacker.platform,
       ""},
      {kOtherEnterprise, "other-enterprise", "enterprise", testing::RandomUscc(),
       kAttacker.enterprise, ""},
      {kOtherPayment, "other-payment", "enterprise", testing::RandomUscc(), kAttacker.payment, ""},
      {kOtherLogistics, "other-logistics", "enterprise", testing::RandomUscc(), kAttacker.logistics,
       ""},
      // A carrier speaks by its logistics customs code.
      {kOtherCarrier, "other-carrier", "carrier", "", "", kAttacker.logistics},
      {kAdmin, "admin", "park-admin", "", "", ""},
  };
  return *callers;
}

Call Order(v1::Order o) {
  return [o](Stub& s, grpc::ClientContext* c) {
    v1::SubmitOrderRequest r;
    *r.mutable_order() = o;
    v1::DocumentReceipt out;
    return s.SubmitOrder(c, r, &out);
  };
}

Call Payment(v1::Payment p) {
  return [p](Stub& s, grpc::ClientContext* c) {
    v1::SubmitPaymentRequest r;
    *r.mutable_payment() = p;
    v1::DocumentReceipt out;
    return s.SubmitPayment(c, r, &out);
  };
}

Call Waybill(v1::Waybill w) {
  return [w](Stub& s, grpc::ClientContext* c) {
    v1::SubmitWaybillRequest r;
    *r.mutable_waybill() = w;
    v1::DocumentReceipt out;
    return s.SubmitWaybill(c, r, &out);
  };
}

Call Message(const std::vector<v1::Order>& orders, const std::string& logistics_code) {
  std::string xml = ceb::WriteCeb311(orders, "4CDE1CFD-EDED-46B1-0000-000000000311");
  return [xml, logistics_code](Stub& s, grpc::ClientContext* c) {
    v1::SubmitMessageRequest r;
    r.set_xml(xml);
    r.set_business_mode("9610");
    r.set_logistics_code(logistics_code);
    v1::SubmitMessageResponse out;
    return s.SubmitMessage(c, r, &out);
  };
}

v1::Order WithAppType(v1::Order o, v1::AppType t) {
  o.set_app_type(t);
  return o;
}

struct Trick {
  std::string caller;
  std::string what;
  Call call;
};

class AdversarialDeclarationsTest : public testing::BackendTest<ApplySchema> {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    for (const auto* codes : {&kVictim, &kAttacker}) {
      for (const std::string& code :
           {codes->platform, codes->enterprise, codes->payment, codes->logistics}) {
        enterprises::v1::EnterpriseAdmitted admitted;
        admitted.mutable_enterprise()->set_uscc("USCC-" + code);
        admitted.mutable_enterprise()->set_customs_code(code);
        ASSERT_TRUE(db_->Transact([&](store::Transaction& tx) {
                         return residents::OnAdmitted(tx, admitted);
                       })
                        .ok());
      }
    }
    writer_ = std::make_unique<store::GroupCommitter>(*db_);
    desk_ = std::make_unique<DeclarationDesk>(*db_, *writer_, nullptr, keys_);
    auto server = testing::PolicyServer::Start(
        dir_.path(), AccessPolicy(), Callers(),
        [&](const auth::Authorizer& a) { return std::make_unique<DeclarationService>(*desk_, a); });
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    stub_ = v1::DeclarationService::NewStub(server_->channel());

    // The victim's matched set (1) and a set still waiting for its waybill (2), each document
    // filed by its own party over gRPC.
    matched_ = samples::MakeImportSet(1, kVictim);
    waiting_ = samples::MakeImportSet(2, kVictim);
    ASSERT_TRUE(Try(kVictimPlatform, Order(matched_.order)).ok());
    ASSERT_TRUE(Try(kVictimPayment, Payment(matched_.payment)).ok());
    ASSERT_TRUE(Try(kVictimLogistics, Waybill(matched_.waybill)).ok());
    ASSERT_TRUE(Try(kVictimPlatform, Order(waiting_.order)).ok());
    ASSERT_TRUE(Try(kVictimPayment, Payment(waiting_.payment)).ok());
    ASSERT_EQ(Status(matched_), v1::DECLARATION_STATUS_MATCHED);
    ASSERT_EQ(Status(waiting_), v1::DECLARATION_STATUS_WAITING);
  }

  grpc::Status Try(const std::string& token, const Call& call) {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", absl::StrCat("Bearer ", token));
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    return call(*stub_, &ctx);
  }

  v1::DeclarationStatus Status(const samples::ImportSet& s) {
    auto d = desk_->Get(OrderKey(s.order.ebp_code(), s.order.order_no()));
    return d.ok() ? d->status() : v1::DECLARATION_STATUS_UNSPECIFIED;
  }

  void ExpectEachRefusedWithNothingChanged(const std::vector<Trick>& tricks) {
    testing::TamperWitness witness(*db_, {kTopic});
    for (const Trick& t : tricks) {
      witness.Mark();
      witness.ExpectRefused(absl::StrCat(t.caller, ": ", t.what), Try(t.caller, t.call));
    }
    EXPECT_EQ(Status(matched_), v1::DECLARATION_STATUS_MATCHED);
    EXPECT_EQ(Status(waiting_), v1::DECLARATION_STATUS_WAITING);
  }

  // The order tricks of an attacker that names itself as `role` ("ebc_code" or "pay_code") with
  // the victim's ebp_code and order_no.
  std::vector<Trick> OrderTricks(const std::string& token, const std::string& own_code,
                                 const std::string& role) {
    auto naming_itself = [&](v1::Order o, v1::AppType t) {
      if (role == "ebc_code") o.set_ebc_code(own_code);
      if (role == "pay_code") o.set_pay_code(own_code);
      return WithAppType(o, t);
    };
    v1::Order changed = waiting_.order;
    changed.set_consignee_address("the attacker's warehouse");
    return {
        {token, "withdraws the victim's matched order naming itself as " + role,
         Order(naming_itself(matched_.order, v1::APP_TYPE_WITHDRAW))},
        {token, "changes the victim's waiting order naming itself as " + role,
         Order(naming_itself(changed, v1::APP_TYPE_CHANGE))},
        {token, "resends the victim's order naming itself as " + role,
         Order(naming_itself(matched_.order, v1::APP_TYPE_NEW))},
        {token, "withdraws the victim's matched order in a CEB311 naming itself",
         Message({naming_itself(matched_.order, v1::APP_TYPE_WITHDRAW)}, kVictim.logistics)},
        {token, "withdraws the victim's order as it stands (naming only the victim)",
         Order(WithAppType(matched_.order, v1::APP_TYPE_WITHDRAW))},
    };
  }

  testing::TempDir dir_;
  secrets::KeyRing keys_ = secrets::KeyRing::Generate("test-1");
  std::unique_ptr<store::GroupCommitter> writer_;
  std::unique_ptr<DeclarationDesk> desk_;
  std::unique_ptr<testing::PolicyServer> server_;
  std::unique_ptr<Stub> stub_;
  samples::ImportSet matched_, waiting_;
};

PARKLINE_BACKEND_TESTS(AdversarialDeclarationsTest);

TEST_P(AdversarialDeclarationsTest, AnotherPlatformCannotTouchTheVictimsOrders) {
  auto tricks = OrderTricks(kOtherPlatform, kAttacker.platform, "ebc_code");
  // Its own platform code on the victim's order number is another key, its own: so it files
  // payments and waybills for the victim's key instead.
  v1::Payment payment = waiting_.payment;
  payment.set_app_type(v1::APP_TYPE_CHANGE);
  tricks.push_back({kOtherPlatform, "changes the victim's payment", Payment(payment)});
  ExpectEachRefusedWithNothingChanged(tricks);
}

TEST_P(AdversarialDeclarationsTest, AnotherEcommerceEnterpriseCannotTouchTheVictimsOrders) {
  ExpectEachRefusedWithNothingChanged(
      OrderTricks(kOtherEnterprise, kAttacker.enterprise, "ebc_code"));
}

TEST_P(AdversarialDeclarationsTest, APaymentEnterpriseTheOrderDoesNotNameCannotTouchIt) {
  auto tricks = OrderTricks(kOtherPayment, kAttacker.payment, "pay_code");
  v1::Payment own = waiting_.payment;
  own.set_pay_code(kAttacker.payment);
  v1::Payment victims = waiting_.payment;
  tricks.push_back(
      {kOtherPayment, "files its payment for the victim's stored order", Payment(own)});
  tricks.push_back(
      {kOtherPayment, "files under the victim's payment enterprise", Payment(victims)});
  victims.set_app_type(v1::APP_TYPE_CHANGE);
  victims.set_amount_paid("1.00");
  tricks.push_back({kOtherPayment, "changes the victim's payment", Payment(victims)});
  v1::Payment withdraw = matched_.payment;
  withdraw.set_app_type(v1::APP_TYPE_WITHDRAW);
  tricks.push_back({kOtherPayment, "withdraws the victim's payment", Payment(withdraw)});
  ExpectEachRefusedWithNothingChanged(tricks);
}

TEST_P(AdversarialDeclarationsTest, ALogisticsEnterpriseOrCarrierTheOrderDoesNotNameCannotJoinIt) {
  std::vector<Trick> tricks;
  for (const char* token : {kOtherLogistics, kOtherCarrier}) {
    v1::Waybill own = waiting_.waybill;
    own.set_logistics_code(kAttacker.logistics);
    own.set_logistics_no(absl::StrCat("ATTACK-", token));
    tricks.push_back({token, "files its waybill for the victim's waiting order", Waybill(own)});
    tricks.push_back(
        {token, "files a waybill under the victim's logistics code", Waybill(waiting_.waybill)});
    v1::Waybill change = matched_.waybill;
    change.set_app_type(v1::APP_TYPE_CHANGE);
    change.set_consignee_address("the attacker's warehouse");
    tricks.push_back({token, "changes the victim's waybill", Waybill(change)});
    v1::Waybill withdraw = matched_.waybill;
    withdraw.set_app_type(v1::APP_TYPE_WITHDRAW);
    tricks.push_back({token, "withdraws the victim's waybill", Waybill(withdraw)});
    v1::Order order = waiting_.order;
    order.set_app_type(v1::APP_TYPE_CHANGE);
    order.set_logistics_code(kAttacker.logistics);
    tricks.push_back({token,
                      "changes the victim's order to name itself as the logistics enterprise",
                      Order(order)});
  }
  ExpectEachRefusedWithNothingChanged(tricks);
}

// The honest ones, so that the refusals above are refusals of the trick, not of everything: an
// attacker's own documents under its own keys are accepted, and block nobody.
TEST_P(AdversarialDeclarationsTest, EachTenantStillFilesItsOwn) {
  // A payment enterprise that files first for an order yet to come waits under its own key...
  samples::ImportSet later = samples::MakeImportSet(3, kVictim);
  v1::Payment early = later.payment;
  early.set_pay_code(kAttacker.payment);
  EXPECT_TRUE(Try(kOtherPayment, Payment(early)).ok());
  // ... and the real one is accepted and matched, never ALREADY_EXISTS.
  ASSERT_TRUE(Try(kVictimPlatform, Order(later.order)).ok());
  EXPECT_TRUE(Try(kVictimPayment, Payment(later.payment)).ok());
  EXPECT_TRUE(Try(kVictimLogistics, Waybill(later.waybill)).ok());
  EXPECT_EQ(Status(later), v1::DECLARATION_STATUS_MATCHED);
  // The attacker's own set, in its own names.
  samples::ImportSet own = samples::MakeImportSet(4, kAttacker);
  EXPECT_TRUE(Try(kOtherPlatform, Message({own.order}, kAttacker.logistics)).ok());
  EXPECT_TRUE(Try(kOtherPayment, Payment(own.payment)).ok());
  EXPECT_TRUE(Try(kOtherCarrier, Waybill(own.waybill)).ok());
  EXPECT_EQ(Status(own), v1::DECLARATION_STATUS_MATCHED);
  // The admin may end the victim's declaration.
  EXPECT_TRUE(Try(kAdmin, Order(WithAppType(matched_.order, v1::APP_TYPE_WITHDRAW))).ok());
  EXPECT_EQ(Status(matched_), v1::DECLARATION_STATUS_WITHDRAWN);
}

// A message carrying more documents than the service's cap is refused as a whole, naming the
// field and the cap, and nothing of it is stored: not the documents before the cap either.
TEST_P(AdversarialDeclarationsTest, AMessageBeyondTheDocumentCapIsRefusedWholeAndStoresNothing) {
  constexpr int kCap = 3;
  auto capped = testing::PolicyServer::Start(
      dir_.path(), AccessPolicy(), Callers(), [&](const auth::Authorizer& a) {
        return std::make_unique<DeclarationService>(*desk_, a, kCap);
      });
  ASSERT_TRUE(capped.ok()) << capped.status();
  auto stub = v1::DeclarationService::NewStub((*capped)->channel());
  auto send = [&](int orders) {
    std::vector<v1::Order> batch;
    for (int i = 0; i < orders; ++i)
      batch.push_back(samples::MakeImportSet(10 + i, kAttacker).order);
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", absl::StrCat("Bearer ", kOtherPlatform));
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    return Message(batch, kAttacker.logistics)(*stub, &ctx);
  };

  testing::TamperWitness witness(*db_, {kTopic});
  witness.Mark();
  grpc::Status refused = send(kCap + 1);
  witness.ExpectRefused("a message of 4 orders with a cap of 3", refused,
                        {grpc::StatusCode::INVALID_ARGUMENT});
  EXPECT_NE(refused.error_message().find("max_message_documents"), std::string::npos)
      << refused.error_message();
  EXPECT_NE(refused.error_message().find("more than 3 documents"), std::string::npos)
      << refused.error_message();
  // At the cap the same sender is accepted: the refusal above was the count, not the sender.
  EXPECT_TRUE(send(kCap).ok());
}

}  // namespace
}  // namespace parkline::declarations
