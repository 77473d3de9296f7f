#include "support/dated_id.h"

#include "absl/strings/str_cat.h"
#include "events/envelope.h"

namespace parkline::support {

std::string NewId(absl::string_view prefix, absl::Time now) {
  return absl::StrCat(prefix, absl::FormatTime("%Y%m%d", now, absl::FixedTimeZone(8 * 3600)), "-",
                      events::NewUuid().substr(24));
}

}  // namespace parkline::support
