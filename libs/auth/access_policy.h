// Which roles may call which RPC, and on whose data. Each service declares its whole policy in
// one table (services/<name>/access_policy.cc) that a reader can audit at a glance; a method
// missing from the table is refused to everyone.
//
// Row-level rule: a role marked `own_only` may call the method only for resources of its own
// party (an enterprise for its USCC, a carrier for its carrier code). The check looks at the
// request alone, before anything is read, so a refusal never reveals whether the object exists.
//
// Immutable after construction; thread-safe.
#ifndef PARKLINE_AUTH_ACCESS_POLICY_H_
#define PARKLINE_AUTH_ACCESS_POLICY_H_

#include <map>
#include <set>
#include <string>

#include "absl/status/status.h"
#include "auth/principal.h"

namespace parkline::auth {

struct MethodRule {
  // Roles that may call the method on any resource.
  std::set<Role> any;
  // Roles that may call it only for their own party's resources.
  std::set<Role> own_only;
};

// Short names of the roles for the policy tables (services/<name>/access_policy.cc), so that a
// table reads as a table: `using namespace auth::policy_roles;` in the function that builds it.
namespace policy_roles {
inline constexpr Role kAdmin = Role::kParkAdmin;
inline constexpr Role kStaff = Role::kParkStaff;
inline constexpr Role kEnterprise = Role::kEnterprise;
inline constexpr Role kCarrier = Role::kCarrier;
inline constexpr Role kGateway = Role::kCustomsGateway;
inline constexpr Role kAnalyst = Role::kAnalyst;
}  // namespace policy_roles

class AccessPolicy {
 public:
  // `service` is the full gRPC service name ("parkline.enterprises.v1.EnterpriseService"); the
  // rules are keyed by method name ("AdmitEnterprise").
  AccessPolicy(std::string service, std::map<std::string, MethodRule> rules)
      : service_(std::move(service)), rules_(std::move(rules)) {}

  // OK, or PERMISSION_DENIED naming the method and the principal (never the resource).
  // `full_method` is "/<service>/<method>".
  absl::Status Check(const Principal& principal, absl::string_view full_method,
                     const Resource& resource) const;

  // Whether the principal may call the method for some resource (a role among `any` or
  // `own_only`): OK, or PERMISSION_DENIED as Check. For the check that comes before a request's
  // payload is read, when the payload is what names the parties (Authorizer::Admit).
  absl::Status Admits(const Principal& principal, absl::string_view full_method) const;

  const std::string& service() const { return service_; }
  const std::map<std::string, MethodRule>& rules() const { return rules_; }

 private:
  std::string service_;
  std::map<std::string, MethodRule> rules_;
};

}  // namespace parkline::auth

#endif  // PARKLINE_AUTH_ACCESS_POLICY_H_
