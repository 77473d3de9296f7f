// Signing the inventory message before it goes to customs: a pluggable step. The production
// signer (SM2 with the enterprise's e-Port card, or RSA) is out of scope here; UnsignedSigner is
// what tests and the simulator use.
//
// Thread-safety: implementations must be thread-safe (one signer serves every request).
#ifndef PARKLINE_CLEARANCE_MESSAGE_SIGNER_H_
#define PARKLINE_CLEARANCE_MESSAGE_SIGNER_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace parkline::clearance {

class MessageSigner {
 public:
  virtual ~MessageSigner() = default;
  // Returns `xml` (a complete CEB message without signature) with its <ds:Signature> as the last
  // child of the root element.
  virtual absl::StatusOr<std::string> Sign(absl::string_view xml) const = 0;
  // Whether the signature is real. An unsigned message can only be stored by the e-Port as a
  // draft (appStatus 1, 暂存), never declared (appStatus 2).
  virtual bool signs() const = 0;
};

// Writes the structure the XSD requires (CEB621 makes <ds:Signature> mandatory) with the
// specification's SM2/SM3 algorithm names and empty digest and signature values.
class UnsignedSigner final : public MessageSigner {
 public:
  absl::StatusOr<std::string> Sign(absl::string_view xml) const override;
  bool signs() const override { return false; }
};

}  // namespace parkline::clearance

#endif  // PARKLINE_CLEARANCE_MESSAGE_SIGNER_H_
