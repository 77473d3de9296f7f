// Fault points for the chaos suite (tests/chaos): the process dies at a named point in its code
// as a kill -9 there would leave things (no destructor, no flush, no commit after it), which a
// signal sent from outside hits only by luck. Compiled in always and inert unless
// PARKLINE_FAULT names the point: "relay.after_ack:0.2,aggregator.after_commit:0.05" makes each
// pass through relay.after_ack end the process with probability 0.2 (exit code kFaultExitCode).
// The variable is read once, at the first fault point passed; a malformed one ends the process at
// once, so a chaos run can never believe it injected faults it did not.
#ifndef PARKLINE_RUNTIME_FAULT_H_
#define PARKLINE_RUNTIME_FAULT_H_

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>

namespace parkline::runtime {

inline constexpr int kFaultExitCode = 86;

// "point:probability[,point:probability...]" → point → probability in [0, 1]; nullopt when any
// entry is malformed. Empty text: no faults.
inline std::optional<std::map<std::string, double>> ParseFaults(std::string_view text) {
  std::map<std::string, double> out;
  while (!text.empty()) {
    size_t comma = text.find(',');
    std::string_view entry = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    size_t colon = entry.rfind(':');
    if (colon == std::string_view::npos || colon == 0) return std::nullopt;
    std::string number(entry.substr(colon + 1));
    char* end = nullptr;
    double p = std::strtod(number.c_str(), &end);
    if (number.empty() || *end != '\0' || !(p >= 0.0 && p <= 1.0)) return std::nullopt;
    out[std::string(entry.substr(0, colon))] = p;
  }
  return out;
}

// Ends the process at `point` with the probability PARKLINE_FAULT gives it; otherwise returns.
inline void FaultPoint(const char* point) {
  static const std::map<std::string, double>* const faults = [] {
    const char* env = std::getenv("PARKLINE_FAULT");
    auto parsed = ParseFaults(env ? env : "");
    if (!parsed) {
      std::fprintf(stderr, "PARKLINE_FAULT=%s: want point:probability[,...]\n", env);
      _exit(2);
    }
    return new std::map<std::string, double>(std::move(*parsed));
  }();
  if (faults->empty()) return;
  auto it = faults->find(point);
  if (it == faults->end()) return;
  static std::mutex mu;
  static std::mt19937_64 rng{std::random_device{}()};
  std::lock_guard<std::mutex> lock(mu);
  if (std::uniform_real_distribution<double>(0.0, 1.0)(rng) < it->second) {
    std::fprintf(stderr, "{\"level\":\"warn\",\"msg\":\"fault point: exiting\",\"point\":\"%s\"}\n",
                 point);
    _exit(kFaultExitCode);
  }
}

}  // namespace parkline::runtime

#endif  // PARKLINE_RUNTIME_FAULT_H_
