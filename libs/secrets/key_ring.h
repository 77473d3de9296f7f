// The park's personal-data keys: named 256-bit keys, one of them active. New data is sealed and
// pseudonymised under the active key; data under any other key of the ring stays readable, so a
// key can be rotated (a new key made active) without losing what the old one protects, and
// removed from the file only once nothing is under it any more.
//
// The ring is read from a JSON file that only the service can read (on Kubernetes a mounted
// Secret), never from the command line or the environment, so that no key appears in a process
// listing:
//
//   {"active": "2026-12", "keys": [{"id": "2026-06", "hex": "<64 hex digits>"},
//                                  {"id": "2026-12", "hex": "<64 hex digits>"}]}
//
// Key ids are 1..32 of [A-Za-z0-9._-]; they are stored beside what a key protects. Errors and
// ToString-like output name key ids only: no function here puts key material in a message.
//
// A KeyRing is an immutable value once built: thread-safe to share and read.
#ifndef PARKLINE_SECRETS_KEY_RING_H_
#define PARKLINE_SECRETS_KEY_RING_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace parkline::secrets {

inline constexpr size_t kKeyBytes = 32;

struct SecretKey {
  std::string id;
  std::string bytes;  // kKeyBytes raw bytes
};

class KeyRing {
 public:
  // An empty ring: it seals nothing and opens nothing (Seal/Open say FAILED_PRECONDITION).
  KeyRing() = default;

  // The ring of a key file's text. INVALID_ARGUMENT naming what is wrong (never a key's value):
  // not JSON, no keys, a bad or repeated id, a key that is not 64 hex digits, an active id that
  // is not in the ring.
  static absl::StatusOr<KeyRing> Parse(absl::string_view json);
  // Parse of the file at `path`; NOT_FOUND when it cannot be read.
  static absl::StatusOr<KeyRing> Load(const std::string& path);
  // A ring of one fresh random key named `id`, active (development and tests).
  static KeyRing Generate(absl::string_view id);

  // This ring with a fresh random key `id` added and made active: the first step of a rotation.
  // INVALID_ARGUMENT for a bad id or one already in the ring.
  absl::StatusOr<KeyRing> WithNewActiveKey(absl::string_view id) const;

  // The key file's text for this ring (what Parse reads). It holds the keys: write it only to a
  // file of mode 0600 or a Secret.
  std::string ToJson() const;

  bool empty() const { return keys_.empty(); }
  // The key new data goes under; nullptr for an empty ring.
  const SecretKey* active() const;
  // The key named `id`; nullptr when the ring has none of that name.
  const SecretKey* Find(absl::string_view id) const;
  const std::vector<SecretKey>& keys() const { return keys_; }

 private:
  std::vector<SecretKey> keys_;
  std::string active_id_;
};

// Whether `id` may name a key: 1..32 characters of [A-Za-z0-9._-].
bool IsValidKeyId(absl::string_view id);

}  // namespace parkline::secrets

#endif  // PARKLINE_SECRETS_KEY_RING_H_
