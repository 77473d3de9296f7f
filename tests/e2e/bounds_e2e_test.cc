// The bounds and transport rules every service shares (issue #19), met from outside on the
// enterprises binary: plaintext refused off loopback, reflection closed to strangers there, the
// per-caller rate limit with its retry information, and a server certificate replaced on disk
// under a live client; and, on every binary, reflection that resolves each listed service.
#include <gtest/gtest.h>
#include <signal.h>

#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/rpc/error_details.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "parkline/enterprises/v1/enterprises.grpc.pb.h"
#include "store/database.h"
#include "store/migrations.h"
#include "tests/support/reflection_client.h"
#include "tests/support/service_process.h"
#include "tests/support/test_env.h"

namespace parkline {
namespace {

namespace v1 = enterprises::v1;
using EnterprisesProcess = testing::ServiceUnderTest<v1::EnterpriseService>;

std::string Read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class BoundsE2eTest : public ::testing::Test {
 protected:
  std::unique_ptr<EnterprisesProcess> Launch(std::map<std::string, std::string> env,
                                             testing::ClientOptions client = {}) {
    env["PARKLINE_TOPIC_PREFIX"] = absl::StrCat("bounds", std::random_device{}(), ".");
    return std::make_unique<EnterprisesProcess>(ENTERPRISES_BINARY, "enterprises", dir_.path(), env,
                                                client);
  }
  void Stop(EnterprisesProcess& p) {
    p.process().Signal(SIGTERM);
    EXPECT_EQ(p.process().Wait(absl::Seconds(5)), 0);
  }
  testing::TempDir dir_;
};

TEST_F(BoundsE2eTest, PlaintextOnAnAddressOtherThanLoopbackNeedsAllowPlaintext) {
  int port = testing::FreePort();
  auto refused = Launch({{"PARKLINE_GRPC_ADDRESS", absl::StrCat("0.0.0.0:", port)}});
  EXPECT_EQ(refused->process().Wait(absl::Seconds(10)), 2) << "a configuration error exits 2";
  EXPECT_NE(Read(dir_.path() + "/enterprises.log").find("allow_plaintext"), std::string::npos);

  auto allowed = Launch({{"PARKLINE_GRPC_ADDRESS", absl::StrCat("0.0.0.0:", port)},
                         {"PARKLINE_ALLOW_PLAINTEXT", "true"}});
  // The test client dials the port ServiceProcess chose; this server listens on `port`.
  auto health = grpc::health::v1::Health::NewStub(
      grpc::CreateChannel(absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials()));
  grpc::ClientContext ctx;
  ctx.set_wait_for_ready(true);
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
  grpc::health::v1::HealthCheckResponse response;
  ASSERT_TRUE(health->Check(&ctx, grpc::health::v1::HealthCheckRequest(), &response).ok());
  EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING);

