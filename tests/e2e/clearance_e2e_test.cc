// The clearance service as the park runs it: the enterprises, declarations and clearance binaries
// as processes on the real local Kafka broker, customs played by the clearance service's
// simulator (seeded, so the test knows each case's outcome). The three documents of an order
// become a matched declaration, which opens a clearance case; the agent completes and submits the
// inventory over gRPC; customs answers 2, 120, 399, 800 and the case is released, with its events
// on parkline.clearance.v1. A case customs rejects gives the buyer's quota back in declarations.
// The statistics binary counts both cases. Clearance runs with a PEM signer (an SM2 key made by
// the test): the inventories it writes are signed, verify, and say appStatus 2; customs'
// certificate (an RSA one made here) is configured, so a signed receipt that does not verify is
// refused naming the signature.
#include <gtest/gtest.h>
#include <signal.h>

#include <deque>
#include <fstream>
#include <iterator>
#include <random>

#include "absl/strings/str_cat.h"
#include "auth/sha256.h"
#include "ceb/signing_key.h"
#include "ceb/xml_signature.h"
#include "clearance/clearance_desk.h"
#include "clearance/customs_simulator.h"
#include "clearance/sample_cases.h"
#include "parkline/clearance/v1/clearance.grpc.pb.h"
#include "parkline/declarations/v1/declarations.grpc.pb.h"
#include "parkline/enterprises/v1/enterprises.grpc.pb.h"
#include "parkline/statistics/v1/statistics.grpc.pb.h"
#include "samples/import_sets.h"
#include "tests/support/import_parties.h"
#include "tests/support/service_process.h"
#include "tests/support/signing_keys.h"

