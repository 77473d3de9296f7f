// The buyer's identity at rest in the clearance service (#18, item 5), over gRPC on both backends:
// no table holds the buyer's ID number, name, telephone or address in clear (every table's raw
// rows scanned, the outbox included, customs' quoting of them too); a key rotation keeps cases
// and their inventory messages readable with the new key alone; rows from before migration 3 are
// sealed at start; the retention pass erases the identity and the message of cases done with
// customs only, and the case itself stays.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "auth/sha256.h"
#include "clearance/access_policy.h"
#include "clearance/clearance_desk.h"
#include "clearance/clearance_service.h"
#include "clearance/guidance.h"
#include "clearance/inventory_rules.h"
#include "clearance/sample_cases.h"
#include "clearance/schema.h"
#include "google/protobuf/util/time_util.h"
#include "store/group_commit.h"
#include "tests/support/access_matrix.h"
#include "tests/support/backend_test.h"
#include "tests/support/plaintext_scan.h"

namespace parkline::clearance {
namespace {

namespace dv1 = ::parkline::declarations::v1;

constexpr char kPlatform[] = "3301960001";
constexpr char kEnterprise[] = "3301960002";
constexpr char kAgent[] = "3301960003";
constexpr char kLogistics[] = "3301960004";

const std::vector<testing::TestCaller>& Callers() {
  static const auto* callers = new std::vector<testing::TestCaller>{
      {"t-customs", "customs", "customs-gateway", "", "", ""},
      {"t-agent", "agent", "enterprise", testing::NumberedUscc(2), kAgent, ""},
      {"t-admin", "admin", "park-admin", "", "", ""},
  };
  return *callers;
}

class ClearancePersonalDataTest : public testing::BackendTest<ApplySchema> {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    writer_ = std::make_unique<store::GroupCommitter>(*db_);
    auto book = LoadGuidanceBook();
    ASSERT_TRUE(book.ok());
    book_ = *book;
    Serve(secrets::KeyRing::Generate("k1"));
    v1::GrantMandateRequest grant;
    grant.set_ebc_code(kEnterprise);
    grant.set_agent_code(kAgent);
    *grant.mutable_valid_from() = google::protobuf::util::TimeUtil::GetCurrentTime();
    grant.mutable_valid_until()->set_seconds(grant.valid_from().seconds() + 86400);
    Viewer admin;
    admin.admin = true;
    auto granted = desk_->GrantMandate(grant, admin);
    ASSERT_TRUE(granted.ok()) << granted.status();
  }

  // The service on `keys`, as a restart with that key file would have it (rotation included).
  void Serve(secrets::KeyRing keys) {
    server_.reset();
    keys_ = keys;
    desk_ = std::make_unique<ClearanceDesk>(*db_, *writer_, signer_, DeskOptions{}, nullptr,
                                            std::move(keys));
    auto rotated = desk_->RotatePersonalData();
    ASSERT_TRUE(rotated.ok()) << rotated.status();
    rotation_ = *rotated;
    auto server = testing::PolicyServer::Start(
        dir_.path(), AccessPolicy(), Callers(), [&](const auth::Authorizer& a) {
          return std::make_unique<ClearanceService>(*desk_, book_, a);
        });
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    stub_ = v1::ClearanceService::NewStub(server_->channel());
  }

  std::unique_ptr<grpc::ClientContext> As(const std::string& caller) {
    auto ctx = std::make_unique<grpc::ClientContext>();
    ctx->AddMetadata("authorization", "Bearer t-" + caller);
    return ctx;
  }

  static v1::Inventory Inventory(int n) {
    InventoryDefaults defaults;
    defaults.agent_code = kAgent;
    defaults.agent_name = "示例报关 Sample Agent";
    SampleCodes codes;
    codes.platform = kPlatform;
    codes.enterprise = kEnterprise;
    codes.logistics = kLogistics;
    v1::Inventory i = CompleteDraft(
        DraftFromDeclaration(SampleDeclaration(dv1::DIRECTION_IMPORT, "9610", n, codes), defaults),
        dv1::DIRECTION_IMPORT, n);
    i.set_cop_no(absl::StrCat("COP", n));
    return i;
  }

