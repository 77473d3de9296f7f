// The SHA-256 digest in lowercase hex: how the callers file stores tokens and how records are
// chained and fingerprinted. Apart from credentials.h so that pure rules can hash without
// linking the gRPC side of auth. A pure function; thread-safe.
#ifndef PARKLINE_AUTH_SHA256_H_
#define PARKLINE_AUTH_SHA256_H_

#include <string>

#include "absl/strings/string_view.h"

namespace parkline::auth {

// Lowercase hex SHA-256.
std::string Sha256Hex(absl::string_view data);

}  // namespace parkline::auth

#endif  // PARKLINE_AUTH_SHA256_H_
