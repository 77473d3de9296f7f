#include "host/store_metrics.h"

#include <pthread.h>

#include <map>
#include <string>

#include "events/outbox_relay.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "runtime/metrics.h"
#include "store/database.h"

namespace parkline::host {

void CountTransactionRetries() {
  static auto& family = prometheus::BuildCounter()
                            .Name("parkline_store_transaction_retries_total")
                            .Help(
                                "Transactions that failed transiently, by cause "
                                "(serialization_failure, deadlock, busy, connection, ...) and "
                                "outcome (retried: run again; gave_up: the error was returned).")
                            .Register(runtime::Metrics());
  // Every cause exists from the start at 0, so that Prometheus sees its first increase.
  for (absl::string_view cause : store::kTransientCauses) {
    for (const char* outcome : {"retried", "gave_up"}) {
      family.Add({{"cause", std::string(cause)}, {"outcome", outcome}});
    }
  }
  store::SetRetryObserver([](absl::string_view cause, bool gave_up) {
    family.Add({{"cause", std::string(cause)}, {"outcome", gave_up ? "gave_up" : "retried"}})
        .Increment();
  });
}

namespace {

prometheus::Family<prometheus::Counter>& BusyWaits() {
  static auto& family = prometheus::BuildCounter()
                            .Name("parkline_store_busy_waits_total")
                            .Help(
                                "Times a SQLite transaction found the file locked by another "
                                "writer and waited (SQLite's busy handler), by the waiting "
                                "thread's name (pl-writer: the group commit; pl-relay: the outbox "
                                "relay).")
                            .Register(runtime::Metrics());
  return family;
}

prometheus::Family<prometheus::Counter>& BusyWaitSeconds() {
  static auto& family = prometheus::BuildCounter()
                            .Name("parkline_store_busy_wait_seconds_total")
                            .Help(
                                "Seconds SQLite transactions slept waiting for the file while "
                                "another writer held it, by the waiting thread's name.")
                            .Register(runtime::Metrics());
  return family;
}

}  // namespace

void CountBusyWaits() {
  ExposeBusyWaitsOf(events::kRelayThread);  // every service publishes
  store::SetBusyWaitObserver([](bool first, double slept) {
    // Called on the waiting thread. Its name is read at its first wait: the threads that write
    // are named when they start (pl-writer, pl-relay, pl-apply ...), and unnamed ones carry the
    // process's name, so the series stay few.
    thread_local prometheus::Counter* waits = nullptr;
    thread_local prometheus::Counter* seconds = nullptr;
    if (waits == nullptr) {
      char name[16] = {};
      if (pthread_getname_np(pthread_self(), name, sizeof(name)) != 0) name[0] = '\0';
      const std::map<std::string, std::string> labels = {{"thread", name}};
      waits = &BusyWaits().Add(labels);
      seconds = &BusyWaitSeconds().Add(labels);
    }
    // The time first: whoever sees a wait counted sees its time too.
    seconds->Increment(slept);
    if (first) waits->Increment();
  });
}

void ExposeBusyWaitsOf(const std::string& thread) {
  BusyWaits().Add({{"thread", thread}});
  BusyWaitSeconds().Add({{"thread", thread}});
}

}  // namespace parkline::host
