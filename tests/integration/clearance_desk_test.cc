// The clearance desk against a real database, on every backend: a matched declaration opens a
// case, the completed inventory is written, signed, stored and validates against the official
// XSD; receipts move the case (in returnTime order, duplicates ignored, impossible ones refused
// with nothing changed); every change has its events; tax bills and refund-eligible cases. And
// the consumer on the real broker: a DeclarationMatched on Kafka opens exactly one case.
#include "clearance/clearance_desk.h"

#include <gtest/gtest.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "ceb/receipt_reader.h"
#include "ceb/xsd_validator.h"
#include "clearance/mandate_rules.h"
#include "clearance/sample_cases.h"
#include "clearance/schema.h"
#include "errors/violations.h"
#include "events/consumer.h"
#include "events/kafka_producer.h"
#include "events/outbox.h"
#include "events/schema.h"
#include "google/protobuf/util/time_util.h"
#include "parkline/clearance/v1/events.pb.h"
#include "parkline/declarations/v1/events.pb.h"
#include "store/group_commit.h"
#include "tests/support/backend_test.h"
#include "tests/support/ceb_reference.h"
#include "tests/support/test_env.h"

namespace parkline::clearance {
namespace {

namespace dv1 = ::parkline::declarations::v1;

// These tests are about the use cases, so they read as customs, who sees the buyer's identity in
// full; what each caller sees of it is clearance_privacy_test's.
const Viewer kCustoms = CustomsViewer();
// Opening and submitting are the declarant's: here the sample's e-commerce enterprise itself.
const Viewer kDeclarant = [] {
  Viewer v;
  v.name = "ecommerce";
  v.codes = {"91350100M000100Y43", SampleCodes().enterprise};
  return v;
}();

// Records what the desk sent, instead of customs.
class RecordingGateway : public CustomsGateway {
 public:
  absl::Status Send(const OutgoingMessage& m) override {
    sent.push_back(m);
    return absl::OkStatus();
  }
  std::vector<OutgoingMessage> sent;
};

class ClearanceDeskTest : public testing::BackendTest<ApplySchema> {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    writer_ = std::make_unique<store::GroupCommitter>(*db_);
    DeskOptions options;
    options.clock = [this] { return now_; };
    desk_ = std::make_unique<ClearanceDesk>(*db_, *writer_, signer_, options, nullptr,
                                            secrets::KeyRing::Generate("test-1"));
    desk_->set_gateway(&gateway_);
  }

  // Opens the case of declaration `n` as the consumer would; returns its id.
  std::string OpenFromDeclaration(dv1::Direction direction, const std::string& mode, int n) {
    dv1::DeclarationMatched matched;
    *matched.mutable_declaration() = SampleDeclaration(direction, mode, n);
    EXPECT_TRUE(
        db_->Transact([&](store::Transaction& tx) { return desk_->ApplyMatched(tx, matched); })
            .ok());
    return CaseIdFor("declaration:" + matched.declaration().order_key());
  }

  // Completes and submits the case; an export with `statistics_flag` when one is given.
  v1::ClearanceCase Submit(const std::string& case_id, int n,
                           const std::string& statistics_flag = "") {
    auto c = desk_->Get(case_id, "", kCustoms);
    EXPECT_TRUE(c.ok()) << c.status();
    v1::SubmitCaseRequest submit;
    submit.set_case_id(case_id);
    *submit.mutable_inventory() = CompleteDraft(c->inventory(), c->direction(), n);
    if (!statistics_flag.empty()) submit.mutable_inventory()->set_statistics_flag(statistics_flag);
    auto submitted = desk_->Submit(submit, kDeclarant);
    EXPECT_TRUE(submitted.ok()) << submitted.status();
    return *submitted;
  }

  static v1::CustomsReceipt Receipt(const std::string& case_id, const std::string& code,
                                    int second) {
    v1::CustomsReceipt r;
    r.set_guid(case_id);
    r.set_return_status(code);
    r.set_return_time(absl::StrCat("202503011200", second < 10 ? "0" : "", second, "000"));
    r.set_return_info(absl::StrCat("receipt ", code));
    return r;
  }

  v1::CaseStatus Apply(const std::string& case_id, const std::string& code, int second) {
    auto r = desk_->RecordReceipt(Receipt(case_id, code, second));
    EXPECT_TRUE(r.ok()) << code << ": " << r.status();
    return r.ok() ? r->status() : v1::CASE_STATUS_UNSPECIFIED;
  }

  int Count(const std::string& type) {
    int n = 0;
    for (const auto& e : Outbox()) n += e.type == "parkline.clearance.v1." + type;
    return n;
  }

  // The desk's clock: mandates are judged at it, and a test moves it to see one end.
  absl::Time now_ = absl::Now();
  std::unique_ptr<store::GroupCommitter> writer_;
  UnsignedSigner signer_;
  RecordingGateway gateway_;
  std::unique_ptr<ClearanceDesk> desk_;
};

PARKLINE_BACKEND_TESTS(ClearanceDeskTest);

constexpr char kBroker[] = "3301960003";
constexpr char kOtherBroker[] = "3301960005";

Viewer EnterpriseViewer(const std::string& code) {
  Viewer v;
  v.name = code;
  v.codes = {code};
  return v;
}

google::protobuf::Timestamp At(absl::Time t) {
  return google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(t));
}

v1::GrantMandateRequest Grant(const std::string& agent, absl::Time from, absl::Time until) {
  v1::GrantMandateRequest r;
  r.set_ebc_code(SampleCodes().enterprise);
  r.set_agent_code(agent);
  *r.mutable_valid_from() = At(from);
  *r.mutable_valid_until() = At(until);
  return r;
}

