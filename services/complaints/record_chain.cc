#include "complaints/record_chain.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"

namespace parkline::complaints {
namespace {

v1::RecordBreak Break(const std::string& complaint_id, int64_t sequence, std::string reason) {
  v1::RecordBreak b;
  b.set_complaint_id(complaint_id);
  b.set_sequence(sequence);
  b.set_reason(std::move(reason));
  return b;
}

}  // namespace

std::string CanonicalEntry(const std::string& complaint_id, const v1::RecordEntry& entry) {
  using hashchain::AppendField;
  std::string out = "parkline.complaints.record.v1\n";
  AppendField(out, complaint_id);
  AppendField(out, absl::StrCat(entry.sequence()));
  AppendField(out, entry.action());
  AppendField(out, v1::ComplaintStatus_Name(entry.from_status()));
  AppendField(out, v1::ComplaintStatus_Name(entry.to_status()));
  AppendField(out, entry.actor());
  AppendField(
      out, absl::StrCat(google::protobuf::util::TimeUtil::TimestampToMicroseconds(entry.time())));
  AppendField(out, entry.note());
  std::map<std::string, std::string> sorted(entry.details().begin(), entry.details().end());
  AppendField(out, absl::StrCat(sorted.size()));
  for (const auto& [key, value] : sorted) {
    AppendField(out, key);
    AppendField(out, value);
  }
  return out;
}

std::string ChainHash(const std::string& previous_hash, const std::string& complaint_id,
                      const v1::RecordEntry& entry) {
  return hashchain::LinkHash(previous_hash, CanonicalEntry(complaint_id, entry));
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
  std::vector<hashchain::StoredEntry> stored;
  stored.reserve(entries.size());
  for (const v1::RecordEntry& e : entries) {
    stored.push_back({e.sequence(), e.previous_hash(), e.hash(), CanonicalEntry(complaint_id, e)});
  }
  auto broken = hashchain::Verify(stored, head, "the complaint");
  if (!broken) return std::nullopt;
  return Break(complaint_id, broken->sequence, std::move(broken->reason));
}

}  // namespace parkline::complaints
