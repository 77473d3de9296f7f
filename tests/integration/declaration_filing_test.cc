// The attacks of issue #18 on declarations, through the desk on every backend: a tenant naming a
// victim's keys together with itself cannot withdraw or change the victim's order, cannot block
// its payment or waybill by filing first, and a waybill joins an order only when its platform and
// logistics enterprise are the order's. Each refusal leaves every table and the outbox as they
// were. And migration 3 re-keys what an older version stored.
#include <gtest/gtest.h>

#include <map>
#include <tuple>

#include "declarations/declaration_desk.h"
#include "declarations/declaration_matcher.h"
#include "declarations/filing_rules.h"
#include "declarations/schema.h"
#include "events/outbox.h"
#include "parkline/enterprises/v1/events.pb.h"
#include "residents/residents.h"
#include "samples/import_sets.h"
#include "store/group_commit.h"
#include "store/migrations.h"
#include "tests/support/backend_test.h"

namespace parkline::declarations {
namespace {

const samples::ImportCodes kVictim{"3301960001", "3301960002", "3301960003", "3301960004"};
// Another platform, e-commerce enterprise, payment and logistics enterprise.
const samples::ImportCodes kAttacker{"4401960001", "4401960002", "4401960003", "4401960004"};

auth::Viewer EnterpriseFor(const std::string& code) {
  auth::Viewer v;
  v.name = "enterprise-" + code;
  v.codes = {code};
  return v;
}

// Every row of the service's tables and the outbox, as text: equal when nothing changed.
std::string Snapshot(store::Database& db) {
  std::string out;
  EXPECT_TRUE(db.Read([&](store::Transaction& tx) -> absl::Status {
                  for (const char* sql :
                       {"SELECT kind, doc_key, order_key, payload, withdrawn, received_at FROM "
                        "documents ORDER BY kind, doc_key",
                        "SELECT order_key, status, payload, updated_at FROM declarations ORDER BY "
                        "order_key",
                        "SELECT order_key, buyer, year, amount FROM quota_reservations ORDER BY "
                        "order_key",
                        "SELECT COUNT(*) FROM outbox"}) {
                    auto rows = tx.Query(sql);
                    if (!rows.ok()) return rows.status();
                    for (const store::Row& r : *rows) {
                      for (size_t i = 0; i < r.size(); ++i) {
                        // Int reads 0 of text and Text "" of a number: both say every cell.
                        out += r.IsNull(i) ? "NULL" : std::to_string(r.Int(i)) + ":" + r.Text(i);
                        out += "|";
                      }
                      out += "\n";
                    }
                  }
                  return absl::OkStatus();
                }).ok());
  return out;
}

class FilingTest : public testing::BackendTest<ApplySchema> {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    writer_ = std::make_unique<store::GroupCommitter>(*db_);
    desk_ = std::make_unique<DeclarationDesk>(*db_, *writer_, nullptr, keys_);
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
    victim_ = samples::MakeImportSet(1, kVictim);
  }

  // The victim's set filed by its own parties, each its own document.
  void FileVictimSet(bool payment = true, bool waybill = true) {
    auto o = desk_->SubmitOrder(victim_.order, EnterpriseFor(kVictim.platform));
    ASSERT_TRUE(o.ok()) << o.status();
    if (payment) {
      auto p = desk_->SubmitPayment(victim_.payment, EnterpriseFor(kVictim.payment));
      ASSERT_TRUE(p.ok()) << p.status();
    }
    if (waybill) {
      auto w = desk_->SubmitWaybill(victim_.waybill, EnterpriseFor(kVictim.logistics));
      ASSERT_TRUE(w.ok()) << w.status();
    }
  }

  v1::DeclarationStatus Status() {
    auto d = desk_->Get(OrderKey(kVictim.platform, victim_.order.order_no()));
    return d.ok() ? d->status() : v1::DECLARATION_STATUS_UNSPECIFIED;
  }

  void ExpectRefusedAndNothingChanged(const absl::StatusOr<v1::DocumentReceipt>& r,
                                      const std::string& before, const std::string& rule) {
    EXPECT_EQ(r.status().code(), absl::StatusCode::kPermissionDenied) << r.status();
    EXPECT_NE(r.status().message().find(rule), std::string::npos) << r.status();
    EXPECT_EQ(Snapshot(*db_), before);
  }