TEST_P(ClearanceDeskTest, AGrantIsIdempotentAnOverlapIsRefusedAndARevocationEndsIt) {
  const Viewer broker = EnterpriseViewer(kBroker);
  auto granted = desk_->GrantMandate(Grant(kBroker, now_, now_ + absl::Hours(24)), kDeclarant);
  ASSERT_TRUE(granted.ok()) << granted.status();
  EXPECT_EQ(Count("MandateGranted"), 1);
  // The same grant again: the same mandate, nothing published.
  auto again = desk_->GrantMandate(Grant(kBroker, now_, now_ + absl::Hours(24)), kDeclarant);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->mandate_id(), granted->mandate_id());
  EXPECT_EQ(Count("MandateGranted"), 1);
  // Another period overlapping it: ALREADY_EXISTS; another broker: a mandate of its own.
  EXPECT_EQ(
      desk_->GrantMandate(Grant(kBroker, now_ + absl::Hours(1), now_ + absl::Hours(48)), kDeclarant)
          .status()
          .code(),
      absl::StatusCode::kAlreadyExists);
  ASSERT_TRUE(
      desk_->GrantMandate(Grant(kOtherBroker, now_, now_ + absl::Hours(24)), kDeclarant).ok());
  // Nobody grants in the enterprise's name but itself (or the admin).
  EXPECT_EQ(
      desk_->GrantMandate(Grant(kBroker, now_ + absl::Hours(30), now_ + absl::Hours(40)), broker)
          .status()
          .code(),
      absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Count("MandateGranted"), 2);

  auto count = [&](const Viewer& viewer, const std::string& code) {
    v1::ListMandatesRequest list;
    list.set_enterprise_code(code);
    auto r = desk_->ListMandates(list, viewer);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? r->mandates_size() : -1;
  };
  EXPECT_EQ(count(kDeclarant, SampleCodes().enterprise), 2);
  EXPECT_EQ(count(broker, kBroker), 1);
  EXPECT_EQ(count(EnterpriseViewer("4401960009"), SampleCodes().enterprise), 0);
  EXPECT_EQ(count(kCustoms, ""), 2);

  // The broker and outsiders revoke nothing; the grantor does, once.
  v1::RevokeMandateRequest revoke;
  revoke.set_mandate_id(granted->mandate_id());
  EXPECT_EQ(desk_->RevokeMandate(revoke, broker).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(desk_->RevokeMandate(revoke, EnterpriseViewer("4401960009")).status().code(),
            absl::StatusCode::kNotFound);
  now_ += absl::Minutes(5);
  auto revoked = desk_->RevokeMandate(revoke, kDeclarant);
  ASSERT_TRUE(revoked.ok()) << revoked.status();
  EXPECT_EQ(google::protobuf::util::TimeUtil::TimestampToMicroseconds(revoked->revoke_time()),
            absl::ToUnixMicros(now_));
  ASSERT_TRUE(desk_->RevokeMandate(revoke, kDeclarant).ok());
  EXPECT_EQ(Count("MandateRevoked"), 1);
  v1::ListMandatesRequest in_force;
  in_force.set_enterprise_code(kBroker);
  in_force.set_in_force_only(true);
  EXPECT_EQ(desk_->ListMandates(in_force, broker)->mandates_size(), 0);
  // Once revoked, a new period can be granted; an ended mandate can no longer be revoked.
  ASSERT_TRUE(desk_->GrantMandate(Grant(kBroker, now_, now_ + absl::Hours(1)), kDeclarant).ok());
  now_ += absl::Hours(2);
  v1::RevokeMandateRequest ended;
  ended.set_mandate_id(MandateIdFor(SampleCodes().enterprise, kBroker, now_ - absl::Hours(2),
                                    now_ - absl::Hours(1)));
  EXPECT_EQ(desk_->RevokeMandate(ended, kDeclarant).status().code(),
            absl::StatusCode::kFailedPrecondition);

  for (const auto& e : Outbox()) {
    if (e.type != "parkline.clearance.v1.MandateGranted") continue;
    v1::MandateGranted event;
    ASSERT_TRUE(event.ParseFromString(e.payload));
    EXPECT_EQ(e.subject, event.mandate().mandate_id());
    EXPECT_EQ(e.topic, "parkline.clearance.v1");
    EXPECT_EQ(event.mandate().ebc_code(), SampleCodes().enterprise);
  }
}