  // Opens and submits a case as the declaring agent; returns it as the agent sees it.
  v1::ClearanceCase OpenAndSubmit(int n) {
    v1::OpenCaseRequest open;
    open.set_business_mode("9610");
    open.set_direction(dv1::DIRECTION_IMPORT);
    *open.mutable_inventory() = Inventory(n);
    v1::ClearanceCase opened;
    grpc::Status s = stub_->OpenCase(As("agent").get(), open, &opened);
    EXPECT_TRUE(s.ok()) << s.error_message();
    v1::SubmitCaseRequest submit;
    submit.set_case_id(opened.case_id());
    submit.set_enterprise_code(kAgent);
    v1::ClearanceCase submitted;
    s = stub_->SubmitCase(As("agent").get(), submit, &submitted);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return submitted;
  }

  // Customs' receipt `code` for the case, its info quoting `info`.
  void Receipt(const std::string& case_id, const std::string& code, int second,
               const std::string& info = "") {
    v1::CustomsReceipt r;
    r.set_guid(case_id);
    r.set_return_status(code);
    r.set_return_time(absl::StrCat("202503011200", second < 10 ? "0" : "", second, "000"));
    r.set_return_info(info);
    auto applied = desk_->RecordReceipt(r);
    ASSERT_TRUE(applied.ok()) << applied.status();
  }

  grpc::Status Get(const std::string& case_id, v1::ClearanceCase* out) {
    v1::GetCaseRequest r;
    r.set_case_id(case_id);
    r.set_enterprise_code(kAgent);
    return stub_->GetCase(As("agent").get(), r, out);
  }

  grpc::Status Message(const std::string& case_id, v1::InventoryMessage* out) {
    v1::GetInventoryMessageRequest r;
    r.set_case_id(case_id);
    return stub_->GetInventoryMessage(As("customs").get(), r, out);
  }

  void ExpectIdentityNowhereInClear(const v1::Inventory& i) {
    testing::ExpectNowhereInClear(*db_, "the buyer's ID number", i.buyer_id_number());
    testing::ExpectNowhereInClear(*db_, "the buyer's name", i.buyer_name());
    testing::ExpectNowhereInClear(*db_, "the buyer's telephone", i.buyer_telephone());
    testing::ExpectNowhereInClear(*db_, "the consignee's address", i.consignee_address());
  }

  std::vector<std::string> Column(const std::string& sql) { return testing::ColumnOf(*db_, sql); }

