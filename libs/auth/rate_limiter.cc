#include "auth/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace parkline::auth {

RateLimiter::RateLimiter(RateLimit limit, Clock clock) : limit_(limit), clock_(std::move(clock)) {}

absl::Duration RateLimiter::Take(absl::string_view principal) {
  if (!enabled()) return absl::ZeroDuration();
  absl::Time now = clock_();
  absl::MutexLock lock(&mu_);
  auto [it, fresh] = buckets_.try_emplace(principal, Bucket{double(limit_.burst), now});
  Bucket& bucket = it->second;
  if (!fresh) {
    // A clock that steps back must not take tokens away.
    double elapsed = std::max(0.0, absl::ToDoubleSeconds(now - bucket.updated));
    bucket.tokens = std::min(double(limit_.burst), bucket.tokens + elapsed * limit_.per_second);
    bucket.updated = std::max(now, bucket.updated);
  }
  if (bucket.tokens >= 1.0) {
    bucket.tokens -= 1.0;
    return absl::ZeroDuration();
  }
  double missing = 1.0 - bucket.tokens;
  // Rounded up to the millisecond, so that a caller waiting as told finds a whole token.
  return absl::Milliseconds(std::ceil(missing * 1000.0 / limit_.per_second));
}

}  // namespace parkline::auth