TEST_P(ClearanceDeskTest, ABrokerOpensAndSubmitsOnlyWhileItsMandateIsInForce) {
  const Viewer broker = EnterpriseViewer(kBroker);
  auto d = SampleDeclaration(dv1::DIRECTION_EXPORT, "9610", 31);
  v1::OpenCaseRequest open;
  open.set_business_mode("9610");
  open.set_direction(dv1::DIRECTION_EXPORT);
  *open.mutable_inventory() = CompleteDraft(DraftFromDeclaration(d, {}), dv1::DIRECTION_EXPORT, 31);
  open.mutable_inventory()->set_cop_no("COP-31");
  open.mutable_inventory()->set_agent_code(kBroker);
  // No mandate: neither the broker nor the enterprise itself opens under that agent.
  EXPECT_EQ(desk_->Open(open, broker).status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(desk_->Open(open, kDeclarant).status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(desk_->List({}, kCustoms)->cases_size(), 0);

  ASSERT_TRUE(desk_->GrantMandate(Grant(kBroker, now_, now_ + absl::Hours(1)), kDeclarant).ok());
  auto opened = desk_->Open(open, broker);
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(desk_->Open(open, broker)->case_id(), opened->case_id());
  EXPECT_EQ(desk_->Open(open, kDeclarant)->case_id(), opened->case_id());
  // Another broker the enterprise mandated retries the key: refused, without the case.
  ASSERT_TRUE(
      desk_->GrantMandate(Grant(kOtherBroker, now_, now_ + absl::Hours(1)), kDeclarant).ok());
  v1::OpenCaseRequest other = open;
  other.mutable_inventory()->set_agent_code(kOtherBroker);
  EXPECT_EQ(desk_->Open(other, EnterpriseViewer(kOtherBroker)).status().code(),
            absl::StatusCode::kPermissionDenied);

  // The mandate ends: the broker no longer sees the draft, opens or submits; the enterprise
  // cannot send it under that agent, only under its own.
  now_ += absl::Hours(2);
  EXPECT_EQ(desk_->Get(opened->case_id(), "", broker).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(desk_->Open(open, broker).status().code(), absl::StatusCode::kPermissionDenied);
  v1::SubmitCaseRequest submit;
  submit.set_case_id(opened->case_id());
  EXPECT_EQ(desk_->Submit(submit, broker).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(desk_->Submit(submit, kDeclarant).status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Count("ClearanceSubmitted"), 0);
  EXPECT_TRUE(gateway_.sent.empty());
  *submit.mutable_inventory() = open.inventory();
  submit.mutable_inventory()->set_agent_code(SampleCodes().enterprise);
  ASSERT_TRUE(desk_->Submit(submit, kDeclarant).ok());

  // Under a new mandate the broker opens and submits another, and still reads it once the
  // mandate is revoked: it answers to customs for what it sent.
  auto second = desk_->GrantMandate(Grant(kBroker, now_, now_ + absl::Hours(1)), kDeclarant);
  ASSERT_TRUE(second.ok());
  open.mutable_inventory()->set_cop_no("COP-32");
  auto case2 = desk_->Open(open, broker);
  ASSERT_TRUE(case2.ok()) << case2.status();
  v1::SubmitCaseRequest submit2;
  submit2.set_case_id(case2->case_id());
  ASSERT_TRUE(desk_->Submit(submit2, broker).ok());
  v1::RevokeMandateRequest revoke;
  revoke.set_mandate_id(second->mandate_id());
  now_ += absl::Minutes(1);
  ASSERT_TRUE(desk_->RevokeMandate(revoke, kDeclarant).ok());
  EXPECT_TRUE(desk_->Get(case2->case_id(), "", broker).ok());
  EXPECT_EQ(desk_->List({}, broker)->cases_size(), 1);
  EXPECT_EQ(Count("ClearanceSubmitted"), 2);
}

TEST_P(ClearanceDeskTest, TheKeysTheBuyerAndTheGoodsOfAStoredInventoryStay) {
  std::string id = OpenFromDeclaration(dv1::DIRECTION_IMPORT, "9610", 33);
  auto c = desk_->Get(id, "", kCustoms);
  ASSERT_TRUE(c.ok());
  v1::SubmitCaseRequest submit;
  submit.set_case_id(id);
  *submit.mutable_inventory() = CompleteDraft(c->inventory(), c->direction(), 33);
  submit.mutable_inventory()->mutable_lines(0)->set_qty("99");
  submit.mutable_inventory()->set_logistics_code("4401960009");
  auto refused = desk_->Submit(submit, kDeclarant);
  ASSERT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  std::set<std::string> fields;
  for (const auto& v : errors::ViolationsOf(refused.status())) fields.insert(v.field);
  EXPECT_EQ(fields, (std::set<std::string>{"inventory.lines[0].qty", "inventory.logistics_code"}));
  EXPECT_EQ(Count("ClearanceSubmitted"), 0);
  // An agent nobody mandated: refused too.
  *submit.mutable_inventory() = CompleteDraft(c->inventory(), c->direction(), 33);
  submit.mutable_inventory()->set_agent_code(kBroker);
  EXPECT_EQ(desk_->Submit(submit, kDeclarant).status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Count("ClearanceSubmitted"), 0);
}

TEST_P(ClearanceDeskTest, AMatchedDeclarationOpensACaseWhoseInventoryGoesToCustomsAndIsReleased) {
  PARKLINE_REQUIRE_CEB_REFERENCE("xsd/ceb-import.xsd");
  std::string id = OpenFromDeclaration(dv1::DIRECTION_IMPORT, "9610", 1);
  // The same event again (another delivery): still one case.
  OpenFromDeclaration(dv1::DIRECTION_IMPORT, "9610", 1);
  auto c = desk_->Get(id, "", kCustoms);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->status(), v1::CASE_STATUS_CREATED);
  EXPECT_EQ(c->order_key(), "3301960001/ORD-1");
  EXPECT_EQ(c->estimated_tax_cny(), "16.38000");
  EXPECT_EQ(c->value_cny(), "180.00000");
  EXPECT_EQ(c->tax_bill().status(), v1::TAX_BILL_STATUS_NOT_ISSUED);
  EXPECT_EQ(c->inventory().cop_no().size(), 20u);
  EXPECT_GT(c->missing_size(), 0);
  ASSERT_EQ(desk_->List({}, kCustoms)->cases_size(), 1);

  // The draft lacks the buyer and the HS codes: refused, naming them, nothing sent.
  v1::SubmitCaseRequest draft;
  draft.set_case_id(id);
  auto refused = desk_->Submit(draft, kDeclarant);
  ASSERT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.status().message().find("inventory.buyer_id_number"), std::string::npos);
  EXPECT_NE(refused.status().message().find("inventory.lines[0].gcode"), std::string::npos);
  EXPECT_TRUE(gateway_.sent.empty());
  EXPECT_EQ(Count("ClearanceSubmitted"), 0);

  v1::ClearanceCase submitted = Submit(id, 1);
  EXPECT_TRUE(submitted.has_submit_time());
  EXPECT_EQ(submitted.missing_size(), 0);
  ASSERT_EQ(gateway_.sent.size(), 1u);
  EXPECT_EQ(gateway_.sent[0].message_type, "CEB621");
  auto message = desk_->Message(id, "", kCustoms);
  ASSERT_TRUE(message.ok()) << message.status();
  EXPECT_EQ(message->xml(), gateway_.sent[0].xml);
  absl::Status valid =
      ceb::ValidateAgainstXsd(message->xml(), testing::CebReference("xsd/ceb-import.xsd"));
  EXPECT_TRUE(valid.ok()) << valid;
  // Submitting twice is refused.
  EXPECT_EQ(desk_->Submit(draft, kDeclarant).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Count("ClearanceSubmitted"), 1);

  EXPECT_EQ(Apply(id, "2", 1), v1::CASE_STATUS_DECLARING);
  EXPECT_EQ(Apply(id, "120", 2), v1::CASE_STATUS_ACCEPTED);
  EXPECT_EQ(Apply(id, "399", 3), v1::CASE_STATUS_CONCLUDED);
  EXPECT_EQ(Apply(id, "800", 4), v1::CASE_STATUS_RELEASED);
  c = desk_->Get(id, "", kCustoms);
  EXPECT_EQ(c->status(), v1::CASE_STATUS_RELEASED);
  EXPECT_EQ(c->return_status(), 800);
  EXPECT_EQ(c->receipts_size(), 4);
  EXPECT_TRUE(c->has_release_time());
  EXPECT_FALSE(c->inspected());
  EXPECT_EQ(Count("ClearanceStatusChanged"), 4);
  EXPECT_EQ(Count("ClearanceReleased"), 1);
  EXPECT_EQ(Count("ClearanceRejected"), 0);
  for (const auto& e : Outbox()) {
    EXPECT_EQ(e.subject, id);
    EXPECT_EQ(e.topic, "parkline.clearance.v1");
  }
  // The released event carries the facts statistics needs.
  for (const auto& e : Outbox()) {
    if (e.type != "parkline.clearance.v1.ClearanceReleased") continue;
    v1::ClearanceReleased released;
    ASSERT_TRUE(released.ParseFromString(e.payload));
    EXPECT_EQ(released.facts().business_mode(), "9610");
    EXPECT_EQ(released.facts().direction(), dv1::DIRECTION_IMPORT);
    EXPECT_EQ(released.facts().estimated_tax_cny(), "16.38000");
    EXPECT_TRUE(released.facts().has_submit_time());
    // Its trade: the case, its order, and its value in its currency (CNY here).
    EXPECT_EQ(released.facts().case_id(), id);
    EXPECT_EQ(released.facts().order_key(), "3301960001/ORD-1");
    EXPECT_EQ(released.facts().value(), "180.00000");
    EXPECT_EQ(released.facts().currency(), "142");
    EXPECT_EQ(released.facts().value_cny(), "180.00000");
    EXPECT_TRUE(released.has_release_time());
  }
}

TEST_P(ClearanceDeskTest, ReceiptsOutOfOrderAreOrderedByReturnTimeAndDuplicatesChangeNothing) {
  std::string id = OpenFromDeclaration(dv1::DIRECTION_IMPORT, "1210", 2);
  Submit(id, 2);
  EXPECT_EQ(Apply(id, "2", 1), v1::CASE_STATUS_DECLARING);
  EXPECT_EQ(Apply(id, "399", 3), v1::CASE_STATUS_CONCLUDED);
  // 120 was sent before 399 and arrives after it: recorded in its place, the case stays.
  EXPECT_EQ(Apply(id, "120", 2), v1::CASE_STATUS_CONCLUDED);
  auto c = desk_->Get(id, "", kCustoms);
  ASSERT_EQ(c->receipts_size(), 3);
  EXPECT_EQ(c->receipts(1).return_status(), 120);
  EXPECT_EQ(c->receipts(1).status(), v1::CASE_STATUS_ACCEPTED);
  size_t events = Outbox().size();
  auto dup = desk_->RecordReceipt(Receipt(id, "120", 2));
  ASSERT_TRUE(dup.ok());
  EXPECT_EQ(dup->outcome(), v1::RECEIPT_OUTCOME_DUPLICATE);
  EXPECT_EQ(Outbox().size(), events);
  EXPECT_EQ(desk_->Get(id, "", kCustoms)->receipts_size(), 3);
  // Inspection, then release: inspected.
  EXPECT_EQ(Apply(id, "500", 4), v1::CASE_STATUS_INSPECTION);
  EXPECT_EQ(Apply(id, "800", 5), v1::CASE_STATUS_RELEASED);
  EXPECT_TRUE(desk_->Get(id, "", kCustoms)->inspected());
}

TEST_P(ClearanceDeskTest, BadReceiptsAreRefusedAndChangeNothing) {
  std::string id = OpenFromDeclaration(dv1::DIRECTION_IMPORT, "9610", 3);
  // Not yet submitted: customs cannot answer.
  EXPECT_EQ(desk_->RecordReceipt(Receipt(id, "2", 1)).status().code(),
            absl::StatusCode::kFailedPrecondition);
  Submit(id, 3);
  Apply(id, "2", 1);
  Apply(id, "120", 2);
  Apply(id, "399", 3);
  Apply(id, "800", 4);
  size_t events = Outbox().size();
  struct Bad {
    v1::CustomsReceipt receipt;
    absl::StatusCode code;
  };
  std::vector<Bad> bad = {
      {Receipt(id, "120", 5), absl::StatusCode::kFailedPrecondition},  // impossible transition
      {Receipt(id, "100", 5), absl::StatusCode::kFailedPrecondition},
      {Receipt(id, "777", 5), absl::StatusCode::kInvalidArgument},  // unknown code
      {Receipt(id, "abc", 5), absl::StatusCode::kInvalidArgument},
      {Receipt("00000000-0000-0000-0000-000000000000", "899", 5), absl::StatusCode::kNotFound},
  };
  v1::CustomsReceipt bad_time = Receipt(id, "899", 5);
  bad_time.set_return_time("2025-03-01 12:00");
  bad.push_back({bad_time, absl::StatusCode::kInvalidArgument});
  v1::CustomsReceipt no_guid = Receipt(id, "899", 5);
  no_guid.clear_guid();
  bad.push_back({no_guid, absl::StatusCode::kInvalidArgument});
  for (const auto& b : bad) {
    auto r = desk_->RecordReceipt(b.receipt);
    EXPECT_EQ(r.status().code(), b.code) << b.receipt.ShortDebugString() << " " << r.status();
  }
  EXPECT_EQ(Outbox().size(), events);
  auto c = desk_->Get(id, "", kCustoms);
  EXPECT_EQ(c->status(), v1::CASE_STATUS_RELEASED);
  EXPECT_EQ(c->receipts_size(), 4);
  EXPECT_EQ(Apply(id, "899", 6), v1::CASE_STATUS_CLOSED);
}

TEST_P(ClearanceDeskTest, ARejectionPublishesClearanceRejectedWithTheOrderKey) {
  std::string id = OpenFromDeclaration(dv1::DIRECTION_IMPORT, "9610", 4);
  Submit(id, 4);
  Apply(id, "2", 1);
  EXPECT_EQ(Apply(id, "100", 2), v1::CASE_STATUS_REJECTED);
  EXPECT_EQ(Count("ClearanceRejected"), 1);
  for (const auto& e : Outbox()) {
    if (e.type != "parkline.clearance.v1.ClearanceRejected") continue;
    v1::ClearanceRejected rejected;
    ASSERT_TRUE(rejected.ParseFromString(e.payload));
    EXPECT_EQ(rejected.facts().order_key(), "3301960001/ORD-4");
    EXPECT_EQ(rejected.return_status(), 100);
    EXPECT_EQ(rejected.status(), v1::CASE_STATUS_REJECTED);
  }
  // A case ending in an error code is rejected too.
  std::string other = OpenFromDeclaration(dv1::DIRECTION_IMPORT, "9610", 5);
  Submit(other, 5);
  EXPECT_EQ(Apply(other, "-621005", 1), v1::CASE_STATUS_ERROR);
  EXPECT_EQ(Count("ClearanceRejected"), 2);
  // And one whose goods customs returns (退运) after inspection.
  std::string returned = OpenFromDeclaration(dv1::DIRECTION_IMPORT, "1210", 11);
  Submit(returned, 11);
  for (auto [code, second] : {std::pair{"2", 1}, {"120", 2}, {"399", 3}, {"500", 4}}) {
    Apply(returned, code, second);
  }
  EXPECT_EQ(Apply(returned, "700", 5), v1::CASE_STATUS_RETURNED);
  EXPECT_EQ(Count("ClearanceRejected"), 3);
  EXPECT_EQ(Count("ClearanceReleased"), 0);
}

TEST_P(ClearanceDeskTest, AReceiptMessageIsAppliedWhollyOrNotAtAll) {
  PARKLINE_REQUIRE_CEB_REFERENCE("xsd/ceb-export.xsd");
  std::string id = OpenFromDeclaration(dv1::DIRECTION_EXPORT, "9610", 6);
  Submit(id, 6);
  auto returns = [&](const std::vector<std::pair<std::string, int>>& codes) {
    std::string xml =
        R"(<ceb:CEB604Message guid="3A0C5D5E-0000-4000-8000-000000000001" version="1.0" xmlns:ceb="http://www.chinaport.gov.cn/ceb">)";
    for (const auto& [code, second] : codes) {
      v1::CustomsReceipt r = Receipt(id, code, second);
      absl::StrAppend(&xml, "<ceb:InventoryReturn><ceb:guid>", id,
                      "</ceb:guid><ceb:agentCode>3301960002</ceb:agentCode><ceb:copNo>C</ceb:copNo>"
                      "<ceb:preNo>P20250301000000001</ceb:preNo><ceb:invtNo>I1</ceb:invtNo>"
                      "<ceb:ebcCode>3301960002</ceb:ebcCode><ceb:ebpCode>3301960001</ceb:ebpCode>"
                      "<ceb:orderNo>ORD-6</ceb:orderNo><ceb:statisticsFlag>B</ceb:statisticsFlag>"
                      "<ceb:returnStatus>",
                      code, "</ceb:returnStatus><ceb:returnTime>", r.return_time(),
                      "</ceb:returnTime><ceb:returnInfo>ok</ceb:returnInfo></ceb:InventoryReturn>");
    }
    return xml + "</ceb:CEB604Message>";
  };
  std::string good = returns({{"2", 1}, {"120", 2}, {"399", 3}});
  EXPECT_TRUE(ceb::ValidateAgainstXsd(good, testing::CebReference("xsd/ceb-export.xsd")).ok());
  // 100 after 399 is impossible: the whole message is refused, the first two are not applied.
  auto refused = ceb::ReadInventoryReturns(returns({{"2", 1}, {"120", 2}, {"399", 3}, {"100", 4}}));
  ASSERT_TRUE(refused.ok()) << refused.status();
  auto r = desk_->RecordReceipts(*refused);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(r.status().message().find("receipts[3]"), std::string::npos) << r.status();
  EXPECT_EQ(desk_->Get(id, "", kCustoms)->receipts_size(), 0);
  // In a DxpMsg, the good ones apply.
  auto wrapped = ceb::ReadInventoryReturns(
      absl::StrCat(R"(<dxp:DxpMsg xmlns:dxp="http://www.chinaport.gov.cn/dxp"><dxp:Data>)",
                   absl::Base64Escape(good), "</dxp:Data></dxp:DxpMsg>"));
  ASSERT_TRUE(wrapped.ok()) << wrapped.status();
  auto applied = desk_->RecordReceipts(*wrapped);
  ASSERT_TRUE(applied.ok()) << applied.status();
  EXPECT_EQ(applied->message_type(), "CEB604");
  ASSERT_EQ(applied->results_size(), 3);
  EXPECT_EQ(applied->results(2).status(), v1::CASE_STATUS_CONCLUDED);
  EXPECT_EQ(desk_->Get(id, "", kCustoms)->invt_no(), "I1");
}

// A declaration withdrawn before its inventory went to customs withdraws the case, which can no
// longer be submitted until the order matches again; one withdrawn after submission leaves the
// case with customs.
TEST_P(ClearanceDeskTest, AWithdrawnDeclarationWithdrawsItsCaseUntilItIsSubmitted) {
  auto withdraw = [&](int n) {
    dv1::DeclarationWithdrawn withdrawn;
    *withdrawn.mutable_declaration() = SampleDeclaration(dv1::DIRECTION_IMPORT, "9610", n);
    return db_->Transact(
        [&](store::Transaction& tx) { return desk_->ApplyWithdrawn(tx, withdrawn); });
  };
  std::string draft = OpenFromDeclaration(dv1::DIRECTION_IMPORT, "9610", 71);
  std::string sent = OpenFromDeclaration(dv1::DIRECTION_IMPORT, "9610", 72);
  Submit(sent, 72);
  ASSERT_TRUE(withdraw(71).ok());
  ASSERT_TRUE(withdraw(72).ok());
  ASSERT_TRUE(withdraw(73).ok()) << "a declaration without a case is no error";
  EXPECT_EQ(desk_->Get(draft, "", kCustoms)->status(), v1::CASE_STATUS_WITHDRAWN);
  EXPECT_NE(desk_->Get(sent, "", kCustoms)->status(), v1::CASE_STATUS_WITHDRAWN);
  EXPECT_TRUE(desk_->Get(sent, "", kCustoms)->has_submit_time());
  v1::SubmitCaseRequest submit;
  submit.set_case_id(draft);
  EXPECT_EQ(desk_->Submit(submit, kDeclarant).status().code(),
            absl::StatusCode::kFailedPrecondition);
  // Nothing was sent for the withdrawn case, and no receipt applies to it.
  EXPECT_EQ(Count("ClearanceSubmitted"), 1);
  EXPECT_FALSE(desk_->RecordReceipt(Receipt(draft, "2", 1)).ok());

  // The order matched again reopens its own case (same id), which can then be submitted; the
  // submitted one stays as customs has it.
  EXPECT_EQ(OpenFromDeclaration(dv1::DIRECTION_IMPORT, "9610", 71), draft);
  EXPECT_EQ(OpenFromDeclaration(dv1::DIRECTION_IMPORT, "9610", 72), sent);
  auto reopened = desk_->Get(draft, "", kCustoms);
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(reopened->status(), v1::CASE_STATUS_CREATED);
  EXPECT_EQ(reopened->value(), "180.00000");
  EXPECT_TRUE(desk_->Get(sent, "", kCustoms)->has_submit_time());
  ASSERT_EQ(desk_->List({}, kCustoms)->cases_size(), 2);
  EXPECT_TRUE(Submit(draft, 71).has_submit_time());
  EXPECT_EQ(Count("ClearanceSubmitted"), 2);
}

TEST_P(ClearanceDeskTest, OpeningOverGrpcIsIdempotentAndChecked) {
  auto d = SampleDeclaration(dv1::DIRECTION_EXPORT, "9710", 7);
  v1::OpenCaseRequest open;
  open.set_business_mode("9710");
  open.set_direction(dv1::DIRECTION_EXPORT);
  *open.mutable_inventory() = CompleteDraft(DraftFromDeclaration(d, {}), dv1::DIRECTION_EXPORT, 7);
  open.mutable_inventory()->set_cop_no("COP-7");
  auto first = desk_->Open(open, kDeclarant);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->missing_size(), 0);
  // An export priced in dollars (502): its value in dollars, and no value in CNY.
  EXPECT_EQ(first->value(), "180.00000");
  EXPECT_EQ(first->currency(), "502");
  EXPECT_EQ(first->value_cny(), "");
  EXPECT_TRUE(first->order_key().empty());
  auto again = desk_->Open(open, kDeclarant);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->case_id(), first->case_id());
  open.mutable_inventory()->set_note("other content");
  EXPECT_EQ(desk_->Open(open, kDeclarant).status().code(), absl::StatusCode::kAlreadyExists);

  v1::OpenCaseRequest bad = open;
  bad.set_direction(dv1::DIRECTION_IMPORT);  // 9710 is export only
  bad.mutable_inventory()->clear_cop_no();
  bad.mutable_inventory()->set_customs_code("12");
  auto refused = desk_->Open(bad, kDeclarant);
  ASSERT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  std::set<std::string> fields;
  for (const auto& v : errors::ViolationsOf(refused.status())) fields.insert(v.field);
  // Priced in dollars, it is no import inventory either (CEB621 is in CNY).
  EXPECT_EQ(fields,
            (std::set<std::string>{"direction", "inventory.cop_no", "inventory.customs_code",
                                   "inventory.currency", "inventory.lines[0].currency",
                                   "inventory.lines[1].currency"}));
  EXPECT_EQ(desk_->List({}, kCustoms)->cases_size(), 1);
}

