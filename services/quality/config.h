// The quality service's own settings, beside the common ones (runtime::CommonConfig). Read and
// checked as runtime/config.h describes.
#ifndef PARKLINE_QUALITY_CONFIG_H_
#define PARKLINE_QUALITY_CONFIG_H_

#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace parkline::quality {

struct Config {
  // --max_document_bytes / PARKLINE_MAX_DOCUMENT_BYTES: the largest document content stored in
  // the register itself; a larger one is referenced by URI and SHA-256. 1024..6291456 (below
  // gRPC's 8 MiB message limit), default 1048576.
  int64_t max_document_bytes = 1 << 20;

  // INVALID_ARGUMENT naming the flag and its rule when a setting is out of bounds.
  absl::Status Validate() const;
};

// The flags, once valid.
absl::StatusOr<Config> LoadConfig();

}  // namespace parkline::quality

#endif  // PARKLINE_QUALITY_CONFIG_H_
