// Who is calling: a principal with its roles and, for the roles bound to a party, the party it
// speaks for. Plain values; thread-safe to copy and read.
#ifndef PARKLINE_AUTH_PRINCIPAL_H_
#define PARKLINE_AUTH_PRINCIPAL_H_

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace parkline::auth {

enum class Role {
  kParkAdmin,       // "park-admin": runs the park's systems; every RPC
  kParkStaff,       // "park-staff": complaint handling, the enterprise registry
  kEnterprise,      // "enterprise": a resident enterprise, bound to its USCC (and customs code)
  kCustomsGateway,  // "customs-gateway": delivers customs receipts
  kCarrier,         // "carrier": a logistics provider, bound to its carrier code
  kAnalyst,         // "analyst": statistics, read only, aggregates only
};

// "park-admin" ... ; std::nullopt for an unknown name.
std::optional<Role> ParseRole(absl::string_view name);
absl::string_view RoleName(Role role);

struct Principal {
  std::string name;  // for logs and audit: "acme-erp", never a secret
  std::set<Role> roles;
  std::string uscc;          // set for kEnterprise
  std::string customs_code;  // optional for kEnterprise
  std::string carrier_code;  // set for kCarrier
};

// What an RPC touches, as far as row-level rules care: the parties it belongs to. Empty fields
// mean "not tied to that kind of party" (a park-wide list, say).
struct Resource {
  std::string uscc;
  std::string carrier_code;
  // The enterprise codes (USCC or customs code) of every party to a document: platform,
  // e-commerce enterprise, payment and logistics enterprise. An enterprise or carrier caller owns
  // the resource when one of its codes is among them.
  std::vector<std::string> parties;
};

}  // namespace parkline::auth

#endif  // PARKLINE_AUTH_PRINCIPAL_H_
