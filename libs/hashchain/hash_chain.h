// A tamper-evident record as a hash chain, for every record of the park that must show a change
// (the complaints' record of 7.3.4, the quality service's inspections and corrective actions of
// 7.1.1 and 7.1.4): each entry's hash is SHA-256 over the previous entry's hash and the entry's
// canonical form, so that changing, removing or reordering any stored entry breaks the chain from
// that entry on. The first entry chains to kGenesisHash. The record's owner (a complaint, an
// inspection) keeps the head (last sequence and hash), so that dropping the newest entries shows
// too.
//
// What an entry's canonical form holds is the record's business; this library gives the one
// encoding of it (length-prefixed fields, never a protobuf encoding, which does not promise one
// byte sequence for one message) and the chain's arithmetic.
//
// Pure functions; thread-safe.
#ifndef PARKLINE_HASHCHAIN_HASH_CHAIN_H_
#define PARKLINE_HASHCHAIN_HASH_CHAIN_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace parkline::hashchain {

inline constexpr char kGenesisHash[] =
    "0000000000000000000000000000000000000000000000000000000000000000";

// Appends one field of a canonical form: "<byte length>:<bytes>\n".
void AppendField(std::string& out, absl::string_view value);

// Hex SHA-256 of previous_hash + canonical.
std::string LinkHash(absl::string_view previous_hash, absl::string_view canonical);

struct Head {
  int64_t sequence = 0;
  std::string hash;
};

// One stored entry as the verifier sees it: what was stored, and the canonical form recomputed
// from the stored content.
struct StoredEntry {
  int64_t sequence = 0;
  std::string previous_hash;
  std::string hash;
  std::string canonical;
};

struct Break {
  int64_t sequence = 0;  // the first entry that does not hold; 0 when only the head is wrong
  std::string reason;
};

// The first place where `entries` (in stored order) fail to form an intact chain 1, 2, ... ending
// at `head`; nullopt when intact. `owner` names the record's owner in the reason ("the
// complaint").
std::optional<Break> Verify(const std::vector<StoredEntry>& entries, const Head& head,
                            absl::string_view owner);

}  // namespace parkline::hashchain

#endif  // PARKLINE_HASHCHAIN_HASH_CHAIN_H_
