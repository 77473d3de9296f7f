#include "support/field_rules.h"

#include "absl/strings/str_cat.h"

namespace parkline::support {

void CheckLength(errors::Violations& v, const char* field, const std::string& text, size_t min,
                 size_t max) {
  if (text.size() < min || text.size() > max) {
    v.Add(field, text.empty() && min > 0 ? "REQUIRED" : "OUT_OF_RANGE",
          absl::StrCat(field, " has ", min, "..", max, " bytes"));
  }
}

}  // namespace parkline::support
