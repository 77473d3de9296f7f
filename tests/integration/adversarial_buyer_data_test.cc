// Buyers' data in the declarations service (#18, item 5), over gRPC on both backends: what is
// stored holds no ID number, name, telephone or address in clear (every table's raw rows
// scanned, the outbox included), the quota is keyed by a secret, a key rotation keeps documents
// and quota readable, the retention pass erases, and a buyer's quota is read by the park and the
// buyer's sellers only: every other tenant is refused alike, known buyer or not, and the tamper
// witness shows that nothing changed.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "auth/sha256.h"
#include "declarations/access_policy.h"
#include "declarations/declaration_desk.h"
#include "declarations/declaration_matcher.h"
#include "declarations/declaration_service.h"
#include "declarations/schema.h"
#include "parkline/enterprises/v1/events.pb.h"
#include "residents/residents.h"
#include "samples/import_sets.h"
#include "store/group_commit.h"
#include "tests/support/access_matrix.h"
#include "tests/support/backend_test.h"
#include "tests/support/plaintext_scan.h"
#include "tests/support/tamper_witness.h"

namespace parkline::declarations {
namespace {

// The sellers of the buyer of set 1: platform, e-commerce enterprise, payment, logistics.
const samples::ImportCodes kCodes{"3301960001", "3301960002", "3301960003", "3301960004"};
constexpr char kRival[] = "3301960009";  // a resident platform that never sold to the buyer

const std::vector<testing::TestCaller>& Callers() {
  static const auto* callers = new std::vector<testing::TestCaller>{
      {"t-admin", "admin", "park-admin", "", "", ""},
      {"t-staff", "staff", "park-staff", "", "", ""},
      {"t-platform", "platform", "enterprise", testing::NumberedUscc(1), kCodes.platform, ""},
      {"t-seller", "seller", "enterprise", testing::NumberedUscc(2), kCodes.enterprise, ""},
      {"t-payer", "payer", "enterprise", testing::NumberedUscc(3), kCodes.payment, ""},
      {"t-logistics", "logistics", "enterprise", testing::NumberedUscc(4), kCodes.logistics, ""},
      {"t-rival", "rival", "enterprise", testing::NumberedUscc(5), kRival, ""},
      {"t-carrier", "carrier", "carrier", "", "", kCodes.logistics},
      {"t-customs", "customs", "customs-gateway", "", "", ""},
      {"t-analyst", "analyst", "analyst", "", "", ""},
  };
  return *callers;
}

class BuyerDataTest : public testing::BackendTest<ApplySchema> {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    for (const std::string& code : {kCodes.platform, kCodes.enterprise, kCodes.payment,
                                    kCodes.logistics, std::string(kRival)}) {
      enterprises::v1::EnterpriseAdmitted admitted;
      admitted.mutable_enterprise()->set_uscc("USCC-" + code);
      admitted.mutable_enterprise()->set_customs_code(code);
      ASSERT_TRUE(
          db_->Transact([&](store::Transaction& tx) { return residents::OnAdmitted(tx, admitted); })
              .ok());
    }
    writer_ = std::make_unique<store::GroupCommitter>(*db_);
    Serve(secrets::KeyRing::Generate("k1"));
  }

  // The service on `keys`, as a restart with that key file would have it (rotation included).
  void Serve(secrets::KeyRing keys) {
    server_.reset();
    keys_ = keys;
    desk_ = std::make_unique<DeclarationDesk>(*db_, *writer_, nullptr, std::move(keys));
    auto rotated = desk_->RotatePersonalData();
    ASSERT_TRUE(rotated.ok()) << rotated.status();
    rotation_ = *rotated;
    auto server = testing::PolicyServer::Start(
        dir_.path(), AccessPolicy(), Callers(),
        [&](const auth::Authorizer& a) { return std::make_unique<DeclarationService>(*desk_, a); });
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    stub_ = v1::DeclarationService::NewStub(server_->channel());
  }