  testing::TempDir dir_;
  secrets::KeyRing keys_;
  std::unique_ptr<store::GroupCommitter> writer_;
  UnsignedSigner signer_;
  v1::GuidanceBook book_;
  std::unique_ptr<ClearanceDesk> desk_;
  ClearanceDesk::Rotation rotation_;
  std::unique_ptr<testing::PolicyServer> server_;
  std::unique_ptr<v1::ClearanceService::Stub> stub_;
};

PARKLINE_BACKEND_TESTS(ClearancePersonalDataTest);

TEST_P(ClearancePersonalDataTest, NoTableHoldsTheBuyersIdentityInClearYetEveryReadIsWhole) {
  v1::ClearanceCase c = OpenAndSubmit(1);
  const v1::Inventory& i = c.inventory();
  ASSERT_FALSE(c.buyer_identity_masked());
  // Customs quoting the identity back: stored and published redacted.
  Receipt(c.case_id(), "2", 1,
          absl::StrCat("订购人", i.buyer_name(), " ", i.buyer_id_number(), " ", i.buyer_telephone(),
                       " ", i.consignee_address()));
  ExpectIdentityNowhereInClear(i);
  EXPECT_EQ(Column("SELECT personal_key_id FROM clearance_cases"), std::vector<std::string>{"k1"});
  EXPECT_EQ(Column("SELECT message_key_id FROM clearance_cases"), std::vector<std::string>{"k1"});
  EXPECT_EQ(Column("SELECT message FROM clearance_cases"), std::vector<std::string>{"NULL"});

  v1::ClearanceCase read;
  ASSERT_TRUE(Get(c.case_id(), &read).ok());
  EXPECT_EQ(read.inventory().SerializeAsString(), i.SerializeAsString());
  v1::ListCasesRequest list;
  list.set_enterprise_code(kAgent);
  v1::ListCasesResponse listed;
  ASSERT_TRUE(stub_->ListCases(As("agent").get(), list, &listed).ok());
  ASSERT_EQ(listed.cases_size(), 1);
  EXPECT_EQ(listed.cases(0).inventory().buyer_id_number(), i.buyer_id_number());
  v1::InventoryMessage message;
  ASSERT_TRUE(Message(c.case_id(), &message).ok());
  EXPECT_TRUE(absl::StrContains(message.xml(), i.buyer_id_number()));
  EXPECT_EQ(Column("SELECT message_sha256 FROM clearance_cases"),
            std::vector<std::string>{auth::Sha256Hex(message.xml())});
}

TEST_P(ClearancePersonalDataTest, ARotatedKeyKeepsCasesAndMessagesReadableWithTheNewKeyAlone) {
  v1::ClearanceCase c = OpenAndSubmit(1);
  auto rotated = keys_.WithNewActiveKey("k2");
  ASSERT_TRUE(rotated.ok());
  Serve(*rotated);
  EXPECT_EQ(rotation_.cases, 1);
  EXPECT_EQ(rotation_.cases_left, 0);
  EXPECT_EQ(Column("SELECT personal_key_id FROM clearance_cases"), std::vector<std::string>{"k2"});
  EXPECT_EQ(Column("SELECT message_key_id FROM clearance_cases"), std::vector<std::string>{"k2"});
  // Without the old key in the ring: everything opens under the new one.
  auto parsed = secrets::KeyRing::Parse(
      absl::StrCat(R"({"active": "k2", "keys": [{"id": "k2", "hex": ")",
                   absl::BytesToHexString(rotated->Find("k2")->bytes), R"("}]})"));
  ASSERT_TRUE(parsed.ok());
  Serve(*parsed);
  EXPECT_EQ(rotation_.cases, 0);
  v1::ClearanceCase read;
  ASSERT_TRUE(Get(c.case_id(), &read).ok());
  EXPECT_EQ(read.inventory().SerializeAsString(), c.inventory().SerializeAsString());
  v1::InventoryMessage message;
  ASSERT_TRUE(Message(c.case_id(), &message).ok());
  EXPECT_TRUE(absl::StrContains(message.xml(), c.inventory().buyer_id_number()));
  ExpectIdentityNowhereInClear(c.inventory());
}

TEST_P(ClearancePersonalDataTest, AKeyGoneFromTheRingLeavesTheCaseAsItIsAndSaysSo) {
  v1::ClearanceCase c = OpenAndSubmit(1);
  Serve(secrets::KeyRing::Generate("other"));
  EXPECT_EQ(rotation_.cases, 0);
  EXPECT_EQ(rotation_.cases_left, 1);
  EXPECT_EQ(Column("SELECT personal_key_id FROM clearance_cases"), std::vector<std::string>{"k1"});
  v1::ClearanceCase read;
  EXPECT_FALSE(Get(c.case_id(), &read).ok());
}

