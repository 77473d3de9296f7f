#include "host/store_metrics.h"

#include <string>

#include "prometheus/counter.h"
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

}  // namespace parkline::host
