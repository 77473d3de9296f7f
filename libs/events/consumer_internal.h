// The pieces of EventConsumer (consumer.h) that its source files share: consumer.cc (the life of
// a consumer, and events applied one at a time), consumer_batch.cc (batch mode) and
// consumer_offsets.cc (where assigned partitions start, and the offsets stored for commit).
// Private to libs/events: nothing outside it includes this.
#ifndef PARKLINE_EVENTS_CONSUMER_INTERNAL_H_
#define PARKLINE_EVENTS_CONSUMER_INTERNAL_H_

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafkacpp.h>

#include <cstring>
#include <deque>
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "events/consumer.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/gauge.h"

namespace parkline::events {
namespace consumer_internal {

// parkline_consumer_events_total, parkline_consumer_offset_out_of_range_total and
// parkline_consumer_ids_forgotten_total (registered on first use).
prometheus::Family<prometheus::Counter>& EventsCounter();
prometheus::Family<prometheus::Counter>& OutOfRangeCounter();
prometheus::Family<prometheus::Counter>& ForgottenCounter();
// parkline_consumer_deadlettered_total{consumer,reason} and parkline_consumer_lag.
prometheus::Family<prometheus::Counter>& DeadLetteredCounter();
prometheus::Family<prometheus::Gauge>& LagGauge();

// True for a handler error that is the event's own, so that trying again will fail again in the
// end: not UNAVAILABLE, ABORTED, DEADLINE_EXCEEDED or RESOURCE_EXHAUSTED, which pass (the
// database comes back, the outbox empties) and must never cost an event.
bool Poisonous(const absl::Status& status);

// A record's headers, copied.
Headers HeadersOf(const rd_kafka_message_t& message);
// The headers in place, without copying them (batch mode reads millions).
void ViewHeaders(const rd_kafka_message_t& message, HeaderViews& out);

// Owns a record librdkafka's C interface returned.
struct MessageFree {
  void operator()(rd_kafka_message_t* message) const { rd_kafka_message_destroy(message); }
};
using OwnedMessage = std::unique_ptr<rd_kafka_message_t, MessageFree>;

// Copies of short texts, in blocks kept from batch to batch: the attributes a batch keeps of its
// records' headers, so that the headers can be freed at once, in the thread that parsed them.
class TextCopies {
 public:
  absl::string_view Copy(absl::string_view text) {
    if (text.size() > kBlock) {
      large_.emplace_back(text);
      return large_.back();
    }
    if (current_ == kNone || used_ + text.size() > kBlock) {
      current_ = current_ == kNone ? 0 : current_ + 1;
      if (current_ == blocks_.size()) blocks_.push_back(std::make_unique<char[]>(kBlock));
      used_ = 0;
    }
    char* at = blocks_[current_].get() + used_;
    std::memcpy(at, text.data(), text.size());
    used_ += text.size();
    return absl::string_view(at, text.size());
  }
  void Clear() {
    current_ = kNone;
    used_ = 0;
    large_.clear();
  }

 private:
  static constexpr size_t kBlock = 256 * 1024;
  static constexpr size_t kNone = std::numeric_limits<size_t>::max();
  std::vector<std::unique_ptr<char[]>> blocks_;
  size_t current_ = kNone;  // the block being filled
  size_t used_ = 0;
  std::deque<std::string> large_;
};

}  // namespace consumer_internal

// Starts partitions that have no committed offset at the beginning; everything else at its
// committed offset, or in batch mode at its position in the database.
// (auto.offset.reset is "error", so that only a real out-of-range shows up.)
class EventConsumer::Rebalance : public RdKafka::RebalanceCb {
 public:
  explicit Rebalance(EventConsumer& owner) : owner_(owner) {}
  void rebalance_cb(RdKafka::KafkaConsumer* consumer, RdKafka::ErrorCode err,
                    std::vector<RdKafka::TopicPartition*>& partitions) override {
    if (err == RdKafka::ERR__ASSIGN_PARTITIONS) {
      owner_.SetStartOffsets(partitions);
      consumer->assign(partitions);
    } else {
      consumer->unassign();
    }
  }

 private:
  EventConsumer& owner_;
};

struct EventConsumer::Batch {
  std::vector<consumer_internal::OwnedMessage> messages;
  // The events of ours, read in place from `messages` (their header attributes from `texts`),
  // where each was read, and the hash of each one's id.
  std::vector<EventView> events;
  consumer_internal::TextCopies texts;
  std::vector<size_t> id_hashes;
  std::vector<Located> at;
  std::vector<const rd_kafka_message_t*> sources;
  // Records that are not CloudEvents, with the reason; and how many had a type not ours.
  std::vector<std::pair<const rd_kafka_message_t*, std::string>> unreadable;
  int unknown_types = 0;
  // Every record's offsets, so that the positions move past all of them.
  Extent extent;
  std::vector<const rd_kafka_topic_t*> handles;  // per span: finds a record's span cheaply

  // Empties the batch for the next records, keeping the vectors' capacity.
  void Clear() {
    messages.clear();
    events.clear();
    texts.Clear();
    id_hashes.clear();
    at.clear();
    sources.clear();
    unreadable.clear();
    unknown_types = 0;
    extent.clear();
    handles.clear();
  }
};

}  // namespace parkline::events

#endif  // PARKLINE_EVENTS_CONSUMER_INTERNAL_H_