namespace parkline {
namespace {

namespace cv1 = clearance::v1;
namespace dv1 = declarations::v1;
namespace ev1 = enterprises::v1;
using Clearance = testing::ServiceUnderTest<cv1::ClearanceService>;
using Declarations = testing::ServiceUnderTest<dv1::DeclarationService>;
using Enterprises = testing::ServiceUnderTest<ev1::EnterpriseService>;
namespace sv1 = statistics::v1;
using Statistics = testing::ServiceUnderTest<sv1::StatisticsService>;

constexpr uint64_t kSeed = 20251127;
constexpr char kGatewayToken[] = "e2e-customs-gateway-token";

clearance::SimulatorOptions Simulator() {
  clearance::SimulatorOptions o;
  o.step = absl::Milliseconds(200);
  o.inspection_percent = 0;
  o.rejection_percent = 50;
  o.seed = kSeed;
  return o;
}

// The last lines of a file.
std::string Tail(const std::string& path) {
  std::ifstream in(path);
  std::deque<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
    if (lines.size() > 30) lines.pop_front();
  }
  std::string out;
  for (const auto& line : lines) out += line + "\n";
  return out;
}

std::string RunCode(std::mt19937_64& rng) { return absl::StrCat(1000000000 + rng() % 8999999999); }

class ClearanceE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Topics of this test's own, so that the statistics count exactly this test's events.
    for (const char* topic :
         {"parkline.enterprises.v1", "parkline.declarations.v1", "parkline.clearance.v1",
          "parkline.logistics.v1", "parkline.complaints.v1", "parkline.deadletter.v1"}) {
      ASSERT_TRUE(testing::CreateTopic(prefix_ + topic, 3).ok());
    }
    // The harness's admin, and the customs gateway: the one caller (with the declarant) that
    // reads the inventory as sent and signed, not masked (buyer_privacy.h).
    std::ofstream(dir_.path() + "/tokens.json")
        << absl::StrCat(R"({"tokens":[{"sha256":")", auth::Sha256Hex(testing::kAdminToken),
                        R"(","principal":"e2e-admin","roles":["park-admin"]},{"sha256":")",
                        auth::Sha256Hex(kGatewayToken),
                        R"(","principal":"customs-gw","roles":["customs-gateway"]}]})");
    const std::map<std::string, std::string> env = {{"PARKLINE_TOPIC_PREFIX", prefix_}};
    enterprises_ =
        std::make_unique<Enterprises>(ENTERPRISES_BINARY, "enterprises", dir_.path(), env);
    declarations_ =
        std::make_unique<Declarations>(DECLARATIONS_BINARY, "declarations", dir_.path(), env);
    statistics_ = std::make_unique<Statistics>(STATISTICS_BINARY, "statistics", dir_.path(), env);
    clearance::SimulatorOptions sim = Simulator();
    park_key_ = testing::MakeKeyFiles(ceb::SignatureSuite::kSm2Sm3, dir_.path(), "park");
    customs_key_ = testing::MakeKeyFiles(ceb::SignatureSuite::kRsaSha1, dir_.path(), "customs");
    clearance_ = std::make_unique<Clearance>(
        CLEARANCE_BINARY, "clearance", dir_.path(),
        std::map<std::string, std::string>{
            {"PARKLINE_CUSTOMS_GATEWAY", "simulator"},
            {"PARKLINE_SIMULATOR_STEP_MS", "200"},
            {"PARKLINE_SIMULATOR_INSPECTION_PERCENT", absl::StrCat(sim.inspection_percent)},
            {"PARKLINE_SIMULATOR_REJECTION_PERCENT", absl::StrCat(sim.rejection_percent)},
            {"PARKLINE_SIMULATOR_SEED", absl::StrCat(kSeed)},
            {"PARKLINE_SIGNER", "pem"},
            {"PARKLINE_SIGNER_KEY_FILE", park_key_.key},
            {"PARKLINE_SIGNER_CERTIFICATE_FILE", park_key_.certificate},
            {"PARKLINE_SIGNER_KEY_NAME", "0001"},
            {"PARKLINE_CUSTOMS_CERTIFICATE_FILES", customs_key_.certificate},
            {"PARKLINE_TOPIC_PREFIX", prefix_}});
    const std::vector<std::pair<std::string, testing::ServiceProcess*>> services = {
        {"enterprises", enterprises_.get()},
        {"declarations", declarations_.get()},
        {"clearance", clearance_.get()},
        {"statistics", statistics_.get()}};
    for (const auto& [name, s] : services) {
      // When a service does not come up, its log says why (the folder goes with the test).
      ASSERT_EQ(s->WaitServing(absl::Seconds(30)), grpc::health::v1::HealthCheckResponse::SERVING)
          << name << " log:\n"
          << Tail(dir_.path() + "/" + name + ".log");
    }
  }

  // The four parties of a document set, admitted in the registry (codes chosen for this run).
  void Admit(const samples::ImportCodes& codes) {
    ASSERT_TRUE(testing::AdmitImportParties(*enterprises_, codes).ok());
  }

  // Sends the three documents of set `n`, retrying while the parties are not yet resident.
  void Declare(int n, const samples::ImportCodes& codes) {
    auto set = samples::MakeImportSet(n, codes);
    absl::Time deadline = absl::Now() + absl::Seconds(30);
    for (int kind = 0; kind < 3; ++kind) {
      absl::Status status;
      do {
        dv1::DocumentReceipt out;
        if (kind == 0) {
          dv1::SubmitOrderRequest r;
          *r.mutable_order() = set.order;
          status = declarations_->Call(&dv1::DeclarationService::Stub::SubmitOrder, r, &out);
        } else if (kind == 1) {
          dv1::SubmitPaymentRequest r;
          *r.mutable_payment() = set.payment;
          status = declarations_->Call(&dv1::DeclarationService::Stub::SubmitPayment, r, &out);
        } else {
          dv1::SubmitWaybillRequest r;
          *r.mutable_waybill() = set.waybill;
          status = declarations_->Call(&dv1::DeclarationService::Stub::SubmitWaybill, r, &out);
        }
        if (absl::IsInvalidArgument(status)) absl::SleepFor(absl::Milliseconds(100));
      } while (absl::IsInvalidArgument(status) && absl::Now() < deadline);
      ASSERT_TRUE(status.ok()) << status;
    }
  }

  // The case once it is `status` (or whatever it is after `timeout`).
  cv1::ClearanceCase WaitFor(const std::string& case_id, cv1::CaseStatus status,
                             absl::Duration timeout) {
    cv1::GetCaseRequest get;
    get.set_case_id(case_id);
    cv1::ClearanceCase c;
    absl::Time deadline = absl::Now() + timeout;
    do {
      absl::Status s = clearance_->Call(&cv1::ClearanceService::Stub::GetCase, get, &c);
      if (s.ok() && c.status() == status) break;
      absl::SleepFor(absl::Milliseconds(100));
    } while (absl::Now() < deadline);
    return c;
  }

  std::string Used(int n) {
    dv1::GetBuyerQuotaRequest q;
    q.set_buyer_id_number(samples::ResidentIdFor(n));
    q.set_year(2025);
    dv1::BuyerQuota quota;
    EXPECT_TRUE(declarations_->Call(&dv1::DeclarationService::Stub::GetBuyerQuota, q, &quota).ok());
    return quota.used();
  }

  testing::TempDir dir_;
  testing::KeyFiles park_key_;
  testing::KeyFiles customs_key_;
  const std::string prefix_ = absl::StrCat("e2e", std::random_device{}(), ".");
  std::unique_ptr<Enterprises> enterprises_;
  std::unique_ptr<Declarations> declarations_;
  std::unique_ptr<Clearance> clearance_;
  std::unique_ptr<Statistics> statistics_;
};

