// Personal data sealed at rest: AES-256-GCM (aes_gcm.h) under the ring's active key, a fresh
// random 96-bit nonce per seal, the key id kept beside the box so that any key of the ring opens
// it again. The associated data binds the box to where it is stored (the caller passes, say,
// "declarations/documents/<kind>/<doc_key>") and to its key id: a box copied to another row, or
// relabelled with another key id, does not open.
//
// The AES key is a subkey of the ring key (HMAC over "parkline seal:aes-256-gcm"), so the ring
// key is never used both to seal and to pseudonymise (pseudonym.h).
//
// With random nonces one key may seal about 2^32 boxes before a nonce collision becomes a risk
// (SP 800-38D 8.3); rotate keys (KeyRing::WithNewActiveKey) long before.
//
// Pure functions (the nonce from OpenSSL's CSPRNG); thread-safe.
#ifndef PARKLINE_SECRETS_SEALED_BOX_H_
#define PARKLINE_SECRETS_SEALED_BOX_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "secrets/key_ring.h"

namespace parkline::secrets {

struct Sealed {
  std::string key_id;
  std::string box;  // nonce (12 bytes) || ciphertext || tag (16 bytes)
};

// `plaintext` sealed under the ring's active key. FAILED_PRECONDITION for an empty ring.
absl::StatusOr<Sealed> Seal(const KeyRing& ring, absl::string_view plaintext,
                            absl::string_view aad);

// The plaintext of `sealed`. NOT_FOUND when the ring has no key of its id (a key removed too
// early); DATA_LOSS when it does not authenticate with `aad` (tampered, moved, relabelled).
absl::StatusOr<std::string> Open(const KeyRing& ring, const Sealed& sealed, absl::string_view aad);

}  // namespace parkline::secrets

#endif  // PARKLINE_SECRETS_SEALED_BOX_H_
