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

  // Nothing of its own to range-check yet; kept so that the service reads its flags as the
  // others do.
  absl::Status Validate() const { return absl::OkStatus(); }
};

// The flags, once valid.
absl::StatusOr<Config> LoadConfig();

// The key ring of `config.personal_data_keys`; FAILED_PRECONDITION saying what to do when no
// file is named.
absl::StatusOr<secrets::KeyRing> LoadPersonalDataKeys(const Config& config);

}  // namespace parkline::support

#endif  // PARKLINE_SUPPORT_CONFIG_H_
