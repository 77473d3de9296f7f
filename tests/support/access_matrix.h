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

#include "google/protobuf/descriptor.h"
#include "grpcpp/support/status.h"

namespace parkline::testing {

// Every role of the park (libs/auth/principal.h).
const std::vector<std::string>& AllRoles();

// The bearer token of the test caller holding `role`.
std::string RoleToken(const std::string& role);

// A callers file with one caller per role, each bound to `uscc`, `customs_code` and
// `carrier_code` (so that the enterprise and carrier callers have a party of their own).
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

}  // namespace parkline::testing

#endif  // PARKLINE_TESTS_SUPPORT_ACCESS_MATRIX_H_
