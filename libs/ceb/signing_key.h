// Where the signing key of xml_signature.h comes from:
// - a PEM private key file and its certificate (PEM or DER), e.g. a Kubernetes Secret mounted as
//   files. SM2 or RSA, found from the key itself.
// - a PKCS#11 device (the e-Port's signing device, or SoftHSM2 in tests): the module is loaded,
//   the token found by slot id or label, logged in with the user PIN read from a file, and the
//   private key found by label; every signature is computed on the device, the key never leaves
//   it. RSA keys sign with CKM_SHA1_RSA_PKCS. SM2 on PKCS#11 has no standard mechanism (each
//   vendor defines its own), so a device's SM2 key is refused with a message saying so; such a
//   device is used through its PEM export or a vendor module that presents RSA.
//
// Both check at load that the key and the certificate belong together (a test signature verified
// with the certificate), so a mismatched pair stops the service at start rather than at customs.
//
// Thread-safety: the keys are thread-safe (the PKCS#11 session is used under a mutex).
#ifndef PARKLINE_CEB_SIGNING_KEY_H_
#define PARKLINE_CEB_SIGNING_KEY_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "ceb/xml_signature.h"

namespace parkline::ceb {

// NOT_FOUND / INVALID_ARGUMENT naming the file and what is wrong with it; FAILED_PRECONDITION when
// key and certificate do not match.
absl::StatusOr<std::unique_ptr<SigningKey>> LoadPemSigningKey(const std::string& key_path,
                                                              const std::string& certificate_path,
                                                              const std::string& key_name);

struct Pkcs11Options {
  std::string module_path;  // the vendor's PKCS#11 library (.so)
  int64_t slot_id = -1;     // the slot; -1: found by token_label instead
  std::string token_label;  // used when slot_id is -1
  std::string pin_file;     // the user PIN, alone in the file (a trailing newline is ignored)
  std::string key_label;    // CKA_LABEL of the private key
  // The certificate (PEM or DER file); empty: the certificate object with the key's label on the
  // token.
  std::string certificate_path;
  std::string key_name;  // written in <ds:KeyName>
};

// FAILED_PRECONDITION / NOT_FOUND / INVALID_ARGUMENT saying which step failed (module, slot,
// login, key, certificate) with the PKCS#11 return code.
absl::StatusOr<std::unique_ptr<SigningKey>> OpenPkcs11SigningKey(const Pkcs11Options& options);

}  // namespace parkline::ceb

#endif  // PARKLINE_CEB_SIGNING_KEY_H_
