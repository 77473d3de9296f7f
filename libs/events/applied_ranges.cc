#include "events/applied_ranges.h"

#include <algorithm>
#include <limits>

namespace parkline::events {

RecentIds::RecentIds(size_t capacity) : ring_(std::max<size_t>(1, capacity)) {
  index_.reserve(ring_.size());
}

void RecentIds::Add(const HashedId& id) {
  if (index_.contains(id)) return;
  Slot& slot = ring_[next_];
  if (!slot.id.empty()) index_.erase(HashedId(slot.id, slot.hash));
  slot.id.assign(id.id.data(), id.id.size());
  slot.hash = id.hash;
  index_.insert(HashedId(slot.id, slot.hash));
  next_ = (next_ + 1) % ring_.size();
}

void Watermarks::Set(absl::string_view publisher, int64_t seq) {
  for (auto& [name, mark] : marks_) {
    if (name == publisher) {
      mark = seq;
      return;
    }
  }
  marks_.emplace_back(std::string(publisher), seq);
}

absl::StatusOr<Watermarks> ReadWatermarks(store::Transaction& tx, absl::string_view consumer,
                                          const PartitionId& partition) {
  auto rows = tx.Query(
      "SELECT publisher, seq FROM consumed_watermarks WHERE consumer = $1 AND topic = $2 AND "
      "kafka_partition = $3",
      {std::string(consumer), partition.topic, int64_t{partition.partition}});
  if (!rows.ok()) return rows.status();
  Watermarks marks;
  for (const store::Row& row : *rows) marks.Set(row.Text(0), row.Int(1));
  return marks;
}

absl::Status WriteWatermarks(store::Transaction& tx, absl::string_view consumer,
                             const PartitionId& partition, const Watermarks& before,
                             const Watermarks& now, int64_t applied_at) {
  for (const auto& [publisher, seq] : now.all()) {
    if (before.Get(publisher) == seq) continue;
    auto written = tx.Execute(
        "INSERT INTO consumed_watermarks (consumer, topic, kafka_partition, publisher, seq, "
        "applied_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (consumer, topic, "
        "kafka_partition, publisher) DO UPDATE SET seq = excluded.seq, applied_at = "
        "excluded.applied_at",
        {std::string(consumer), partition.topic, int64_t{partition.partition}, publisher, seq,
         applied_at});
    if (!written.ok()) return written.status();
  }
  return absl::OkStatus();
}

namespace {

// The id format NewUuid writes, 36 characters: lowercase hex in groups of 8-4-4-4-12.
constexpr size_t kUuidText = 36;
constexpr size_t kUuidBytes = 16;
constexpr bool IsUuidHyphen(size_t i) { return i == 8 || i == 13 || i == 18 || i == 23; }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;  // uppercase too: it would not come back as it was
}

// The 16 bytes of a UUID in NewUuid's form; false for any other id.
bool PackUuid(absl::string_view id, char* out) {
  if (id.size() != kUuidText) return false;
  size_t n = 0;
  for (size_t i = 0; i < kUuidText; i += 2) {
    if (IsUuidHyphen(i)) {
      if (id[i] != '-') return false;
      ++i;
    }
    int high = HexValue(id[i]), low = HexValue(id[i + 1]);
    if (high < 0 || low < 0) return false;
    out[n++] = static_cast<char>(high << 4 | low);
  }
  return true;
}

void UnpackUuid(const char* bytes, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->resize(kUuidText);
  size_t at = 0;
  for (size_t i = 0; i < kUuidBytes; ++i) {
    if (IsUuidHyphen(at)) (*out)[at++] = '-';
    const uint8_t b = static_cast<uint8_t>(bytes[i]);
    (*out)[at++] = kHex[b >> 4];
    (*out)[at++] = kHex[b & 0xF];
  }
}

void AppendLength(uint64_t n, std::string* out) {
  do {
    uint8_t byte = n & 0x7F;
    n >>= 7;
    out->push_back(static_cast<char>(n ? byte | 0x80 : byte));
  } while (n);
}

}  // namespace

std::string EncodeIds(const std::vector<absl::string_view>& ids) {
  std::string out;
  out.reserve(ids.size() * (kUuidBytes + 1));
  char packed[kUuidBytes];
  for (absl::string_view id : ids) {
    if (PackUuid(id, packed)) {
      out.push_back(kPackedUuid);
      out.append(packed, kUuidBytes);
    } else if (id.empty()) {
      out.append("\x80\x00", 2);  // zero in two bytes: a lone 0 byte is kPackedUuid
    } else {
      AppendLength(id.size(), &out);
      out.append(id.data(), id.size());
    }
  }
  return out;
}

