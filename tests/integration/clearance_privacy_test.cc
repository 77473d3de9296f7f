// Who sees the buyer's identity on a clearance case, role by role and party by party, over a
// real gRPC server on SQLite and PostgreSQL: customs, the e-commerce enterprise and its declaring
// agent see it in full; the platform, the logistics enterprise, park staff and the park admin see
// it masked, on every RPC that returns a case or its inventory message; an outsider does not see
// the case, carriers and analysts may not ask. A masked identity sent back is refused and changes
// nothing; no event carries the identity.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "ceb/xsd_validator.h"
#include "clearance/access_policy.h"
#include "clearance/clearance_desk.h"
#include "clearance/clearance_service.h"
#include "clearance/guidance.h"
#include "clearance/inventory_rules.h"
#include "clearance/sample_cases.h"
#include "clearance/schema.h"
#include "errors/violations.h"
#include "events/outbox.h"
#include "events/schema.h"
#include "google/protobuf/util/time_util.h"
#include "runtime/grpc_status.h"
#include "store/group_commit.h"
#include "tests/support/access_matrix.h"
#include "tests/support/backend_test.h"
#include "tests/support/ceb_reference.h"
#include "tests/support/test_env.h"

namespace parkline::clearance {
namespace {

namespace dv1 = ::parkline::declarations::v1;

constexpr char kPlatform[] = "3301960001";
constexpr char kEnterprise[] = "3301960002";
constexpr char kAgent[] = "3301960003";
constexpr char kLogistics[] = "3301960004";
constexpr char kOutsider[] = "4401960009";

constexpr char kIdNumber[] = "110101199003070014";  // the sample buyer's (CompleteDraft)
constexpr char kMaskedIdNumber[] = "**************0014";

// The callers: a name, a role, and for an enterprise the customs code it declares under.
const std::vector<testing::TestCaller>& Callers() {
  static const auto* callers = new std::vector<testing::TestCaller>{
      {"t-customs", "customs", "customs-gateway", "", "", ""},
      {"t-ecommerce", "ecommerce", "enterprise", testing::NumberedUscc(1), kEnterprise, ""},
      {"t-agent", "agent", "enterprise", testing::NumberedUscc(2), kAgent, ""},
      {"t-platform", "platform", "enterprise", testing::NumberedUscc(3), kPlatform, ""},
      {"t-logistics", "logistics", "enterprise", testing::NumberedUscc(4), kLogistics, ""},
      {"t-outsider", "outsider", "enterprise", testing::NumberedUscc(5), kOutsider, ""},
      {"t-staff", "staff", "park-staff", "", "", ""},
      {"t-admin", "admin", "park-admin", "", "", ""},
      {"t-carrier", "carrier", "carrier", "", "", kLogistics},
      {"t-analyst", "analyst", "analyst", "", "", ""},
  };
  return *callers;
}

const testing::TestCaller& CallerNamed(const std::string& name) {
  for (const auto& c : Callers()) {
    if (c.name == name) return c;
  }
  ADD_FAILURE() << "no caller " << name;
  return Callers().front();
}

// What a caller gets: "full", "masked", or the gRPC code of the refusal.
const std::map<std::string, std::string> kExpected = {
    {"customs", "full"},
    {"ecommerce", "full"},
    {"agent", "full"},
    {"platform", "masked"},
    {"logistics", "masked"},
    {"outsider", "NOT_FOUND"},
    {"staff", "masked"},
    {"admin", "masked"},
    {"carrier", "PERMISSION_DENIED"},
    {"analyst", "PERMISSION_DENIED"},
};

std::string CodeName(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::NOT_FOUND:
      return "NOT_FOUND";
    case grpc::StatusCode::PERMISSION_DENIED:
      return "PERMISSION_DENIED";
    default:
      return absl::StrCat("code ", static_cast<int>(code));
  }
}

// "full" or "masked" by the whole identity, or what else it is.
std::string Shown(const v1::ClearanceCase& c) {
  const v1::Inventory& i = c.inventory();
  if (i.buyer_id_number() == kIdNumber && i.buyer_name() == "买家1" &&
      i.buyer_telephone() == "13800000000" && i.consignee_address() == "福建省福州市示例路1号" &&
      !c.buyer_identity_masked()) {
    return "full";
  }
  if (i.buyer_id_number() == kMaskedIdNumber && i.buyer_name() == "买**" &&
      i.buyer_telephone() == "*******0000" && i.consignee_address() == "****" &&
      c.buyer_identity_masked()) {
    return "masked";
  }
  return absl::StrCat("unexpected: ", i.ShortDebugString());
}

std::string Shown(const v1::InventoryMessage& m) {
  const std::string& xml = m.xml();
  bool clear = xml.find(kIdNumber) != std::string::npos ||
               xml.find("13800000000") != std::string::npos ||
               xml.find("示例路") != std::string::npos;
  bool masked = xml.find(absl::StrCat("<ceb:buyerIdNumber>", kMaskedIdNumber)) != std::string::npos;
  if (clear && !masked && !m.buyer_identity_masked()) return "full";
  if (!clear && masked && m.buyer_identity_masked()) return "masked";
  return absl::StrCat("unexpected: ", xml);
}

class ClearancePrivacyTest : public testing::BackendTest<ApplySchema> {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    writer_ = std::make_unique<store::GroupCommitter>(*db_);
    desk_ = std::make_unique<ClearanceDesk>(*db_, *writer_, signer_, DeskOptions{}, nullptr,
                                            secrets::KeyRing::Generate("test-1"));
    auto book = LoadGuidanceBook();
    ASSERT_TRUE(book.ok());
    book_ = *book;
    auto server = testing::PolicyServer::Start(
        dir_.path(), AccessPolicy(), Callers(), [&](const auth::Authorizer& a) {
          return std::make_unique<ClearanceService>(*desk_, book_, a);
        });
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    stub_ = v1::ClearanceService::NewStub(server_->channel());
    // The agent declares for the e-commerce enterprise under its mandate.
    v1::GrantMandateRequest grant;
    grant.set_ebc_code(kEnterprise);
    grant.set_agent_code(kAgent);
    *grant.mutable_valid_from() = google::protobuf::util::TimeUtil::GetCurrentTime();
    grant.mutable_valid_until()->set_seconds(grant.valid_from().seconds() + 86400);
    auto granted = desk_->GrantMandate(grant, Admin());
    ASSERT_TRUE(granted.ok()) << granted.status();
  }

