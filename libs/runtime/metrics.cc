#include "runtime/metrics.h"

#include <exception>

#include "absl/strings/str_cat.h"
#include "prometheus/exposer.h"

namespace parkline::runtime {

namespace {
// Never destroyed: metrics may be touched by threads still running during static destruction.
const std::shared_ptr<prometheus::Registry>& SharedMetrics() {
  static auto* registry =
      new std::shared_ptr<prometheus::Registry>(std::make_shared<prometheus::Registry>());
  return *registry;
}
}  // namespace

prometheus::Registry& Metrics() { return *SharedMetrics(); }

absl::StatusOr<std::unique_ptr<MetricsEndpoint>> MetricsEndpoint::Start(
    const std::string& address) {
  std::unique_ptr<MetricsEndpoint> endpoint(new MetricsEndpoint());
  try {
    // civetweb takes "host:port"; it throws when it cannot bind.
    endpoint->exposer_ = std::make_unique<prometheus::Exposer>(address, 2);
  } catch (const std::exception& e) {
    return absl::UnavailableError(absl::StrCat("metrics endpoint ", address, ": ", e.what()));
  }
  endpoint->exposer_->RegisterCollectable(SharedMetrics());
  auto ports = endpoint->exposer_->GetListeningPorts();
  endpoint->port_ = ports.empty() ? 0 : ports.front();
  return endpoint;
}

MetricsEndpoint::~MetricsEndpoint() = default;

}  // namespace parkline::runtime
