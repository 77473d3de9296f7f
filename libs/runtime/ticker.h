// Runs a function every `interval` on a thread of its own until destroyed (the destructor wakes
// the thread and waits for a run in progress). For housekeeping such as expiring documents.
#ifndef PARKLINE_RUNTIME_TICKER_H_
#define PARKLINE_RUNTIME_TICKER_H_

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "absl/time/time.h"

namespace parkline::runtime {

class Ticker {
 public:
  Ticker(absl::Duration interval, std::function<void()> tick)
      : interval_(interval), tick_(std::move(tick)), thread_([this] { Run(); }) {}

  ~Ticker() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
    }
    cv_.notify_one();
    thread_.join();
  }

 private:
  void Run() {
    std::unique_lock<std::mutex> lock(mu_);
    while (
        !cv_.wait_for(lock, absl::ToChronoMilliseconds(interval_), [this] { return stopping_; })) {
      lock.unlock();
      tick_();
      lock.lock();
    }
  }

  absl::Duration interval_;
  std::function<void()> tick_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;  // guarded by mu_
  std::thread thread_;     // last: starts after the members it uses
};

}  // namespace parkline::runtime

#endif  // PARKLINE_RUNTIME_TICKER_H_
