// The enterprises service as a user meets it: the real binary started as a process against the
// real local Kafka broker, driven over gRPC; its events read back from the topic; its metrics
// read over HTTP; stopped with SIGTERM, and killed outright.
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <fstream>
#include <random>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "auth/credentials.h"
#include "errors/violations.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "parkline/enterprises/v1/enterprises.grpc.pb.h"
#include "runtime/grpc_status.h"
#include "tests/support/service_process.h"
#include "tests/support/test_env.h"

namespace parkline {
namespace {

namespace v1 = enterprises::v1;

using testing::ClientOptions;
using EnterprisesProcess = testing::ServiceUnderTest<v1::EnterpriseService>;

v1::Enterprise NewEnterprise(const std::string& uscc, const std::string& unit) {
  v1::Enterprise e;
  e.set_uscc(uscc);
  e.set_name("E2E Trading " + uscc);
  e.add_roles(v1::ENTERPRISE_ROLE_ECOMMERCE_ENTERPRISE);
  if (!unit.empty()) e.add_unit_ids(unit);
  e.mutable_move_in_date()->set_year(2025);
  e.mutable_move_in_date()->set_month(1);
  e.mutable_move_in_date()->set_day(2);
  return e;
}

class EnterprisesE2eTest : public ::testing::Test {
 protected:
  // A topic of this test's own (PARKLINE_TOPIC_PREFIX), so that no test's events reach a
  // developer's park on the same broker, and each test reads only its own.
  void SetUp() override { ASSERT_TRUE(testing::CreateTopic(topic_, 3).ok()); }

  // The records keyed by one of `keys`, until `want` of them have been read.
  std::vector<testing::ConsumedRecord> ReadKeys(const std::set<std::string>& keys, size_t want) {
    return testing::ReadTopic(
        topic_, absl::Seconds(30),
        [&](const testing::ConsumedRecord& r) { return keys.count(r.key) > 0; },
        [want](const auto& kept) { return kept.size() >= want; });
  }

  std::unique_ptr<EnterprisesProcess> Start(std::map<std::string, std::string> env = {},
                                            ClientOptions client = {}) {
    env["PARKLINE_TOPIC_PREFIX"] = prefix_;
    auto p = std::make_unique<EnterprisesProcess>(ENTERPRISES_BINARY, "enterprises", dir_.path(),
                                                  env, client);
    EXPECT_EQ(p->WaitServing(absl::Seconds(30)), grpc::health::v1::HealthCheckResponse::SERVING);
    return p;
  }

  // Admits `count` enterprises from two client threads until told to stop; returns the USCCs
  // whose admission the service accepted (returned OK).
  std::set<std::string> AdmitUntil(EnterprisesProcess& p, int count,
                                   const std::function<void(int accepted)>& after_each) {
    std::mutex mu;
    std::set<std::string> accepted;
    std::atomic<int> next{0};
    auto worker = [&] {
      for (int i = next++; i < count; i = next++) {
        v1::AdmitEnterpriseRequest request;
        *request.mutable_enterprise() = NewEnterprise(testing::RandomUscc(), "");
        v1::Enterprise response;
        if (p.Call(&v1::EnterpriseService::Stub::AdmitEnterprise, request, &response).ok()) {
          std::lock_guard<std::mutex> lock(mu);
          accepted.insert(response.uscc());
          after_each(static_cast<int>(accepted.size()));
        }
      }
    };
    std::thread a(worker), b(worker);
    a.join();
    b.join();
    return accepted;
  }

  void ExpectEventsFor(const std::set<std::string>& usccs) {
    std::set<std::string> seen;  // a relay crash may repeat an event: count keys, not records
    testing::ReadTopic(
        topic_, absl::Seconds(30),
        [&](const testing::ConsumedRecord& r) {
          if (usccs.count(r.key) > 0) seen.insert(r.key);
          return false;
        },
        [&](const auto&) { return seen.size() >= usccs.size(); });
    for (const std::string& uscc : usccs)
      EXPECT_EQ(seen.count(uscc), 1u) << "no event for " << uscc;
  }

