#include "runtime/log.h"

#include <unistd.h>

#include <atomic>
#include <mutex>
#include <nlohmann/json.hpp>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace parkline::log {
namespace {

std::mutex init_mu;
std::string service_name = "parkline";  // guarded by init_mu at Init, read-only afterwards
std::atomic<int> min_level{static_cast<int>(Level::kInfo)};

const char* LevelName(Level level) {
  switch (level) {
    case Level::kDebug:
      return "debug";
    case Level::kInfo:
      return "info";
    case Level::kWarn:
      return "warn";
    case Level::kError:
      return "error";
  }
  return "info";
}

}  // namespace

void Init(absl::string_view service, Level level) {
  std::lock_guard<std::mutex> lock(init_mu);
  service_name = std::string(service);
  min_level = static_cast<int>(level);
}

bool ParseLevel(absl::string_view text, Level* level) {
  for (Level l : {Level::kDebug, Level::kInfo, Level::kWarn, Level::kError}) {
    if (text == LevelName(l)) {
      *level = l;
      return true;
    }
  }
  return false;
}

std::string Format(Level level, absl::string_view msg, std::initializer_list<Field> fields) {
  nlohmann::ordered_json line;
  line["ts"] = absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone());
  line["level"] = LevelName(level);
  line["service"] = service_name;
  line["msg"] = msg;
  for (const auto& [key, value] : fields) {
    std::visit([&line, key = std::string(key)](const auto& v) { line[key] = v; }, value);
  }
  // Replace invalid UTF-8 rather than throw: a log line must never take the service down.
  return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void Write(Level level, absl::string_view msg, std::initializer_list<Field> fields) {
  if (static_cast<int>(level) < min_level.load(std::memory_order_relaxed)) return;
  std::string text = Format(level, msg, fields);
  text.push_back('\n');
  ssize_t ignored = ::write(STDERR_FILENO, text.data(), text.size());
  (void)ignored;
}

}  // namespace parkline::log
