// The CloudEvents 1.0 envelope of every Parkline event, in Kafka binary content mode (DESIGN §4):
// the attributes travel as headers (ce_specversion, ce_id, ce_source, ce_type, ce_time,
// ce_subject, content-type) and the Kafka value is the serialized protobuf message. The Kafka
// key is the subject (the aggregate id), so one aggregate's events stay in order on one
// partition. Any CloudEvents consumer, or kcat, can read them.
//
// Plain values and pure functions: no Kafka needed to build or check one.
#ifndef PARKLINE_EVENTS_ENVELOPE_H_
#define PARKLINE_EVENTS_ENVELOPE_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace google::protobuf {
class Message;
}

namespace parkline::events {

inline constexpr absl::string_view kContentType = "application/protobuf";
inline constexpr absl::string_view kDeadLetterTopic = "parkline.deadletter.v1";
// Beside the CloudEvents attributes, the outbox relay sends who published a record and its
// number in that publisher's sequence (outbox_relay.h): decimal, from 1, increasing in the order
// the publisher first sent its records. A batch consumer skips a record whose number is not above
// the highest it applied from that publisher in that partition (applied_ranges.h).
inline constexpr absl::string_view kPublisherHeader = "parkline_publisher";
inline constexpr absl::string_view kSequenceHeader = "parkline_seq";

struct Envelope {
  std::string id;       // ce_id: a random UUID, unique per event
  std::string source;   // ce_source: "/parkline/<service>"
  std::string type;     // ce_type: full protobuf name, "parkline.enterprises.v1.EnterpriseAdmitted"
  std::string subject;  // ce_subject and Kafka key: the aggregate id (USCC, order key ...)
  absl::Time time;      // ce_time: when the change happened (RFC 3339, UTC)
  std::string topic;    // "parkline.<domain>.v1"
  std::string payload;  // the serialized message
};

// An event read in place from a consumed record, without copying it (batch consumers read
// millions): valid as long as the record.
struct EventView {
  absl::string_view id;
  absl::string_view source;
  absl::string_view type;
  absl::string_view subject;
  absl::Time time;
  absl::string_view topic;
  absl::string_view payload;
  // kPublisherHeader and kSequenceHeader; 0 and empty when the record has none (sent before
  // publishers numbered their records, or by another producer).
  absl::string_view publisher;
  int64_t publish_seq = 0;
};

// A view of `envelope`, valid as long as it.
inline EventView ViewOf(const Envelope& e) {
  return {e.id, e.source, e.type, e.subject, e.time, e.topic, e.payload, {}, 0};
}

using Headers = std::vector<std::pair<std::string, std::string>>;
// Headers read in place from a consumed record.
using HeaderViews = std::vector<std::pair<absl::string_view, absl::string_view>>;

// A new event carrying `message`, with a fresh id.
Envelope NewEvent(absl::string_view topic, absl::string_view source, absl::string_view subject,
                  const google::protobuf::Message& message, absl::Time time);

// The Kafka headers of an envelope (binary content mode).
Headers ToHeaders(const Envelope& envelope);

// Rebuilds an envelope from a Kafka record. INVALID_ARGUMENT names the missing or malformed
// attribute (such a record goes to the dead-letter topic).
absl::StatusOr<Envelope> FromRecord(const Headers& headers, absl::string_view topic,
                                    absl::string_view key, std::string payload);
absl::StatusOr<Envelope> FromRecord(const HeaderViews& headers, absl::string_view topic,
                                    absl::string_view key, std::string payload);
// The same, in place.
absl::StatusOr<EventView> ViewRecord(const HeaderViews& headers, absl::string_view topic,
                                     absl::string_view key, absl::string_view payload);

// Reads an RFC 3339 time (ce_time). The form ToHeaders writes, "2023-11-14T22:13:20.123456Z",
// is read directly, because a consumer reads one per event; any other form through absl.
bool ParseEventTime(absl::string_view text, absl::Time* out, std::string* error);

// A time-ordered (version 7) UUID in its 36-character text form: the creation time to the
// millisecond, then 62 random bits. A process's ids are strictly increasing, so that the indexes
// keyed by them (the outbox's, a consumer's processed ids) grow at one end: random (version 4)
// ids put every insert on a page of its own, which at 15 documents per group commit made a
// quarter of the declarations service's page writes. Only the last 16 hex digits are random:
// take those when a short random text is wanted.
std::string NewUuid();

}  // namespace parkline::events

#endif  // PARKLINE_EVENTS_ENVELOPE_H_
