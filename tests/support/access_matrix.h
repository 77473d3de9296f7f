// The table test every service's access policy gets: every RPC × every role × (the caller's own
// party, somebody else's), plus calls without or with unknown credentials. The test writes the
// expected table out independently of the service's access_policy.cc and supplies how to call
// each RPC; these helpers walk it.
#ifndef PARKLINE_TESTS_SUPPORT_ACCESS_MATRIX_H_
#define PARKLINE_TESTS_SUPPORT_ACCESS_MATRIX_H_

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "auth/access_policy.h"
#include "auth/credentials.h"
#include "auth/grpc_authorizer.h"
#include "google/protobuf/descriptor.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "grpcpp/impl/service_type.h"
#include "grpcpp/support/status.h"
#include "runtime/server.h"

namespace parkline::testing {

// Every role of the park (libs/auth/principal.h).
const std::vector<std::string>& AllRoles();

// The bearer token of the test caller holding `role`.
std::string RoleToken(const std::string& role);

// One caller of a callers file (auth/credentials.h): the bearer token it sends, its principal
// name, its role and the party it is bound to.
struct TestCaller {
  std::string token;
  std::string name;
  std::string role;
  std::string uscc;
  std::string customs_code;
  std::string carrier_code;
};

// A callers file with these callers (only the tokens' SHA-256 in it, as in production).
std::string CallersFile(const std::vector<TestCaller>& callers);

// One caller per role, each bound to `uscc`, `customs_code` and `carrier_code` (so that the
// enterprise and carrier callers have a party of their own), with RoleToken(role).
std::vector<TestCaller> RoleCallers(const std::string& uscc, const std::string& customs_code,
                                    const std::string& carrier_code);

// CallersFile(RoleCallers(uscc, customs_code, carrier_code)).
std::string RoleTokensFile(const std::string& uscc, const std::string& customs_code,
                           const std::string& carrier_code);

struct ExpectedAccess {
  std::set<std::string> any;       // roles that may call about anyone
  std::set<std::string> own_only;  // roles that may call about their own party only
};
using AccessTable = std::map<std::string, ExpectedAccess>;

// Calls RPC `method` with metadata `authorization` ("" for none) about party `target`.
using Invoke = std::function<grpc::Status(
    const std::string& method, const std::string& authorization, const std::string& target)>;

// The table and the calls name exactly the service's methods.
void ExpectTableCoversService(const google::protobuf::ServiceDescriptor* service,
                              const AccessTable& table, const std::set<std::string>& calls);

// Allowed calls are neither PERMISSION_DENIED nor UNAUTHENTICATED; the others PERMISSION_DENIED.
void ExpectEveryRpcTimesEveryRole(const AccessTable& table, const std::string& own,
                                  const std::string& other, const Invoke& invoke);

// Without credentials, with an unknown or malformed one: UNAUTHENTICATED on every RPC.
void ExpectUnauthenticatedWithoutCredentials(const AccessTable& table, const std::string& target,
                                             const Invoke& invoke);

// The serving half of a table test: the callers of RoleTokensFile(uscc, customs_code,
// carrier_code) in dir/tokens.json, an authorizer with the service's `policy`, and the service
// `make` builds around that authorizer, on a loopback port.
class PolicyServer {
 public:
  using MakeService = std::function<std::unique_ptr<grpc::Service>(const auth::Authorizer&)>;
  static absl::StatusOr<std::unique_ptr<PolicyServer>> Start(
      const std::string& dir, const auth::AccessPolicy& policy, const std::string& uscc,
      const std::string& customs_code, const std::string& carrier_code, const MakeService& make);
  // The same with callers of the test's own: several enterprises of one role, say, for a test
  // of what each party of a case sees.
  static absl::StatusOr<std::unique_ptr<PolicyServer>> Start(const std::string& dir,
                                                             const auth::AccessPolicy& policy,
                                                             const std::vector<TestCaller>& callers,
                                                             const MakeService& make);
  ~PolicyServer();
  std::shared_ptr<grpc::Channel> channel() const { return channel_; }

 private:
  PolicyServer() = default;
  std::unique_ptr<auth::CredentialStore> callers_;
  std::unique_ptr<auth::GrpcAuthorizer> authorizer_;
  std::unique_ptr<grpc::Service> service_;
  std::unique_ptr<runtime::GrpcServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
};

// How a table test calls one RPC of `Stub` about party `target`.
template <typename Stub>
using StubCall =
    std::function<grpc::Status(Stub&, grpc::ClientContext*, const std::string& target)>;

// The Invoke of a table of calls: each call gets a context carrying `authorization`.
template <typename Stub>
Invoke InvokerOf(Stub& stub, const std::map<std::string, StubCall<Stub>>& calls) {
  return [&stub, &calls](const std::string& method, const std::string& authorization,
                         const std::string& target) {
    grpc::ClientContext ctx;
    if (!authorization.empty()) ctx.AddMetadata("authorization", authorization);
    return calls.at(method)(stub, &ctx, target);
  };
}

}  // namespace parkline::testing

#endif  // PARKLINE_TESTS_SUPPORT_ACCESS_MATRIX_H_
