// Signing the inventory message before it goes to customs (specification 202205, clause 6): a
// pluggable step. XmlDsigSigner signs for real with the park's key (libs/ceb/xml_signature.h:
// SM2/SM3 or RSA/SHA-1, the key in a PEM file or on a PKCS#11 device) and checks its own
// signature before the message is stored; UnsignedSigner writes drafts, for development, tests
// and the simulator.
//
// Thread-safety: implementations must be thread-safe (one signer serves every request).
#ifndef PARKLINE_CLEARANCE_MESSAGE_SIGNER_H_
#define PARKLINE_CLEARANCE_MESSAGE_SIGNER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "ceb/xml_signature.h"

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
  // The suite's short name for metrics and logs: "sm2-sm3", "rsa-sha1", or "none".
  virtual std::string algorithm() const = 0;
};

// Writes the structure the XSD requires (CEB621 makes <ds:Signature> mandatory) with the
// specification's SM2/SM3 algorithm names and empty digest and signature values.
class UnsignedSigner final : public MessageSigner {
 public:
  absl::StatusOr<std::string> Sign(absl::string_view xml) const override;
  bool signs() const override { return false; }
  std::string algorithm() const override { return "none"; }
};

// The real signature. Every message is verified with the key's own certificate right after
// signing, so a device that returns a wrong value (or a canonicalisation fault) is caught here
// and not by customs: INTERNAL then, the key's own error (UNAVAILABLE for a silent device) when
// it cannot sign.
class XmlDsigSigner final : public MessageSigner {
 public:
  explicit XmlDsigSigner(std::shared_ptr<const ceb::SigningKey> key) : key_(std::move(key)) {}
  absl::StatusOr<std::string> Sign(absl::string_view xml) const override;
  bool signs() const override { return true; }
  std::string algorithm() const override { return std::string(ceb::SuiteName(key_->suite())); }

 private:
  std::shared_ptr<const ceb::SigningKey> key_;
};

}  // namespace parkline::clearance

#endif  // PARKLINE_CLEARANCE_MESSAGE_SIGNER_H_
