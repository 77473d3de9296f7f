// Closes park days: at the end of each day (plus a grace) it takes the snapshot of every
// current-value indicator as it stood at the day's end, from the projections' history, and the
// day's counted totals, stores both with the day's "closed" mark in one transaction and
// publishes them on parkline.statistics.v1 through the outbox. Days it missed (the service was
// stopped over a midnight, or was still catching up with the topics) are closed the same way,
// oldest first, once it is caught up.
//
// Exactly once: the mark's unique key (stat_day_closed.day) is written in the transaction that
// writes the snapshot and its event, so a restart finds the day closed, and of two replicas
// racing for a day one commit wins; only the holder of the lease "parkline.statistics-days"
// tries at all, so replicas seldom race.
//
// Thread-safe: CloseDue runs on the closer's ticker thread (or a test's).
#ifndef PARKLINE_STATISTICS_DAY_CLOSER_H_
#define PARKLINE_STATISTICS_DAY_CLOSER_H_

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "store/database.h"

namespace parkline::statistics {

class DayCloser {
 public:
  using Clock = std::function<absl::Time()>;
  struct Options {
    absl::TimeZone zone;
    // How long after midnight a day is closed (--day_close_grace).
    absl::Duration grace = absl::Minutes(10);
    // Whether the aggregator has applied everything its topics hold: no day is closed while it
    // catches up (a rebuild would otherwise close past days before their events arrive).
    std::function<bool()> caught_up = [] { return true; };
    // Called after a transaction appended events (the outbox relay's Notify).
    std::function<void()> published = [] {};
  };

  DayCloser(store::Database& db, Options options, Clock clock)
      : db_(db), options_(std::move(options)), clock_(std::move(clock)) {}

  // Closes every day due at clock(): how many it closed (0 while not caught up, or while
  // another replica holds the lease).
  absl::StatusOr<int> CloseDue();

  // Makes a pass in progress end after the day it is closing (each day is its own transaction):
  // a rebuilt store may have many days to close, and a service must stop within seconds.
  void Stop() { stopping_ = true; }

 private:
  store::Database& db_;
  Options options_;
  Clock clock_;
  std::mutex mu_;
  std::unique_ptr<store::Database::Lease> lease_;  // guarded by mu_
  std::atomic<bool> stopping_{false};
};

// In the aggregator's batch transaction, after its effects: the closed days on or after
// `snapshots_from` (the earliest day of the batch's projection changes; "" for none) and the
// closed days among `counted_days` (the days it counted anything on) taken again, snapshot and
// totals; each that changed is stored and published as a new revision at `now`. Late events so
// change a closed day as they change a counted one, and a rebuild gives the same archive.
absl::Status ReviseClosedDays(store::Transaction& tx, const std::string& snapshots_from,
                              const std::set<std::string>& counted_days, const absl::TimeZone& zone,
                              absl::Time now);

}  // namespace parkline::statistics

#endif  // PARKLINE_STATISTICS_DAY_CLOSER_H_
