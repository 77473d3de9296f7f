// Which department is responsible for a complaint (7.3.1: a responsible department), by category,
// and which department supervises overdue complaints (督办).
//
// Defaults: clearance -> customs-affairs, logistics -> logistics-services,
// facilities -> facilities-management, property -> property-management, fees -> finance,
// service_attitude -> service-quality, other -> service-quality; supervising department
// supervision-office. Overridden with --routes "fees=finance,other=front-desk" and
// --supervising_department; --departments names further departments a complaint may be
// assigned to by hand.
//
// Immutable after construction; thread-safe.
#ifndef PARKLINE_COMPLAINTS_ROUTING_RULES_H_
#define PARKLINE_COMPLAINTS_ROUTING_RULES_H_

#include <map>
#include <set>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "parkline/complaints/v1/complaints_types.pb.h"

namespace parkline::complaints {

class RoutingRules {
 public:
  // The defaults above.
  RoutingRules();

  // Applies "category=department,..." routes, the supervising department (unless empty) and
  // extra departments ("a,b"). INVALID_ARGUMENT names the bad entry (unknown category, a
  // department name that is not [a-z0-9-], 1..64 characters).
  absl::Status Configure(absl::string_view routes, absl::string_view supervising,
                         absl::string_view extra_departments);

  const std::string& DepartmentFor(v1::Category category) const;
  const std::string& supervising() const { return supervising_; }
  bool IsDepartment(absl::string_view name) const { return departments_.count(std::string(name)); }
  const std::set<std::string>& departments() const { return departments_; }

 private:
  void Collect();

  std::map<v1::Category, std::string> routes_;
  std::string supervising_;
  std::set<std::string> extra_;
  std::set<std::string> departments_;
};

}  // namespace parkline::complaints

#endif  // PARKLINE_COMPLAINTS_ROUTING_RULES_H_
