// The process's Prometheus registry and the HTTP endpoint that serves it. Every library registers
// its metrics in the one registry (the Prometheus client idiom), so a service exposes them all on
// its metrics port without wiring.
#ifndef PARKLINE_RUNTIME_METRICS_H_
#define PARKLINE_RUNTIME_METRICS_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "prometheus/registry.h"

namespace prometheus {
class Exposer;
}

namespace parkline::runtime {

// The process-wide registry. Thread-safe.
prometheus::Registry& Metrics();

// Adds metrics that are computed when scraped (e.g. figures read from a store) to what the
// endpoint serves, for as long as `collectable` lives.
void AddCollectable(std::weak_ptr<prometheus::Collectable> collectable);

// Serves Metrics() and the added collectables at http://<address>/metrics until destroyed.
class MetricsEndpoint {
 public:
  static absl::StatusOr<std::unique_ptr<MetricsEndpoint>> Start(const std::string& address);
  ~MetricsEndpoint();
  // The bound port (useful when the address asked for port 0).
  int port() const { return port_; }

 private:
  MetricsEndpoint() = default;
  std::unique_ptr<prometheus::Exposer> exposer_;
  int port_ = 0;
};

}  // namespace parkline::runtime

#endif  // PARKLINE_RUNTIME_METRICS_H_
