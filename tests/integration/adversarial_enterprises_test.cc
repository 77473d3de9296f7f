// The registry tried as a hostile tenant would (#18): over gRPC, on both backends, every other
// tenant tries to read or write a resident enterprise's record, IP assets and talent figures, or
// to change the registry itself. Each attempt is refused (PERMISSION_DENIED or NOT_FOUND) and the
// tamper witness shows that no row, no outbox event and no record on the topic changed.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "enterprises/access_policy.h"
#include "enterprises/enterprise_desk.h"
#include "enterprises/enterprise_service.h"
#include "enterprises/schema.h"
#include "tests/support/access_matrix.h"
#include "tests/support/backend_test.h"
#include "tests/support/tamper_witness.h"

namespace parkline::enterprises {
namespace {

const std::string kVictim = testing::NumberedUscc(1);
const std::string kRival = testing::NumberedUscc(2);

const std::vector<testing::TestCaller>& Callers() {
  static const auto* callers = new std::vector<testing::TestCaller>{
      {"t-victim", "victim-erp", "enterprise", kVictim, "3301960001", ""},
      {"t-rival", "rival-erp", "enterprise", kRival, "3301960002", ""},
      {"t-carrier", "carrier-tms", "carrier", "", "", "SF"},
      {"t-customs", "customs-gateway", "customs-gateway", "", "", ""},
      {"t-analyst", "analyst-bi", "analyst", "", "", ""},
  };
  return *callers;
}

common::v1::Date Day(int year) {
  common::v1::Date d;
  d.set_year(year);
  d.set_month(1);
  d.set_day(1);
  return d;
}

v1::IpAsset Patent(const std::string& holder) {
  v1::IpAsset a;
  a.set_uscc(holder);
  a.set_kind(v1::IP_ASSET_KIND_PATENT);
  a.set_registration_no("ZL202410000001.1");
  a.set_title("Bonded-warehouse picking robot");
  *a.mutable_granted_date() = Day(2024);
  return a;
}

class AdversarialEnterprisesTest : public testing::BackendTest<ApplySchema> {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    desk_ = std::make_unique<EnterpriseDesk>(*db_, nullptr);
    for (const std::string& uscc : {kVictim, kRival}) {
      v1::Enterprise e;
      e.set_uscc(uscc);
      e.set_name("Resident " + uscc);
      e.add_roles(v1::ENTERPRISE_ROLE_ECOMMERCE_ENTERPRISE);
      *e.mutable_move_in_date() = Day(2025);
      ASSERT_TRUE(desk_->Admit(e).ok());
    }
    ASSERT_TRUE(desk_->RecordIpAsset(Patent(kVictim), auth::Viewer{"staff-li", true, ""}).ok());
    auto server = testing::PolicyServer::Start(
        dir_.path(), AccessPolicy(), Callers(),
        [&](const auth::Authorizer& a) { return std::make_unique<EnterpriseService>(*desk_, a); });
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    stub_ = v1::EnterpriseService::NewStub(server_->channel());
    witness_ = std::make_unique<testing::TamperWitness>(
        *db_, std::vector<std::string>{"parkline.enterprises.v1"});
    witness_->Mark();
  }

  // `attempt` as the caller whose token is "t-<who>": refused with one of `codes`, nothing
  // changed; the refusal.
  grpc::Status ExpectRefused(const std::string& who, const std::string& trick,
                             const std::function<grpc::Status(grpc::ClientContext*)>& attempt,
                             const std::vector<grpc::StatusCode>& codes = {
                                 grpc::StatusCode::PERMISSION_DENIED,
                                 grpc::StatusCode::NOT_FOUND}) {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", "Bearer t-" + who);
    grpc::Status status = attempt(&ctx);
    witness_->ExpectRefused(absl::StrCat(who, " ", trick), status, codes);
    return status;
  }