  static Viewer Admin() {
    Viewer v;
    v.admin = true;
    v.park_staff = true;
    return v;
  }

  // A context for `caller`, and the party code it names in a request ("" for the park's roles).
  std::unique_ptr<grpc::ClientContext> As(const std::string& caller) {
    auto ctx = std::make_unique<grpc::ClientContext>();
    ctx->AddMetadata("authorization", "Bearer " + CallerNamed(caller).token);
    return ctx;
  }
  static std::string CodeOf(const std::string& caller) { return CallerNamed(caller).customs_code; }

  // The sample's inventory, completed, with the parties of this test (agent included).
  static v1::Inventory Inventory(dv1::Direction direction, int n) {
    InventoryDefaults defaults;
    defaults.agent_code = kAgent;
    defaults.agent_name = "示例报关 Sample Agent";
    SampleCodes codes;
    codes.platform = kPlatform;
    codes.enterprise = kEnterprise;
    codes.logistics = kLogistics;
    v1::Inventory i = CompleteDraft(
        DraftFromDeclaration(SampleDeclaration(direction, "9610", n, codes), defaults), direction,
        n);
    i.set_cop_no(absl::StrCat("COP", n));
    return i;
  }

  // Opens a case as the declaring agent (who sees what it sent in full); returns its id.
  std::string OpenAsAgent(const v1::Inventory& inventory, dv1::Direction direction) {
    v1::OpenCaseRequest open;
    open.set_business_mode("9610");
    open.set_direction(direction);
    *open.mutable_inventory() = inventory;
    v1::ClearanceCase out;
    grpc::Status s = stub_->OpenCase(As("agent").get(), open, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    EXPECT_EQ(Shown(out), "full");
    return out.case_id();
  }

  std::string Get(const std::string& caller, const std::string& case_id) {
    v1::GetCaseRequest r;
    r.set_case_id(case_id);
    r.set_enterprise_code(CodeOf(caller));
    v1::ClearanceCase out;
    grpc::Status s = stub_->GetCase(As(caller).get(), r, &out);
    return s.ok() ? Shown(out) : CodeName(s.error_code());
  }

  testing::TempDir dir_;
  std::unique_ptr<store::GroupCommitter> writer_;
  UnsignedSigner signer_;
  std::unique_ptr<ClearanceDesk> desk_;
  v1::GuidanceBook book_;
  std::unique_ptr<testing::PolicyServer> server_;
  std::unique_ptr<v1::ClearanceService::Stub> stub_;
};

PARKLINE_BACKEND_TESTS(ClearancePrivacyTest);

TEST_P(ClearancePrivacyTest, EachCallerSeesTheBuyerAsItsRoleAndPartyAllow) {
  const std::string id = OpenAsAgent(Inventory(dv1::DIRECTION_IMPORT, 1), dv1::DIRECTION_IMPORT);
  ASSERT_FALSE(id.empty());

  for (const auto& [caller, expected] : kExpected) {
    SCOPED_TRACE(caller);
    EXPECT_EQ(Get(caller, id), expected) << "GetCase";

    v1::ListCasesRequest list;
    list.set_enterprise_code(CodeOf(caller));
    v1::ListCasesResponse listed;
    grpc::Status s = stub_->ListCases(As(caller).get(), list, &listed);
    if (expected == "PERMISSION_DENIED") {
      EXPECT_EQ(CodeName(s.error_code()), expected) << "ListCases";
    } else if (expected == "NOT_FOUND") {
      ASSERT_TRUE(s.ok()) << s.error_message();
      EXPECT_EQ(listed.cases_size(), 0) << "ListCases";
    } else {
      ASSERT_TRUE(s.ok()) << s.error_message();
      ASSERT_EQ(listed.cases_size(), 1);
      EXPECT_EQ(Shown(listed.cases(0)), expected) << "ListCases";
    }
  }
}

TEST_P(ClearancePrivacyTest, TheInventoryMessageAsSentOnlyToCustomsAndTheDeclarant) {
  PARKLINE_REQUIRE_CEB_REFERENCE("xsd/ceb-import.xsd");
  const std::string id = OpenAsAgent(Inventory(dv1::DIRECTION_IMPORT, 1), dv1::DIRECTION_IMPORT);
  v1::SubmitCaseRequest submit;
  submit.set_case_id(id);
  submit.set_enterprise_code(kEnterprise);
  v1::ClearanceCase submitted;
  grpc::Status s = stub_->SubmitCase(As("ecommerce").get(), submit, &submitted);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(Shown(submitted), "full");

  for (const auto& [caller, expected] : kExpected) {
    SCOPED_TRACE(caller);
    v1::GetInventoryMessageRequest r;
    r.set_case_id(id);
    r.set_enterprise_code(CodeOf(caller));
    v1::InventoryMessage message;
    s = stub_->GetInventoryMessage(As(caller).get(), r, &message);
    EXPECT_EQ(s.ok() ? Shown(message) : CodeName(s.error_code()), expected);
    // Masked or not, it is a CEB621 the XSD accepts.
    if (s.ok()) {
      absl::Status valid =
          ceb::ValidateAgainstXsd(message.xml(), testing::CebReference("xsd/ceb-import.xsd"));
      EXPECT_TRUE(valid.ok()) << valid;
    }
  }

  // Customs' tax bill answers customs in full, the park admin masked.
  for (const std::string caller : {"customs", "admin"}) {
    v1::RecordTaxBillRequest bill;
    bill.set_case_id(id);
    bill.set_tax_no("T-1");
    bill.set_status("1");
    v1::ClearanceCase out;
    s = stub_->RecordTaxBill(As(caller).get(), bill, &out);
    ASSERT_TRUE(s.ok()) << s.error_message();
    EXPECT_EQ(Shown(out), kExpected.at(caller)) << caller;
  }

  // No event carries the identity, in clear or masked.
  auto pending = db_->Read([&](store::Transaction& tx) -> absl::Status {
    auto rows = events::ReadPending(tx, 1000);
    if (!rows.ok()) return rows.status();
    EXPECT_FALSE(rows->empty());
    for (const auto& row : *rows) {
      for (const std::string identity :
           {kIdNumber, kMaskedIdNumber, "13800000000", "买家1", "示例路"}) {
        EXPECT_EQ(row.envelope.payload.find(identity), std::string::npos) << row.envelope.type;
      }
    }
    return absl::OkStatus();
  });
  EXPECT_TRUE(pending.ok()) << pending;
}

TEST_P(ClearancePrivacyTest, AMaskedIdentitySentBackIsRefusedAndChangesNothing) {
  const std::string id = OpenAsAgent(Inventory(dv1::DIRECTION_IMPORT, 1), dv1::DIRECTION_IMPORT);
  // The park admin (who may submit, and sees the identity masked) completes a field and sends
  // back what it was shown.
  v1::GetCaseRequest get;
  get.set_case_id(id);
  v1::ClearanceCase shown;
  ASSERT_TRUE(stub_->GetCase(As("admin").get(), get, &shown).ok());
  ASSERT_EQ(Shown(shown), "masked");
  v1::SubmitCaseRequest submit;
  submit.set_case_id(id);
  *submit.mutable_inventory() = shown.inventory();
  submit.mutable_inventory()->set_note("gift");
  v1::ClearanceCase out;
  // The platform, also shown the mask, may not submit at all.
  v1::SubmitCaseRequest by_platform = submit;
  by_platform.set_enterprise_code(kPlatform);
  EXPECT_EQ(stub_->SubmitCase(As("platform").get(), by_platform, &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  grpc::Status s = stub_->SubmitCase(As("admin").get(), submit, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << s.error_message();
  std::vector<std::string> masked;
  for (const auto& v : errors::ViolationsOf(runtime::FromGrpcStatus(s))) {
    if (v.reason == "MASKED") masked.push_back(v.field);
  }
  EXPECT_EQ(masked,
            (std::vector<std::string>{"inventory.buyer_name", "inventory.buyer_id_number",
                                      "inventory.buyer_telephone", "inventory.consignee_address"}));
  EXPECT_EQ(Get("customs", id), "full");

  // Submitting the stored inventory as it is works, and still shows the admin the mask; what
  // went to customs is the identity in full.
  submit.clear_inventory();
  s = stub_->SubmitCase(As("admin").get(), submit, &out);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(Shown(out), "masked");
  v1::GetInventoryMessageRequest r;
  r.set_case_id(id);
  v1::InventoryMessage sent;
  ASSERT_TRUE(stub_->GetInventoryMessage(As("customs").get(), r, &sent).ok());
  EXPECT_EQ(Shown(sent), "full");
}

TEST_P(ClearancePrivacyTest, RefundEligibleExportCasesAreShapedToo) {
  v1::Inventory inventory = Inventory(dv1::DIRECTION_EXPORT, 2);
  // An export inventory has no buyer elements, but a case may still hold what was given.
  inventory.set_buyer_id_number(kIdNumber);
  inventory.set_buyer_name("买家1");
  inventory.set_buyer_telephone("13800000000");
  inventory.set_consignee_address("福建省福州市示例路1号");
  inventory.set_statistics_flag("B");  // consolidated: refundable
  const std::string id = OpenAsAgent(inventory, dv1::DIRECTION_EXPORT);
  v1::SubmitCaseRequest submit;
  submit.set_case_id(id);
  ASSERT_TRUE(desk_->Submit(submit, Admin()).ok());
  for (auto [code, second] : {std::pair{"2", 1}, {"120", 2}, {"399", 3}, {"800", 4}}) {
    v1::CustomsReceipt receipt;
    receipt.set_guid(id);
    receipt.set_return_status(code);
    receipt.set_return_time(absl::StrCat("2025030112000", second, "000"));
    ASSERT_TRUE(desk_->RecordReceipt(receipt).ok()) << code;
  }

  for (const std::string caller : {"ecommerce", "agent", "platform", "staff", "admin"}) {
    v1::ListRefundEligibleRequest r;
    r.set_enterprise_code(CodeOf(caller));
    v1::ListRefundEligibleResponse out;
    grpc::Status s = stub_->ListRefundEligible(As(caller).get(), r, &out);
    ASSERT_TRUE(s.ok()) << caller << ": " << s.error_message();
    ASSERT_EQ(out.cases_size(), 1) << caller;
    EXPECT_EQ(Shown(out.cases(0).clearance_case()), kExpected.at(caller)) << caller;
  }
}

}  // namespace
}  // namespace parkline::clearance