// An import inventory opened directly (OpenCase), complete.
v1::OpenCaseRequest ImportOpen(int n) {
  v1::OpenCaseRequest open;
  open.set_business_mode("9610");
  open.set_direction(dv1::DIRECTION_IMPORT);
  *open.mutable_inventory() =
      CompleteDraft(DraftFromDeclaration(SampleDeclaration(dv1::DIRECTION_IMPORT, "9610", n), {}),
                    dv1::DIRECTION_IMPORT, n);
  open.mutable_inventory()->set_cop_no(absl::StrCat("COP-", n));
  return open;
}

// (field, rule) of every violation.
using Rules = std::set<std::pair<std::string, std::string>>;

Rules Broken(const absl::Status& status) {
  Rules out;
  for (const auto& v : errors::ViolationsOf(status)) out.insert({v.field, v.reason});
  return out;
}

// CEB621 is in CNY only (ceb-import.xsd: currency fixed="142", head and lines): an import
// inventory in dollars would be stored without a CNY value and sent breaking the XSD.
TEST_P(ClearanceDeskTest, AnImportInventoryNotInCnyIsRefusedAndStoresNothing) {
  v1::OpenCaseRequest open = ImportOpen(41);
  open.mutable_inventory()->set_currency("502");
  auto refused = desk_->Open(open, kDeclarant);
  ASSERT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument) << refused.status();
  EXPECT_EQ(Broken(refused.status()), (Rules{{"inventory.currency", "CURRENCY"}}));
  open = ImportOpen(41);
  open.mutable_inventory()->mutable_lines(1)->set_currency("502");
  EXPECT_EQ(Broken(desk_->Open(open, kDeclarant).status()),
            (Rules{{"inventory.lines[1].currency", "CURRENCY"}}));
  EXPECT_EQ(desk_->List({}, kCustoms)->cases_size(), 0);
  EXPECT_TRUE(Outbox().empty());
  // The same key in CNY opens: the refusals spent nothing.
  auto opened = desk_->Open(ImportOpen(41), kDeclarant);
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(opened->value_cny(), "180.00000");
}

