// The support service's own settings, beside the common ones (runtime::CommonConfig): the key
// ring that seals named attendees. Read and checked as runtime/config.h describes; the key file
// is checked when it is loaded (LoadPersonalDataKeys).
#ifndef PARKLINE_SUPPORT_CONFIG_H_
#define PARKLINE_SUPPORT_CONFIG_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "secrets/key_ring.h"

namespace parkline::support {

struct Config {
  // --personal_data_keys / PARKLINE_PERSONAL_DATA_KEYS: the key file (secrets/key_ring.h) that
  // seals the names of attendees an enterprise registers by name. Required, for the reason the
  // declarations service gives: a key made up at start and lost would make every sealed name
  // unreadable. `tools/dev` writes one for the local park; on Kubernetes it is a Secret.
  std::string personal_data_keys;
  // --calendar_file / PARKLINE_CALENDAR_FILE: a working-day calendar JSON, as the complaints
  // service reads it. Default empty: the calendar built into the binary
  // (libs/calendar/data/calendar-cn.json).
  std::string calendar_file;
  // --supervision_seconds / PARKLINE_SUPERVISION_SECONDS: seconds between two runs of the job
  // that marks service requests past their committed response time. 1..3600, default 60.
  int supervision_seconds = 60;

  // INVALID_ARGUMENT naming the flag when a number is out of bounds.
  absl::Status Validate() const;
};

// The flags, once valid.
absl::StatusOr<Config> LoadConfig();

// The key ring of `config.personal_data_keys`; FAILED_PRECONDITION saying what to do when no
// file is named.
absl::StatusOr<secrets::KeyRing> LoadPersonalDataKeys(const Config& config);

}  // namespace parkline::support

#endif  // PARKLINE_SUPPORT_CONFIG_H_
