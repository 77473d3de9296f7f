// The tamper-evident record of a complaint (7.3.4, 7.1.2): every step is an entry of a hash chain
// (libs/hashchain, shared with the quality service's records: the arithmetic, the genesis hash,
// the field encoding and the verification live there). The complaint row keeps the head (last
// sequence and hash), so that dropping the newest entries shows too.
//
// An entry's canonical form is a fixed sequence of length-prefixed fields:
//   "parkline.complaints.record.v1\n" then for each of complaint_id, sequence, action,
//   from_status, to_status, actor, time (unix microseconds), note, the number of details, and
//   each detail's key and value (sorted by key): "<byte length>:<bytes>\n".
//
// Pure functions; thread-safe.
#ifndef PARKLINE_COMPLAINTS_RECORD_CHAIN_H_
#define PARKLINE_COMPLAINTS_RECORD_CHAIN_H_

#include <optional>
#include <string>
#include <vector>

#include "hashchain/hash_chain.h"
#include "parkline/complaints/v1/complaints.pb.h"

namespace parkline::complaints {

using hashchain::kGenesisHash;
using ChainHead = hashchain::Head;

std::string CanonicalEntry(const std::string& complaint_id, const v1::RecordEntry& entry);

// Hex SHA-256 of previous_hash + CanonicalEntry.
std::string ChainHash(const std::string& previous_hash, const std::string& complaint_id,
                      const v1::RecordEntry& entry);

// Sets entry.previous_hash and entry.hash for an entry appended after `previous` (nullptr for
// the first), and its sequence.
void Seal(const std::string& complaint_id, const v1::RecordEntry* previous, v1::RecordEntry& entry);

// The first place where `entries` (in stored order) fail to form an intact chain ending at
// `head`; nullopt when intact. The break's sequence is the first entry that does not hold (0 when
// every entry holds but the head names another end).
std::optional<v1::RecordBreak> VerifyChain(const std::string& complaint_id,
                                           const std::vector<v1::RecordEntry>& entries,
                                           const ChainHead& head);

}  // namespace parkline::complaints

#endif  // PARKLINE_COMPLAINTS_RECORD_CHAIN_H_
