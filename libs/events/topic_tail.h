// Reads back the newest records of a topic: what a publisher that died may have sent without
// recording it (the outbox relay checks this before it publishes after taking over).
#ifndef PARKLINE_EVENTS_TOPIC_TAIL_H_
#define PARKLINE_EVENTS_TOPIC_TAIL_H_

#include <set>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "events/kafka_security.h"

namespace parkline::events {

// The ce_id of the last `per_partition` records of every partition of `topic`. UNAVAILABLE when
// the broker does not answer within `timeout`.
absl::StatusOr<std::set<std::string>> RecentEventIds(const std::string& brokers,
                                                     const KafkaSecurity& security,
                                                     const std::string& topic, int per_partition,
                                                     absl::Duration timeout);

}  // namespace parkline::events

#endif  // PARKLINE_EVENTS_TOPIC_TAIL_H_
