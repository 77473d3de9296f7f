#include "complaints/record_chain.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "auth/sha256.h"
#include "google/protobuf/util/time_util.h"

namespace parkline::complaints {
namespace {

void Field(std::string& out, absl::string_view value) {
  absl::StrAppend(&out, value.size(), ":", value, "\n");
}

v1::RecordBreak Break(const std::string& complaint_id, int64_t sequence, std::string reason) {
  v1::RecordBreak b;
  b.set_complaint_id(complaint_id);
  b.set_sequence(sequence);
  b.set_reason(std::move(reason));
  return b;
}

}  // namespace

std::string CanonicalEntry(const std::string& complaint_id, const v1::RecordEntry& entry) {
  std::string out = "parkline.complaints.record.v1\n";
  Field(out, complaint_id);
  Field(out, absl::StrCat(entry.sequence()));
  Field(out, entry.action());
  Field(out, v1::ComplaintStatus_Name(entry.from_status()));
  Field(out, v1::ComplaintStatus_Name(entry.to_status()));
  Field(out, entry.actor());
  Field(out, absl::StrCat(google::protobuf::util::TimeUtil::TimestampToMicroseconds(entry.time())));
  Field(out, entry.note());
  std::map<std::string, std::string> sorted(entry.details().begin(), entry.details().end());
  Field(out, absl::StrCat(sorted.size()));
  for (const auto& [key, value] : sorted) {
    Field(out, key);
    Field(out, value);
  }
  return out;
}

std::string ChainHash(const std::string& previous_hash, const std::string& complaint_id,
                      const v1::RecordEntry& entry) {
  return auth::Sha256Hex(previous_hash + CanonicalEntry(complaint_id, entry));
}

void Seal(const std::string& complaint_id, const v1::RecordEntry* previous,
          v1::RecordEntry& entry) {
  entry.set_sequence(previous ? previous->sequence() + 1 : 1);
  entry.set_previous_hash(previous ? previous->hash() : kGenesisHash);
  entry.set_hash(ChainHash(entry.previous_hash(), complaint_id, entry));
}

std::optional<v1::RecordBreak> VerifyChain(const std::string& complaint_id,
                                           const std::vector<v1::RecordEntry>& entries,
                                           const ChainHead& head) {
  std::string previous = kGenesisHash;
  for (size_t i = 0; i < entries.size(); ++i) {
    const v1::RecordEntry& e = entries[i];
    int64_t expected = static_cast<int64_t>(i) + 1;
    if (e.sequence() != expected) {
      return Break(complaint_id, expected,
                   absl::StrCat("entry ", expected, " is missing (found ", e.sequence(), ")"));
    }
    if (e.previous_hash() != previous) {
      return Break(complaint_id, expected,
                   "previous_hash does not match the hash of the entry before");
    }
    if (ChainHash(previous, complaint_id, e) != e.hash()) {
      return Break(complaint_id, expected, "the entry's content does not match its hash");
    }
    previous = e.hash();
  }
  int64_t last = static_cast<int64_t>(entries.size());
  if (head.sequence != last || (last > 0 && head.hash != previous)) {
    return Break(complaint_id, 0,
                 absl::StrCat("the complaint's head names entry ", head.sequence,
                              " but the record ends at entry ", last));
  }
  return std::nullopt;
}

}  // namespace parkline::complaints
