// How many WatchShipment streams each caller may hold open at once. A watch holds a server thread
// for as long as it lasts (the synchronous server), so one caller opening watches without end
// would take the threads every other caller needs: the quota refuses its next watch instead, and
// other callers are not affected.
//
// A Slot is the right to one open watch; it is given back when the Slot is destroyed, however the
// watch ended (delivered, cancelled, failed, server stopping).
//
// Thread-safe: watches open and close on many server threads at once.
#ifndef PARKLINE_LOGISTICS_WATCH_QUOTA_H_
#define PARKLINE_LOGISTICS_WATCH_QUOTA_H_

#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace parkline::logistics {

class WatchQuota {
 public:
  // `max_per_caller`: open watches a caller may hold (1 or more).
  explicit WatchQuota(int max_per_caller) : max_per_caller_(max_per_caller) {}
  WatchQuota(const WatchQuota&) = delete;
  WatchQuota& operator=(const WatchQuota&) = delete;

  class Slot {
   public:
    Slot(Slot&& other) noexcept : quota_(other.quota_), caller_(std::move(other.caller_)) {
      other.quota_ = nullptr;
    }
    Slot& operator=(Slot&&) = delete;
    Slot(const Slot&) = delete;
    ~Slot() {
      if (quota_ != nullptr) quota_->Release(caller_);
    }

   private:
    friend class WatchQuota;
    Slot(WatchQuota* quota, std::string caller) : quota_(quota), caller_(std::move(caller)) {}
    WatchQuota* quota_;
    std::string caller_;
  };

  // A slot for `caller` (the principal's name), or nothing when it already holds max_per_caller.
  std::optional<Slot> TryAcquire(const std::string& caller);

  // Watches `caller` holds open now.
  int open(const std::string& caller) const;
  int max_per_caller() const { return max_per_caller_; }

 private:
  void Release(const std::string& caller);

  const int max_per_caller_;
  mutable std::mutex mu_;
  std::map<std::string, int> open_;  // callers with at least one open watch
};

}  // namespace parkline::logistics

#endif  // PARKLINE_LOGISTICS_WATCH_QUOTA_H_
