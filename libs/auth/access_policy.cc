#include "auth/access_policy.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace parkline::auth {
namespace {

bool IsParty(const std::string& code, const Resource& r) {
  return !code.empty() && std::find(r.parties.begin(), r.parties.end(), code) != r.parties.end();
}

bool OwnsResource(const Principal& p, Role role, const Resource& r) {
  switch (role) {
    case Role::kEnterprise:
      if (IsParty(p.uscc, r) || IsParty(p.customs_code, r)) return true;
      return !p.uscc.empty() && r.uscc == p.uscc && r.carrier_code.empty();
    case Role::kCarrier:
      if (IsParty(p.carrier_code, r)) return true;
      return !p.carrier_code.empty() && r.carrier_code == p.carrier_code && r.uscc.empty();
    default:
      return false;  // the park's own roles are not bound to a party
  }
}

}  // namespace

absl::Status AccessPolicy::Admits(const Principal& principal, absl::string_view full_method) const {
  absl::string_view method = full_method.substr(full_method.rfind('/') + 1);
  auto rule = rules_.find(std::string(method));
  if (full_method == absl::StrCat("/", service_, "/", method) && rule != rules_.end()) {
    for (Role role : principal.roles) {
      if (rule->second.any.count(role) > 0 || rule->second.own_only.count(role) > 0) {
        return absl::OkStatus();
      }
    }
  }
  return absl::PermissionDeniedError(
      absl::StrCat("caller '", principal.name, "' may not call ", method));
}

absl::Status AccessPolicy::Check(const Principal& principal, absl::string_view full_method,
                                 const Resource& resource) const {
  absl::string_view method = full_method.substr(full_method.rfind('/') + 1);
  auto denied = [&] {
    return absl::PermissionDeniedError(
        absl::StrCat("caller '", principal.name, "' may not call ", method));
  };
  auto rule = rules_.find(std::string(method));
  if (full_method != absl::StrCat("/", service_, "/", method) || rule == rules_.end()) {
    return denied();
  }
  for (Role role : principal.roles) {
    if (rule->second.any.count(role) > 0) return absl::OkStatus();
    if (rule->second.own_only.count(role) > 0 && OwnsResource(principal, role, resource)) {
      return absl::OkStatus();
    }
  }
  return denied();
}

}  // namespace parkline::auth