// Each total_price fits an amount (at most 92233720368547.75807); a sum of them need not, and in
// 64 bits it wrapped to a negative value that the events carried as trade.
TEST_P(ClearanceDeskTest, AGoodsValueOrTaxTotalThatDoesNotFitIsRefusedAndStoresNothing) {
  v1::OpenCaseRequest open = ImportOpen(42);
  for (auto& l : *open.mutable_inventory()->mutable_lines()) l.set_total_price("90000000000000");
  auto refused = desk_->Open(open, kDeclarant);
  ASSERT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument) << refused.status();
  EXPECT_EQ(Broken(refused.status()), (Rules{{"inventory.lines", "TOTAL_TOO_LARGE"}}));
  EXPECT_EQ(desk_->List({}, kCustoms)->cases_size(), 0);

  // Lines opened without totals, completed with ones whose sum does not fit: not submitted.
  v1::OpenCaseRequest draft = ImportOpen(42);
  for (auto& l : *draft.mutable_inventory()->mutable_lines()) l.clear_total_price();
  auto opened = desk_->Open(draft, kDeclarant);
  ASSERT_TRUE(opened.ok()) << opened.status();
  v1::SubmitCaseRequest submit;
  submit.set_case_id(opened->case_id());
  *submit.mutable_inventory() = open.inventory();
  auto not_sent = desk_->Submit(submit, kDeclarant);
  EXPECT_EQ(Broken(not_sent.status()), (Rules{{"inventory.lines", "TOTAL_TOO_LARGE"}}));
  auto stored = desk_->Get(opened->case_id(), "", kCustoms);
  ASSERT_TRUE(stored.ok());
  EXPECT_FALSE(stored->has_submit_time());
  EXPECT_EQ(stored->value_cny(), "0.00000");
  EXPECT_EQ(Count("ClearanceSubmitted"), 0);
  EXPECT_TRUE(gateway_.sent.empty());

  // A tax bill whose duties sum past an amount: refused, the case's bill as it was.
  v1::RecordTaxBillRequest bill;
  bill.set_case_id(opened->case_id());
  bill.set_tax_no("TAX-42");
  bill.set_status("1");
  bill.set_customs_tax("90000000000000");
  bill.set_value_added_tax("90000000000000");
  auto too_large = desk_->RecordTaxBill(bill, kCustoms);
  ASSERT_EQ(too_large.status().code(), absl::StatusCode::kInvalidArgument) << too_large.status();
  EXPECT_EQ(Broken(too_large.status()), (Rules{{"tax_bill.total", "TOTAL_TOO_LARGE"}}));
  stored = desk_->Get(opened->case_id(), "", kCustoms);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->tax_bill().status(), v1::TAX_BILL_STATUS_NOT_ISSUED);
  EXPECT_EQ(stored->tax_bill().total(), "");
  bill.set_value_added_tax("2233720368547.75807");  // exactly the largest amount: recorded
  auto recorded = desk_->RecordTaxBill(bill, kCustoms);
  ASSERT_TRUE(recorded.ok()) << recorded.status();
  EXPECT_EQ(recorded->tax_bill().total(), "92233720368547.75807");
}