  testing::TempDir dir_;
  std::unique_ptr<EnterpriseDesk> desk_;
  std::unique_ptr<testing::PolicyServer> server_;
  std::unique_ptr<v1::EnterpriseService::Stub> stub_;
  std::unique_ptr<testing::TamperWitness> witness_;
};

TEST_P(AdversarialEnterprisesTest, NoOtherTenantTouchesAnEnterprisesRecords) {
  for (const std::string who : {"rival", "carrier", "customs", "analyst"}) {
    ExpectRefused(who, "reads the victim's record", [&](grpc::ClientContext* c) {
      v1::GetEnterpriseRequest r;
      r.set_uscc(kVictim);
      v1::Enterprise out;
      return stub_->GetEnterprise(c, r, &out);
    });
    ExpectRefused(who, "lists the victim's IP assets", [&](grpc::ClientContext* c) {
      v1::ListIpAssetsRequest r;
      r.set_uscc(kVictim);
      v1::ListIpAssetsResponse out;
      return stub_->ListIpAssets(c, r, &out);
    });
    ExpectRefused(who, "records an IP asset in the victim's name", [&](grpc::ClientContext* c) {
      v1::RecordIpAssetRequest r;
      *r.mutable_asset() = Patent(kVictim);
      r.mutable_asset()->set_registration_no("ZL202410000002.X");
      v1::IpAsset out;
      return stub_->RecordIpAsset(c, r, &out);
    });
    ExpectRefused(who, "reports the victim's talent figures", [&](grpc::ClientContext* c) {
      v1::RecordTalentRequest r;
      r.mutable_talent()->set_uscc(kVictim);
      r.mutable_talent()->set_year(2025);
      r.mutable_talent()->set_employees(1);
      v1::TalentFigures out;
      return stub_->RecordTalent(c, r, &out);
    });
  }
}

// Registration numbers are unique park-wide: the rival recording the victim's patent number as
// its own is refused, and the refusal does not say who holds it.
TEST_P(AdversarialEnterprisesTest, ATakenIpNumberNamesNothingOfItsHolder) {
  grpc::Status refused = ExpectRefused("rival", "records the victim's patent number as its own",
                                       [&](grpc::ClientContext* c) {
                                         v1::RecordIpAssetRequest r;
                                         *r.mutable_asset() = Patent(kRival);
                                         v1::IpAsset out;
                                         return stub_->RecordIpAsset(c, r, &out);
                                       },
                                       {grpc::StatusCode::ALREADY_EXISTS});
  EXPECT_EQ(refused.error_message().find(kVictim), std::string::npos)
      << "the rival learned who holds the patent: " << refused.error_message();
}

TEST_P(AdversarialEnterprisesTest, NoTenantKeepsTheRegistry) {
  for (const std::string who : {"victim", "rival", "carrier", "customs", "analyst"}) {
    ExpectRefused(who, "updates an enterprise", [&](grpc::ClientContext* c) {
      v1::UpdateEnterpriseRequest r;
      r.mutable_enterprise()->set_uscc(kRival);
      r.mutable_enterprise()->set_name("Renamed by an attacker");
      v1::Enterprise out;
      return stub_->UpdateEnterprise(c, r, &out);
    });
    ExpectRefused(who, "departs an enterprise", [&](grpc::ClientContext* c) {
      v1::DepartEnterpriseRequest r;
      r.set_uscc(kRival);
      v1::Enterprise out;
      return stub_->DepartEnterprise(c, r, &out);
    });
    ExpectRefused(who, "admits an enterprise", [&](grpc::ClientContext* c) {
      v1::AdmitEnterpriseRequest r;
      r.mutable_enterprise()->set_uscc(testing::NumberedUscc(7));
      r.mutable_enterprise()->set_name("Shell company");
      r.mutable_enterprise()->add_roles(v1::ENTERPRISE_ROLE_LOGISTICS);
      *r.mutable_enterprise()->mutable_move_in_date() = Day(2025);
      v1::Enterprise out;
      return stub_->AdmitEnterprise(c, r, &out);
    });
    ExpectRefused(who, "lists every enterprise", [&](grpc::ClientContext* c) {
      v1::ListEnterprisesResponse out;
      return stub_->ListEnterprises(c, {}, &out);
    });
  }
}

// The honest path: the refusals above are not a refusal of everything.
TEST_P(AdversarialEnterprisesTest, TheEnterpriseItselfReadsAndReports) {
  grpc::ClientContext read;
  read.AddMetadata("authorization", "Bearer t-victim");
  v1::GetEnterpriseRequest r;
  r.set_uscc(kVictim);
  v1::Enterprise record;
  ASSERT_TRUE(stub_->GetEnterprise(&read, r, &record).ok());
  EXPECT_EQ(record.uscc(), kVictim);
  grpc::ClientContext list;
  list.AddMetadata("authorization", "Bearer t-victim");
  v1::ListIpAssetsRequest l;
  l.set_uscc(kVictim);
  v1::ListIpAssetsResponse assets;
  ASSERT_TRUE(stub_->ListIpAssets(&list, l, &assets).ok());
  EXPECT_EQ(assets.assets_size(), 1);
}

PARKLINE_BACKEND_TESTS(AdversarialEnterprisesTest);

}  // namespace
}  // namespace parkline::enterprises
