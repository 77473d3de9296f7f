// Wakes the watchers of a shipment when entries for it were stored in this process. Watchers
// also look at the database every poll interval on their own, so entries stored by another
// replica (or committed just after the wake-up) reach them too, only later.
//
// Shutdown() wakes every watcher for good: at SIGTERM a watch ends at once instead of holding
// the server's drain.
//
// Thread-safe.
#ifndef PARKLINE_LOGISTICS_WATCH_HUB_H_
#define PARKLINE_LOGISTICS_WATCH_HUB_H_

#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "absl/time/time.h"

namespace parkline::logistics {

class WatchHub {
 public:
  // Registers a watcher of `key` for as long as it lives.
  class Subscription {
   public:
    Subscription(WatchHub& hub, std::string key);
    ~Subscription();
    Subscription(const Subscription&) = delete;
    Subscription& operator=(const Subscription&) = delete;

    // Waits until the key is notified (since the last Wait), `timeout` passes, or the hub shuts
    // down. True when notified.
    bool Wait(absl::Duration timeout);

   private:
    WatchHub& hub_;
    std::string key_;
    uint64_t seen_ = 0;
  };

  void Notify(const std::string& key);
  void Shutdown();
  bool stopping() const;
  // Watchers now registered (for tests and the gauge).
  int watchers() const;

 private:
  struct Watched {
    int watchers = 0;
    uint64_t version = 0;
  };
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, Watched> keys_;
  bool stopping_ = false;
};

}  // namespace parkline::logistics

#endif  // PARKLINE_LOGISTICS_WATCH_HUB_H_