TEST_F(ClearanceE2eTest, FromThreeDocumentsToAReleasedCaseAndARejectedOneGivesTheQuotaBack) {
  std::mt19937_64 rng{std::random_device{}()};
  samples::ImportCodes codes{RunCode(rng), RunCode(rng), RunCode(rng), RunCode(rng)};
  Admit(codes);
  // Pick one order customs (the seeded simulator) releases and one it rejects.
  int base = static_cast<int>(rng() % 90000000);
  int released_n = -1, rejected_n = -1;
  for (int n = base; released_n < 0 || rejected_n < 0; ++n) {
    std::string key =
        absl::StrCat(codes.platform, "/", samples::MakeImportSet(n, codes).order.order_no());
    auto plan = clearance::PlanReceipts(Simulator(), clearance::CaseIdFor("declaration:" + key),
                                        absl::Now());
    (plan.back().receipt.return_status() == "800" ? released_n : rejected_n) = n;
  }
  for (int n : {released_n, rejected_n}) Declare(n, codes);

  for (int n : {released_n, rejected_n}) {
    std::string key =
        absl::StrCat(codes.platform, "/", samples::MakeImportSet(n, codes).order.order_no());
    std::string id = clearance::CaseIdFor("declaration:" + key);
    // DeclarationMatched reaches clearance through Kafka and opens the case.
    cv1::ClearanceCase c = WaitFor(id, cv1::CASE_STATUS_CREATED, absl::Seconds(30));
    ASSERT_EQ(c.case_id(), id) << "no case opened for " << key;
    EXPECT_EQ(c.order_key(), key);
    EXPECT_EQ(c.business_mode(), "9610");
    EXPECT_EQ(c.direction(), dv1::DIRECTION_IMPORT);
    EXPECT_FALSE(c.estimated_tax_cny().empty());
    EXPECT_GT(c.missing_size(), 0);
    EXPECT_EQ(Used(n), "190.50");

    // The agent (here the enterprise itself) completes and submits the inventory.
    cv1::SubmitCaseRequest submit;
    submit.set_case_id(id);
    *submit.mutable_inventory() = clearance::CompleteDraft(c.inventory(), c.direction(), n);
    cv1::ClearanceCase submitted;
    ASSERT_TRUE(
        clearance_->Call(&cv1::ClearanceService::Stub::SubmitCase, submit, &submitted).ok());
    EXPECT_TRUE(submitted.has_submit_time());
    cv1::GetInventoryMessageRequest get_message;
    get_message.set_case_id(id);
    cv1::InventoryMessage message;
    ASSERT_TRUE(
        clearance_->Call(&cv1::ClearanceService::Stub::GetInventoryMessage, get_message, &message)
            .ok());
    EXPECT_EQ(message.message_type(), "CEB621");
    // Signed for real, so declared (appStatus 2) rather than stored as a draft.
    EXPECT_NE(message.xml().find("<ceb:appStatus>2</ceb:appStatus>"), std::string::npos);
    auto park_cert = ceb::LoadCertificateDer(park_key_.certificate);
    ASSERT_TRUE(park_cert.ok()) << park_cert.status();
    // The admin sees the buyer masked: no longer the message signed, and the signature says so.
    EXPECT_TRUE(message.buyer_identity_masked());
    EXPECT_FALSE(ceb::VerifyEnveloped(message.xml(), {*park_cert}).ok());
    // The customs gateway fetches it as sent: it verifies.
    testing::ClientOptions gateway;
    gateway.token = kGatewayToken;
    clearance_->Connect(gateway);
    absl::Status fetched =
        clearance_->Call(&cv1::ClearanceService::Stub::GetInventoryMessage, get_message, &message);
    clearance_->Connect(testing::ClientOptions());
    ASSERT_TRUE(fetched.ok()) << fetched;
    EXPECT_FALSE(message.buyer_identity_masked());
    EXPECT_NE(message.xml().find("<ceb:appStatus>2</ceb:appStatus>"), std::string::npos);
    auto verified = ceb::VerifyEnveloped(message.xml(), {*park_cert});
    ASSERT_TRUE(verified.ok()) << verified.status() << "\n" << message.xml();
    EXPECT_EQ(verified->suite, ceb::SignatureSuite::kSm2Sm3);
    EXPECT_EQ(verified->key_name, "0001");
  }

  cv1::ClearanceCase released =
      WaitFor(clearance::CaseIdFor(
                  absl::StrCat("declaration:", codes.platform, "/",
                               samples::MakeImportSet(released_n, codes).order.order_no())),
              cv1::CASE_STATUS_RELEASED, absl::Seconds(30));
  EXPECT_EQ(released.status(), cv1::CASE_STATUS_RELEASED);
  ASSERT_EQ(released.receipts_size(), 4);
  EXPECT_EQ(released.receipts(0).return_status(), 2);
  EXPECT_EQ(released.receipts(3).return_status(), 800);
  EXPECT_TRUE(released.has_release_time());

  cv1::ClearanceCase rejected =
      WaitFor(clearance::CaseIdFor(
                  absl::StrCat("declaration:", codes.platform, "/",
                               samples::MakeImportSet(rejected_n, codes).order.order_no())),
              cv1::CASE_STATUS_REJECTED, absl::Seconds(30));
  EXPECT_EQ(rejected.status(), cv1::CASE_STATUS_REJECTED);

  // Declarations hears ClearanceRejected and gives the rejected buyer's quota back; the released
  // buyer's import still counts.
  absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (Used(rejected_n) != "0.00" && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(200));
  }
  EXPECT_EQ(Used(rejected_n), "0.00");
  EXPECT_EQ(Used(released_n), "190.50");

  // The events on the topic, keyed by the case id.
  std::map<std::string, int> types;
  testing::ReadTopic(
      prefix_ + "parkline.clearance.v1", absl::Seconds(30),
      [&](const testing::ConsumedRecord& r) {
        if (r.key == released.case_id()) types[testing::Header(r, "ce_type").substr(22)]++;
        return false;
      },
      [&](const auto&) { return types["ClearanceReleased"] >= 1; });
  EXPECT_EQ(types["ClearanceSubmitted"], 1);
  EXPECT_EQ(types["ClearanceStatusChanged"], 4);
  EXPECT_EQ(types["ClearanceReleased"], 1);
  EXPECT_EQ(types["ClearanceRejected"], 0);

  // Guidance over gRPC; a receipt for an unknown case is NOT_FOUND; malformed XML is refused.
  cv1::GetGuidanceRequest guidance_request;
  guidance_request.set_business_mode("9610");
  guidance_request.set_direction(dv1::DIRECTION_IMPORT);
  cv1::Guidance guidance;
  ASSERT_TRUE(
      clearance_->Call(&cv1::ClearanceService::Stub::GetGuidance, guidance_request, &guidance)
          .ok());
  EXPECT_GT(guidance.steps_size(), 3);
  cv1::RecordReceiptRequest unknown;
  unknown.mutable_receipt()->set_guid("00000000-0000-0000-0000-000000000000");
  unknown.mutable_receipt()->set_return_status("2");
  unknown.mutable_receipt()->set_return_time("20250301120000000");
  cv1::ReceiptResult result;
  EXPECT_EQ(clearance_->Call(&cv1::ClearanceService::Stub::RecordReceipt, unknown, &result).code(),
            absl::StatusCode::kNotFound);
  cv1::SubmitReceiptMessageRequest malformed;
  malformed.set_xml("<ceb:CEB622Message");
  cv1::SubmitReceiptMessageResponse response;
  EXPECT_EQ(
      clearance_->Call(&cv1::ClearanceService::Stub::SubmitReceiptMessage, malformed, &response)
          .code(),
      absl::StatusCode::kInvalidArgument);

  // Six receipts applied (2, 120, 399, 800 and 2, 100); two refused (unknown case, bad XML).
  std::string metrics = testing::HttpGet(clearance_->metrics_port(), "/metrics");
  EXPECT_NE(metrics.find("parkline_clearance_receipts_total{outcome=\"applied\"} 6"),
            std::string::npos)
      << metrics.substr(0, 2000);
  EXPECT_NE(metrics.find("parkline_clearance_receipts_total{outcome=\"refused\"} 2"),
            std::string::npos);
  EXPECT_NE(metrics.find("parkline_clearance_inventories_sent_total{message_type=\"CEB621\"} 2"),
            std::string::npos);

  EXPECT_NE(metrics.find("parkline_clearance_messages_signed_total{algorithm=\"sm2-sm3\"} 2"),
            std::string::npos);
  EXPECT_EQ(metrics.find("parkline_clearance_signer_failures_total 1"), std::string::npos);
  std::ifstream whole_log(dir_.path() + "/clearance.log");
  std::string all_log((std::istreambuf_iterator<char>(whole_log)),
                      std::istreambuf_iterator<char>());
  EXPECT_NE(all_log.find("customs is SIMULATED"), std::string::npos);
  EXPECT_NE(all_log.find("inventories are signed"), std::string::npos);

  // A receipt message signed by customs' key passes the signature check (then the unknown case is
  // NOT_FOUND); changed by one byte after signing, or signed by another key, it is refused
  // naming the signature.
  std::string receipt =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
      "<CEB622Message xmlns=\"http://www.chinaport.gov.cn/ceb\" version=\"1.0\" "
      "guid=\"11111111-2222-3333-4444-555555555555\"><InventoryReturn>"
      "<guid>00000000-0000-0000-0000-000000000000</guid><returnStatus>120</returnStatus>"
      "<returnTime>20250301120000000</returnTime><returnInfo>accepted</returnInfo>"
      "</InventoryReturn></CEB622Message>";
  auto customs = ceb::LoadPemSigningKey(customs_key_.key, customs_key_.certificate, "customs");
  ASSERT_TRUE(customs.ok()) << customs.status();
  auto signed_receipt = ceb::SignEnveloped(receipt, **customs);
  ASSERT_TRUE(signed_receipt.ok()) << signed_receipt.status();
  cv1::SubmitReceiptMessageRequest receipt_request;
  receipt_request.set_xml(*signed_receipt);
  EXPECT_EQ(
      clearance_
          ->Call(&cv1::ClearanceService::Stub::SubmitReceiptMessage, receipt_request, &response)
          .code(),
      absl::StatusCode::kNotFound);
  std::string changed = *signed_receipt;
  changed.replace(changed.find(">120<"), 5, ">800<");
  receipt_request.set_xml(changed);
  absl::Status refused = clearance_->Call(&cv1::ClearanceService::Stub::SubmitReceiptMessage,
                                          receipt_request, &response);
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(std::string(refused.message()).find("signature"), std::string::npos) << refused;
  auto impostor = ceb::LoadPemSigningKey(park_key_.key, park_key_.certificate, "impostor");
  ASSERT_TRUE(impostor.ok());
  receipt_request.set_xml(*ceb::SignEnveloped(receipt, **impostor));
  refused = clearance_->Call(&cv1::ClearanceService::Stub::SubmitReceiptMessage, receipt_request,
                             &response);
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(std::string(refused.message()).find("signature"), std::string::npos) << refused;
  metrics = testing::HttpGet(clearance_->metrics_port(), "/metrics");
  EXPECT_NE(metrics.find("parkline_clearance_receipt_signatures_total{outcome=\"verified\"} 1"),
            std::string::npos)
      << metrics.substr(0, 3000);
  EXPECT_NE(metrics.find("parkline_clearance_receipt_signatures_total{outcome=\"refused\"} 2"),
            std::string::npos);

  // The statistics count both cases: two inventories sent, one released, one rejected.
  auto total = [&](const std::string& indicator) {
    sv1::GetTimeSeriesRequest request;
    request.set_indicator(indicator);
    request.set_granularity(sv1::GRANULARITY_YEAR);
    (*request.mutable_label_filter())["mode"] = "9610";
    sv1::TimeSeries series;  // the default period: the last 30 days
    EXPECT_TRUE(
        statistics_->Call(&sv1::StatisticsService::Stub::GetTimeSeries, request, &series).ok());
    return series.series().empty() ? std::string() : series.series(0).total();
  };
  deadline = absl::Now() + absl::Seconds(30);
  while ((total("clearance_released") != "1" || total("clearance_rejected") != "1") &&
         absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(200));
  }
  EXPECT_EQ(total("declarations_matched"), "2");
  EXPECT_EQ(total("clearance_submitted"), "2");
  EXPECT_EQ(total("clearance_released"), "1");
  EXPECT_EQ(total("clearance_rejected"), "1");
  EXPECT_EQ(total("clearance_release_seconds_count"), "1");
  std::string indicators = testing::HttpGet(statistics_->metrics_port(), "/metrics");
  EXPECT_NE(
      indicators.find("parkline_clearance_released_total{direction=\"import\",mode=\"9610\"} 1"),
      std::string::npos);

  clearance_->process().Signal(SIGTERM);
  EXPECT_EQ(clearance_->process().Wait(absl::Seconds(10)), 0);
}

}  // namespace
}  // namespace parkline