  testing::TempDir dir_;
  const std::string prefix_ = absl::StrCat("e2e", std::random_device{}(), ".");
  const std::string topic_ = prefix_ + "parkline.enterprises.v1";
};

TEST_F(EnterprisesE2eTest, RegistryOverGrpcPublishesCloudEventsAndCountsRpcs) {
  auto p = Start();
  auto services = p->ReflectedServices();
  EXPECT_EQ(services.count("parkline.enterprises.v1.EnterpriseService"), 1u);
  EXPECT_EQ(services.count("grpc.health.v1.Health"), 1u);
  std::string uscc = testing::RandomUscc();
  std::string unit_id = "E2E-" + uscc.substr(8, 8);

  v1::DefineUnitRequest define;
  define.mutable_unit()->set_unit_id(unit_id);
  define.mutable_unit()->set_building("E2E");
  define.mutable_unit()->set_floor(2);
  define.mutable_unit()->set_leasable_area_m2("300");
  define.mutable_unit()->set_purpose(v1::UNIT_PURPOSE_WAREHOUSE);
  v1::Unit unit;
  ASSERT_TRUE(p->Call(&v1::EnterpriseService::Stub::DefineUnit, define, &unit).ok());
  EXPECT_EQ(unit.leasable_area_m2(), "300.00");

  v1::AdmitEnterpriseRequest admit;
  *admit.mutable_enterprise() = NewEnterprise(uscc, unit_id);
  v1::Enterprise admitted;
  ASSERT_TRUE(p->Call(&v1::EnterpriseService::Stub::AdmitEnterprise, admit, &admitted).ok());
  EXPECT_EQ(admitted.status(), v1::ENTERPRISE_STATUS_RESIDENT);
  v1::Enterprise again;  // a client retry
  ASSERT_TRUE(p->Call(&v1::EnterpriseService::Stub::AdmitEnterprise, admit, &again).ok());
  EXPECT_EQ(again.version(), admitted.version());

  v1::UpdateEnterpriseRequest update;
  update.mutable_enterprise()->set_uscc(uscc);
  update.mutable_enterprise()->set_name("E2E Trading, renamed");
  update.mutable_update_mask()->add_paths("name");
  v1::Enterprise updated;
  ASSERT_TRUE(p->Call(&v1::EnterpriseService::Stub::UpdateEnterprise, update, &updated).ok());
  EXPECT_EQ(updated.name(), "E2E Trading, renamed");

  v1::DepartEnterpriseRequest depart;
  depart.set_uscc(uscc);
  depart.mutable_move_out_date()->set_year(2026);
  depart.mutable_move_out_date()->set_month(6);
  depart.mutable_move_out_date()->set_day(30);
  v1::Enterprise departed;
  ASSERT_TRUE(p->Call(&v1::EnterpriseService::Stub::DepartEnterprise, depart, &departed).ok());
  EXPECT_EQ(departed.status(), v1::ENTERPRISE_STATUS_DEPARTED);

  // Bad input: every broken field named in standard BadRequest details, nothing stored.
  v1::AdmitEnterpriseRequest bad;
  *bad.mutable_enterprise() = NewEnterprise("91350100M000100Y44", "NO-SUCH-UNIT");
  bad.mutable_enterprise()->clear_roles();
  v1::Enterprise ignored;
  absl::Status rejected = p->Call(&v1::EnterpriseService::Stub::AdmitEnterprise, bad, &ignored);
  EXPECT_EQ(rejected.code(), absl::StatusCode::kInvalidArgument);
  std::set<std::string> fields;
  for (const auto& v : errors::ViolationsOf(rejected)) fields.insert(v.field);
  EXPECT_EQ(fields, (std::set<std::string>{"enterprise.uscc", "enterprise.roles"})) << rejected;

  v1::GetEnterpriseRequest get;
  get.set_uscc(testing::RandomUscc());
  EXPECT_EQ(p->Call(&v1::EnterpriseService::Stub::GetEnterprise, get, &ignored).code(),
            absl::StatusCode::kNotFound);

  // The three changes, in order, as CloudEvents keyed by the USCC.
  std::set<std::string> keys = {uscc};
  auto records = ReadKeys(keys, 3);
  ASSERT_EQ(records.size(), 3u);
  std::vector<std::string> types;
  for (const auto& r : records) {
    types.push_back(testing::Header(r, "ce_type"));
    EXPECT_EQ(testing::Header(r, "ce_specversion"), "1.0");
    EXPECT_EQ(testing::Header(r, "ce_source"), "/parkline/enterprises");
    EXPECT_EQ(testing::Header(r, "ce_subject"), uscc);
    EXPECT_EQ(testing::Header(r, "content-type"), "application/protobuf");
    EXPECT_EQ(testing::Header(r, "ce_id").size(), 36u);
  }
  EXPECT_EQ(types, (std::vector<std::string>{"parkline.enterprises.v1.EnterpriseAdmitted",
                                             "parkline.enterprises.v1.EnterpriseUpdated",
                                             "parkline.enterprises.v1.EnterpriseDeparted"}));

  std::string metrics = testing::HttpGet(p->metrics_port(), "/metrics");
  EXPECT_NE(
      metrics.find("grpc_server_handled_total{grpc_code=\"OK\",grpc_method=\"AdmitEnterprise\","
                   "grpc_service=\"parkline.enterprises.v1.EnterpriseService\"} 2"),
      std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("grpc_code=\"InvalidArgument\",grpc_method=\"AdmitEnterprise\""),
            std::string::npos);
  EXPECT_NE(metrics.find("grpc_server_handling_seconds_bucket"), std::string::npos);
  EXPECT_NE(metrics.find("parkline_outbox_published_total"), std::string::npos);

  p->process().Signal(SIGTERM);
  EXPECT_EQ(p->process().Wait(absl::Seconds(5)), 0);
}

TEST_F(EnterprisesE2eTest, SigtermDuringWritesExitsZeroWithinFiveSecondsAndLosesNothing) {
  auto p = Start();
  absl::Time signalled;
  std::optional<int> exit_code;
  std::thread stopper;
  auto accepted = AdmitUntil(*p, 400, [&](int n) {
    if (n == 100) {
      signalled = absl::Now();
      stopper = std::thread([&] {
        p->process().Signal(SIGTERM);
        exit_code = p->process().Wait(absl::Seconds(5));
      });
    }
  });
  if (stopper.joinable()) stopper.join();
  ASSERT_GE(accepted.size(), 100u);
  EXPECT_EQ(exit_code, 0) << "did not exit with 0 within 5 s of SIGTERM";
  ExpectEventsFor(accepted);
}

TEST_F(EnterprisesE2eTest, KilledMidStreamPublishesEverythingAcceptedAfterRestart) {
  std::set<std::string> accepted;
  {
    auto p = Start();
    accepted = AdmitUntil(*p, 300, [&](int n) {
      if (n == 150) p->process().Signal(SIGKILL);
    });
    p->process().Wait(absl::Seconds(5));
  }
  ASSERT_GE(accepted.size(), 150u);
  auto restarted = Start();  // same database: the relay finds what the killed one left
  ExpectEventsFor(accepted);
  restarted->process().Signal(SIGTERM);
  EXPECT_EQ(restarted->process().Wait(absl::Seconds(5)), 0);
}

std::string Read(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::shared_ptr<grpc::ChannelCredentials> Tls(const std::string& dir, const std::string& client) {
  grpc::SslCredentialsOptions options;
  options.pem_root_certs = Read(dir + "/ca.crt");
  if (!client.empty()) {
    options.pem_private_key = Read(dir + "/" + client + ".key");
    options.pem_cert_chain = Read(dir + "/" + client + ".crt");
  }
  return grpc::SslCredentials(options);
}

TEST_F(EnterprisesE2eTest, MutualTlsIdentifiesCallersByCertificateOrTokenAndReloadsCallers) {
  // A certificate authority made now, for this test only.
  ASSERT_EQ(std::system(absl::StrCat(MAKE_TEST_CA, " ", dir_.path()).c_str()), 0);
  const std::string d = dir_.path();
  std::ofstream(d + "/tokens.json")
      << absl::StrCat(R"({"tokens":[{"sha256":")", auth::Sha256Hex("analyst-token"),
                      R"(","principal":"bi","roles":["analyst"]}],)",
                      R"("certificates":[{"subject":"CN=park-staff-client,O=Parkline Test",)",
                      R"("principal":"front-desk","roles":["park-staff"]}]})");
  std::map<std::string, std::string> tls_env = {{"PARKLINE_TLS_CERT", d + "/server.crt"},
                                                {"PARKLINE_TLS_KEY", d + "/server.key"},
                                                {"PARKLINE_TLS_CLIENT_CA", d + "/ca.crt"}};
  auto p = Start(tls_env, ClientOptions{Tls(d, "client"), ""});

  // The client certificate alone identifies a park-staff caller.
  v1::GetEnterpriseRequest get;
  get.set_uscc(testing::RandomUscc());
  v1::Enterprise ignored;
  EXPECT_EQ(p->Call(&v1::EnterpriseService::Stub::GetEnterprise, get, &ignored).code(),
            absl::StatusCode::kNotFound);

  // A bearer token wins over the certificate: the analyst may list units but not define one.
  p->Connect(ClientOptions{Tls(d, "client"), "analyst-token"});
  v1::ListUnitsResponse units;
  EXPECT_TRUE(
      p->Call(&v1::EnterpriseService::Stub::ListUnits, v1::ListUnitsRequest(), &units).ok());
  v1::DefineUnitRequest define;
  define.mutable_unit()->set_unit_id("TLS-1");
  v1::Unit unit;
  EXPECT_EQ(p->Call(&v1::EnterpriseService::Stub::DefineUnit, define, &unit).code(),
            absl::StatusCode::kPermissionDenied);

  // No client certificate, a certificate from a CA the server does not trust, or plaintext:
  // the connection itself is refused.
  for (const ClientOptions& refused :
       {ClientOptions{Tls(d, ""), "analyst-token"}, ClientOptions{Tls(d, "other"), "analyst-token"},
        ClientOptions{grpc::InsecureChannelCredentials(), "analyst-token"}}) {
    p->Connect(refused);
    EXPECT_EQ(
        p->Call(&v1::EnterpriseService::Stub::ListUnits, v1::ListUnitsRequest(), &units).code(),
        absl::StatusCode::kUnavailable);
  }

  // A new caller added to the file is accepted without a restart.
  p->Connect(ClientOptions{Tls(d, "client"), "new-admin-token"});
  EXPECT_EQ(p->Call(&v1::EnterpriseService::Stub::DefineUnit, define, &unit).code(),
            absl::StatusCode::kUnauthenticated);
  std::ofstream(d + "/tokens.json")
      << absl::StrCat(R"({"tokens":[{"sha256":")", auth::Sha256Hex("new-admin-token"),
                      R"(","principal":"ops","roles":["park-admin"]}]})");
  absl::Status status;
  absl::Time deadline = absl::Now() + absl::Seconds(10);
  do {
    absl::SleepFor(absl::Milliseconds(200));
    status = p->Call(&v1::EnterpriseService::Stub::ListUnits, v1::ListUnitsRequest(), &units);
  } while (!status.ok() && absl::Now() < deadline);
  EXPECT_TRUE(status.ok()) << status;

  // Refusals are counted; the token never reaches the log.
  std::string metrics = testing::HttpGet(p->metrics_port(), "/metrics");
  EXPECT_NE(metrics.find("parkline_auth_denied_total{grpc_code=\"PermissionDenied\",grpc_method="
                         "\"/parkline.enterprises.v1.EnterpriseService/DefineUnit\"} 1"),
            std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("parkline_auth_denied_total{grpc_code=\"Unauthenticated\""),
            std::string::npos);
  p->process().Signal(SIGTERM);
  EXPECT_EQ(p->process().Wait(absl::Seconds(5)), 0);
  std::string log = Read(d + "/enterprises.log");
  EXPECT_NE(log.find("\"transport\":\"mtls\""), std::string::npos);
  EXPECT_NE(log.find("rpc refused"), std::string::npos);
  for (const char* secret : {"analyst-token", "new-admin-token"}) {
    EXPECT_EQ(log.find(secret), std::string::npos) << secret << " appears in the log";
  }
}