TEST_P(ClearancePersonalDataTest, RowsFromBeforeSealingAreSealedAtStart) {
  v1::ClearanceCase c = OpenAndSubmit(1);
  v1::InventoryMessage message;
  ASSERT_TRUE(Message(c.case_id(), &message).ok());
  // As migration 3 leaves a database written before it: the whole case in the payload, the
  // message in clear in its old column.
  v1::ClearanceCase whole = c;
  whole.set_buyer_identity_masked(false);
  ASSERT_TRUE(db_->Transact([&](store::Transaction& tx) {
                   return tx
                       .Execute(
                           "UPDATE clearance_cases SET payload = $1, personal_key_id = '-', "
                           "personal = NULL, message = $2, message_key_id = NULL, "
                           "sealed_message = NULL, message_sha256 = NULL",
                           {store::Blob{whole.SerializeAsString()}, message.xml()})
                       .status();
                 })
                  .ok());
  Serve(keys_);
  EXPECT_EQ(rotation_.cases, 1);
  ExpectIdentityNowhereInClear(c.inventory());
  EXPECT_EQ(Column("SELECT message_sha256 FROM clearance_cases"),
            std::vector<std::string>{auth::Sha256Hex(message.xml())});
  v1::ClearanceCase read;
  ASSERT_TRUE(Get(c.case_id(), &read).ok());
  EXPECT_EQ(read.inventory().SerializeAsString(), c.inventory().SerializeAsString());
  v1::InventoryMessage again;
  ASSERT_TRUE(Message(c.case_id(), &again).ok());
  EXPECT_EQ(again.xml(), message.xml());
}

TEST_P(ClearancePersonalDataTest, RetentionErasesOnlyCasesDoneWithCustomsAndKeepsTheCase) {
  v1::ClearanceCase released = OpenAndSubmit(1);
  for (auto [code, second] :
       std::vector<std::pair<std::string, int>>{{"2", 1}, {"120", 2}, {"399", 3}, {"800", 4}}) {
    Receipt(released.case_id(), code, second);
  }
  v1::ClearanceCase pending = OpenAndSubmit(2);
  Receipt(pending.case_id(), "2", 1);
  v1::InventoryMessage sent;
  ASSERT_TRUE(Message(released.case_id(), &sent).ok());

  // Not yet: the released case changed less than the retention period ago.
  auto none = desk_->ErasePersonalData(absl::Hours(24), absl::Now());
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_EQ(*none, 0);
  // Past it: only the released case is erased.
  auto erased = desk_->ErasePersonalData(absl::Hours(24), absl::Now() + absl::Hours(25));
  ASSERT_TRUE(erased.ok()) << erased.status();
  EXPECT_EQ(*erased, 1);
  EXPECT_EQ(*desk_->ErasePersonalData(absl::Hours(24), absl::Now() + absl::Hours(25)), 0);

  v1::ClearanceCase read;
  ASSERT_TRUE(Get(released.case_id(), &read).ok());
  EXPECT_EQ(read.status(), v1::CASE_STATUS_RELEASED);
  EXPECT_EQ(read.inventory().buyer_id_number(), "");
  EXPECT_EQ(read.inventory().buyer_name(), "");
  EXPECT_EQ(read.inventory().lines_size(), released.inventory().lines_size());
  EXPECT_EQ(read.value_cny(), released.value_cny());
  EXPECT_EQ(read.receipts_size(), 4);
  v1::InventoryMessage gone;
  grpc::Status s = Message(released.case_id(), &gone);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_TRUE(absl::StrContains(s.error_message(), auth::Sha256Hex(sent.xml())))
      << s.error_message();
  testing::ExpectNowhereInClear(*db_, "the released buyer's ID number",
                                released.inventory().buyer_id_number());

  // The case still with customs keeps its identity and its message.
  ASSERT_TRUE(Get(pending.case_id(), &read).ok());
  EXPECT_EQ(read.inventory().buyer_id_number(), pending.inventory().buyer_id_number());
  v1::InventoryMessage kept;
  EXPECT_TRUE(Message(pending.case_id(), &kept).ok());
  // A late receipt on the erased case still applies (it needs no identity).
  Receipt(released.case_id(), "899", 5);
  ASSERT_TRUE(Get(released.case_id(), &read).ok());
  EXPECT_EQ(read.status(), v1::CASE_STATUS_CLOSED);
}

}  // namespace
}  // namespace parkline::clearance