  secrets::KeyRing keys_ = secrets::KeyRing::Generate("test-1");
  std::unique_ptr<store::GroupCommitter> writer_;
  std::unique_ptr<DeclarationDesk> desk_;
  samples::ImportSet victim_;
};

PARKLINE_BACKEND_TESTS(FilingTest);

TEST_P(FilingTest, NamingOneselfAsEnterpriseCannotWithdrawAVictimsMatchedDeclaration) {
  FileVictimSet();
  ASSERT_EQ(Status(), v1::DECLARATION_STATUS_MATCHED);
  const std::string before = Snapshot(*db_);
  v1::Order attack = victim_.order;
  attack.set_app_type(v1::APP_TYPE_WITHDRAW);
  attack.set_ebc_code(kAttacker.enterprise);
  ExpectRefusedAndNothingChanged(desk_->SubmitOrder(attack, EnterpriseFor(kAttacker.enterprise)),
                                 before, "order.ebc_code: NOT_A_PARTY_OF_THE_STORED_ORDER");
  // Naming itself as the payment enterprise instead makes it no sender of the order at all.
  attack.set_ebc_code(kVictim.enterprise);
  attack.set_pay_code(kAttacker.payment);
  ExpectRefusedAndNothingChanged(desk_->SubmitOrder(attack, EnterpriseFor(kAttacker.payment)),
                                 before, "NOT_THE_SENDER");
  EXPECT_EQ(Status(), v1::DECLARATION_STATUS_MATCHED);
}

TEST_P(FilingTest, NamingOneselfAsEnterpriseCannotChangeAVictimsWaitingOrder) {
  FileVictimSet(/*payment=*/false, /*waybill=*/false);
  const std::string before = Snapshot(*db_);
  v1::Order attack = victim_.order;
  attack.set_app_type(v1::APP_TYPE_CHANGE);
  attack.set_ebc_code(kAttacker.enterprise);
  attack.set_consignee_address("the attacker's warehouse");
  ExpectRefusedAndNothingChanged(desk_->SubmitOrder(attack, EnterpriseFor(kAttacker.enterprise)),
                                 before, "NOT_A_PARTY_OF_THE_STORED_ORDER");
  // Nor can the e-commerce enterprise be swapped by a party: the key's parties are fixed.
  ExpectRefusedAndNothingChanged(desk_->SubmitOrder(attack, EnterpriseFor(kVictim.platform)),
                                 before, "order.ebc_code: IMMUTABLE");
  // The victim's own parties still change it.
  v1::Order change = victim_.order;
  change.set_app_type(v1::APP_TYPE_CHANGE);
  change.set_consignee_district("110101");
  auto r = desk_->SubmitOrder(change, EnterpriseFor(kVictim.enterprise));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->outcome(), v1::DOCUMENT_OUTCOME_CHANGED);
}

// An enterprise files first under the victim platform's next order number, naming itself: the
// platform cannot take that order over, but withdraws it and files its own under the number.
TEST_P(FilingTest, AnOrderNumberTakenFirstByAnotherEnterpriseIsWonBackByThePlatform) {
  v1::Order squat = victim_.order;
  squat.set_ebc_code(kAttacker.enterprise);
  ASSERT_TRUE(desk_->SubmitOrder(squat, EnterpriseFor(kAttacker.enterprise)).ok());
  const std::string before = Snapshot(*db_);
  ExpectRefusedAndNothingChanged(desk_->SubmitOrder(victim_.order, EnterpriseFor(kVictim.platform)),
                                 before, "order.ebc_code: IMMUTABLE");
  v1::Order withdraw = squat;
  withdraw.set_app_type(v1::APP_TYPE_WITHDRAW);
  ASSERT_TRUE(desk_->SubmitOrder(withdraw, EnterpriseFor(kVictim.platform)).ok());
  auto own = desk_->SubmitOrder(victim_.order, EnterpriseFor(kVictim.platform));
  ASSERT_TRUE(own.ok()) << own.status();
  EXPECT_EQ(own->outcome(), v1::DOCUMENT_OUTCOME_ACCEPTED);
  // The squatter is no party of the key any more.
  const std::string after = Snapshot(*db_);
  ExpectRefusedAndNothingChanged(desk_->SubmitOrder(withdraw, EnterpriseFor(kAttacker.enterprise)),
                                 after, "NOT_A_PARTY_OF_THE_STORED_ORDER");
  FileVictimSet(/*payment=*/false, /*waybill=*/false);  // a resend: DUPLICATE
  ASSERT_TRUE(desk_->SubmitPayment(victim_.payment, EnterpriseFor(kVictim.payment)).ok());
  ASSERT_TRUE(desk_->SubmitWaybill(victim_.waybill, EnterpriseFor(kVictim.logistics)).ok());
  EXPECT_EQ(Status(), v1::DECLARATION_STATUS_MATCHED);
}

