#include "hashchain/hash_chain.h"

#include "absl/strings/str_cat.h"
#include "auth/sha256.h"

namespace parkline::hashchain {

void AppendField(std::string& out, absl::string_view value) {
  absl::StrAppend(&out, value.size(), ":", value, "\n");
}

std::string LinkHash(absl::string_view previous_hash, absl::string_view canonical) {
  return auth::Sha256Hex(absl::StrCat(previous_hash, canonical));
}

std::optional<Break> Verify(const std::vector<StoredEntry>& entries, const Head& head,
                            absl::string_view owner) {
  std::string previous = kGenesisHash;
  for (size_t i = 0; i < entries.size(); ++i) {
    const StoredEntry& e = entries[i];
    int64_t expected = static_cast<int64_t>(i) + 1;
    if (e.sequence != expected) {
      return Break{expected,
                   absl::StrCat("entry ", expected, " is missing (found ", e.sequence, ")")};
    }
    if (e.previous_hash != previous) {
      return Break{expected, "previous_hash does not match the hash of the entry before"};
    }
    if (LinkHash(previous, e.canonical) != e.hash) {
      return Break{expected, "the entry's content does not match its hash"};
    }
    previous = e.hash;
  }
  int64_t last = static_cast<int64_t>(entries.size());
  if (head.sequence != last || (last > 0 && head.hash != previous)) {
    return Break{0, absl::StrCat(owner, "'s head names entry ", head.sequence,
                                 " but the record ends at entry ", last)};
  }
  return std::nullopt;
}

}  // namespace parkline::hashchain
