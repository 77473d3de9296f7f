// A protobuf message split in two by field path: the message with some fields cleared (stored as
// it is) and a message of the same type holding only those fields (sealed, sealed_box.h). What
// both services that keep personal data use to decide what is sealed: declarations'
// personal_fields.h and clearance's inventory_personal.h name the paths, this file does the
// cutting and the joining.
//
// A path names a singular string field, through singular message fields: "buyer_name",
// "inventory.buyer_id_number". Both parts serialize as messages of the original type, so joining
// them gives the original back byte for byte (fields serialize in number order, and a part holds
// no field the other does).
//
// Pure functions; thread-safe.
#ifndef PARKLINE_SECRETS_MESSAGE_SPLIT_H_
#define PARKLINE_SECRETS_MESSAGE_SPLIT_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"

namespace parkline::secrets {

// Clears the fields at `paths` in `message` and returns them as a serialized message of the same
// type; empty when every one of them was empty. INVALID_ARGUMENT naming the path when one is not a
// singular string field of the message's type (a programming error: the paths are constants).
absl::StatusOr<std::string> CutFields(google::protobuf::Message& message,
                                      const std::vector<std::string>& paths);

// Merges `cut` (what CutFields returned; empty: nothing) back into `message`. DATA_LOSS when it
// does not parse as the message's type.
absl::Status JoinFields(google::protobuf::Message& message, absl::string_view cut);

}  // namespace parkline::secrets

#endif  // PARKLINE_SECRETS_MESSAGE_SPLIT_H_