  grpc::Status Submit(const samples::ImportSet& s, v1::DocumentOutcome* last = nullptr) {
    v1::DocumentReceipt out;
    for (int i = 0; i < 3; ++i) {
      grpc::ClientContext ctx;
      ctx.AddMetadata("authorization", "Bearer t-admin");
      grpc::Status status;
      if (i == 0) {
        v1::SubmitOrderRequest r;
        *r.mutable_order() = s.order;
        status = stub_->SubmitOrder(&ctx, r, &out);
      } else if (i == 1) {
        v1::SubmitPaymentRequest r;
        *r.mutable_payment() = s.payment;
        status = stub_->SubmitPayment(&ctx, r, &out);
      } else {
        v1::SubmitWaybillRequest r;
        *r.mutable_waybill() = s.waybill;
        status = stub_->SubmitWaybill(&ctx, r, &out);
      }
      if (!status.ok()) return status;
    }
    if (last != nullptr) *last = out.outcome();
    return grpc::Status::OK;
  }

  grpc::Status Quota(const std::string& who, const std::string& id_number, v1::BuyerQuota* out) {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", "Bearer t-" + who);
    v1::GetBuyerQuotaRequest r;
    r.set_buyer_id_number(id_number);
    r.set_year(2025);
    return stub_->GetBuyerQuota(&ctx, r, out);
  }

  void ExpectNowhereInClear(const std::string& what, const std::string& value) {
    testing::ExpectNowhereInClear(*db_, what, value);
  }

  std::vector<std::string> Column(const std::string& sql) { return testing::ColumnOf(*db_, sql); }

  testing::TempDir dir_;
  secrets::KeyRing keys_;
  std::unique_ptr<store::GroupCommitter> writer_;
  std::unique_ptr<DeclarationDesk> desk_;
  DeclarationDesk::Rotation rotation_;
  std::unique_ptr<testing::PolicyServer> server_;
  std::unique_ptr<v1::DeclarationService::Stub> stub_;
};

PARKLINE_BACKEND_TESTS(BuyerDataTest);

TEST_P(BuyerDataTest, NoTableHoldsTheBuyersPayersOrConsigneesDataInClear) {
  samples::ImportSet s = samples::MakeImportSet(1, kCodes);
  ASSERT_TRUE(Submit(s).ok());
  ExpectNowhereInClear("the buyer's ID number", s.order.buyer_id_number());
  ExpectNowhereInClear("the buyer's name", s.order.buyer_name());
  ExpectNowhereInClear("the buyer's telephone", s.order.buyer_telephone());
  ExpectNowhereInClear("the consignee's address", s.order.consignee_address());
  ExpectNowhereInClear("the payer's name", s.payment.payer_name());
  ExpectNowhereInClear("the waybill's consignee telephone", s.waybill.consignee_telephone());
  // ... nor the unkeyed SHA-256 of the ID number, which anyone can compute for every number.
  ExpectNowhereInClear("the SHA-256 of the ID number", auth::Sha256Hex(s.order.buyer_id_number()));
  EXPECT_EQ(Column("SELECT buyer_key_id FROM quota_reservations"), std::vector<std::string>{"k1"});
  // The documents still read whole: the same set again is a resend, not new content.
  v1::DocumentOutcome outcome;
  ASSERT_TRUE(Submit(s, &outcome).ok());
  EXPECT_EQ(outcome, v1::DOCUMENT_OUTCOME_DUPLICATE);
  v1::BuyerQuota quota;
  ASSERT_TRUE(Quota("staff", s.order.buyer_id_number(), &quota).ok());
  EXPECT_EQ(quota.used(), "190.50");
}

TEST_P(BuyerDataTest, ARotatedKeyKeepsDocumentsAndQuotaReadableAndTakesEveryRowOver) {
  samples::ImportSet s = samples::MakeImportSet(1, kCodes);
  ASSERT_TRUE(Submit(s).ok());
  auto rotated = keys_.WithNewActiveKey("k2");
  ASSERT_TRUE(rotated.ok());
  Serve(*rotated);
  EXPECT_EQ(rotation_.documents, 3);
  EXPECT_EQ(rotation_.quota, 1);
  EXPECT_EQ(rotation_.documents_left + rotation_.quota_left, 0);
  EXPECT_EQ(Column("SELECT DISTINCT personal_key_id FROM documents"),
            std::vector<std::string>{"k2"});
  EXPECT_EQ(Column("SELECT buyer_key_id FROM quota_reservations"), std::vector<std::string>{"k2"});
  v1::BuyerQuota quota;
  ASSERT_TRUE(Quota("seller", s.order.buyer_id_number(), &quota).ok());
  EXPECT_EQ(quota.used(), "190.50");
  v1::DocumentOutcome outcome;
  ASSERT_TRUE(Submit(s, &outcome).ok());
  EXPECT_EQ(outcome, v1::DOCUMENT_OUTCOME_DUPLICATE);
  // Without the old key in the ring, nothing under it would open: the new key alone suffices now.
  auto parsed = secrets::KeyRing::Parse(
      absl::StrCat(R"({"active": "k2", "keys": [{"id": "k2", "hex": ")",
                   absl::BytesToHexString(rotated->Find("k2")->bytes), R"("}]})"));
  ASSERT_TRUE(parsed.ok());
  Serve(*parsed);
  ASSERT_TRUE(Quota("staff", s.order.buyer_id_number(), &quota).ok());
  EXPECT_EQ(quota.used(), "190.50");
}

