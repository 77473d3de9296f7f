// What the backends share: a fixed pool of connections handed to one thread at a time, and the
// way one transaction attempt runs (begin, the caller's function, commit or roll back) and is
// retried while the database answers UNAVAILABLE (busy, a serialization conflict, a broken
// connection). Internal to libs/store.
//
// ConnectionPool is thread-safe; a leased connection belongs to its thread until returned.
#ifndef PARKLINE_STORE_CONNECTION_POOL_H_
#define PARKLINE_STORE_CONNECTION_POOL_H_

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "store/database.h"

namespace parkline::store::internal {

template <typename Connection>
class ConnectionPool {
 public:
  explicit ConnectionPool(std::vector<std::unique_ptr<Connection>> connections)
      : owned_(std::move(connections)) {
    for (auto& c : owned_) idle_.push_back(c.get());
  }

  // Runs `fn(connection)` with a connection of its own, waiting while all are busy.
  template <typename Fn>
  auto With(Fn&& fn) {
    Connection* conn;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return !idle_.empty(); });
      conn = idle_.back();
      idle_.pop_back();
    }
    struct Return {
      ConnectionPool* pool;
      Connection* conn;
      ~Return() {
        {
          std::lock_guard<std::mutex> lock(pool->mu_);
          pool->idle_.push_back(conn);
        }
        pool->cv_.notify_one();
      }
    } give_back{this, conn};
    return fn(*conn);
  }

 private:
  std::vector<std::unique_ptr<Connection>> owned_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Connection*> idle_;  // guarded by mu_
};

// One attempt: `begin`, fn, COMMIT when fn returned OK, else ROLLBACK. `Tx` wraps the
// connection as a Transaction; `Connection` has absl::Status Exec(absl::string_view).
template <typename Tx, typename Connection>
absl::Status RunTransactionOnce(Connection& conn, const char* begin,
                                const std::function<absl::Status(Transaction&)>& fn) {
  if (auto s = conn.Exec(begin); !s.ok()) return s;
  Tx tx(conn);
  absl::Status status = fn(tx);
  if (status.ok()) {
    status = conn.Exec("COMMIT");
    if (status.ok()) return status;
  }
  // After a failed COMMIT the database may have rolled back already; ROLLBACK then fails
  // harmlessly.
  conn.Exec("ROLLBACK").IgnoreError();
  return status;
}

// Runs `attempt` up to `tries` times while it returns a transient UNAVAILABLE, pausing a little
// longer each time. The whole transaction runs again, so its function must have no effect outside
// it. Each transient failure is told to the retry observer (SetRetryObserver).
inline absl::Status RetryWhileUnavailable(int tries, const std::function<absl::Status()>& attempt) {
  absl::Status result;
  for (int i = 0; i < tries; ++i) {
    result = attempt();
    if (!IsTransient(result)) break;
    const bool last = i + 1 == tries;
    ObserveRetry(result, /*gave_up=*/last);
    if (last) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5 << std::min(i, 6)));
  }
  return result;
}

}  // namespace parkline::store::internal

#endif  // PARKLINE_STORE_CONNECTION_POOL_H_
