// The declarations desk against a real database, on every backend: documents in any order become
// one declaration, resends are idempotent, appType 2 and 3 behave, the buyer's quota is reserved
// and released, codes must belong to resident enterprises, and every effect has its event.
#include "declarations/declaration_desk.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <functional>
#include <future>
#include <random>
#include <sstream>
#include <thread>

#include "absl/strings/match.h"
#include "ceb/ceb_reader.h"
#include "declarations/declaration_repository.h"
#include "declarations/schema.h"
#include "errors/violations.h"
#include "events/outbox.h"
#include "events/schema.h"
#include "parkline/clearance/v1/events.pb.h"
#include "parkline/declarations/v1/events.pb.h"
#include "parkline/enterprises/v1/events.pb.h"
#include "residents/residents.h"
#include "runtime/job_errors.h"
#include "samples/import_sets.h"
#include "store/group_commit.h"
#include "tests/support/backend_test.h"
#include "tests/support/ceb_reference.h"
#include "tests/support/counting_database.h"
#include "tests/support/tamper_witness.h"
#include "tests/support/test_env.h"

namespace parkline::declarations {
namespace {

class DeskTest : public testing::BackendTest<ApplySchema> {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    writer_ = std::make_unique<store::GroupCommitter>(*db_);
    desk_ = std::make_unique<DeclarationDesk>(*db_, *writer_, nullptr, keys_);
    for (const char* code : {"3301960001", "3301960002", "3301960003", "3301960004"}) {
      MakeResident(code);
    }
  }

  void MakeResident(const std::string& customs_code) {
    enterprises::v1::EnterpriseAdmitted admitted;
    admitted.mutable_enterprise()->set_uscc("USCC-" + customs_code);
    admitted.mutable_enterprise()->set_customs_code(customs_code);
    ASSERT_TRUE(
        db_->Transact([&](store::Transaction& tx) { return residents::OnAdmitted(tx, admitted); })
            .ok());
  }

  // The types of the events in the outbox, in order.
  std::vector<std::string> Events() {
    std::vector<std::string> out;
    for (const auto& e : Outbox()) out.push_back(e.type.substr(25));
    return out;
  }

  int Count(const std::vector<std::string>& events, const std::string& type) {
    return static_cast<int>(std::count(events.begin(), events.end(), type));
  }

  // The park, which may read any buyer's quota.
  static auth::Viewer Staff() {
    auth::Viewer staff;
    staff.name = "staff";
    staff.park_staff = true;
    return staff;
  }

  secrets::KeyRing keys_ = secrets::KeyRing::Generate("test-1");
  std::unique_ptr<store::GroupCommitter> writer_;
  std::unique_ptr<DeclarationDesk> desk_;
  // One caller speaking for every party of the sample sets (the tenant rules have tests of their
  // own: declaration_filing_test.cc).
  const auth::Viewer parties_ = [] {
    auth::Viewer v;
    v.name = "all-parties";
    v.codes = {"3301960001", "3301960002", "3301960003", "3301960004"};
    return v;
  }();
};

PARKLINE_BACKEND_TESTS(DeskTest);

TEST_P(DeskTest, ThreeDocumentsInAnyOrderMakeOneDeclaration) {
  auto s = samples::MakeImportSet(1);
  auto w = desk_->SubmitWaybill(s.waybill, parties_);
  ASSERT_TRUE(w.ok()) << w.status();
  EXPECT_EQ(w->declaration_status(), v1::DECLARATION_STATUS_WAITING);
  // A waybill names its platform: its order key is known before the order comes.
  EXPECT_EQ(w->order_key(), "3301960001/ORD-00000001");
  ASSERT_TRUE(desk_->SubmitPayment(s.payment, parties_).ok());
  auto o = desk_->SubmitOrder(s.order, parties_);
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->outcome(), v1::DOCUMENT_OUTCOME_ACCEPTED);
  EXPECT_EQ(o->declaration_status(), v1::DECLARATION_STATUS_MATCHED);
  auto d = desk_->Get("3301960001/ORD-00000001");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->status(), v1::DECLARATION_STATUS_MATCHED);
  auto events = Events();
  EXPECT_EQ(Count(events, "DocumentReceived"), 3);
  EXPECT_EQ(Count(events, "DeclarationMatched"), 1);

  // Every document again: duplicates, nothing new.
  for (auto r : {desk_->SubmitOrder(s.order, parties_), desk_->SubmitPayment(s.payment, parties_),
                 desk_->SubmitWaybill(s.waybill, parties_)}) {
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->outcome(), v1::DOCUMENT_OUTCOME_DUPLICATE);
    EXPECT_EQ(r->declaration_status(), v1::DECLARATION_STATUS_MATCHED);
  }
  EXPECT_EQ(Events().size(), events.size());
}