TEST_P(BuyerDataTest, RowsFromBeforeSealingAreSealedAndRekeyedAtStart) {
  samples::ImportSet s = samples::MakeImportSet(1, kCodes);
  ASSERT_TRUE(Submit(s).ok());
  // As migration 4 leaves a database written before it: whole documents in the payload, the
  // quota keyed by the unkeyed SHA-256.
  ASSERT_TRUE(db_->Transact([&](store::Transaction& tx) -> absl::Status {
                   for (const auto& [kind, payload] :
                        std::vector<std::pair<v1::DocumentKind, std::string>>{
                            {v1::DOCUMENT_KIND_ORDER, s.order.SerializeAsString()},
                            {v1::DOCUMENT_KIND_PAYMENT, s.payment.SerializeAsString()},
                            {v1::DOCUMENT_KIND_WAYBILL, s.waybill.SerializeAsString()}}) {
                     auto n = tx.Execute(
                         "UPDATE documents SET payload = $1, personal_key_id = '-', "
                         "personal = NULL, buyer = NULL WHERE kind = $2",
                         {store::Blob{payload}, int64_t{kind}});
                     if (!n.ok()) return n.status();
                   }
                   return tx
                       .Execute("UPDATE quota_reservations SET buyer = $1, buyer_key_id = '-'",
                                {auth::Sha256Hex(s.order.buyer_id_number())})
                       .status();
                 })
                  .ok());
  Serve(keys_);
  EXPECT_EQ(rotation_.documents, 3);
  EXPECT_EQ(rotation_.quota, 1);
  ExpectNowhereInClear("the buyer's ID number", s.order.buyer_id_number());
  ExpectNowhereInClear("the SHA-256 of the ID number", auth::Sha256Hex(s.order.buyer_id_number()));
  v1::BuyerQuota quota;
  ASSERT_TRUE(Quota("platform", s.order.buyer_id_number(), &quota).ok());
  EXPECT_EQ(quota.used(), "190.50");
}