  // Off loopback the service is in production mode: reflection is for authenticated callers,
  // the health protocol excepted (grpcurl ... grpc.health.v1.Health/Check needs no token).
  auto channel =
      grpc::CreateChannel(absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials());
  auto stranger = testing::ResolveEveryService(channel, "");
  EXPECT_EQ(stranger.status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(stranger.services.empty());
  EXPECT_EQ(testing::ResolveService(channel, "", "grpc.health.v1.Health"), "");
  EXPECT_NE(testing::ResolveService(channel, "", "parkline.enterprises.v1.EnterpriseService"), "");
  auto admin = testing::ResolveEveryService(channel, testing::kAdminToken);
  EXPECT_TRUE(admin.status.ok()) << admin.status.error_message();
  EXPECT_EQ(admin.services.count("parkline.enterprises.v1.EnterpriseService"), 1u);
  for (const auto& [service, why] : admin.unresolved) ADD_FAILURE() << service << ": " << why;
  Stop(*allowed);
}

// What `grpcurl -plaintext host:port grpc.health.v1.Health/Check` needs of every binary (issue
// #21): each service it lists, gRPC's health service included, resolves by reflection to
// descriptors a client can build, imports and all.
TEST_F(BoundsE2eTest, EveryBinaryResolvesEveryServiceItListsByReflection) {
  const std::vector<std::pair<std::string, std::string>> binaries = {
      {"enterprises", ENTERPRISES_BINARY}, {"declarations", DECLARATIONS_BINARY},
      {"clearance", CLEARANCE_BINARY},     {"logistics", LOGISTICS_BINARY},
      {"complaints", COMPLAINTS_BINARY},   {"statistics", STATISTICS_BINARY}};
  for (const auto& [name, binary] : binaries) {
    SCOPED_TRACE(name);
    testing::ServiceProcess p(
        binary, name, dir_.path(),
        {{"PARKLINE_TOPIC_PREFIX", absl::StrCat("reflect", std::random_device{}(), ".")},
         {"PARKLINE_CUSTOMS_GATEWAY", "simulator"}});
    ASSERT_EQ(p.WaitServing(absl::Seconds(30)), grpc::health::v1::HealthCheckResponse::SERVING);
    auto report = p.ResolveReflection();
    EXPECT_TRUE(report.status.ok()) << report.status.error_message();
    EXPECT_EQ(report.services.count("grpc.health.v1.Health"), 1u);
    EXPECT_GE(report.services.size(), 3u) << "its own API, health and reflection";
    for (const auto& [service, why] : report.unresolved) ADD_FAILURE() << service << ": " << why;
    p.process().Signal(SIGTERM);
    EXPECT_EQ(p.process().Wait(absl::Seconds(10)), 0);
  }
}

TEST_F(BoundsE2eTest, ACallerBeyondItsRateGetsResourceExhaustedWithRetryInfo) {
  auto p = Launch({{"PARKLINE_RATE_LIMIT_PER_SECOND", "2"}, {"PARKLINE_RATE_LIMIT_BURST", "3"}});
  ASSERT_EQ(p->WaitServing(absl::Seconds(30)), grpc::health::v1::HealthCheckResponse::SERVING);
  v1::ListUnitsResponse units;
  absl::Status refused;
  int accepted = 0;
  for (int i = 0; i < 10 && refused.ok(); ++i) {
    absl::Status s =
        p->Call(&v1::EnterpriseService::Stub::ListUnits, v1::ListUnitsRequest(), &units);
    if (s.ok())
      ++accepted;
    else
      refused = s;
  }
  EXPECT_GE(accepted, 3);  // the burst
  ASSERT_EQ(refused.code(), absl::StatusCode::kResourceExhausted) << refused;
  EXPECT_NE(refused.message().find("rate limit"), std::string::npos) << refused;
  auto payload = refused.GetPayload("type.googleapis.com/google.rpc.RetryInfo");
  ASSERT_TRUE(payload.has_value()) << "no google.rpc.RetryInfo in the status details";
  google::rpc::RetryInfo retry;
  ASSERT_TRUE(retry.ParseFromString(std::string(*payload)));
  absl::Duration wait =
      absl::Seconds(retry.retry_delay().seconds()) + absl::Nanoseconds(retry.retry_delay().nanos());
  EXPECT_GT(wait, absl::ZeroDuration());
  EXPECT_LE(wait, absl::Milliseconds(500));  // one token at 2 a second

  // Waiting as told is enough.
  absl::SleepFor(wait);
  EXPECT_TRUE(
      p->Call(&v1::EnterpriseService::Stub::ListUnits, v1::ListUnitsRequest(), &units).ok());
  EXPECT_NE(testing::HttpGet(p->metrics_port(), "/metrics")
                .find("parkline_rate_limited_total{grpc_method=\"/parkline.enterprises.v1."
                      "EnterpriseService/ListUnits\"}"),
            std::string::npos);
  Stop(*p);
}

// The PEM certificate the server presented on the connection of one call over `channel`.
std::string ServedCertificate(const std::shared_ptr<grpc::Channel>& channel) {
  auto stub = v1::EnterpriseService::NewStub(channel);
  grpc::ClientContext ctx;
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  ctx.AddMetadata("authorization", std::string("Bearer ") + testing::kAdminToken);
  v1::ListUnitsResponse units;
  grpc::Status status = stub->ListUnits(&ctx, v1::ListUnitsRequest(), &units);
  if (!status.ok()) return "error: " + status.error_message();
  auto auth = ctx.auth_context();
  for (const auto& pem : auth->FindPropertyValues(GRPC_X509_PEM_CERT_PROPERTY_NAME)) {
    return std::string(pem.data(), pem.size());
  }
  return "";
}

std::shared_ptr<grpc::Channel> TlsChannel(const std::string& dir, int port) {
  grpc::SslCredentialsOptions options;
  options.pem_root_certs = Read(dir + "/ca.crt");
  grpc::ChannelArguments args;
  args.SetSslTargetNameOverride("localhost");
  // A channel of its own, never a subchannel shared with an earlier one: a new connection.
  args.SetInt("parkline.test.unique", std::random_device{}());
  return grpc::CreateCustomChannel(absl::StrCat("127.0.0.1:", port), grpc::SslCredentials(options),
                                   args);
}

TEST_F(BoundsE2eTest, AServerCertificateReplacedOnDiskServesNewConnectionsWithoutARestart) {
  const std::string d = dir_.path();
  ASSERT_EQ(std::system(absl::StrCat(MAKE_TEST_CA, " ", d).c_str()), 0);
  ASSERT_EQ(std::rename((d + "/server.crt").c_str(), (d + "/serving.crt").c_str()), 0);
  ASSERT_EQ(std::rename((d + "/server.key").c_str(), (d + "/serving.key").c_str()), 0);
  grpc::SslCredentialsOptions trust;
  trust.pem_root_certs = Read(d + "/ca.crt");
  auto p = Launch({{"PARKLINE_TLS_CERT", d + "/serving.crt"},
                   {"PARKLINE_TLS_KEY", d + "/serving.key"},
                   {"PARKLINE_TLS_RELOAD_SECONDS", "1"}},
                  testing::ClientOptions{grpc::SslCredentials(trust), testing::kAdminToken});
  ASSERT_EQ(p->WaitServing(absl::Seconds(30)), grpc::health::v1::HealthCheckResponse::SERVING);
  pid_t pid = p->process().pid();

  auto live = TlsChannel(d, p->grpc_port());
  const std::string first = ServedCertificate(live);
  ASSERT_EQ(first, Read(d + "/serving.crt"));

  // A renewed certificate from the same CA, a new key: written beside, then renamed into place
  // as a renewal tool (or a Kubernetes Secret volume) does.
  ASSERT_EQ(
      std::system(absl::StrCat("cd ", d,
                               " && openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 "
                               "-out renewed.key 2>/dev/null"
                               " && openssl req -new -key renewed.key -out renewed.csr "
                               "-subj '/O=Parkline Test/CN=localhost renewed'"
                               " && openssl x509 -req -in renewed.csr -CA ca.crt -CAkey ca.key "
                               "-CAcreateserial -out renewed.crt -days 2 -extfile server.ext "
                               "2>/dev/null")
                      .c_str()),
      0);
  const std::string renewed = Read(d + "/renewed.crt");
  ASSERT_NE(renewed, first);
  ASSERT_EQ(std::rename((d + "/renewed.key").c_str(), (d + "/serving.key").c_str()), 0);
  ASSERT_EQ(std::rename((d + "/renewed.crt").c_str(), (d + "/serving.crt").c_str()), 0);

  std::string seen;
  absl::Time deadline = absl::Now() + absl::Seconds(15);
  while (absl::Now() < deadline) {
    seen = ServedCertificate(TlsChannel(d, p->grpc_port()));
    if (seen == renewed) break;
    absl::SleepFor(absl::Milliseconds(250));
  }
  EXPECT_EQ(seen, renewed) << "a new connection still sees the old certificate";
  // The live client went on working throughout, on the connection it had.
  EXPECT_EQ(ServedCertificate(live), first);
  EXPECT_EQ(p->process().pid(), pid);
  EXPECT_FALSE(p->process().Wait(absl::ZeroDuration()).has_value()) << "the service restarted";
  Stop(*p);
}

// Upgrades (issue #21): an older release started on a database that a newer one migrated stops
// at once with exit code 2 and a log line naming both versions, before it serves or writes.
class NewerSchemaE2eTest : public ::testing::TestWithParam<std::string> {};

TEST_P(NewerSchemaE2eTest, AnOlderBinaryRefusesToStartOnANewerSchema) {
  testing::TempDir dir;
  testing::TestDatabase database(GetParam());
  if (database.url().empty()) GTEST_SKIP() << "PARKLINE_TEST_POSTGRES_URL is not set";
  {
    auto db = store::Database::Open(database.url());
    ASSERT_TRUE(db.ok()) << db.status();
    // No migrations of its own: it only makes the table, as a first start would.
    ASSERT_TRUE(store::ApplyMigrations(**db, "probe", {}).ok());
    ASSERT_TRUE((*db)
                    ->Transact([](store::Transaction& tx) {
                      return tx
                          .Execute(
                              "INSERT INTO schema_migrations (component, version, name, "
                              "applied_at) VALUES ('enterprises', 999, 'from a later release', 0)")
                          .status();
                    })
                    .ok());
  }
  const std::string log = dir.path() + "/enterprises.log";
  {
    testing::ChildProcess process(
        ENTERPRISES_BINARY, {},
        {{"PARKLINE_DATABASE_URL", database.url()},
         {"PARKLINE_GRPC_ADDRESS", absl::StrCat("127.0.0.1:", testing::FreePort())},
         {"PARKLINE_METRICS_ADDRESS", absl::StrCat("127.0.0.1:", testing::FreePort())},
         {"PARKLINE_KAFKA_BROKERS", testing::KafkaBrokers()}},
        log);
    EXPECT_EQ(process.Wait(absl::Seconds(30)), 2);
  }
  const std::string text = Read(log);
  EXPECT_NE(text.find("the database schema is newer than this binary"), std::string::npos) << text;
  EXPECT_NE(text.find("enterprises schema is at version 999 (from a later release)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("this binary knows (version "), std::string::npos) << text;
}

INSTANTIATE_TEST_SUITE_P(Backends, NewerSchemaE2eTest,
                         ::testing::ValuesIn(testing::StoreBackends()),
                         [](const auto& info) { return std::string(info.param); });

}  // namespace
}  // namespace parkline
