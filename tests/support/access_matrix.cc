#include "tests/support/access_matrix.h"

#include <gtest/gtest.h>

#include <fstream>

#include "absl/strings/str_cat.h"
#include "auth/credentials.h"
#include "grpcpp/create_channel.h"

namespace parkline::testing {

const std::vector<std::string>& AllRoles() {
  static const auto* roles = new std::vector<std::string>{
      "park-admin", "park-staff", "enterprise", "customs-gateway", "carrier", "analyst"};
  return *roles;
}

std::string RoleToken(const std::string& role) { return "test-token-of-" + role; }

std::string CallersFile(const std::vector<TestCaller>& callers) {
  std::string tokens = R"({"tokens":[)";
  for (size_t i = 0; i < callers.size(); ++i) {
    const TestCaller& c = callers[i];
    absl::StrAppend(&tokens, i ? "," : "", R"({"sha256":")", auth::Sha256Hex(c.token),
                    R"(","principal":")", c.name, R"(","roles":[")", c.role, R"("],"uscc":")",
                    c.uscc, R"(","customs_code":")", c.customs_code, R"(","carrier_code":")",
                    c.carrier_code, R"("})");
  }
  return tokens + "]}";
}

std::vector<TestCaller> RoleCallers(const std::string& uscc, const std::string& customs_code,
                                    const std::string& carrier_code) {
  std::vector<TestCaller> callers;
  for (const std::string& role : AllRoles()) {
    callers.push_back({RoleToken(role), role + "-caller", role, uscc, customs_code, carrier_code});
  }
  return callers;
}

std::string RoleTokensFile(const std::string& uscc, const std::string& customs_code,
                           const std::string& carrier_code) {
  return CallersFile(RoleCallers(uscc, customs_code, carrier_code));
}

void ExpectTableCoversService(const google::protobuf::ServiceDescriptor* service,
                              const AccessTable& table, const std::set<std::string>& calls) {
  ASSERT_NE(service, nullptr);
  ASSERT_EQ(static_cast<size_t>(service->method_count()), table.size());
  for (int i = 0; i < service->method_count(); ++i) {
    EXPECT_EQ(table.count(service->method(i)->name()), 1u) << service->method(i)->name();
    EXPECT_EQ(calls.count(service->method(i)->name()), 1u) << service->method(i)->name();
  }
}

void ExpectEveryRpcTimesEveryRole(const AccessTable& table, const std::string& own,
                                  const std::string& other, const Invoke& invoke) {
  for (const auto& [method, expected] : table) {
    for (const std::string& role : AllRoles()) {
      for (const std::string& target : {own, other}) {
        bool allowed =
            expected.any.count(role) > 0 || (expected.own_only.count(role) > 0 && target == own);
        grpc::Status status = invoke(method, "Bearer " + RoleToken(role), target);
        SCOPED_TRACE(
            absl::StrCat(method, " as ", role, " about ", target, ": ", status.error_message()));
        if (allowed) {
          EXPECT_NE(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
          EXPECT_NE(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
        } else {
          EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
        }
      }
    }
  }
}

void ExpectUnauthenticatedWithoutCredentials(const AccessTable& table, const std::string& target,
                                             const Invoke& invoke) {
  for (const auto& [method, expected] : table) {
    for (const std::string& authorization :
         {std::string(), std::string("Bearer not-a-token"), std::string("Basic abc"),
          "Bearer " + RoleToken("park-admin") + "x"}) {
      EXPECT_EQ(invoke(method, authorization, target).error_code(),
                grpc::StatusCode::UNAUTHENTICATED)
          << method << " with '" << authorization << "'";
    }
  }
}

absl::StatusOr<std::unique_ptr<PolicyServer>> PolicyServer::Start(
    const std::string& dir, const auth::AccessPolicy& policy, const std::string& uscc,
    const std::string& customs_code, const std::string& carrier_code, const MakeService& make) {
  return Start(dir, policy, RoleCallers(uscc, customs_code, carrier_code), make);
}

absl::StatusOr<std::unique_ptr<PolicyServer>> PolicyServer::Start(
    const std::string& dir, const auth::AccessPolicy& policy,
    const std::vector<TestCaller>& callers, const MakeService& make) {
  std::unique_ptr<PolicyServer> p(new PolicyServer());
  std::ofstream(dir + "/tokens.json") << CallersFile(callers);
  p->callers_ = std::make_unique<auth::CredentialStore>(dir + "/tokens.json");
  if (auto s = p->callers_->Load(); !s.ok()) return s;
  p->authorizer_ = std::make_unique<auth::GrpcAuthorizer>(*p->callers_, policy);
  p->service_ = make(*p->authorizer_);
  runtime::ServerOptions options;
  options.address = "127.0.0.1:0";
  auto server = runtime::GrpcServer::Start(options, {p->service_.get()});
  if (!server.ok()) return server.status();
  p->server_ = std::move(*server);
  p->channel_ = grpc::CreateChannel(absl::StrCat("127.0.0.1:", p->server_->port()),
                                    grpc::InsecureChannelCredentials());
  return p;
}

// The server stops before the service and the authorizer it uses go.
PolicyServer::~PolicyServer() { server_.reset(); }

}  // namespace parkline::testing
