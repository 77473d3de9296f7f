// The operator's file of callers. JSON, e.g.
//
//   {
//     "tokens": [
//       {"sha256": "<hex SHA-256 of the bearer token>", "principal": "acme-erp",
//        "roles": ["enterprise"], "uscc": "91350100M000100Y43", "customs_code": "3501960001"},
//       {"sha256": "...", "principal": "ops", "roles": ["park-admin"]}
//     ],
//     "certificates": [
//       {"subject": "CN=customs-gateway,O=Park", "principal": "customs-gw",
//        "roles": ["customs-gateway"]}
//     ]
//   }
//
// Tokens are stored only as SHA-256 hashes: the file never holds a usable secret (`parkctl
// token` makes a token and its hash). Certificates map a verified client certificate's subject
// (as gRPC reports it, RFC 2253) to a principal.
//
// CredentialStore is thread-safe: lookups take a shared snapshot; a reload swaps it whole.
#ifndef PARKLINE_AUTH_CREDENTIALS_H_
#define PARKLINE_AUTH_CREDENTIALS_H_

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "auth/principal.h"
#include "auth/sha256.h"  // Sha256Hex: tokens are looked up by their hash

namespace parkline::auth {

struct Credentials {
  std::map<std::string, Principal> by_token_hash;  // lowercase hex SHA-256
  std::map<std::string, Principal> by_subject;
};

// Parses and checks the file's content: known roles, an enterprise bound to a valid USCC, a
// carrier bound to a carrier code, well-formed hashes, no duplicates. Errors name the entry.
absl::StatusOr<Credentials> ParseCredentials(absl::string_view json);

class CredentialStore {
 public:
  // An empty path: no callers at all (every call is UNAUTHENTICATED).
  explicit CredentialStore(std::string path);

  // Reads the file. An error leaves the store empty (at start) or unchanged (on reload).
  absl::Status Load();
  // Reads the file again when its modification time or size changed; a broken new file is
  // logged and the previous credentials stay in force.
  void ReloadIfChanged();

  std::optional<Principal> ByToken(absl::string_view token) const;
  std::optional<Principal> BySubject(absl::string_view subject) const;
  size_t size() const;

 private:
  std::shared_ptr<const Credentials> Snapshot() const;

  std::string path_;
  mutable std::mutex mu_;
  std::shared_ptr<const Credentials> current_;  // guarded by mu_
  std::string stamp_;                           // guarded by mu_: mtime and size last loaded
};

}  // namespace parkline::auth

#endif  // PARKLINE_AUTH_CREDENTIALS_H_
