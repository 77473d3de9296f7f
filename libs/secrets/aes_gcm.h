// AES-256-GCM (NIST SP 800-38D) through OpenSSL's EVP interface, with a 96-bit nonce and a
// 128-bit tag: the algorithm alone, for sealed_box.h and for known-answer tests. A nonce must
// never repeat under one key; sealed_box.h draws a random one per seal.
//
// Pure functions; thread-safe.
#ifndef PARKLINE_SECRETS_AES_GCM_H_
#define PARKLINE_SECRETS_AES_GCM_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace parkline::secrets {

inline constexpr size_t kGcmNonceBytes = 12;
inline constexpr size_t kGcmTagBytes = 16;

// The ciphertext of `plaintext` followed by its tag. INVALID_ARGUMENT when the key is not 32
// bytes or the nonce not 12.
absl::StatusOr<std::string> Aes256GcmSeal(absl::string_view key, absl::string_view nonce,
                                          absl::string_view plaintext, absl::string_view aad);

// The plaintext of `sealed` (ciphertext followed by tag). DATA_LOSS when the tag does not
// authenticate it with `aad` under `key` (tampered, truncated, another key or another aad);
// INVALID_ARGUMENT for a bad key or nonce size.
absl::StatusOr<std::string> Aes256GcmOpen(absl::string_view key, absl::string_view nonce,
                                          absl::string_view sealed, absl::string_view aad);

}  // namespace parkline::secrets

#endif  // PARKLINE_SECRETS_AES_GCM_H_
