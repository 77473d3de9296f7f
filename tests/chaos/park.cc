#include "tests/chaos/park.h"

#include <signal.h>

#include "absl/time/clock.h"

namespace parkline::chaos {
namespace {

constexpr const char* kNames[] = {"enterprises", "declarations", "statistics"};

}  // namespace

Park::Park(ParkOptions options) : options_(std::move(options)) {
  for (const char* name : kNames) running_[name] = Start(name);
  supervisor_ = std::thread([this] { Supervise(); });
}

Park::~Park() {
  stopping_ = true;
  supervisor_.join();
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& [name, process] : running_) process->process().Signal(SIGTERM);
  for (auto& [name, process] : running_) process->process().Wait(absl::Seconds(20));
}

std::shared_ptr<testing::ServiceProcess> Park::Start(const std::string& name) {
  std::map<std::string, std::string> env = {{"PARKLINE_TOPIC_PREFIX", options_.topic_prefix}};
  for (const auto& [k, v] : options_.env[name]) env[k] = v;
  if (name == "enterprises")
    return std::make_shared<Enterprises>(ENTERPRISES_BINARY, name, options_.dir, env);
  if (name == "declarations")
    return std::make_shared<Declarations>(DECLARATIONS_BINARY, name, options_.dir, env);
  return std::make_shared<Statistics>(STATISTICS_BINARY, name, options_.dir, env);
}

void Park::Supervise() {
  while (!stopping_) {
    for (const char* name : kNames) {
      std::shared_ptr<testing::ServiceProcess> process;
      {
        std::lock_guard<std::mutex> lock(mu_);
        process = running_[name];
      }
      if (!process->process().Wait(absl::ZeroDuration()).has_value()) continue;
      std::lock_guard<std::mutex> lock(mu_);  // Disarm changes the environment Start reads
      running_[name] = Start(name);
      restarts_++;
    }
    absl::SleepFor(absl::Milliseconds(100));
  }
}

bool Park::WaitServing(absl::Duration timeout) {
  absl::Time deadline = absl::Now() + timeout;
  for (const char* name : kNames) {
    bool serving = false;
    while (!serving && absl::Now() < deadline) {
      std::shared_ptr<testing::ServiceProcess> process;
      {
        std::lock_guard<std::mutex> lock(mu_);
        process = running_[name];
      }
      serving =
          process->WaitServing(absl::Seconds(2)) == grpc::health::v1::HealthCheckResponse::SERVING;
    }
    if (!serving) return false;
  }
  return true;
}

std::shared_ptr<Enterprises> Park::enterprises() {
  std::lock_guard<std::mutex> lock(mu_);
  return std::static_pointer_cast<Enterprises>(running_["enterprises"]);
}

std::shared_ptr<Declarations> Park::declarations() {
  std::lock_guard<std::mutex> lock(mu_);
  return std::static_pointer_cast<Declarations>(running_["declarations"]);
}

std::shared_ptr<Statistics> Park::statistics() {
  std::lock_guard<std::mutex> lock(mu_);
  return std::static_pointer_cast<Statistics>(running_["statistics"]);
}

void Park::Kill(const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  running_[name]->process().Signal(SIGKILL);
}

void Park::Disarm(const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  options_.env[name].erase("PARKLINE_FAULT");
  running_[name]->process().Signal(SIGTERM);  // its successor starts without the fault
}

}  // namespace parkline::chaos