TEST_F(EnterprisesE2eTest, TwoReplicasOnOnePostgresDatabaseOneKilledMidStreamLoseNothing) {
  testing::TestDatabase database("postgresql");
  if (database.url().empty()) GTEST_SKIP() << "PARKLINE_TEST_POSTGRES_URL is not set";
  std::map<std::string, std::string> env = {{"PARKLINE_DATABASE_URL", database.url()}};
  auto first = Start(env);   // starts first: it takes the relay lease
  auto second = Start(env);  // serves RPCs too; publishes once the first is gone
  std::mutex mu;
  std::set<std::string> accepted;
  // A call cut short by the kill may have committed before the reply was lost: its outcome is in
  // doubt, so it may be stored or not, but never twice.
  std::set<std::string> in_doubt;
  std::atomic<int> next{0};
  std::atomic<bool> killed{false};
  auto worker = [&](int id) {
    for (int i = next++; i < 300; i = next++) {
      EnterprisesProcess& target = (id == 0 && !killed) ? *first : *second;
      v1::AdmitEnterpriseRequest request;
      *request.mutable_enterprise() = NewEnterprise(testing::RandomUscc(), "");
      v1::Enterprise response;
      absl::Status status =
          target.Call(&v1::EnterpriseService::Stub::AdmitEnterprise, request, &response);
      std::lock_guard<std::mutex> lock(mu);
      if (!status.ok()) {
        in_doubt.insert(request.enterprise().uscc());
      } else {
        accepted.insert(response.uscc());
        if (accepted.size() == 100) {
          first->process().Signal(SIGKILL);
          killed = true;
        }
      }
    }
  };
  std::thread a(worker, 0), b(worker, 1);
  a.join();
  b.join();
  ASSERT_GE(accepted.size(), 250u);

  // Every accepted admission is stored once; an admission in doubt is stored at most once.
  v1::ListEnterprisesRequest list;
  list.mutable_page()->set_page_size(500);
  v1::ListEnterprisesResponse stored;
  ASSERT_TRUE(second->Call(&v1::EnterpriseService::Stub::ListEnterprises, list, &stored).ok());
  std::set<std::string> stored_usccs;
  for (const auto& e : stored.enterprises()) {
    EXPECT_TRUE(stored_usccs.insert(e.uscc()).second) << e.uscc() << " stored twice";
    EXPECT_TRUE(accepted.count(e.uscc()) > 0 || in_doubt.count(e.uscc()) > 0)
        << e.uscc() << " stored but never sent";
  }
  for (const std::string& uscc : accepted) {
    EXPECT_EQ(stored_usccs.count(uscc), 1u) << "accepted " << uscc << " is not stored";
  }

  // Everything stored is published, once: what the killed replica sent without marking it, the
  // survivor finds at the tail of the topic and does not send again.
  std::map<std::string, int> copies;
  testing::ReadTopic(
      topic_, absl::Seconds(60),
      [&](const testing::ConsumedRecord& r) {
        if (stored_usccs.count(r.key) > 0) copies[r.key]++;
        return false;
      },
      [&](const auto&) { return copies.size() >= stored_usccs.size(); });
  int duplicated = 0;
  for (const std::string& uscc : stored_usccs) {
    EXPECT_GE(copies[uscc], 1) << "no event for " << uscc;
    if (copies[uscc] > 1) duplicated++;
  }
  EXPECT_EQ(duplicated, 0) << "events published twice after the kill";
  EXPECT_LE(in_doubt.size(), 2u) << "only calls in flight at the kill may fail";
  second->process().Signal(SIGTERM);
  EXPECT_EQ(second->process().Wait(absl::Seconds(5)), 0);
}

TEST_F(EnterprisesE2eTest, HealthIsOpenButEveryRpcNeedsACaller) {
  auto p = Start(
      {}, ClientOptions{grpc::InsecureChannelCredentials(), ""});  // WaitServing: no token needed
  v1::ListUnitsResponse units;
  EXPECT_EQ(p->Call(&v1::EnterpriseService::Stub::ListUnits, v1::ListUnitsRequest(), &units).code(),
            absl::StatusCode::kUnauthenticated);
  p->process().Signal(SIGTERM);
  EXPECT_EQ(p->process().Wait(absl::Seconds(5)), 0);
}

}  // namespace
}  // namespace parkline