TEST_P(FilingTest, APaymentFiledFirstByAnotherEnterpriseNeitherBlocksNorReplacesTheRealOne) {
  // Before the order: the attacker's payment waits under its own key.
  v1::Payment fake = victim_.payment;
  fake.set_pay_code(kAttacker.payment);
  auto first = desk_->SubmitPayment(fake, EnterpriseFor(kAttacker.payment));
  ASSERT_TRUE(first.ok()) << first.status();
  // Filing under the victim's payment enterprise's name is refused outright.
  const std::string before = Snapshot(*db_);
  ExpectRefusedAndNothingChanged(
      desk_->SubmitPayment(victim_.payment, EnterpriseFor(kAttacker.payment)), before,
      "payment.pay_code: NOT_THE_SENDER");
  // The real one is accepted, not ALREADY_EXISTS, and it is the one the set matches with.
  FileVictimSet();
  EXPECT_EQ(Status(), v1::DECLARATION_STATUS_MATCHED);
  auto d = desk_->Get(OrderKey(kVictim.platform, victim_.order.order_no()));
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->pay_code(), kVictim.payment);
  // Once the order is stored, a payment it does not name is refused.
  auto other = samples::MakeImportSet(2, kVictim);
  ASSERT_TRUE(desk_->SubmitOrder(other.order, EnterpriseFor(kVictim.enterprise)).ok());
  v1::Payment late = other.payment;
  late.set_pay_code(kAttacker.payment);
  const std::string after_order = Snapshot(*db_);
  ExpectRefusedAndNothingChanged(desk_->SubmitPayment(late, EnterpriseFor(kAttacker.payment)),
                                 after_order, "NOT_THE_ORDERS_PAYMENT_ENTERPRISE");
}

TEST_P(FilingTest, AWaybillOfAnotherLogisticsEnterpriseOrPlatformDoesNotJoinTheOrder) {
  // Filed first, by order number, by another logistics enterprise: it waits on its own.
  v1::Waybill fake = victim_.waybill;
  fake.set_logistics_code(kAttacker.logistics);
  fake.set_logistics_no("FAKE0001");
  ASSERT_TRUE(desk_->SubmitWaybill(fake, EnterpriseFor(kAttacker.logistics)).ok());
  // Another platform's order with the same number, and its waybill: a different order key.
  v1::Waybill elsewhere = victim_.waybill;
  elsewhere.set_ebp_code(kAttacker.platform);
  elsewhere.set_logistics_no("ELSE0001");
  auto r = desk_->SubmitWaybill(elsewhere, EnterpriseFor(kVictim.logistics));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->order_key(), OrderKey(kAttacker.platform, victim_.order.order_no()));
  FileVictimSet(/*payment=*/true, /*waybill=*/false);
  EXPECT_EQ(Status(), v1::DECLARATION_STATUS_WAITING) << "neither waybill joins the order";
  // Now that the order names its logistics enterprise, another one's waybill is refused.
  v1::Waybill late = fake;
  late.set_logistics_no("FAKE0002");
  const std::string before = Snapshot(*db_);
  ExpectRefusedAndNothingChanged(desk_->SubmitWaybill(late, EnterpriseFor(kAttacker.logistics)),
                                 before,
                                 "waybill.logistics_code: NOT_THE_ORDERS_LOGISTICS_ENTERPRISE");
  // And nobody but the logistics enterprise files under its code.
  ExpectRefusedAndNothingChanged(
      desk_->SubmitWaybill(victim_.waybill, EnterpriseFor(kAttacker.logistics)), before,
      "NOT_THE_SENDER");
  auto real = desk_->SubmitWaybill(victim_.waybill, EnterpriseFor(kVictim.logistics));
  ASSERT_TRUE(real.ok()) << real.status();
  EXPECT_EQ(real->declaration_status(), v1::DECLARATION_STATUS_MATCHED);
  auto d = desk_->Get(OrderKey(kVictim.platform, victim_.order.order_no()));
  EXPECT_EQ(d->logistics_no(), victim_.waybill.logistics_no());
}

