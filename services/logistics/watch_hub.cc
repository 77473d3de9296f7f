#include "logistics/watch_hub.h"

namespace parkline::logistics {

WatchHub::Subscription::Subscription(WatchHub& hub, std::string key)
    : hub_(hub), key_(std::move(key)) {
  std::lock_guard<std::mutex> lock(hub_.mu_);
  Watched& w = hub_.keys_[key_];
  ++w.watchers;
  seen_ = w.version;
}

WatchHub::Subscription::~Subscription() {
  std::lock_guard<std::mutex> lock(hub_.mu_);
  auto it = hub_.keys_.find(key_);
  if (--it->second.watchers == 0) hub_.keys_.erase(it);
}

bool WatchHub::Subscription::Wait(absl::Duration timeout) {
  std::unique_lock<std::mutex> lock(hub_.mu_);
  const Watched& w = hub_.keys_[key_];
  bool notified = hub_.cv_.wait_for(lock, absl::ToChronoMilliseconds(timeout),
                                    [&] { return hub_.stopping_ || w.version != seen_; });
  notified = notified && w.version != seen_;
  seen_ = w.version;
  return notified;
}

void WatchHub::Notify(const std::string& key) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = keys_.find(key);
    if (it == keys_.end()) return;  // nobody watches it
    ++it->second.version;
  }
  cv_.notify_all();
}

void WatchHub::Shutdown() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
}

bool WatchHub::stopping() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stopping_;
}

int WatchHub::watchers() const {
  std::lock_guard<std::mutex> lock(mu_);
  int n = 0;
  for (const auto& [key, w] : keys_) n += w.watchers;
  return n;
}

}  // namespace parkline::logistics
