#include "quality/config.h"

#include "absl/flags/flag.h"
#include "runtime/config.h"

// Defaults come from Config, so that the flag and the struct cannot disagree.
ABSL_FLAG(int64_t, max_document_bytes, parkline::quality::Config().max_document_bytes,
          "the largest document content stored in the register itself; a larger one is "
          "referenced by URI and SHA-256 (1024..6291456)");

namespace parkline::quality {

absl::Status Config::Validate() const {
  return runtime::FirstError(
      {runtime::ValidateRange("max_document_bytes", max_document_bytes, 1024, 6 << 20)});
}

absl::StatusOr<Config> LoadConfig() {
  Config config;
  config.max_document_bytes = absl::GetFlag(FLAGS_max_document_bytes);
  return runtime::Validated(config);
}

}  // namespace parkline::quality