// Logistics keys a shipment by (logistics enterprise, waybill number) and creates it from the
// waybill's DocumentReceived: the event must name both.
TEST_P(DeskTest, AWaybillsDocumentReceivedNamesItsWaybillNumber) {
  auto s = samples::MakeImportSet(9);
  ASSERT_TRUE(desk_->SubmitWaybill(s.waybill, parties_).ok());
  ASSERT_TRUE(desk_->SubmitOrder(s.order, parties_).ok());
  std::vector<v1::DocumentReceived> received;
  db_->Read([&](store::Transaction& tx) -> absl::Status {
       auto pending = events::ReadPending(tx, 100);
       if (!pending.ok()) return pending.status();
       for (const auto& p : *pending) {
         if (p.envelope.type != "parkline.declarations.v1.DocumentReceived") continue;
         received.emplace_back().ParseFromString(p.envelope.payload);
       }
       return absl::OkStatus();
     })
      .IgnoreError();
  ASSERT_EQ(received.size(), 2u);
  EXPECT_EQ(received[0].kind(), v1::DOCUMENT_KIND_WAYBILL);
  EXPECT_EQ(received[0].enterprise_code(), s.waybill.logistics_code());
  EXPECT_EQ(received[0].logistics_no(), s.waybill.logistics_no());
  EXPECT_FALSE(received[0].logistics_no().empty());
  EXPECT_EQ(received[1].kind(), v1::DOCUMENT_KIND_ORDER);
  EXPECT_EQ(received[1].logistics_no(), "");
}

