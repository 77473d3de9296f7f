// A token bucket per caller: each principal may send `burst` RPCs at once and `per_second` RPCs a
// second sustained. Pure apart from its lock: the clock is given, so tests drive time by hand.
//
// Buckets are kept per principal name for the life of the process: only callers the tokens file
// names get one (the limit applies after authentication), so their number is bounded by it.
#ifndef PARKLINE_AUTH_RATE_LIMITER_H_
#define PARKLINE_AUTH_RATE_LIMITER_H_

#include <functional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace parkline::auth {

struct RateLimit {
  int per_second = 0;  // 0: no limit
  int burst = 200;
};

class RateLimiter {
 public:
  using Clock = std::function<absl::Time()>;
  explicit RateLimiter(
      RateLimit limit, Clock clock = [] { return absl::Now(); });

  bool enabled() const { return limit_.per_second > 0; }

  // Takes a token from `principal`'s bucket: zero when the call may go ahead, else how long the
  // caller should wait before a token is there (nothing is taken then).
  absl::Duration Take(absl::string_view principal);

 private:
  struct Bucket {
    double tokens;
    absl::Time updated;
  };
  const RateLimit limit_;
  const Clock clock_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, Bucket> buckets_ ABSL_GUARDED_BY(mu_);
};

}  // namespace parkline::auth

#endif  // PARKLINE_AUTH_RATE_LIMITER_H_
