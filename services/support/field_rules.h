// Field checks the support service's rules share. Pure; thread-safe.
#ifndef PARKLINE_SUPPORT_FIELD_RULES_H_
#define PARKLINE_SUPPORT_FIELD_RULES_H_

#include <cstddef>
#include <string>

#include "errors/violations.h"

namespace parkline::support {

// Adds REQUIRED (empty where min > 0) or OUT_OF_RANGE unless `text` has min..max bytes.
void CheckLength(errors::Violations& v, const char* field, const std::string& text, size_t min,
                 size_t max);

}  // namespace parkline::support

#endif  // PARKLINE_SUPPORT_FIELD_RULES_H_
