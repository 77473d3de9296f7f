#include "clearance/customs_simulator.h"

#include <random>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "runtime/log.h"

namespace parkline::clearance {
namespace {

// FNV-1a: stable across builds and platforms, unlike std::hash.
uint64_t Fnv1a(const std::string& text) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

std::string ReturnTime(absl::Time t) {
  absl::TimeZone park;
  if (!absl::LoadTimeZone("Asia/Shanghai", &park)) park = absl::FixedTimeZone(8 * 3600);
  int64_t millis = absl::ToUnixMillis(t) % 1000;
  char buf[4];
  std::snprintf(buf, sizeof buf, "%03d", static_cast<int>(millis < 0 ? millis + 1000 : millis));
  return absl::StrCat(absl::FormatTime("%Y%m%d%H%M%S", t, park), buf);
}

const char* InfoOf(int code) {
  switch (code) {
    case 2:
      return "新增申报成功 (simulated customs)";
    case 100:
      return "海关退单 (simulated customs)";
    case 120:
      return "海关入库 (simulated customs)";
    case 399:
      return "海关审结 (simulated customs)";
    case 500:
      return "海关查验 (simulated customs)";
    default:
      return "放行 (simulated customs)";
  }
}

}  // namespace

std::vector<PlannedReceipt> PlanReceipts(const SimulatorOptions& options,
                                         const std::string& case_id, absl::Time submit_time) {
  std::mt19937_64 rng(options.seed ^ Fnv1a(case_id));
  bool rejected = static_cast<int>(rng() % 100) < options.rejection_percent;
  bool inspected = static_cast<int>(rng() % 100) < options.inspection_percent;
  std::vector<int> codes = rejected    ? std::vector<int>{2, 100}
                           : inspected ? std::vector<int>{2, 120, 399, 500, 800}
                                       : std::vector<int>{2, 120, 399, 800};
  std::vector<PlannedReceipt> plan;
  for (size_t i = 0; i < codes.size(); ++i) {
    // At least a millisecond apart, so that returnTime orders them even with a zero step.
    absl::Time due = submit_time + options.step * static_cast<int64_t>(i + 1) +
                     absl::Milliseconds(static_cast<int64_t>(i + 1));
    PlannedReceipt p{due, {}};
    p.receipt.set_guid(case_id);
    p.receipt.set_return_status(absl::StrCat(codes[i]));
    p.receipt.set_return_time(ReturnTime(due));
    p.receipt.set_return_info(InfoOf(codes[i]));
    plan.push_back(std::move(p));
  }
  return plan;
}

CustomsSimulator::CustomsSimulator(SimulatorOptions options,
                                   std::function<absl::Status(const v1::CustomsReceipt&)> deliver)
    : options_(options), deliver_(std::move(deliver)), thread_([this] { Run(); }) {}

CustomsSimulator::~CustomsSimulator() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_one();
  thread_.join();
}

absl::Status CustomsSimulator::Send(const OutgoingMessage& message) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& p : PlanReceipts(options_, message.case_id, message.submit_time)) {
      pending_.emplace(p.due, std::move(p.receipt));
    }
  }
  cv_.notify_one();
  return absl::OkStatus();
}

void CustomsSimulator::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    if (pending_.empty()) {
      cv_.wait(lock);
      continue;
    }
    absl::Time due = pending_.begin()->first;
    if (absl::Now() < due) {
      cv_.wait_for(lock, absl::ToChronoNanoseconds(due - absl::Now()));
      continue;
    }
    v1::CustomsReceipt receipt = pending_.begin()->second;
    pending_.erase(pending_.begin());
    lock.unlock();
    absl::Status status = deliver_(receipt);
    if (!status.ok()) {
      log::Warn("simulated receipt not recorded", {{"case_id", receipt.guid()},
                                                   {"return_status", receipt.return_status()},
                                                   {"error", status.ToString()}});
    }
    lock.lock();
  }
}

}  // namespace parkline::clearance
