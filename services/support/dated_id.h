// Ids of activities, registrations, offerings and requests: a prefix, the park's date, then 12
// random hex digits (a UUID's last 12; its first ones are its time), so that an id says its day.
#ifndef PARKLINE_SUPPORT_DATED_ID_H_
#define PARKLINE_SUPPORT_DATED_ID_H_

#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace parkline::support {

std::string NewId(absl::string_view prefix, absl::Time now);

}  // namespace parkline::support

#endif  // PARKLINE_SUPPORT_DATED_ID_H_
