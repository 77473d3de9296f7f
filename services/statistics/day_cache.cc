#include "statistics/day_cache.h"

#include "absl/time/civil_time.h"

namespace parkline::statistics {
namespace {

constexpr int64_t kSecondsPerDay = 86400;
// Years 1 to 9999, less a day at each end for the zone's offset.
constexpr absl::Time kFirst = absl::FromUnixSeconds(-62135596800 + kSecondsPerDay);
constexpr absl::Time kLast = absl::FromUnixSeconds(253402300800 - kSecondsPerDay);

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

}  // namespace

std::string DayOf(absl::Time t, const absl::TimeZone& zone) {
  return absl::FormatTime("%Y-%m-%d", t, zone);
}

absl::string_view DayCache::DayOf(absl::Time t, const absl::TimeZone& zone) {
  // Infinite or absurd times (a corrupt timestamp) are not worth the arithmetic: the zone formats
  // them.
  if (t < kFirst || t >= kLast) {
    day_number_ = std::numeric_limits<int64_t>::min();
    day_ = statistics::DayOf(t, zone);
    return day_;
  }
  if (!(zone == zone_ && from_ <= t && t < until_)) LearnOffset(t, zone);
  int64_t day = FloorDiv(absl::ToUnixSeconds(t) + offset_seconds_, kSecondsPerDay);
  if (day != day_number_) {
    day_number_ = day;
    day_ = absl::FormatCivilTime(absl::CivilDay(1970, 1, 1) + day);
  }
  return day_;
}

void DayCache::LearnOffset(absl::Time t, const absl::TimeZone& zone) {
  zone_ = zone;
  offset_seconds_ = zone.At(t).offset;
  // From `t` on, not from the previous transition: a transition at exactly `t` would be missed
  // by PrevTransition, and a late event only costs one more lookup.
  from_ = t;
  absl::TimeZone::CivilTransition next;
  // No next transition: the offset holds for ever (Asia/Shanghai since 1991).
  until_ = zone.NextTransition(t, &next) ? zone.At(next.to).trans : absl::InfiniteFuture();
  // The day number would be wrong after this; never trust a window that does not contain `t`.
  if (until_ <= t) until_ = t + absl::Nanoseconds(1);
}

}  // namespace parkline::statistics
