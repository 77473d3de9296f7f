#include "declarations/config.h"

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "runtime/config.h"

// Defaults come from Config, so that the flag and the struct cannot disagree.
ABSL_FLAG(int, waiting_hours, parkline::declarations::Config().waiting_hours,
          "hours a document may wait for its partners before it expires (1..720)");
ABSL_FLAG(std::string, personal_data_keys, "",
          "the key file sealing personal data and keying buyers' quota (required)");
ABSL_FLAG(int, personal_data_retention_days,
          parkline::declarations::Config().personal_data_retention_days,
          "days personal data is kept once a declaration is final (1..3650)");

namespace parkline::declarations {

absl::Status Config::Validate() const {
  if (auto s = runtime::ValidateRange("waiting_hours", waiting_hours, 1, 720); !s.ok()) return s;
  return runtime::ValidateRange("personal_data_retention_days", personal_data_retention_days, 1,
                                3650);
}

absl::StatusOr<Config> LoadConfig() {
  Config config;
  config.waiting_hours = absl::GetFlag(FLAGS_waiting_hours);
  config.personal_data_keys = absl::GetFlag(FLAGS_personal_data_keys);
  config.personal_data_retention_days = absl::GetFlag(FLAGS_personal_data_retention_days);
  return runtime::Validated(config);
}

absl::StatusOr<secrets::KeyRing> LoadPersonalDataKeys(const Config& config) {
  if (config.personal_data_keys.empty()) {
    return absl::FailedPreconditionError(
        "personal_data_keys: declarations seals buyers' personal data and needs a key file "
        "(--personal_data_keys or PARKLINE_PERSONAL_DATA_KEYS); make one with "
        "`parkctl personal-data-keys new <file>` (docs/security.md)");
  }
  auto ring = secrets::KeyRing::Load(config.personal_data_keys);
  if (!ring.ok()) {
    return absl::Status(ring.status().code(),
                        absl::StrCat("personal_data_keys: ", ring.status().message()));
  }
  return ring;
}

}  // namespace parkline::declarations
