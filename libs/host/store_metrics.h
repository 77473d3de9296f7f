// The database's transient failures in /metrics: transactions run again after a conflict, a busy
// file or a lost connection, and those whose retries ran out. With several writers on one
// PostgreSQL database (replicas, a relay) each serialization failure costs a whole transaction
// again, and a group commit's carries many requests: the rate says whether the writers get in
// one another's way. And SQLite's waits for the file, which end in time and so are no failure,
// but take the time of the thread that waits.
#ifndef PARKLINE_HOST_STORE_METRICS_H_
#define PARKLINE_HOST_STORE_METRICS_H_

#include <string>

namespace parkline::host {

// Counts every transient failure of this process's transactions in
// parkline_store_transaction_retries_total{cause, outcome}: outcome "retried" (run again) or
// "gave_up" (the error went back to the caller). Call once, before the database is used.
void CountTransactionRetries();

// Counts the waits of this process's SQLite connections for the file (store::SetBusyWaitObserver)
// in parkline_store_busy_waits_total (waits begun) and parkline_store_busy_wait_seconds_total
// (time slept), by the waiting thread's name: the share of a second that the group commit's
// writer, or the outbox relay, spent waiting for the other, which their transactions' times
// include but do not tell apart. The relay's series exist from the start (at 0, so that Prometheus
// sees their first increase); another thread's appear with its first wait. Call once, before the
// database is used.
void CountBusyWaits();
// Creates `thread`'s busy-wait series at 0 (NewGroupCommitter: the writer's).
void ExposeBusyWaitsOf(const std::string& thread);

}  // namespace parkline::host

#endif  // PARKLINE_HOST_STORE_METRICS_H_
