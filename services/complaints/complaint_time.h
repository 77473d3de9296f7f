// The instants a complaint and its record keep: protobuf Timestamps in the messages, RFC 3339
// text (UTC) in the record's details, absl::Time for every computation. Microsecond precision
// throughout, as the database stores it, so that a round trip changes no instant.
//
// Plain functions; thread-safe.
#ifndef PARKLINE_COMPLAINTS_COMPLAINT_TIME_H_
#define PARKLINE_COMPLAINTS_COMPLAINT_TIME_H_

#include <string>

#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/protobuf/util/time_util.h"

namespace parkline::complaints {

inline google::protobuf::Timestamp Ts(absl::Time t) {
  return google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(t));
}

inline absl::Time TimeOf(const google::protobuf::Timestamp& t) {
  return absl::FromUnixMicros(google::protobuf::util::TimeUtil::TimestampToMicroseconds(t));
}

inline std::string Rfc3339(absl::Time t) {
  return absl::FormatTime(absl::RFC3339_full, t, absl::UTCTimeZone());
}

}  // namespace parkline::complaints

#endif  // PARKLINE_COMPLAINTS_COMPLAINT_TIME_H_
