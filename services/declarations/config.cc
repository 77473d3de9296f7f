#include "declarations/config.h"

#include "absl/flags/flag.h"
#include "runtime/config.h"

// Defaults come from Config, so that the flag and the struct cannot disagree.
ABSL_FLAG(int, waiting_hours, parkline::declarations::Config().waiting_hours,
          "hours a document may wait for its partners before it expires (1..720)");
ABSL_FLAG(std::string, personal_data_keys, "",
          "the key file sealing personal data and keying buyers' quota (required)");
ABSL_FLAG(int, personal_data_retention_days,
          parkline::declarations::Config().personal_data_retention_days,
          "days personal data is kept once a declaration is final (1..3650)");
ABSL_FLAG(int, max_message_documents, parkline::declarations::Config().max_message_documents,
          "documents one SubmitMessage may carry (1..100000)");

namespace parkline::declarations {

absl::Status Config::Validate() const {
  return runtime::FirstError(
      {runtime::ValidateRange("waiting_hours", waiting_hours, 1, 720),
       runtime::ValidateRange("personal_data_retention_days", personal_data_retention_days, 1,
                              3650),
       runtime::ValidateRange("max_message_documents", max_message_documents, 1, 100000)});
}

absl::StatusOr<Config> LoadConfig() {
  Config config;
  config.waiting_hours = absl::GetFlag(FLAGS_waiting_hours);
  config.personal_data_keys = absl::GetFlag(FLAGS_personal_data_keys);
  config.personal_data_retention_days = absl::GetFlag(FLAGS_personal_data_retention_days);
  config.max_message_documents = absl::GetFlag(FLAGS_max_message_documents);
  return runtime::Validated(config);
}

absl::StatusOr<secrets::KeyRing> LoadPersonalDataKeys(const Config& config) {
  return secrets::LoadPersonalDataKeys(config.personal_data_keys, "declarations",
                                       "seals buyers' personal data");
}

}  // namespace parkline::declarations