absl::StatusOr<std::vector<std::string>> DecodeIds(absl::string_view bytes) {
  std::vector<std::string> ids;
  size_t i = 0;
  while (i < bytes.size()) {
    if (bytes[i] == kPackedUuid) {
      if (bytes.size() - i - 1 < kUuidBytes) {
        return absl::InvalidArgumentError("event_ids: truncated uuid");
      }
      ids.emplace_back();
      UnpackUuid(bytes.data() + i + 1, &ids.back());
      i += 1 + kUuidBytes;
      continue;
    }
    uint64_t n = 0;
    int shift = 0;
    while (true) {
      if (i >= bytes.size() || shift > 28) {
        return absl::InvalidArgumentError("event_ids: truncated length");
      }
      uint8_t byte = static_cast<uint8_t>(bytes[i++]);
      n |= static_cast<uint64_t>(byte & 0x7F) << shift;
      shift += 7;
      if (!(byte & 0x80)) break;
    }
    if (n > bytes.size() - i) return absl::InvalidArgumentError("event_ids: truncated id");
    ids.emplace_back(bytes.substr(i, n));
    i += n;
  }
  return ids;
}

absl::StatusOr<Position> ReadPosition(store::Transaction& tx, absl::string_view consumer,
                                      const PartitionId& partition) {
  auto rows = tx.Query(
      "SELECT seq, next_offset FROM consumed_ranges WHERE consumer = $1 AND topic = $2 AND "
      "kafka_partition = $3 ORDER BY seq DESC LIMIT 1",
      {std::string(consumer), partition.topic, int64_t{partition.partition}});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return Position{};
  return Position{rows->front().Int(0), rows->front().Int(1)};
}

absl::Status RecordRange(store::Transaction& tx, absl::string_view consumer,
                         const PartitionId& partition, const Position& after, int64_t first,
                         int64_t next, int64_t applied, const std::vector<absl::string_view>& ids,
                         int64_t applied_at) {
  return tx
      .Execute(
          "INSERT INTO consumed_ranges (consumer, topic, kafka_partition, seq, first_offset, "
          "next_offset, applied, event_ids, applied_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
          "$9)",
          {std::string(consumer), partition.topic, int64_t{partition.partition}, after.seq + 1,
           first, next, applied, store::Blob{EncodeIds(ids)}, applied_at})
      .status();
}

absl::StatusOr<std::vector<std::string>> ReadRecentIds(store::Transaction& tx,
                                                       absl::string_view consumer,
                                                       const PartitionId& partition,
                                                       size_t at_least) {
  std::vector<std::vector<std::string>> newest_first;
  size_t total = 0;
  int64_t below = std::numeric_limits<int64_t>::max();
  // A few rows at a time: a partition's ranges hold anything from one id to a whole batch.
  size_t events = 0;  // applied in the ranges read: numbered ones left no id
  while (events < at_least) {
    auto rows = tx.Query(
        "SELECT seq, event_ids, applied FROM consumed_ranges WHERE consumer = $1 AND topic = $2 "
        "AND kafka_partition = $3 AND seq < $4 ORDER BY seq DESC LIMIT 16",
        {std::string(consumer), partition.topic, int64_t{partition.partition}, below});
    if (!rows.ok()) return rows.status();
    for (const store::Row& row : *rows) {
      auto ids = DecodeIds(row.Text(1));
      if (!ids.ok()) return ids.status();
      total += ids->size();
      events += static_cast<size_t>(std::max<int64_t>(row.Int(2), 0));
      newest_first.push_back(std::move(*ids));
      below = row.Int(0);
    }
    if (rows->size() < 16) break;
  }
  std::vector<std::string> out;
  out.reserve(total);
  for (auto range = newest_first.rbegin(); range != newest_first.rend(); ++range) {
    for (std::string& id : *range) out.push_back(std::move(id));
  }
  return out;
}

absl::StatusOr<int64_t> ForgetRanges(store::Transaction& tx, absl::string_view consumer,
                                     int64_t cutoff) {
  // Each partition's newest range is its position: it stays, however old.
  const std::string old_ranges =
      "consumer = $1 AND applied_at < $2 AND seq < (SELECT MAX(r.seq) FROM "
      "consumed_ranges AS r WHERE r.consumer = consumed_ranges.consumer AND r.topic = "
      "consumed_ranges.topic AND r.kafka_partition = consumed_ranges.kafka_partition)";
  auto held = tx.Query(
      "SELECT CAST(COALESCE(SUM(applied), 0) AS BIGINT) FROM consumed_ranges WHERE " + old_ranges,
      {std::string(consumer), cutoff});
  if (!held.ok()) return held.status();
  auto deleted = tx.Execute("DELETE FROM consumed_ranges WHERE " + old_ranges,
                            {std::string(consumer), cutoff});
  if (!deleted.ok()) return deleted.status();
  // A publisher's copies come close behind their originals: one it has sent nothing of for the
  // retention is a relay long gone (each tenure publishes under a new name).
  auto marks = tx.Execute("DELETE FROM consumed_watermarks WHERE consumer = $1 AND applied_at < $2",
                          {std::string(consumer), cutoff});
  if (!marks.ok()) return marks.status();
  return held->front().Int(0);
}

}  // namespace parkline::events
