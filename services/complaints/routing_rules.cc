#include "complaints/routing_rules.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "complaints/vocabulary.h"

namespace parkline::complaints {
namespace {

bool IsDepartmentName(absl::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

}  // namespace

RoutingRules::RoutingRules() {
  routes_ = {{v1::CATEGORY_CLEARANCE, "customs-affairs"},
             {v1::CATEGORY_LOGISTICS, "logistics-services"},
             {v1::CATEGORY_FACILITIES, "facilities-management"},
             {v1::CATEGORY_PROPERTY, "property-management"},
             {v1::CATEGORY_FEES, "finance"},
             {v1::CATEGORY_SERVICE_ATTITUDE, "service-quality"},
             {v1::CATEGORY_OTHER, "service-quality"}};
  supervising_ = "supervision-office";
  Collect();
}

absl::Status RoutingRules::Configure(absl::string_view routes, absl::string_view supervising,
                                     absl::string_view extra_departments) {
  auto next_routes = routes_;
  for (absl::string_view entry : absl::StrSplit(routes, ',', absl::SkipWhitespace())) {
    entry = absl::StripAsciiWhitespace(entry);
    std::vector<absl::string_view> kv = absl::StrSplit(entry, absl::MaxSplits('=', 1));
    auto category = ParseCategory(kv[0]);
    if (kv.size() != 2 || !category || !IsDepartmentName(kv[1])) {
      return absl::InvalidArgumentError(absl::StrCat(
          "routes: '", entry, "' is not <category>=<department> (department: a-z, 0-9, -)"));
    }
    next_routes[*category] = std::string(kv[1]);
  }
  std::set<std::string> next_extra;
  for (absl::string_view d : absl::StrSplit(extra_departments, ',', absl::SkipWhitespace())) {
    d = absl::StripAsciiWhitespace(d);
    if (!IsDepartmentName(d)) {
      return absl::InvalidArgumentError(
          absl::StrCat("departments: '", d, "' is not a department name (a-z, 0-9, -)"));
    }
    next_extra.insert(std::string(d));
  }
  if (!supervising.empty() && !IsDepartmentName(supervising)) {
    return absl::InvalidArgumentError(absl::StrCat("supervising_department: '", supervising,
                                                   "' is not a department name (a-z, 0-9, -)"));
  }
  routes_ = std::move(next_routes);
  extra_ = std::move(next_extra);
  if (!supervising.empty()) supervising_ = std::string(supervising);
  Collect();
  return absl::OkStatus();
}

void RoutingRules::Collect() {
  departments_ = extra_;
  departments_.insert(supervising_);
  for (const auto& [category, department] : routes_) departments_.insert(department);
}

const std::string& RoutingRules::DepartmentFor(v1::Category category) const {
  auto it = routes_.find(category);
  return it == routes_.end() ? routes_.at(v1::CATEGORY_OTHER) : it->second;
}

}  // namespace parkline::complaints
