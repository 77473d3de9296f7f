#include "events/topic_tail.h"

#include <librdkafka/rdkafkacpp.h>

#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "events/kafka_client.h"
#include "events/kafka_logging.h"

namespace parkline::events {

absl::StatusOr<std::set<std::string>> RecentEventIds(const std::string& brokers,
                                                     const KafkaSecurity& security,
                                                     const std::string& topic, int per_partition,
                                                     absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  auto left_ms = [&] {
    return static_cast<int>(
        std::max<int64_t>(0, absl::ToInt64Milliseconds(deadline - absl::Now())));
  };
  auto made = NewClientConf("outbox-tail", brokers, security,
                            {// Partitions are assigned by hand and no offset is ever committed:
                             // the group is a formality of the consumer API.
                             {"group.id", "parkline-outbox-tail"},
                             {"enable.auto.commit", "false"},
                             {"enable.partition.eof", "true"},
                             {"client.id", "parkline-outbox-tail"}});
  if (!made.ok()) return made.status();
  std::unique_ptr<RdKafka::Conf> conf = std::move(*made);
  std::string error;
  KafkaLogging logging("outbox-tail");  // JSON log lines, as every other client
  if (conf->set("event_cb", &logging, error) != RdKafka::Conf::CONF_OK) {
    return absl::InternalError(error);
  }
  std::unique_ptr<RdKafka::KafkaConsumer> consumer(
      RdKafka::KafkaConsumer::create(conf.get(), error));
  if (!consumer) return absl::UnavailableError(absl::StrCat("tail reader: ", error));
  std::unique_ptr<RdKafka::Topic> handle(
      RdKafka::Topic::create(consumer.get(), topic, nullptr, error));
  if (!handle) return absl::InternalError(error);
  RdKafka::Metadata* raw = nullptr;
  RdKafka::ErrorCode err = consumer->metadata(false, handle.get(), &raw, left_ms());
  std::unique_ptr<RdKafka::Metadata> metadata(raw);
  if (err != RdKafka::ERR_NO_ERROR || metadata->topics()->empty()) {
    return absl::UnavailableError(absl::StrCat("metadata of ", topic, ": ", RdKafka::err2str(err)));
  }
  std::vector<RdKafka::TopicPartition*> assignment;
  for (const RdKafka::PartitionMetadata* p : *metadata->topics()->front()->partitions()) {
    int64_t low = 0, high = 0;
    err = consumer->query_watermark_offsets(topic, p->id(), &low, &high, left_ms());
    if (err != RdKafka::ERR_NO_ERROR) {
      for (auto* tp : assignment) delete tp;
      return absl::UnavailableError(
          absl::StrCat("offsets of ", topic, "/", p->id(), ": ", RdKafka::err2str(err)));
    }
    if (high > low) {
      assignment.push_back(
          RdKafka::TopicPartition::create(topic, p->id(), std::max(low, high - per_partition)));
    }
  }
  std::set<std::string> ids;
  if (assignment.empty()) return ids;
  size_t remaining = assignment.size();
  consumer->assign(assignment);
  for (auto* tp : assignment) delete tp;
  while (remaining > 0) {
    if (absl::Now() >= deadline) {
      consumer->close();
      return absl::UnavailableError(absl::StrCat("reading the tail of ", topic, ": timed out"));
    }
    std::unique_ptr<RdKafka::Message> m(consumer->consume(std::min(200, left_ms())));
    if (m->err() == RdKafka::ERR__PARTITION_EOF) {
      --remaining;
    } else if (m->err() == RdKafka::ERR_NO_ERROR && m->headers() != nullptr) {
      for (const auto& h : m->headers()->get("ce_id")) {
        ids.emplace(static_cast<const char*>(h.value()), h.value_size());
      }
    }
  }
  consumer->close();
  return ids;
}

}  // namespace parkline::events
