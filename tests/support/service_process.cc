#include "tests/support/service_process.h"

#include <fstream>

#include "absl/strings/str_cat.h"
#include "auth/credentials.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "secrets/key_ring.h"

namespace parkline::testing {

std::string AdminTokensFile() {
  return absl::StrCat(R"({"tokens":[{"sha256":")", auth::Sha256Hex(kAdminToken),
                      R"(","principal":"e2e-admin","roles":["park-admin"]}]})");
}

ServiceProcess::ServiceProcess(const std::string& binary, const std::string& name,
                               const std::string& dir, std::map<std::string, std::string> extra_env,
                               ClientOptions client)
    : token_(client.token), grpc_port_(FreePort()), metrics_port_(FreePort()) {
  if (!std::ifstream(dir + "/tokens.json"))
    std::ofstream(dir + "/tokens.json") << AdminTokensFile();
  // Declarations and clearance refuse to start without the personal-data keys; the other services
  // ignore the variable. One ring per test folder, so a restarted process reads what it sealed
  // before.
  if (!std::ifstream(dir + "/personal-data-keys.json")) {
    std::ofstream(dir + "/personal-data-keys.json") << secrets::KeyRing::Generate("e2e-1").ToJson();
  }
  std::map<std::string, std::string> env = {
      {"PARKLINE_DATABASE_URL", "sqlite://" + dir + "/" + name + ".db"},
      {"PARKLINE_GRPC_ADDRESS", absl::StrCat("127.0.0.1:", grpc_port_)},
      {"PARKLINE_METRICS_ADDRESS", absl::StrCat("127.0.0.1:", metrics_port_)},
      {"PARKLINE_KAFKA_BROKERS", KafkaBrokers()},
      {"PARKLINE_TOKENS_FILE", dir + "/tokens.json"},
      {"PARKLINE_PERSONAL_DATA_KEYS", dir + "/personal-data-keys.json"}};
  for (auto& [k, v] : extra_env) env[k] = v;
  process_ = std::make_unique<ChildProcess>(binary, std::vector<std::string>{}, env,
                                            dir + "/" + name + ".log");
  ServiceProcess::Connect(client);
}

void ServiceProcess::Connect(const ClientOptions& client) {
  grpc::ChannelArguments args;
  args.SetSslTargetNameOverride("localhost");
  // The process is still starting when the first call goes out: retry the connection quickly
  // rather than with gRPC's default one-second-and-growing backoff.
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 50);
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 50);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 250);
  channel_ =
      grpc::CreateCustomChannel(absl::StrCat("127.0.0.1:", grpc_port_), client.credentials, args);
  token_ = client.token;
  health_ = grpc::health::v1::Health::NewStub(channel_);
}

grpc::health::v1::HealthCheckResponse::ServingStatus ServiceProcess::WaitServing(
    absl::Duration timeout) {
  absl::Time deadline = absl::Now() + timeout;
  auto status = grpc::health::v1::HealthCheckResponse::UNKNOWN;
  while (absl::Now() < deadline) {
    grpc::ClientContext ctx;
    ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(1)));
    ctx.set_wait_for_ready(true);
    grpc::health::v1::HealthCheckRequest request;
    grpc::health::v1::HealthCheckResponse response;
    if (health_->Check(&ctx, request, &response).ok()) {
      status = response.status();
      if (status == grpc::health::v1::HealthCheckResponse::SERVING) break;
    }
    absl::SleepFor(absl::Milliseconds(50));
  }
  return status;
}

std::set<std::string> ServiceProcess::ReflectedServices() {
  auto stub = grpc::reflection::v1alpha::ServerReflection::NewStub(channel_);
  grpc::ClientContext ctx;
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
  auto stream = stub->ServerReflectionInfo(&ctx);
  grpc::reflection::v1alpha::ServerReflectionRequest request;
  request.set_list_services("");
  stream->Write(request);
  stream->WritesDone();
  std::set<std::string> names;
  grpc::reflection::v1alpha::ServerReflectionResponse response;
  while (stream->Read(&response)) {
    for (const auto& s : response.list_services_response().service()) names.insert(s.name());
  }
  stream->Finish().IgnoreError();
  return names;
}

ReflectionReport ServiceProcess::ResolveReflection() {
  return ResolveEveryService(channel_, token_);
}

}  // namespace parkline::testing
