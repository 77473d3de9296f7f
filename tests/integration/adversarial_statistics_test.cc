// Statistics tried as a hostile tenant would (#18): the park's figures are aggregates, and the
// only tenant object is an enterprise's own figures. Over gRPC, on both backends, another
// enterprise, a carrier and customs try to read an enterprise's figures or the park-wide lists
// that rank enterprises by name; each is refused and the tamper witness shows nothing changed.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "statistics/access_policy.h"
#include "statistics/schema.h"
#include "statistics/statistics_desk.h"
#include "statistics/statistics_service.h"
#include "tests/support/access_matrix.h"
#include "tests/support/backend_test.h"
#include "tests/support/tamper_witness.h"

namespace parkline::statistics {
namespace {

const std::string kVictim = testing::NumberedUscc(1);
const std::string kRival = testing::NumberedUscc(2);

const std::vector<testing::TestCaller>& Callers() {
  static const auto* callers = new std::vector<testing::TestCaller>{
      {"t-victim", "victim-erp", "enterprise", kVictim, "3301960001", ""},
      {"t-rival", "rival-erp", "enterprise", kRival, "3301960002", ""},
      {"t-carrier", "carrier-tms", "carrier", "", "", "3301960013"},
      {"t-customs", "customs-gateway", "customs-gateway", "", "", ""},
  };
  return *callers;
}

class AdversarialStatisticsTest : public testing::BackendTest<ApplySchema> {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    absl::TimeZone park;
    ASSERT_TRUE(absl::LoadTimeZone("Asia/Shanghai", &park));
    desk_ = std::make_unique<StatisticsDesk>(*db_, park);
    auto server = testing::PolicyServer::Start(
        dir_.path(), AccessPolicy(), Callers(),
        [&](const auth::Authorizer& a) { return std::make_unique<StatisticsService>(*desk_, a); });
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    stub_ = v1::StatisticsService::NewStub(server_->channel());
    witness_ = std::make_unique<testing::TamperWitness>(*db_, std::vector<std::string>{});
    witness_->Mark();
  }

  void ExpectRefused(const std::string& who, const std::string& trick,
                     const std::function<grpc::Status(grpc::ClientContext*)>& attempt) {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", "Bearer t-" + who);
    witness_->ExpectRefused(absl::StrCat(who, " ", trick), attempt(&ctx));
  }

  testing::TempDir dir_;
  std::unique_ptr<StatisticsDesk> desk_;
  std::unique_ptr<testing::PolicyServer> server_;
  std::unique_ptr<v1::StatisticsService::Stub> stub_;
  std::unique_ptr<testing::TamperWitness> witness_;
};

TEST_P(AdversarialStatisticsTest, NoOtherTenantReadsAnEnterprisesFigures) {
  for (const std::string who : {"rival", "carrier", "customs"}) {
    ExpectRefused(who, "reads the victim's figures", [&](grpc::ClientContext* c) {
      v1::GetEnterpriseFiguresRequest r;
      r.set_uscc(kVictim);
      v1::EnterpriseFigures out;
      return stub_->GetEnterpriseFigures(c, r, &out);
    });
    ExpectRefused(who, "ranks the park's enterprises", [&](grpc::ClientContext* c) {
      v1::ListTopEnterprisesResponse out;
      return stub_->ListTopEnterprises(c, {}, &out);
    });
    ExpectRefused(who, "exports a period", [&](grpc::ClientContext* c) {
      v1::ExportPeriodResponse out;
      return stub_->ExportPeriod(c, {}, &out);
    });
  }
}

// The honest path: the refusals above are not a refusal of everything.
TEST_P(AdversarialStatisticsTest, TheEnterpriseItselfReadsItsFigures) {
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer t-victim");
  v1::GetEnterpriseFiguresRequest r;
  r.set_uscc(kVictim);
  v1::EnterpriseFigures out;
  grpc::Status status = stub_->GetEnterpriseFigures(&ctx, r, &out);
  EXPECT_NE(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << status.error_message();
  EXPECT_NE(status.error_code(), grpc::StatusCode::UNAUTHENTICATED) << status.error_message();
}

PARKLINE_BACKEND_TESTS(AdversarialStatisticsTest);

}  // namespace
}  // namespace parkline::statistics