TEST_P(DeskTest, ResendWithOtherContentIsAlreadyExistsAndChangesFollowTheRules) {
  auto s = samples::MakeImportSet(2);
  ASSERT_TRUE(desk_->SubmitOrder(s.order, parties_).ok());
  v1::Order other = s.order;
  other.set_buyer_reg_no("someone-else");
  EXPECT_EQ(desk_->SubmitOrder(other, parties_).status().code(), absl::StatusCode::kAlreadyExists);
  // appType 2 changes an unmatched order.
  other.set_app_type(v1::APP_TYPE_CHANGE);
  auto changed = desk_->SubmitOrder(other, parties_);
  ASSERT_TRUE(changed.ok()) << changed.status();
  EXPECT_EQ(changed->outcome(), v1::DOCUMENT_OUTCOME_CHANGED);
  // Once matched, no more changes.
  ASSERT_TRUE(desk_->SubmitPayment(s.payment, parties_).ok());
  ASSERT_TRUE(desk_->SubmitWaybill(s.waybill, parties_).ok());
  other.set_buyer_reg_no("third");
  EXPECT_EQ(desk_->SubmitOrder(other, parties_).status().code(),
            absl::StatusCode::kFailedPrecondition);
  v1::Waybill change = s.waybill;
  change.set_app_type(v1::APP_TYPE_CHANGE);
  change.set_weight("2.00");
  EXPECT_EQ(desk_->SubmitWaybill(change, parties_).status().code(),
            absl::StatusCode::kFailedPrecondition);
  // A change of nothing.
  auto lone = samples::MakeImportSet(3);
  lone.payment.set_app_type(v1::APP_TYPE_CHANGE);
  EXPECT_EQ(desk_->SubmitPayment(lone.payment, parties_).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

// A waybill is stored under its carrier's key, not its order's: a change or a withdrawal that
// names another order must still find the set it belongs to final once matched, and may not move
// it (or withdraw it) from under that set. Otherwise one waybill would sit in two matched
// declarations, each with its quota reserved.
TEST_P(DeskTest, AWaybillOfAMatchedSetCannotBeMovedOrWithdrawnByNamingAnotherOrder) {
  auto s = samples::MakeImportSet(21);
  auto other = samples::MakeImportSet(22);
  ASSERT_TRUE(desk_->SubmitOrder(s.order, parties_).ok());
  ASSERT_TRUE(desk_->SubmitPayment(s.payment, parties_).ok());
  ASSERT_TRUE(desk_->SubmitWaybill(s.waybill, parties_).ok());
  ASSERT_EQ(desk_->Get("3301960001/ORD-00000021")->status(), v1::DECLARATION_STATUS_MATCHED);
  // The other order and its payment wait for a waybill.
  ASSERT_TRUE(desk_->SubmitOrder(other.order, parties_).ok());
  ASSERT_TRUE(desk_->SubmitPayment(other.payment, parties_).ok());
  const testing::TablePicture before = testing::PictureOf(*db_);

  v1::Waybill moved = s.waybill;
  moved.set_order_no(other.order.order_no());
  moved.set_app_type(v1::APP_TYPE_CHANGE);
  auto change = desk_->SubmitWaybill(moved, parties_);
  EXPECT_EQ(change.status().code(), absl::StatusCode::kFailedPrecondition) << change.status();
  EXPECT_TRUE(absl::StrContains(change.status().message(), "matched")) << change.status();
  moved.set_app_type(v1::APP_TYPE_WITHDRAW);
  auto withdrawal = desk_->SubmitWaybill(moved, parties_);
  EXPECT_EQ(withdrawal.status().code(), absl::StatusCode::kFailedPrecondition)
      << withdrawal.status();
  EXPECT_EQ(testing::PictureOf(*db_), before);
  EXPECT_EQ(desk_->Get("3301960001/ORD-00000022")->status(), v1::DECLARATION_STATUS_WAITING);
}

// Before its set is matched a waybill may be changed to another order; the order it leaves is
// judged again without it. A withdrawal must name the order it was filed for.
TEST_P(DeskTest, AWaybillChangedToAnotherOrderLeavesItsFirstOrderWaiting) {
  auto s = samples::MakeImportSet(23);
  auto other = samples::MakeImportSet(24);
  ASSERT_TRUE(desk_->SubmitOrder(s.order, parties_).ok());
  ASSERT_TRUE(desk_->SubmitWaybill(s.waybill, parties_).ok());
  ASSERT_TRUE(desk_->SubmitOrder(other.order, parties_).ok());
  ASSERT_TRUE(desk_->SubmitPayment(other.payment, parties_).ok());

  v1::Waybill wrong = s.waybill;
  wrong.set_order_no(other.order.order_no());
  wrong.set_app_type(v1::APP_TYPE_WITHDRAW);
  const testing::TablePicture before = testing::PictureOf(*db_);
  auto withdrawal = desk_->SubmitWaybill(wrong, parties_);
  EXPECT_EQ(withdrawal.status().code(), absl::StatusCode::kFailedPrecondition)
      << withdrawal.status();
  EXPECT_TRUE(absl::StrContains(withdrawal.status().message(), "3301960001/ORD-00000023"))
      << withdrawal.status();
  EXPECT_EQ(testing::PictureOf(*db_), before);

  // Changed to the other order, it completes that set; the first order's payment, coming only
  // now, finds no waybill there.
  wrong.set_app_type(v1::APP_TYPE_CHANGE);
  auto changed = desk_->SubmitWaybill(wrong, parties_);
  ASSERT_TRUE(changed.ok()) << changed.status();
  EXPECT_EQ(changed->outcome(), v1::DOCUMENT_OUTCOME_CHANGED);
  EXPECT_EQ(changed->declaration_status(), v1::DECLARATION_STATUS_MATCHED);
  auto first = desk_->SubmitPayment(s.payment, parties_);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->declaration_status(), v1::DECLARATION_STATUS_WAITING);
}

// A stored document that no longer parses (changed outside the service) fails the request that
// needs it with DATA_LOSS, and is logged and counted for the operator, not only returned.
TEST_P(DeskTest, AnUnreadableStoredDocumentIsDataLossAndCounted) {
  auto s = samples::MakeImportSet(5);
  ASSERT_TRUE(desk_->SubmitOrder(s.order, parties_).ok());
  ASSERT_TRUE(db_->Transact([](store::Transaction& tx) {
                   return tx.Execute("UPDATE documents SET payload = $1", {store::Blob{"\xff\xff"}})
                       .status();
                 })
                  .ok());
  const double before = runtime::UnreadableRowCount("documents");
  auto payment = desk_->SubmitPayment(s.payment, parties_);
  EXPECT_EQ(payment.status().code(), absl::StatusCode::kDataLoss) << payment.status();
  EXPECT_EQ(runtime::UnreadableRowCount("documents"), before + 1);
}

TEST_P(DeskTest, DisagreeingDocumentsAreRejectedWithEveryMismatchAndMayBeCorrected) {
  auto s = samples::MakeImportSet(4);
  s.payment.set_amount_paid("190.49");
  ASSERT_TRUE(desk_->SubmitOrder(s.order, parties_).ok());
  ASSERT_TRUE(desk_->SubmitWaybill(s.waybill, parties_).ok());
  auto p = desk_->SubmitPayment(s.payment, parties_);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->declaration_status(), v1::DECLARATION_STATUS_REJECTED);
  auto d = desk_->Get(p->order_key());
  ASSERT_TRUE(d.ok());
  ASSERT_GE(d->mismatches_size(), 1);
  EXPECT_EQ(Count(Events(), "DeclarationRejected"), 1);
  // The payment enterprise corrects its document: the set matches.
  s.payment.set_amount_paid("190.50");
  s.payment.set_app_type(v1::APP_TYPE_CHANGE);
  auto fixed = desk_->SubmitPayment(s.payment, parties_);
  ASSERT_TRUE(fixed.ok()) << fixed.status();
  EXPECT_EQ(fixed->declaration_status(), v1::DECLARATION_STATUS_MATCHED);
}

