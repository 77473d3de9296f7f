// The short names of complaint categories used in configuration ("facilities=1/3") and logs:
// the enum name without its CATEGORY_ prefix, in lower case.
#ifndef PARKLINE_COMPLAINTS_VOCABULARY_H_
#define PARKLINE_COMPLAINTS_VOCABULARY_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "parkline/complaints/v1/complaints_types.pb.h"

namespace parkline::complaints {

// Every category but UNSPECIFIED, in enum order.
const std::vector<v1::Category>& AllCategories();
// CATEGORY_SERVICE_ATTITUDE -> "service_attitude".
std::string CategoryName(v1::Category category);
std::optional<v1::Category> ParseCategory(absl::string_view name);

}  // namespace parkline::complaints

#endif  // PARKLINE_COMPLAINTS_VOCABULARY_H_