// SubmitCase keeps the ebp_code as opened (a key): an inventory opened without one could never be
// sent, and its (ebc_code, cop_no) would be spent.
TEST_P(ClearanceDeskTest, OpeningWithoutThePlatformIsRefusedAndSpendsNoKey) {
  v1::OpenCaseRequest open = ImportOpen(43);
  open.mutable_inventory()->clear_ebp_code();
  auto refused = desk_->Open(open, kDeclarant);
  ASSERT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument) << refused.status();
  EXPECT_EQ(Broken(refused.status()), (Rules{{"inventory.ebp_code", "REQUIRED"}}));
  EXPECT_EQ(desk_->List({}, kCustoms)->cases_size(), 0);
  EXPECT_TRUE(Outbox().empty());
  auto opened = desk_->Open(ImportOpen(43), kDeclarant);
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(opened->inventory().ebp_code(), SampleCodes().platform);
}

TEST_P(ClearanceDeskTest, ACaseIsVisibleOnlyToItsParties) {
  std::string id = OpenFromDeclaration(dv1::DIRECTION_IMPORT, "9610", 8);
  EXPECT_TRUE(desk_->Get(id, "3301960002", kCustoms).ok());
  EXPECT_TRUE(desk_->Get(id, "3301960004", kCustoms).ok());
  EXPECT_EQ(desk_->Get(id, "4401960009", kCustoms).status().code(), absl::StatusCode::kNotFound);
  v1::SubmitCaseRequest submit;
  submit.set_case_id(id);
  submit.set_enterprise_code("4401960009");
  EXPECT_EQ(desk_->Submit(submit, kDeclarant).status().code(), absl::StatusCode::kNotFound);
  v1::ListCasesRequest list;
  list.set_enterprise_code("4401960009");
  EXPECT_EQ(desk_->List(list, kCustoms)->cases_size(), 0);
  list.set_enterprise_code("3301960001");
  EXPECT_EQ(desk_->List(list, kCustoms)->cases_size(), 1);
}

