#include "support/config.h"

#include "absl/flags/flag.h"
#include "runtime/config.h"

ABSL_FLAG(std::string, personal_data_keys, "",
          "the key file sealing the names of registered attendees (required)");

namespace parkline::support {

absl::StatusOr<Config> LoadConfig() {
  Config config;
  config.personal_data_keys = absl::GetFlag(FLAGS_personal_data_keys);
  return runtime::Validated(config);
}

absl::StatusOr<secrets::KeyRing> LoadPersonalDataKeys(const Config& config) {
  return secrets::LoadPersonalDataKeys(config.personal_data_keys, "support",
                                       "seals the names of registered attendees");
}

}  // namespace parkline::support
