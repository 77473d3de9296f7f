// What a complaint's record says the complaint is, so that VerifyRecord can check the stored
// complaint (what GetComplaint and ExportComplaints return) against it (7.3.4): the chain
// (record_chain.h) shows an entry that changed; this shows a complaint that no longer says what
// its record does.
//
// The FILE entry carries the category, channel, target and both deadlines, and `filed_sha256`:
// the SHA-256 of what was filed that the entry does not carry itself (FiledDigest). Each later
// entry carries what its step decided (step_effects.h). Replaying the entries in order gives the
// state the complaint must be in: its status, deadlines, department, handler, forwarding, the
// response's SHA-256, the satisfaction, the overdue marks, the filing and update times. A field
// no entry establishes is not compared: a FILE entry written before the digest existed has none,
// so the filed content of those complaints stays outside the check.
//
// The contact details are not in the digest: stored apart, they are personal data the archive
// never holds, and a digest over them beside the exported fields would let whoever holds the
// export try phone numbers until one matches.
//
// Pure functions; thread-safe.
#ifndef PARKLINE_COMPLAINTS_RECORDED_STATE_H_
#define PARKLINE_COMPLAINTS_RECORDED_STATE_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "parkline/complaints/v1/complaints.pb.h"

namespace parkline::complaints {

// The FILE entry's detail holding FiledDigest.
inline constexpr char kFiledDigestKey[] = "filed_sha256";

// Hex SHA-256 of the complaint's filed content outside the FILE entry's other details, in a
// fixed sequence of length-prefixed fields (the chain's encoding, hashchain::AppendField):
//   "parkline.complaints.filed.v1\n" then request_id, the complainant's kind (enum name), the
//   complainant's USCC, description, the number of attachment references and each reference:
//   "<byte length>:<bytes>\n".
std::string FiledDigest(const v1::Complaint& complaint);

// One field of the complaint as the record wrote it: in the entry's form (the detail's text, a
// status's enum name, an instant in RFC 3339, a digest's hex) and the entry that wrote it last.
struct Recorded {
  std::string value;
  int64_t sequence = 0;
};

// Keyed by the Complaint's field name ("status", "satisfaction", ...); "response" holds the
// response's SHA-256 ("" before any), kFiledDigestKey the filing's digest.
using RecordedState = std::map<std::string, Recorded>;

// The state `entries` (a complaint's record, in order) establish; empty without a FILE entry
// first.
RecordedState ReplayRecord(const std::vector<v1::RecordEntry>& entries);

// The complaint's fields in the form the record writes them, under ReplayRecord's keys.
std::map<std::string, std::string> AsRecorded(const v1::Complaint& complaint);

// Each field where `stored` differs from `recorded`, named, with both values where the record
// shows them in clear ("satisfaction is \"5\" where entry 6 recorded \"1\""); the digested ones
// (the filed content, the response) only named.
std::vector<std::string> StoredDifferences(const RecordedState& recorded,
                                           const v1::Complaint& stored);

// A break (sequence 0: the complaint, not an entry) naming every field where `stored` differs
// from what `record` establishes; nullopt when they agree. Meaningful once the chain holds
// (VerifyChain): a changed entry is reported there.
std::optional<v1::RecordBreak> CheckStoredComplaint(const v1::Complaint& stored,
                                                    const std::vector<v1::RecordEntry>& record);

}  // namespace parkline::complaints

#endif  // PARKLINE_COMPLAINTS_RECORDED_STATE_H_
