// The declarations service's own settings, beside the common ones (runtime::CommonConfig):
// how long a document waits for its partners, and the personal-data keys and retention. Read and
// checked as runtime/config.h describes.
#ifndef PARKLINE_DECLARATIONS_CONFIG_H_
#define PARKLINE_DECLARATIONS_CONFIG_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "secrets/key_ring.h"

namespace parkline::declarations {

struct Config {
  // --waiting_hours / PARKLINE_WAITING_HOURS: hours a document (order, payment or waybill) may
  // wait for its partners before it expires (DocumentExpired). 1..720, default 72.
  int waiting_hours = 72;
  // --personal_data_keys / PARKLINE_PERSONAL_DATA_KEYS: the key file (secrets/key_ring.h) that
  // seals buyers', payers' and consignees' personal data and keys buyers' quota. Required: the
  // service refuses to start without it (no default, and none generated: a key made up on the
  // spot and lost with a container's disk would make every sealed field and every buyer's year
  // unreadable). `tools/dev` writes one for the local park; on Kubernetes it is a Secret.
  std::string personal_data_keys;
  // --personal_data_retention_days / PARKLINE_PERSONAL_DATA_RETENTION_DAYS: days the personal
  // data of a document is kept once its declaration is final (matched, rejected, withdrawn) or
  // the document was withdrawn or expired; then it is erased. 1..3650, default 180.
  int personal_data_retention_days = 180;
  // --max_message_documents / PARKLINE_MAX_MESSAGE_DOCUMENTS: documents (orders, payments,
  // receipts, waybills) one SubmitMessage may carry; the reader stops at the first one beyond it
  // and the call is refused INVALID_ARGUMENT, nothing stored. 1..100000, default 1000.
  int max_message_documents = 1000;

  // INVALID_ARGUMENT naming the flag and its rule.
  absl::Status Validate() const;
};

// The flags, once valid.
absl::StatusOr<Config> LoadConfig();

// The key ring of `config.personal_data_keys`; FAILED_PRECONDITION saying what to do when no
// file is named, the key file's error when it cannot be read.
absl::StatusOr<secrets::KeyRing> LoadPersonalDataKeys(const Config& config);

}  // namespace parkline::declarations

#endif  // PARKLINE_DECLARATIONS_CONFIG_H_
