// The declarations service's own settings, beside the common ones (runtime::CommonConfig):
// how long a document waits for its partners. Read and checked as runtime/config.h describes.
#ifndef PARKLINE_DECLARATIONS_CONFIG_H_
#define PARKLINE_DECLARATIONS_CONFIG_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace parkline::declarations {

struct Config {
  // --waiting_hours / PARKLINE_WAITING_HOURS: hours a document (order, payment or waybill) may
  // wait for its partners before it expires (DocumentExpired). 1..720, default 72.
  int waiting_hours = 72;

  // INVALID_ARGUMENT naming the flag and its rule.
  absl::Status Validate() const;
};

// The flags, once valid.
absl::StatusOr<Config> LoadConfig();

}  // namespace parkline::declarations

#endif  // PARKLINE_DECLARATIONS_CONFIG_H_