TEST_P(BuyerDataTest, TheRetentionPassErasesPersonalDataOfFinalDeclarationsOnly) {
  samples::ImportSet done = samples::MakeImportSet(1, kCodes);
  ASSERT_TRUE(Submit(done).ok());  // matched: final
  samples::ImportSet waiting = samples::MakeImportSet(2, kCodes);
  {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", "Bearer t-admin");
    v1::SubmitOrderRequest r;
    *r.mutable_order() = waiting.order;
    v1::DocumentReceipt out;
    ASSERT_TRUE(stub_->SubmitOrder(&ctx, r, &out).ok());  // waiting: not final
  }
  // Not yet: the declaration became final less than the retention ago.
  auto none = desk_->ErasePersonalData(absl::Hours(1), absl::Now());
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_EQ(*none, 0);
  auto erased = desk_->ErasePersonalData(absl::Hours(1), absl::Now() + absl::Hours(2));
  ASSERT_TRUE(erased.ok()) << erased.status();
  EXPECT_EQ(*erased, 3);  // the matched set's order, payment and waybill
  EXPECT_EQ(Column("SELECT doc_key FROM documents WHERE personal IS NOT NULL"),
            std::vector<std::string>{OrderKey(waiting.order.ebp_code(), waiting.order.order_no())});
  EXPECT_EQ(Column("SELECT doc_key FROM documents").size(), 4u);
  std::string rows = testing::AllRowsOf(*db_);
  EXPECT_FALSE(absl::StrContains(rows, absl::BytesToHexString(done.order.buyer_id_number())));
  // The documents and the declaration stay; the buyer's year still counts the order.
  v1::BuyerQuota quota;
  ASSERT_TRUE(Quota("seller", done.order.buyer_id_number(), &quota).ok());
  EXPECT_EQ(quota.used(), "190.50");
  auto d = desk_->Get(OrderKey(done.order.ebp_code(), done.order.order_no()));
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->status(), v1::DECLARATION_STATUS_MATCHED);
  // The waiting order keeps its buyer: a party still finds the buyer through it.
  ASSERT_TRUE(Quota("platform", waiting.order.buyer_id_number(), &quota).ok());
  auto again = desk_->ErasePersonalData(absl::Hours(1), absl::Now() + absl::Hours(2));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0);
}

TEST_P(BuyerDataTest, TheParkAndTheBuyersSellersReadTheQuota) {
  samples::ImportSet s = samples::MakeImportSet(1, kCodes);
  ASSERT_TRUE(Submit(s).ok());
  for (const std::string who : {"admin", "staff", "platform", "seller", "payer"}) {
    v1::BuyerQuota quota;
    grpc::Status status = Quota(who, s.order.buyer_id_number(), &quota);
    ASSERT_TRUE(status.ok()) << who << ": " << status.error_message();
    EXPECT_EQ(quota.used(), "190.50") << who;
  }
}

TEST_P(BuyerDataTest, NoOtherTenantLearnsABuyersQuotaOrWhetherTheParkKnowsTheBuyer) {
  samples::ImportSet s = samples::MakeImportSet(1, kCodes);
  ASSERT_TRUE(Submit(s).ok());
  testing::TamperWitness witness(*db_, {"parkline.declarations.v1"});
  witness.Mark();
  const std::string unknown = samples::ResidentIdFor(77);
  std::string refusal;
  // The logistics enterprise carries the parcel but does not sell: not a party of the order.
  for (const std::string who : {"rival", "logistics", "carrier", "customs", "analyst"}) {
    for (const std::string& id : {s.order.buyer_id_number(), unknown}) {
      v1::BuyerQuota quota;
      grpc::Status status = Quota(who, id, &quota);
      witness.ExpectRefused(
          absl::StrCat(who, " reads the quota of ", id == unknown ? "an unknown" : "the", " buyer"),
          status);
      EXPECT_EQ(quota.used(), "") << who;
      if (who == "rival") {
        // The same words for a known and an unknown buyer: nothing tells them apart.
        if (refusal.empty()) refusal = status.error_message();
        EXPECT_EQ(status.error_message(), refusal);
      }
    }
  }
}

}  // namespace
}  // namespace parkline::declarations