TEST_P(FilingTest, ACarrierFilesTheWaybillsOfItsOwnCode) {
  FileVictimSet(/*payment=*/true, /*waybill=*/false);
  auth::Viewer carrier;
  carrier.name = "carrier";
  carrier.carrier_code = kVictim.logistics;
  auto r = desk_->SubmitWaybill(victim_.waybill, carrier);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->declaration_status(), v1::DECLARATION_STATUS_MATCHED);
}

TEST_P(FilingTest, AMessageWithOneForeignDocumentStoresNoneOfIt) {
  // The attacker's own order and, in the same message, a withdrawal of the victim's.
  FileVictimSet();
  const std::string before = Snapshot(*db_);
  v1::CebMessage message;
  message.set_message_type("CEB311");
  auto own = samples::MakeImportSet(5, kAttacker);
  *message.add_orders() = own.order;
  v1::Order attack = victim_.order;
  attack.set_app_type(v1::APP_TYPE_WITHDRAW);
  attack.set_ebc_code(kAttacker.enterprise);
  *message.add_orders() = attack;
  v1::SubmitMessageRequest request;
  request.set_logistics_code(kAttacker.logistics);
  auto r = desk_->SubmitMessage(message, request, EnterpriseFor(kAttacker.enterprise));
  EXPECT_EQ(r.status().code(), absl::StatusCode::kPermissionDenied) << r.status();
  EXPECT_NE(r.status().message().find("orders[1].ebc_code"), std::string::npos) << r.status();
  EXPECT_EQ(Snapshot(*db_), before);
}

TEST_P(FilingTest, TheAdminFilesAnything) {
  auth::Viewer admin;
  admin.name = "admin";
  admin.admin = true;
  ASSERT_TRUE(desk_->SubmitOrder(victim_.order, admin).ok());
  ASSERT_TRUE(desk_->SubmitPayment(victim_.payment, admin).ok());
  auto r = desk_->SubmitWaybill(victim_.waybill, admin);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->declaration_status(), v1::DECLARATION_STATUS_MATCHED);
}

// A final declaration's personal data is erased with its own documents: by order key, not by
// order number, which another platform's waiting order may share.
TEST_P(FilingTest, RetentionErasesOnlyTheFinalOrdersDocuments) {
  FileVictimSet();
  samples::ImportSet same_number = samples::MakeImportSet(1, kAttacker);
  ASSERT_EQ(same_number.order.order_no(), victim_.order.order_no());
  ASSERT_TRUE(desk_->SubmitOrder(same_number.order, EnterpriseFor(kAttacker.platform)).ok());
  auto erased = desk_->ErasePersonalData(absl::Hours(1), absl::Now() + absl::Hours(2));
  ASSERT_TRUE(erased.ok()) << erased.status();
  EXPECT_EQ(*erased, 3);  // the victim's order, payment and waybill
  std::vector<std::string> sealed;
  ASSERT_TRUE(db_->Read([&](store::Transaction& tx) -> absl::Status {
                   auto rows = tx.Query("SELECT doc_key FROM documents WHERE personal IS NOT NULL");
                   if (!rows.ok()) return rows.status();
                   for (const auto& r : *rows) sealed.push_back(r.Text(0));
                   return absl::OkStatus();
                 })
                  .ok());
  EXPECT_EQ(sealed,
            std::vector<std::string>{OrderKey(kAttacker.platform, same_number.order.order_no())});
}

// What version 2 stored: a payment under its order's key, a waybill and an order that do not name
// each other's enterprise.
absl::Status ApplySchemaVersion2(store::Database& db) {
  const auto& all = Migrations();
  if (auto s = store::ApplyMigrations(db, "declarations", {all[0], all[1]}); !s.ok()) return s;
  return residents::ApplySchema(db);
}

class MigrationTest : public testing::BackendTest<ApplySchemaVersion2> {};
PARKLINE_BACKEND_TESTS(MigrationTest);

