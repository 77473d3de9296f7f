#include "runtime/metrics.h"

#include <exception>
#include <mutex>
#include <vector>

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

namespace {
// The registry plus every collectable added with AddCollectable.
class ProcessMetrics : public prometheus::Collectable {
 public:
  void Add(std::weak_ptr<prometheus::Collectable> c) {
    std::lock_guard<std::mutex> lock(mu_);
    extra_.push_back(std::move(c));
  }
  std::vector<prometheus::MetricFamily> Collect() const override {
    std::vector<prometheus::MetricFamily> out = SharedMetrics()->Collect();
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& weak : extra_) {
      if (auto c = weak.lock()) {
        auto more = c->Collect();
        out.insert(out.end(), std::make_move_iterator(more.begin()),
                   std::make_move_iterator(more.end()));
      }
    }
    return out;
  }

 private:
  mutable std::mutex mu_;
  std::vector<std::weak_ptr<prometheus::Collectable>> extra_;
};

const std::shared_ptr<ProcessMetrics>& Process() {
  static auto* all = new std::shared_ptr<ProcessMetrics>(std::make_shared<ProcessMetrics>());
  return *all;
}
}  // namespace

void AddCollectable(std::weak_ptr<prometheus::Collectable> collectable) {
  Process()->Add(std::move(collectable));
}

absl::StatusOr<std::unique_ptr<MetricsEndpoint>> MetricsEndpoint::Start(
    const std::string& address) {
  std::unique_ptr<MetricsEndpoint> endpoint(new MetricsEndpoint());
  try {
    // civetweb takes "host:port"; it throws when it cannot bind.
    endpoint->exposer_ = std::make_unique<prometheus::Exposer>(address, 2);
  } catch (const std::exception& e) {
    return absl::UnavailableError(absl::StrCat("metrics endpoint ", address, ": ", e.what()));
  }
  endpoint->exposer_->RegisterCollectable(Process());
  auto ports = endpoint->exposer_->GetListeningPorts();
  endpoint->port_ = ports.empty() ? 0 : ports.front();
  return endpoint;
}

MetricsEndpoint::~MetricsEndpoint() = default;

}  // namespace parkline::runtime