// Each verdict event says whether it is its order's first of its kind (first_for_order), so that
// the statistics count verdicts once per order without remembering every order: a rejection, the
// match after the correction, and after a withdrawal the order's second match, which is not.
TEST_P(DeskTest, EachVerdictSaysWhetherItIsItsOrdersFirstOfItsKind) {
  auto s = samples::MakeImportSet(6);
  s.payment.set_amount_paid("190.49");
  ASSERT_TRUE(desk_->SubmitOrder(s.order, parties_).ok());
  ASSERT_TRUE(desk_->SubmitWaybill(s.waybill, parties_).ok());
  ASSERT_TRUE(desk_->SubmitPayment(s.payment, parties_).ok());
  s.payment.set_amount_paid("190.50");
  s.payment.set_app_type(v1::APP_TYPE_CHANGE);
  ASSERT_TRUE(desk_->SubmitPayment(s.payment, parties_).ok());
  v1::Order order = s.order;
  order.set_app_type(v1::APP_TYPE_WITHDRAW);
  ASSERT_TRUE(desk_->SubmitOrder(order, parties_).ok());
  order.set_app_type(v1::APP_TYPE_NEW);
  auto again = desk_->SubmitOrder(order, parties_);
  ASSERT_TRUE(again.ok()) << again.status();
  ASSERT_EQ(again->declaration_status(), v1::DECLARATION_STATUS_MATCHED);

  std::vector<std::string> verdicts;  // "<type> first=<flag>"
  for (const auto& e : Outbox()) {
    std::string first = "unset";
    if (absl::EndsWith(e.type, ".DeclarationMatched")) {
      v1::DeclarationMatched m;
      ASSERT_TRUE(m.ParseFromString(e.payload));
      if (m.has_first_for_order()) first = m.first_for_order() ? "true" : "false";
      verdicts.push_back("matched first=" + first);
    } else if (absl::EndsWith(e.type, ".DeclarationRejected")) {
      v1::DeclarationRejected m;
      ASSERT_TRUE(m.ParseFromString(e.payload));
      if (m.has_first_for_order()) first = m.first_for_order() ? "true" : "false";
      verdicts.push_back("rejected first=" + first);
    }
  }
  EXPECT_EQ(verdicts, (std::vector<std::string>{"rejected first=true", "matched first=true",
                                                "matched first=false"}));
}

// A declaration stored before the service counted its verdicts (schema migration 5 leaves them
// NULL) cannot say whether a verdict is the first: its events leave first_for_order unset, and
// the statistics count the order once by its key as before.
TEST_P(DeskTest, AVerdictOnADeclarationStoredBeforeTheCountSaysNothingOfBeingFirst) {
  auto s = samples::MakeImportSet(7);
  ASSERT_TRUE(desk_->SubmitOrder(s.order, parties_).ok());
  ASSERT_TRUE(desk_->SubmitWaybill(s.waybill, parties_).ok());
  ASSERT_TRUE(db_->Transact([](store::Transaction& tx) {
                   return tx.Execute("UPDATE declarations SET verdicts = NULL").status();
                 })
                  .ok());
  ASSERT_TRUE(desk_->SubmitPayment(s.payment, parties_).ok());
  int matched = 0;
  for (const auto& e : Outbox()) {
    if (!absl::EndsWith(e.type, ".DeclarationMatched")) continue;
    v1::DeclarationMatched m;
    ASSERT_TRUE(m.ParseFromString(e.payload));
    EXPECT_FALSE(m.has_first_for_order());
    ++matched;
  }
  EXPECT_EQ(matched, 1);
}

// During a rolling upgrade a replica of the version before the count may give a verdict the count
// does not hold. The next save by this version finds the verdict missing from the count and gives
// the count up for that order, so that its later verdicts say nothing of being first rather than
// claim a first that the statistics would count twice.
TEST_P(DeskTest, AVerdictMissingFromTheCountMakesTheOrdersLaterVerdictsSayNothing) {
  auto s = samples::MakeImportSet(8);
  for (auto r : {desk_->SubmitOrder(s.order, parties_), desk_->SubmitWaybill(s.waybill, parties_),
                 desk_->SubmitPayment(s.payment, parties_)}) {
    ASSERT_TRUE(r.ok()) << r.status();
  }
  // As if an older replica had matched it: MATCHED, and nothing in the count.
  ASSERT_TRUE(db_->Transact([](store::Transaction& tx) {
                   return tx.Execute("UPDATE declarations SET verdicts = 0").status();
                 })
                  .ok());
  v1::Order order = s.order;
  order.set_app_type(v1::APP_TYPE_WITHDRAW);
  ASSERT_TRUE(desk_->SubmitOrder(order, parties_).ok());
  order.set_app_type(v1::APP_TYPE_NEW);
  ASSERT_EQ(desk_->SubmitOrder(order, parties_)->declaration_status(),
            v1::DECLARATION_STATUS_MATCHED);
  std::vector<std::string> firsts;
  for (const auto& e : Outbox()) {
    if (!absl::EndsWith(e.type, ".DeclarationMatched")) continue;
    v1::DeclarationMatched m;
    ASSERT_TRUE(m.ParseFromString(e.payload));
    firsts.push_back(!m.has_first_for_order() ? "unset" : m.first_for_order() ? "true" : "false");
  }
  EXPECT_EQ(firsts, (std::vector<std::string>{"true", "unset"}));
}

