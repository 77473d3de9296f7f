// A pseudonym for a personal value (an ID number): HMAC-SHA256 of the value under a subkey of a
// ring key for one purpose, in hex. Without the key it cannot be computed, so the set of valid
// values (an 18-digit ID number has about 10^11 of them) cannot be enumerated against the stored
// pseudonyms, as an unkeyed SHA-256 can; the same value under the same key always gives the same
// pseudonym, so records can still be found by it.
//
// The subkey (HMAC of the ring key over "parkline pseudonym:" + purpose) keeps pseudonyms of
// different purposes apart and keeps the ring key itself from being used both to seal
// (sealed_box.h) and to pseudonymise.
//
// Pure functions; thread-safe.
#ifndef PARKLINE_SECRETS_PSEUDONYM_H_
#define PARKLINE_SECRETS_PSEUDONYM_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "secrets/key_ring.h"

namespace parkline::secrets {

// 64 lowercase hex digits.
std::string Pseudonym(const SecretKey& key, absl::string_view purpose, absl::string_view value);

struct KeyedPseudonym {
  std::string key_id;
  std::string pseudonym;
};

// The value's pseudonym under every key of the ring, the active key's first: what a look-up
// searches for, so that rows made under a key rotated out of activity are still found.
std::vector<KeyedPseudonym> PseudonymsUnderEveryKey(const KeyRing& ring, absl::string_view purpose,
                                                    absl::string_view value);

}  // namespace parkline::secrets

#endif  // PARKLINE_SECRETS_PSEUDONYM_H_
