// absl::Time <-> google.protobuf.Timestamp, at microsecond precision (what the stores keep), in
// one place for every service's adapters.
#ifndef PARKLINE_RUNTIME_PROTO_TIME_H_
#define PARKLINE_RUNTIME_PROTO_TIME_H_

#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"

namespace parkline::runtime {

google::protobuf::Timestamp ToTimestamp(absl::Time t);
absl::Time FromTimestamp(const google::protobuf::Timestamp& t);

}  // namespace parkline::runtime

#endif  // PARKLINE_RUNTIME_PROTO_TIME_H_