TEST_P(MigrationTest, Version3KeysPaymentsByTheirSenderAndLinksWaybillsToTheirOrder) {
  samples::ImportSet s = samples::MakeImportSet(1, kVictim);
  s.order.clear_logistics_code();
  s.waybill.clear_ebp_code();
  auto canonical = [](auto doc) {
    doc.set_app_type(v1::APP_TYPE_UNSPECIFIED);
    return doc.SerializeAsString();
  };
  const std::string order_key = OrderKey(kVictim.platform, s.order.order_no());
  ASSERT_TRUE(db_->Transact([&](store::Transaction& tx) -> absl::Status {
                   const char* insert =
                       "INSERT INTO documents (kind, doc_key, order_no, guid, payload, withdrawn, "
                       "received_at) VALUES ($1, $2, $3, 'G', $4, 0, 1)";
                   for (auto [kind, key, payload] :
                        {std::tuple{v1::DOCUMENT_KIND_ORDER, order_key, canonical(s.order)},
                         std::tuple{v1::DOCUMENT_KIND_PAYMENT, order_key, canonical(s.payment)},
                         std::tuple{v1::DOCUMENT_KIND_WAYBILL,
                                    WaybillKey(kVictim.logistics, s.waybill.logistics_no()),
                                    canonical(s.waybill)}}) {
                     auto r = tx.Execute(
                         insert, {int64_t{kind}, key, s.order.order_no(), store::Blob{payload}});
                     if (!r.ok()) return r.status();
                   }
                   return absl::OkStatus();
                 })
                  .ok());
  ASSERT_TRUE(ApplySchema(*db_).ok());
  std::map<std::pair<int64_t, std::string>, std::pair<std::string, std::string>> rows;
  ASSERT_TRUE(db_->Read([&](store::Transaction& tx) -> absl::Status {
                   auto r = tx.Query("SELECT kind, doc_key, order_key, payload FROM documents");
                   if (!r.ok()) return r.status();
                   for (const auto& row : *r) {
                     rows[{row.Int(0), row.Text(1)}] = {row.Text(2), row.Text(3)};
                   }
                   return absl::OkStatus();
                 })
                  .ok());
  ASSERT_EQ(rows.size(), 3u);
  auto payment = rows.find({v1::DOCUMENT_KIND_PAYMENT, PaymentKey(kVictim.payment, order_key)});
  ASSERT_NE(payment, rows.end());
  EXPECT_EQ(payment->second.first, order_key);
  auto waybill = rows.find(
      {v1::DOCUMENT_KIND_WAYBILL, WaybillKey(kVictim.logistics, s.waybill.logistics_no())});
  ASSERT_NE(waybill, rows.end());
  EXPECT_EQ(waybill->second.first, order_key);
  v1::Waybill w;
  ASSERT_TRUE(w.ParseFromString(waybill->second.second));
  EXPECT_EQ(w.ebp_code(), kVictim.platform);
  auto order = rows.find({v1::DOCUMENT_KIND_ORDER, order_key});
  ASSERT_NE(order, rows.end());
  v1::Order o;
  ASSERT_TRUE(o.ParseFromString(order->second.second));
  EXPECT_EQ(o.logistics_code(), kVictim.logistics);

  // The migrated set matches as one filed today would: a resend of the order rematches it.
  store::GroupCommitter writer(*db_);
  DeclarationDesk desk(*db_, writer, nullptr, secrets::KeyRing::Generate("test-1"));
  for (const std::string& code :
       {kVictim.platform, kVictim.enterprise, kVictim.payment, kVictim.logistics}) {
    enterprises::v1::EnterpriseAdmitted admitted;
    admitted.mutable_enterprise()->set_uscc("USCC-" + code);
    admitted.mutable_enterprise()->set_customs_code(code);
    ASSERT_TRUE(
        db_->Transact([&](store::Transaction& tx) { return residents::OnAdmitted(tx, admitted); })
            .ok());
  }
  v1::Order change = o;
  change.set_app_type(v1::APP_TYPE_CHANGE);
  change.set_note("migrated");
  auto r = desk.SubmitOrder(change, EnterpriseFor(kVictim.platform));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->declaration_status(), v1::DECLARATION_STATUS_MATCHED);
}

}  // namespace
}  // namespace parkline::declarations
