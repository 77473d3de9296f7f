// EventConsumer's offsets: where assigned partitions start (Kafka's committed offsets, or in
// batch mode the positions in the database), how an offset out of range is restarted, and the
// offsets stored for commit once an event's effect is committed.
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafkacpp.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "events/consumer.h"
#include "events/consumer_internal.h"
#include "runtime/log.h"

namespace parkline::events {

void EventConsumer::StoreOffsets(const Extent& extent) {
  std::vector<std::unique_ptr<RdKafka::TopicPartition>> owned;
  std::vector<RdKafka::TopicPartition*> offsets;
  for (const Span& span : extent) {
    owned.emplace_back(
        RdKafka::TopicPartition::create(span.partition.topic, span.partition.partition, span.next));
    offsets.push_back(owned.back().get());
    NoteApplied(span.partition.topic, span.partition.partition, span.next);
  }
  consumer_->offsets_store(offsets);
}

void EventConsumer::NoteApplied(const std::string& topic, int32_t partition, int64_t next) {
  std::lock_guard<std::mutex> lock(applied_mu_);
  if (next >= 0) {
    applied_[{topic, partition}] = next;
  } else {
    applied_.erase({topic, partition});
  }
}

void EventConsumer::SetStartOffsets(std::vector<RdKafka::TopicPartition*>& partitions) {
  if (partitions.empty()) return;
  for (RdKafka::TopicPartition* tp : partitions) tp->set_offset(RdKafka::Topic::OFFSET_INVALID);
  // Kafka's committed offsets are a per-event consumer's place. A batch consumer's only count
  // from before it kept positions: since, they may pass positions that a machine crash took
  // back (TransactWithoutFlush), and starting there would skip what was lost.
  if (!batch_handler_ || recorded_ids_) consumer_->committed(partitions, 10000);
  if (batch_handler_) ResumeAtPositions(partitions);
  for (RdKafka::TopicPartition* tp : partitions) {
    // Where the partition starts is what is applied until a record is (for the lag).
    NoteApplied(tp->topic(), tp->partition(), tp->offset());
    if (tp->offset() < 0) tp->set_offset(RdKafka::Topic::OFFSET_BEGINNING);
  }
}

void EventConsumer::ResumeAtPositions(std::vector<RdKafka::TopicPartition*>& partitions) {
  absl::Status status;
  for (int attempt = 0; attempt < 5; ++attempt) {
    if (attempt > 0) absl::SleepFor(absl::Milliseconds(100) * attempt);
    status = db_.Read([&](store::Transaction& tx) -> absl::Status {
      for (RdKafka::TopicPartition* tp : partitions) {
        auto position = ReadPosition(tx, options_.group_id, {tp->topic(), tp->partition()});
        if (!position.ok()) return position.status();
        if (position->next_offset >= 0) tp->set_offset(position->next_offset);
      }
      return absl::OkStatus();
    });
    if (status.ok()) return;
  }
  // Reading from the beginning costs time, never an effect: the transactions skip what lies
  // below the positions.
  log::Warn("positions not read; reading the partitions from the beginning",
            {{"consumer", options_.group_id}, {"error", std::string(status.message())}});
  for (RdKafka::TopicPartition* tp : partitions) {
    tp->set_offset(RdKafka::Topic::OFFSET_BEGINNING);
  }
}

int64_t EventConsumer::RestartOffset(const std::string& topic, int32_t partition) {
  if (!batch_handler_) return RdKafka::Topic::OFFSET_BEGINNING;  // ids tell what was applied
  int64_t low = 0, high = 0;
  RdKafka::ErrorCode err = consumer_->query_watermark_offsets(topic, partition, &low, &high, 5000);
  if (err != RdKafka::ERR_NO_ERROR) return RdKafka::Topic::OFFSET_BEGINNING;
  // Beyond the end, the position is moved back to the end: the records below it are the ones
  // applied before the log lost its tail. Moving it back further would apply them again, since
  // only the last ids are remembered. (A recreated topic's first records are skipped too: the
  // error says so, and the remedy is a rebuild.) Below the start, the lost records are gone and
  // the next ones are above the position anyway.
  bool beyond = false;
  absl::Status status = db_.Transact([&](store::Transaction& tx) -> absl::Status {
    PartitionId id{topic, partition};
    auto position = ReadPosition(tx, options_.group_id, id);
    if (!position.ok()) return position.status();
    beyond = position->next_offset > high;
    if (!beyond) return absl::OkStatus();
    return RecordRange(tx, options_.group_id, id, *position, high, high, 0, {},
                       absl::ToUnixMicros(absl::Now()));
  });
  if (!status.ok()) {
    log::Warn("position not moved back; reading from the beginning",
              {{"consumer", options_.group_id}, {"error", std::string(status.message())}});
    return RdKafka::Topic::OFFSET_BEGINNING;
  }
  if (beyond) {
    log::Error("consumer position beyond the end of its partition: moved back to the end",
               {{"consumer", options_.group_id},
                {"topic", topic},
                {"partition", static_cast<int64_t>(partition)},
                {"end", high}});
    return high;
  }
  return RdKafka::Topic::OFFSET_BEGINNING;
}

void EventConsumer::Restart(const std::string& topic, int32_t partition, int64_t offset) {
  // librdkafka stops fetching a partition whose offset was out of range and refuses to seek it
  // (ERR__STATE): the assignment is given again, the others at their current positions.
  std::vector<RdKafka::TopicPartition*> parts;
  RdKafka::ErrorCode err = consumer_->assignment(parts);
  if (err == RdKafka::ERR_NO_ERROR) err = consumer_->position(parts);
  if (err == RdKafka::ERR_NO_ERROR) {
    std::vector<RdKafka::TopicPartition*> unstarted;
    for (RdKafka::TopicPartition* tp : parts) {
      if (tp->topic() == topic && tp->partition() == partition) {
        tp->set_offset(offset);
      } else if (tp->offset() < 0) {
        unstarted.push_back(tp);  // not fetched yet: where a new assignment would start
      }
    }
    SetStartOffsets(unstarted);
    err = consumer_->assign(parts);
  }
  RdKafka::TopicPartition::destroy(parts);
  if (err != RdKafka::ERR_NO_ERROR) {
    log::Error("consumer could not restart a partition after an offset out of range",
               {{"consumer", options_.group_id},
                {"topic", topic},
                {"partition", static_cast<int64_t>(partition)},
                {"error", RdKafka::err2str(err)}});
  }
}

void EventConsumer::StoreOffset(RdKafka::Message& message) {
  std::unique_ptr<RdKafka::TopicPartition> tp(RdKafka::TopicPartition::create(
      message.topic_name(), message.partition(), message.offset() + 1));
  NoteApplied(message.topic_name(), message.partition(), message.offset() + 1);
  std::vector<RdKafka::TopicPartition*> offsets = {tp.get()};
  consumer_->offsets_store(offsets);
}

}  // namespace parkline::events
