// HMAC-SHA256 (RFC 2104, FIPS 198-1) through OpenSSL. A pure function; thread-safe.
#ifndef PARKLINE_SECRETS_HMAC_H_
#define PARKLINE_SECRETS_HMAC_H_

#include <string>

#include "absl/strings/string_view.h"

namespace parkline::secrets {

// The 32-byte HMAC-SHA256 of `message` under `key` (any length), raw bytes.
std::string HmacSha256(absl::string_view key, absl::string_view message);

}  // namespace parkline::secrets

#endif  // PARKLINE_SECRETS_HMAC_H_