TEST_P(DeskTest, TheBuyersQuotaIsReservedAtMatchAndReleasedOnWithdrawal) {
  auto s = samples::MakeImportSet(5);
  for (auto r : {desk_->SubmitOrder(s.order, parties_), desk_->SubmitPayment(s.payment, parties_),
                 desk_->SubmitWaybill(s.waybill, parties_)}) {
    ASSERT_TRUE(r.ok()) << r.status();
  }
  v1::GetBuyerQuotaRequest q;
  q.set_buyer_id_number(s.order.buyer_id_number());
  q.set_year(2025);
  auto quota = desk_->Quota(Staff(), q);
  ASSERT_TRUE(quota.ok());
  EXPECT_EQ(quota->used(), "190.50");
  EXPECT_EQ(quota->remaining(), "25809.50");
  q.set_year(2026);  // another calendar year is untouched
  EXPECT_EQ(desk_->Quota(Staff(), q)->used(), "0.00");
  q.set_year(2025);

  v1::Order withdraw = s.order;
  withdraw.set_app_type(v1::APP_TYPE_WITHDRAW);
  auto w = desk_->SubmitOrder(withdraw, parties_);
  ASSERT_TRUE(w.ok()) << w.status();
  EXPECT_EQ(w->outcome(), v1::DOCUMENT_OUTCOME_WITHDRAWN);
  EXPECT_EQ(w->declaration_status(), v1::DECLARATION_STATUS_WITHDRAWN);
  EXPECT_EQ(desk_->Quota(Staff(), q)->used(), "0.00");
  EXPECT_EQ(Count(Events(), "DeclarationWithdrawn"), 1);
  EXPECT_EQ(desk_->SubmitOrder(withdraw, parties_)->outcome(), v1::DOCUMENT_OUTCOME_DUPLICATE);
}

