// Where a batch consumer stands in each Kafka partition, kept in its own database with the
// effects (EventConsumer's batch mode).
//
// Every batch transaction appends, per partition it read, one row of `consumed_ranges`: the
// offsets [first_offset, next_offset) it settled, how many events it applied there and the ids
// of those without a publish number (below),
// numbered 1, 2, 3 ... per partition (`seq`). The newest row of a partition is the consumer's
// position in it; a rewind (the partition's offsets were reset) is a newer row whose range is
// empty. A record below the position was
// settled before and is skipped, without a lookup per id; because the position is read and
// advanced in the transaction that applies the effects, two replicas that briefly both read a
// partition (a rebalance) cannot both apply a record: the second one's transaction finds the
// position moved (SQLite has one writer; PostgreSQL's SERIALIZABLE aborts one of the two) and
// skips.
//
// Offsets cannot tell a publisher's duplicate (the same event at a new offset) from a new
// event. Records the outbox relay numbered (kPublisherHeader, kSequenceHeader) are told apart by
// their numbers: a publisher's numbers reach each partition in increasing order, copies after
// their original with its number (outbox_relay.h, docs/events.md#publish-numbers), so a record
// whose number is not above the highest applied from its publisher in its partition
// (Watermarks, kept in consumed_watermarks in the batch's transaction) is a copy. Records without
// a number (from a publisher older than the numbers) fall back on their ids: RecentIds remembers
// the ids of those applied in the last stretch of each partition, which the ids stored in the
// rows rebuild after a restart; while it holds any, numbered records are looked up there too (a
// row sent without a number before an upgrade, and again with one after). A duplicate always
// lands in the same partition as its original (same key) and close behind it, because the outbox
// relay reads the partition's tail back before it publishes again.
#ifndef PARKLINE_EVENTS_APPLIED_RANGES_H_
#define PARKLINE_EVENTS_APPLIED_RANGES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/hash/hash.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "store/database.h"

namespace parkline::events {

struct PartitionId {
  std::string topic;  // the Kafka topic, with its prefix
  int32_t partition = 0;

  bool operator==(const PartitionId& o) const {
    return partition == o.partition && topic == o.topic;
  }
  bool operator<(const PartitionId& o) const {
    return topic != o.topic ? topic < o.topic : partition < o.partition;
  }
  template <typename H>
  friend H AbslHashValue(H h, const PartitionId& p) {
    return H::combine(std::move(h), p.topic, p.partition);
  }
};

// An event id with its hash: a batch consumer computes the hash once per event and looks the
// id up in several sets (hashing 36-character ids took a fifth of the apply thread's time when
// each set hashed it again).
struct HashedId {
  HashedId(absl::string_view id, size_t hash) : id(id), hash(hash) {}
  explicit HashedId(absl::string_view id) : HashedId(id, Of(id)) {}
  static size_t Of(absl::string_view id) { return absl::Hash<absl::string_view>{}(id); }

  absl::string_view id;
  size_t hash;

  struct Hash {
    size_t operator()(const HashedId& h) const { return h.hash; }
  };
  struct Eq {
    bool operator()(const HashedId& a, const HashedId& b) const { return a.id == b.id; }
  };
};
using HashedIdSet = absl::flat_hash_set<HashedId, HashedId::Hash, HashedId::Eq>;

// The ids of the last `capacity` events applied in one partition, oldest forgotten first.
class RecentIds {
 public:
  explicit RecentIds(size_t capacity);
  RecentIds(const RecentIds&) = delete;
  RecentIds& operator=(const RecentIds&) = delete;

  bool Contains(const HashedId& id) const { return index_.contains(id); }
  bool Contains(absl::string_view id) const { return Contains(HashedId(id)); }
  void Add(const HashedId& id);
  void Add(absl::string_view id) { Add(HashedId(id)); }
  size_t size() const { return index_.size(); }

 private:
  // A ring: the index points into the strings, which stay where they are until overwritten.
  struct Slot {
    std::string id;
    size_t hash = 0;
  };
  std::vector<Slot> ring_;
  size_t next_ = 0;
  HashedIdSet index_;
};

// Per publisher, the highest publish number applied in one partition. A partition sees a few
// publishers (one per publishing database and lease tenure), so a vector, searched from the one
// found last.
class Watermarks {
 public:
  // 0 when nothing of `publisher` was applied.
  int64_t Get(absl::string_view publisher) const {
    if (last_ < marks_.size() && marks_[last_].first == publisher) return marks_[last_].second;
    for (size_t i = 0; i < marks_.size(); ++i) {
      if (marks_[i].first == publisher) {
        last_ = i;
        return marks_[i].second;
      }
    }
    return 0;
  }
  void Set(absl::string_view publisher, int64_t seq);
  const std::vector<std::pair<std::string, int64_t>>& all() const { return marks_; }

 private:
  std::vector<std::pair<std::string, int64_t>> marks_;
  mutable size_t last_ = 0;
};

absl::StatusOr<Watermarks> ReadWatermarks(store::Transaction& tx, absl::string_view consumer,
                                          const PartitionId& partition);
// Stores the marks of `now` that differ from `before`.
absl::Status WriteWatermarks(store::Transaction& tx, absl::string_view consumer,
                             const PartitionId& partition, const Watermarks& before,
                             const Watermarks& now, int64_t applied_at);

// Ids as stored in consumed_ranges.event_ids: an id in NewUuid's form as kPackedUuid then its 16
// bytes (17 bytes instead of 37: the ids are most of the ranges, kept 30 days; ingest CPU did not
// change), any other id as its length (LEB128) then its bytes. Rows written before UUIDs were
// packed read the same: their lengths never began with a lone 0 byte.
constexpr char kPackedUuid = 0;
std::string EncodeIds(const std::vector<absl::string_view>& ids);
// INVALID_ARGUMENT when the bytes are not such a list.
absl::StatusOr<std::vector<std::string>> DecodeIds(absl::string_view bytes);

// Where the consumer stands in a partition: its newest row.
struct Position {
  int64_t seq = 0;           // 0: no row yet
  int64_t next_offset = -1;  // the offset after the last one settled; -1: none yet
};
absl::StatusOr<Position> ReadPosition(store::Transaction& tx, absl::string_view consumer,
                                      const PartitionId& partition);

// Appends the row after `after` ([first, next), `applied` events applied in it, `ids` those of
// them without a publish number), which becomes the position. ALREADY_EXISTS when another writer
// appended after `after` first.
absl::Status RecordRange(store::Transaction& tx, absl::string_view consumer,
                         const PartitionId& partition, const Position& after, int64_t first,
                         int64_t next, int64_t applied, const std::vector<absl::string_view>& ids,
                         int64_t applied_at);

// The ids recorded in `partition`'s newest ranges, read until they cover at least `at_least`
// applied events (or every range); returned oldest first.
absl::StatusOr<std::vector<std::string>> ReadRecentIds(store::Transaction& tx,
                                                       absl::string_view consumer,
                                                       const PartitionId& partition,
                                                       size_t at_least);

// Deletes the consumer's ranges applied before `cutoff` (Unix µs), except each partition's
// newest (its position), and the watermarks of publishers it has applied nothing of since.
// Returns how many events the ranges held.
absl::StatusOr<int64_t> ForgetRanges(store::Transaction& tx, absl::string_view consumer,
                                     int64_t cutoff);

}  // namespace parkline::events

#endif  // PARKLINE_EVENTS_APPLIED_RANGES_H_
