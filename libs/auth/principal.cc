#include "auth/principal.h"

namespace parkline::auth {
namespace {

constexpr std::pair<Role, absl::string_view> kNames[] = {
    {Role::kParkAdmin, "park-admin"},  {Role::kParkStaff, "park-staff"},
    {Role::kEnterprise, "enterprise"}, {Role::kCustomsGateway, "customs-gateway"},
    {Role::kCarrier, "carrier"},       {Role::kAnalyst, "analyst"},
};

}  // namespace

std::optional<Role> ParseRole(absl::string_view name) {
  for (const auto& [role, text] : kNames) {
    if (text == name) return role;
  }
  return std::nullopt;
}

absl::string_view RoleName(Role role) {
  for (const auto& [r, text] : kNames) {
    if (r == role) return text;
  }
  return "unknown";
}

}  // namespace parkline::auth
