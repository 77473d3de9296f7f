// The database's transient failures in /metrics: transactions run again after a conflict, a busy
// file or a lost connection, and those whose retries ran out. With several writers on one
// PostgreSQL database (replicas, a relay) each serialization failure costs a whole transaction
// again, and a group commit's carries many requests: the rate says whether the writers get in
// one another's way.
#ifndef PARKLINE_HOST_STORE_METRICS_H_
#define PARKLINE_HOST_STORE_METRICS_H_

namespace parkline::host {

// Counts every transient failure of this process's transactions in
// parkline_store_transaction_retries_total{cause, outcome}: outcome "retried" (run again) or
// "gave_up" (the error went back to the caller). Call once, before the database is used.
void CountTransactionRetries();

}  // namespace parkline::host

#endif  // PARKLINE_HOST_STORE_METRICS_H_