TEST_P(ClearanceDeskTest, TaxBillsForImportAndRefundEligibleExportCases) {
  PARKLINE_REQUIRE_CEB_REFERENCE("xsd/ceb-export.xsd");
  std::string imp = OpenFromDeclaration(dv1::DIRECTION_IMPORT, "9610", 9);
  v1::RecordTaxBillRequest bill;
  bill.set_case_id(imp);
  bill.set_tax_no("TAX-9");
  bill.set_status("1");
  bill.set_value_added_tax("12.74");
  bill.set_consumption_tax("3.64");
  auto c = desk_->RecordTaxBill(bill, kCustoms);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->tax_bill().status(), v1::TAX_BILL_STATUS_GENERATED);
  EXPECT_EQ(c->tax_bill().total(), "16.38000");
  EXPECT_EQ(c->estimated_tax_cny(), "16.38000");
  bill.set_status("9");
  bill.set_customs_tax("-1");
  EXPECT_EQ(errors::ViolationsOf(desk_->RecordTaxBill(bill, kCustoms).status()).size(), 2u);

  std::string exp = OpenFromDeclaration(dv1::DIRECTION_EXPORT, "9610", 10);
  bill.set_case_id(exp);
  bill.set_status("1");
  bill.set_customs_tax("0");
  EXPECT_EQ(desk_->RecordTaxBill(bill, kCustoms).status().code(),
            absl::StatusCode::kFailedPrecondition);
  auto requirements = [](const std::string& mode) {
    return std::vector<std::string>{"needs for " + mode};
  };
  EXPECT_EQ(desk_->RefundEligible({}, requirements, kCustoms)->cases_size(), 0);
  Submit(exp, 10, "B");  // consolidated: refundable
  auto message = desk_->Message(exp, "", kCustoms);
  ASSERT_TRUE(message.ok());
  EXPECT_EQ(message->message_type(), "CEB603");
  EXPECT_TRUE(
      ceb::ValidateAgainstXsd(message->xml(), testing::CebReference("xsd/ceb-export.xsd")).ok());
  for (auto [code, second] : {std::pair{"2", 1}, {"120", 2}, {"399", 3}, {"800", 4}}) {
    Apply(exp, code, second);
  }
  auto eligible = desk_->RefundEligible({}, requirements, kCustoms);
  ASSERT_TRUE(eligible.ok());
  ASSERT_EQ(eligible->cases_size(), 1);
  EXPECT_EQ(eligible->cases(0).clearance_case().case_id(), exp);
  EXPECT_EQ(eligible->cases(0).requirements(0), "needs for 9610");
  EXPECT_TRUE(eligible->cases(0).eligible());
  EXPECT_NE(eligible->cases(0).reason().find("statisticsFlag B"), std::string::npos);

  // A released 9710 declared by inventory only is not refundable: left out, or listed with why.
  std::string b2b = OpenFromDeclaration(dv1::DIRECTION_EXPORT, "9710", 11);
  Submit(b2b, 11, "B");
  for (auto [code, second] : {std::pair{"2", 1}, {"120", 2}, {"399", 3}, {"800", 4}}) {
    Apply(b2b, code, second);
  }
  eligible = desk_->RefundEligible({}, requirements, kCustoms);
  ASSERT_TRUE(eligible.ok());
  ASSERT_EQ(eligible->cases_size(), 1);
  EXPECT_EQ(eligible->cases(0).clearance_case().case_id(), exp);
  v1::ListRefundEligibleRequest all;
  all.set_include_ineligible(true);
  eligible = desk_->RefundEligible(all, requirements, kCustoms);
  ASSERT_TRUE(eligible.ok());
  ASSERT_EQ(eligible->cases_size(), 2);
  for (const auto& c : eligible->cases()) {
    bool is_b2b = c.clearance_case().case_id() == b2b;
    EXPECT_EQ(c.eligible(), !is_b2b);
    if (is_b2b) {
      EXPECT_NE(c.reason().find("customs_declaration_no"), std::string::npos);
    }
  }
}

