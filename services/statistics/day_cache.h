// The park's day ("YYYY-MM-DD" in its time zone) of event times, fast when the times arrive
// mostly in order: every counter of every event needs its day, and formatting one through the
// time zone costs more than everything else an event does.
//
// Not thread-safe: one per batch (Effects holds one).
#ifndef PARKLINE_STATISTICS_DAY_CACHE_H_
#define PARKLINE_STATISTICS_DAY_CACHE_H_

#include <cstdint>
#include <limits>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace parkline::statistics {

// "YYYY-MM-DD" of `t` in `zone`.
std::string DayOf(absl::Time t, const absl::TimeZone& zone);

class DayCache {
 public:
  // The same text as DayOf(t, zone); valid until the next call.
  absl::string_view DayOf(absl::Time t, const absl::TimeZone& zone);

 private:
  // Learns the UTC offset at `t` and until when it holds (the zone's next transition).
  void LearnOffset(absl::Time t, const absl::TimeZone& zone);

  // Within [from_, until_) the zone's UTC offset is offset_seconds_, so a time's day is plain
  // arithmetic. Empty until the first call.
  absl::TimeZone zone_;
  absl::Time from_ = absl::InfiniteFuture();
  absl::Time until_ = absl::InfinitePast();
  int offset_seconds_ = 0;
  // The last day computed, as days since 1970-01-01 in the zone, and its text.
  int64_t day_number_ = std::numeric_limits<int64_t>::min();
  std::string day_;
};

}  // namespace parkline::statistics

#endif  // PARKLINE_STATISTICS_DAY_CACHE_H_
