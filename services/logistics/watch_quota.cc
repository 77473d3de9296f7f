#include "logistics/watch_quota.h"

namespace parkline::logistics {

std::optional<WatchQuota::Slot> WatchQuota::TryAcquire(const std::string& caller) {
  std::lock_guard<std::mutex> lock(mu_);
  int& open = open_[caller];
  if (open >= max_per_caller_) return std::nullopt;
  ++open;
  return Slot(this, caller);
}

int WatchQuota::open(const std::string& caller) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = open_.find(caller);
  return it == open_.end() ? 0 : it->second;
}

void WatchQuota::Release(const std::string& caller) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = open_.find(caller);
  if (it == open_.end()) return;
  // Callers without an open watch are forgotten, so that the map holds only the watching ones.
  if (--it->second <= 0) open_.erase(it);
}

}  // namespace parkline::logistics