// The invariants under concurrency, with documents of one order and of one buyer sharing group
// commits (each request's writes travel with the next one's reads): every document of 24 orders
// of one buyer, each sent twice, shuffled, from 16 threads at once. Each order ends with one
// declaration and one verdict event; the buyer's year never passes its limit (1,000 CNY here:
// five orders of 190.50), however the requests were batched.
TEST_P(DeskTest, ConcurrentRequestsKeepOneDeclarationPerOrderAndTheBuyersLimit) {
  QuotaLimits limits;
  limits.per_year = 1000LL * 100000;
  DeclarationDesk desk(*db_, *writer_, nullptr, keys_, limits);
  constexpr int kOrders = 24;
  const std::string buyer = samples::MakeImportSet(1).order.buyer_id_number();
  std::vector<std::function<absl::Status()>> calls;
  for (int n = 100; n < 100 + kOrders; ++n) {
    auto set = samples::MakeImportSet(n);
    set.order.set_buyer_id_number(buyer);
    set.payment.set_payer_id_number(buyer);
    for (int copy = 0; copy < 2; ++copy) {
      calls.push_back(
          [&desk, this, o = set.order] { return desk.SubmitOrder(o, parties_).status(); });
      calls.push_back(
          [&desk, this, p = set.payment] { return desk.SubmitPayment(p, parties_).status(); });
      calls.push_back(
          [&desk, this, w = set.waybill] { return desk.SubmitWaybill(w, parties_).status(); });
    }
  }
  std::mt19937 rng(25);
  std::shuffle(calls.begin(), calls.end(), rng);
  std::atomic<size_t> next{0};
  std::atomic<int> failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 16; ++t) {
    threads.emplace_back([&] {
      for (size_t i = next++; i < calls.size(); i = next++) {
        if (absl::Status s = calls[i](); !s.ok()) {
          ADD_FAILURE() << s;
          ++failed;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_EQ(failed.load(), 0);

  int matched = 0, rejected = 0;
  for (int n = 100; n < 100 + kOrders; ++n) {
    auto d = desk.Get("3301960001/" + samples::MakeImportSet(n).order.order_no());
    ASSERT_TRUE(d.ok()) << d.status();
    if (d->status() == v1::DECLARATION_STATUS_MATCHED) ++matched;
    if (d->status() == v1::DECLARATION_STATUS_REJECTED) ++rejected;
  }
  EXPECT_EQ(matched, 5);
  EXPECT_EQ(rejected, kOrders - 5);
  auto events = Events();
  EXPECT_EQ(Count(events, "DocumentReceived"), 3 * kOrders);  // the resends are duplicates
  EXPECT_EQ(Count(events, "DeclarationMatched"), 5);
  EXPECT_EQ(Count(events, "DeclarationRejected"), kOrders - 5);
  v1::GetBuyerQuotaRequest q;
  q.set_buyer_id_number(buyer);
  q.set_year(2025);
  auto quota = desk.Quota(Staff(), q);
  ASSERT_TRUE(quota.ok()) << quota.status();
  EXPECT_EQ(quota->used(), "952.50");
}

// What a lone document costs the writer, in calls (each one round trip on PostgreSQL, the first
// with BEGIN, the last with COMMIT): its reads at once, with its partner's (an order's payment, a
// payment's order), then its writes and release. Before #25 an order took three: its payment was
// read on its own, and its writes went in a round trip of their own, not with the next request's
// reads.
TEST_P(DeskTest, ALoneDocumentCostsItsReadsAndItsWrites) {
  testing::CountingDatabase counting(*db_);
  store::GroupCommitter writer(counting);
  DeclarationDesk desk(*db_, writer, nullptr, keys_);
  auto s = samples::MakeImportSet(31);
  auto calls = [&](const std::function<absl::Status()>& submit) {
    int before = counting.calls.load();
    absl::Status status = submit();
    EXPECT_TRUE(status.ok()) << status;
    return counting.calls.load() - before;
  };
  EXPECT_EQ(calls([&] { return desk.SubmitOrder(s.order, parties_).status(); }), 2);
  EXPECT_EQ(calls([&] { return desk.SubmitPayment(s.payment, parties_).status(); }), 2);
  // Its reads; the order's payment with the waybills again (its own just joined them); the
  // buyer's quota; its writes.
  EXPECT_EQ(calls([&] { return desk.SubmitWaybill(s.waybill, parties_).status(); }), 4);
  EXPECT_EQ(desk.Get("3301960001/" + s.order.order_no())->status(), v1::DECLARATION_STATUS_MATCHED);
}

// Requests that share a group commit: while a gate holds the writer thread, `submit` calls queue
// up in the order given, then share one transaction. Returns each call's status.
std::vector<absl::Status> InOneTransaction(
    store::GroupCommitter& writer, const std::vector<std::function<absl::Status()>>& calls) {
  std::atomic<bool> entered{false}, open{false};
  auto gate = std::async(std::launch::async, [&] {
    return writer.Transact([&](store::Transaction&) {
      entered = true;
      while (!open) std::this_thread::sleep_for(std::chrono::milliseconds(1));
      return absl::OkStatus();
    });
  });
  auto wait = [](const std::function<bool()>& done) {
    for (int i = 0; i < 10000 && !done(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return done();
  };
  EXPECT_TRUE(wait([&] { return entered.load(); }));
  std::vector<std::future<absl::Status>> results;
  for (const auto& call : calls) {
    size_t before = writer.pending();
    results.push_back(std::async(std::launch::async, call));
    EXPECT_TRUE(wait([&] { return writer.pending() == before + 1; }));
  }
  open = true;
  EXPECT_TRUE(gate.get().ok());
  std::vector<absl::Status> out;
  for (auto& r : results) out.push_back(r.get());
  return out;
}

// Lone orders, payments and receipts have their reads run ahead, all in the transaction's first
// round trip: a batch of orders costs two calls in all (the reads, then every write), not one
// each and one more.
TEST_P(DeskTest, ABatchOfLoneOrdersCostsTwoCallsInAll) {
  testing::CountingDatabase counting(*db_);
  store::GroupCommitter writer(counting);
  DeclarationDesk desk(*db_, writer, nullptr, keys_);
  std::vector<std::function<absl::Status()>> calls;
  constexpr int kOrders = 6;
  for (int n = 0; n < kOrders; ++n) {
    calls.push_back([&desk, this, o = samples::MakeImportSet(40 + n).order] {
      return desk.SubmitOrder(o, parties_).status();
    });
  }
  int before = counting.calls.load();
  for (const absl::Status& s : InOneTransaction(writer, calls)) EXPECT_TRUE(s.ok()) << s;
  // The gate's own (its savepoint and release, sent when it returned), then the orders' two, the
  // second with the COMMIT on PostgreSQL.
  EXPECT_EQ(counting.calls.load() - before, 1 + 2);
  EXPECT_EQ(counting.commits_alone.load(), db_->backend() == "postgresql" ? 0 : 2);
  EXPECT_EQ(Count(Events(), "DocumentReceived"), kOrders);
}

// An order and its payment in one transaction: the payment names the order's keys, so it reads
// in its turn, after the order's writes, and the set matches; had it read ahead, it would have
// seen no order and left the declaration waiting. The other set's documents read ahead beside
// them, and the buyer's quota counts both.
TEST_P(DeskTest, ADocumentAfterAnotherOfItsOrderInOneTransactionSeesIt) {
  auto a = samples::MakeImportSet(51), b = samples::MakeImportSet(52);
  ASSERT_TRUE(desk_->SubmitWaybill(a.waybill, parties_).ok());
  ASSERT_TRUE(desk_->SubmitWaybill(b.waybill, parties_).ok());
  std::vector<std::function<absl::Status()>> calls = {
      [&] { return desk_->SubmitOrder(a.order, parties_).status(); },
      [&] { return desk_->SubmitOrder(b.order, parties_).status(); },
      [&] { return desk_->SubmitPayment(a.payment, parties_).status(); },
      [&] { return desk_->SubmitPayment(b.payment, parties_).status(); },
  };
  for (const absl::Status& s : InOneTransaction(*writer_, calls)) EXPECT_TRUE(s.ok()) << s;
  for (const auto& set : {a, b}) {
    auto d = desk_->Get("3301960001/" + set.order.order_no());
    ASSERT_TRUE(d.ok()) << d.status();
    EXPECT_EQ(d->status(), v1::DECLARATION_STATUS_MATCHED) << set.order.order_no();
  }
  EXPECT_EQ(Count(Events(), "DeclarationMatched"), 2);
}

TEST_P(DeskTest, AClearanceRejectedGivesTheBuyersQuotaBackOnce) {
  auto s = samples::MakeImportSet(15);
  for (auto r : {desk_->SubmitOrder(s.order, parties_), desk_->SubmitPayment(s.payment, parties_),
                 desk_->SubmitWaybill(s.waybill, parties_)}) {
    ASSERT_TRUE(r.ok()) << r.status();
  }
  v1::GetBuyerQuotaRequest q;
  q.set_buyer_id_number(s.order.buyer_id_number());
  q.set_year(2025);
  ASSERT_EQ(desk_->Quota(Staff(), q)->used(), "190.50");
  auto apply = [&](const clearance::v1::ClearanceRejected& m) {
    return db_->Transact(
        [&](store::Transaction& tx) { return DeclarationDesk::ApplyClearanceRejected(tx, m); });
  };
  // Another order's rejection leaves this buyer's reservation alone.
  clearance::v1::ClearanceRejected other;
  other.mutable_facts()->set_order_key("3301960001/SOMEONE-ELSE");
  ASSERT_TRUE(apply(other).ok());
  EXPECT_EQ(desk_->Quota(Staff(), q)->used(), "190.50");
  // Rejected (or returned): released, and a redelivery changes nothing more.
  clearance::v1::ClearanceRejected rejected;
  rejected.mutable_facts()->set_order_key("3301960001/" + s.order.order_no());
  rejected.set_return_status(100);
  ASSERT_TRUE(apply(rejected).ok());
  EXPECT_EQ(desk_->Quota(Staff(), q)->used(), "0.00");
  ASSERT_TRUE(apply(rejected).ok());
  EXPECT_EQ(desk_->Quota(Staff(), q)->used(), "0.00");
}

TEST_P(DeskTest, CodesMustBelongToResidentEnterprisesAndNothingIsStoredOtherwise) {
  samples::ImportCodes codes;
  codes.enterprise = "9999999999";
  auto s = samples::MakeImportSet(6, codes);
  auto r = desk_->SubmitOrder(s.order, parties_);
  ASSERT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  auto v = errors::ViolationsOf(r.status());
  ASSERT_EQ(v.size(), 1u) << r.status();
  EXPECT_EQ(v[0].field, "order.ebc_code");
  EXPECT_EQ(v[0].reason, "NOT_RESIDENT");
  EXPECT_TRUE(Events().empty());
  // Once the registry admits it (an event), the same order is accepted.
  MakeResident("9999999999");
  EXPECT_TRUE(desk_->SubmitOrder(s.order, parties_).ok());
}

// A desk started without a personal-data key cannot seal a document, so it refuses it when it
// would store it: after the rules that come before storing (residence here), with the reason, and
// with nothing written. Both ways of calling the desk (waiting, and answered later).
TEST_P(DeskTest, WithoutAKeyADocumentIsRefusedWhenStoredAndNothingIsWritten) {
  DeclarationDesk keyless(*db_, *writer_, nullptr, secrets::KeyRing());
  samples::ImportCodes codes;
  codes.enterprise = "9999999999";
  auto r = keyless.SubmitOrder(samples::MakeImportSet(8, codes).order, parties_);
  ASSERT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument) << r.status();
  EXPECT_EQ(errors::ViolationsOf(r.status()).at(0).reason, "NOT_RESIDENT");

  r = keyless.SubmitOrder(samples::MakeImportSet(8).order, parties_);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition) << r.status();
  EXPECT_TRUE(absl::StrContains(r.status().message(), "no personal-data key")) << r.status();
  std::promise<absl::StatusOr<v1::DocumentReceipt>> answered;
  keyless.SubmitOrder(
      samples::MakeImportSet(9).order, parties_,
      [&](absl::StatusOr<v1::DocumentReceipt> receipt) { answered.set_value(std::move(receipt)); });
  EXPECT_EQ(answered.get_future().get().status().code(), absl::StatusCode::kFailedPrecondition);

  EXPECT_TRUE(Events().empty());
  ASSERT_TRUE(db_->Read([](store::Transaction& tx) -> absl::Status {
                   auto rows = tx.Query("SELECT COUNT(*) FROM documents", {});
                   if (!rows.ok()) return rows.status();
                   EXPECT_EQ(rows->at(0).Int(0), 0);
                   return absl::OkStatus();
                 })
                  .ok());
  // The same order is taken by a desk that has a key.
  EXPECT_TRUE(desk_->SubmitOrder(samples::MakeImportSet(8).order, parties_).ok());
}

TEST_P(DeskTest, BrokenDocumentsNameEveryRuleAndStoreNothing) {
  auto s = samples::MakeImportSet(7);
  s.order.set_actural_paid("190.00");
  s.order.set_buyer_id_number("110105198001010011");
  auto r = desk_->SubmitOrder(s.order, parties_);
  ASSERT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_GE(errors::ViolationsOf(r.status()).size(), 2u) << r.status();
  EXPECT_TRUE(Events().empty());
}

TEST_P(DeskTest, DocumentsWaitingTooLongExpireAndLeaveTheWaitingList) {
  auto lone = samples::MakeImportSet(8);
  ASSERT_TRUE(desk_->SubmitWaybill(lone.waybill, parties_).ok());
  ASSERT_TRUE(desk_->SubmitPayment(lone.payment, parties_).ok());
  auto done = samples::MakeImportSet(9);
  for (auto r :
       {desk_->SubmitOrder(done.order, parties_), desk_->SubmitPayment(done.payment, parties_),
        desk_->SubmitWaybill(done.waybill, parties_)}) {
    ASSERT_TRUE(r.ok()) << r.status();
  }
  auto waiting = desk_->ListWaiting({});
  ASSERT_TRUE(waiting.ok()) << waiting.status();
  ASSERT_EQ(waiting->documents_size(), 2);  // the lone set's two documents; the matched set none
  EXPECT_EQ(waiting->documents(0).kind(), v1::DOCUMENT_KIND_WAYBILL);
  // Paging walks the same list one by one.
  v1::ListWaitingDocumentsRequest page;
  page.mutable_page()->set_page_size(1);
  auto first = desk_->ListWaiting(page);
  ASSERT_EQ(first->documents_size(), 1);
  page.mutable_page()->set_page_token(first->next_page_token());
  auto second = desk_->ListWaiting(page);
  ASSERT_EQ(second->documents_size(), 1);
  EXPECT_EQ(second->documents(0).kind(), v1::DOCUMENT_KIND_PAYMENT);
  EXPECT_TRUE(second->next_page_token().empty());

  // Not yet too old: nothing expires.
  EXPECT_EQ(*desk_->ExpireWaiting(absl::Hours(72), absl::Now()), 0);
  // Three days later the two lone documents expire; the matched set's stay.
  EXPECT_EQ(*desk_->ExpireWaiting(absl::Hours(72), absl::Now() + absl::Hours(73)), 2);
  EXPECT_EQ(Count(Events(), "DocumentExpired"), 2);
  EXPECT_EQ(desk_->ListWaiting({})->documents_size(), 0);
  // Expired documents take no part in matching: the order alone waits, and the set matches once
  // the payment and waybill are sent again.
  auto order = desk_->SubmitOrder(lone.order, parties_);
  ASSERT_TRUE(order.ok());
  EXPECT_EQ(order->declaration_status(), v1::DECLARATION_STATUS_WAITING);
  auto payment = desk_->SubmitPayment(lone.payment, parties_);
  ASSERT_TRUE(payment.ok()) << payment.status();
  EXPECT_EQ(payment->outcome(), v1::DOCUMENT_OUTCOME_ACCEPTED);
  auto waybill = desk_->SubmitWaybill(lone.waybill, parties_);
  ASSERT_TRUE(waybill.ok());
  EXPECT_EQ(waybill->declaration_status(), v1::DECLARATION_STATUS_MATCHED);
}

TEST_P(DeskTest, AnOfficialMessageIsReadAndItsDocumentsCheckedAllOrNothing) {
  PARKLINE_REQUIRE_CEB_REFERENCE("samples/import/CEB311Message.xml");
  // Customs' own CEB311 sample: it parses, and the park's checks find what is wrong with it
  // (its second goods line says 200 x 10 = 12000, and its codes are not resident here).
  std::ifstream in(testing::CebReference("samples/import/CEB311Message.xml"));
  std::stringstream xml;
  xml << in.rdbuf();
  auto message = ceb::ReadCebMessage(xml.str());
  ASSERT_TRUE(message.ok()) << message.status();
  v1::SubmitMessageRequest request;
  request.set_business_mode("9610");
  request.set_logistics_code("3301960004");
  auto r = desk_->SubmitMessage(*message, request, parties_);
  ASSERT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  bool line_rule = false;
  for (const auto& v : errors::ViolationsOf(r.status())) {
    if (v.field.find("orders[0].goods[1]") == 0) line_rule = true;
  }
  EXPECT_TRUE(line_rule) << r.status();
  EXPECT_TRUE(Events().empty());
}

}  // namespace
}  // namespace parkline::declarations
