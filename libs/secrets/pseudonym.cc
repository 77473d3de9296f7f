#include "secrets/pseudonym.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "secrets/hmac.h"

namespace parkline::secrets {

std::string Pseudonym(const SecretKey& key, absl::string_view purpose, absl::string_view value) {
  std::string subkey = HmacSha256(key.bytes, absl::StrCat("parkline pseudonym:", purpose));
  return absl::BytesToHexString(HmacSha256(subkey, value));
}

std::vector<KeyedPseudonym> PseudonymsUnderEveryKey(const KeyRing& ring, absl::string_view purpose,
                                                    absl::string_view value) {
  std::vector<KeyedPseudonym> out;
  if (const SecretKey* active = ring.active()) {
    out.push_back({active->id, Pseudonym(*active, purpose, value)});
  }
  for (const SecretKey& key : ring.keys()) {
    if (ring.active() != &key) out.push_back({key.id, Pseudonym(key, purpose, value)});
  }
  return out;
}

}  // namespace parkline::secrets