TEST_P(ClearanceDeskTest, ListsPage) {
  for (int n = 20; n < 25; ++n) OpenFromDeclaration(dv1::DIRECTION_IMPORT, "9610", n);
  v1::ListCasesRequest list;
  list.mutable_page()->set_page_size(2);
  std::set<std::string> seen;
  for (int pages = 0; pages < 5; ++pages) {
    auto page = desk_->List(list, kCustoms);
    ASSERT_TRUE(page.ok());
    for (const auto& c : page->cases()) seen.insert(c.case_id());
    if (page->next_page_token().empty()) break;
    list.mutable_page()->set_page_token(page->next_page_token());
  }
  EXPECT_EQ(seen.size(), 5u);
  list.mutable_page()->set_page_token("!!");
  EXPECT_EQ(desk_->List(list, kCustoms).status().code(), absl::StatusCode::kInvalidArgument);
}

// The consumer on the real broker: DeclarationMatched events (one sent twice, one of another
// type) open one case per declaration.
TEST_P(ClearanceDeskTest, DeclarationMatchedOnKafkaOpensOneCasePerDeclaration) {
  // The service's topic, under a prefix of this test's own.
  std::string prefix = testing::UniqueTopic("clearance-declarations") + ".";
  std::string topic = prefix + "parkline.declarations.v1";
  ASSERT_TRUE(testing::CreateTopic(topic, 3).ok());
  auto producer = events::KafkaProducer::Create(testing::KafkaBrokers());
  ASSERT_TRUE(producer.ok()) << producer.status();
  std::vector<events::Envelope> sent;
  for (int n = 30; n < 33; ++n) {
    dv1::DeclarationMatched m;
    *m.mutable_declaration() = SampleDeclaration(dv1::DIRECTION_IMPORT, "9610", n);
    sent.push_back(events::NewEvent(topic, "/parkline/declarations", m.declaration().order_key(), m,
                                    absl::Now()));
  }
  sent.push_back(sent[0]);  // redelivered
  dv1::DeclarationRejected rejected;
  *rejected.mutable_declaration() = SampleDeclaration(dv1::DIRECTION_IMPORT, "9610", 99);
  sent.push_back(events::NewEvent(topic, "/parkline/declarations", "x", rejected, absl::Now()));
  for (size_t i = 0; i < sent.size(); ++i) {
    ASSERT_TRUE((*producer)->Produce(events::ToRecord(sent[i]), i).ok());
  }
  for (const auto& d : (*producer)->Flush(absl::Seconds(20))) ASSERT_TRUE(d.status.ok());

  events::ConsumerOptions options;
  options.brokers = testing::KafkaBrokers();
  options.group_id = testing::UniqueTopic("clearance-group");
  options.topic_prefix = prefix;
  events::EventConsumer consumer(*db_, options);
  FollowDeclarations(consumer, *desk_);
  ASSERT_TRUE(consumer.Start().ok());
  absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (absl::Now() < deadline && desk_->List({}, kCustoms)->cases_size() < 3) {
    absl::SleepFor(absl::Milliseconds(100));
  }
  absl::SleepFor(absl::Seconds(1));  // a second case for the redelivered event would show by now
  consumer.Stop();
  auto cases = desk_->List({}, kCustoms);
  ASSERT_EQ(cases->cases_size(), 3);
  std::set<std::string> keys;
  for (const auto& c : cases->cases()) keys.insert(c.order_key());
  EXPECT_EQ(keys,
            (std::set<std::string>{"3301960001/ORD-30", "3301960001/ORD-31", "3301960001/ORD-32"}));
}

}  // namespace
}  // namespace parkline::clearance
