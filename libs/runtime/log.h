// Structured logging: one JSON object per line on stderr, with `ts`, `level`, `service`, `msg`
// and the fields that matter for the line (`event_id`, `uscc` ...). Never pass a password, token
// or identity number as a field.
//
// Thread-safe: each line is written with a single write(2), so lines from several threads never
// interleave.
#ifndef PARKLINE_RUNTIME_LOG_H_
#define PARKLINE_RUNTIME_LOG_H_

#include <cstdint>
#include <initializer_list>
#include <string>
#include <utility>
#include <variant>

#include "absl/strings/string_view.h"

namespace parkline::log {

enum class Level { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

// A field value: text, integer or boolean.
using Value = std::variant<std::string, int64_t, bool>;
using Field = std::pair<absl::string_view, Value>;

// Sets the `service` of every line and the lowest level written. Call once from main.
void Init(absl::string_view service, Level min_level);

// Parses "debug", "info", "warn", "error"; false on anything else.
bool ParseLevel(absl::string_view text, Level* level);

// Renders one line (without the newline); exposed for tests.
std::string Format(Level level, absl::string_view msg, std::initializer_list<Field> fields);

void Write(Level level, absl::string_view msg, std::initializer_list<Field> fields = {});

inline void Debug(absl::string_view msg, std::initializer_list<Field> fields = {}) {
  Write(Level::kDebug, msg, fields);
}
inline void Info(absl::string_view msg, std::initializer_list<Field> fields = {}) {
  Write(Level::kInfo, msg, fields);
}
inline void Warn(absl::string_view msg, std::initializer_list<Field> fields = {}) {
  Write(Level::kWarn, msg, fields);
}
inline void Error(absl::string_view msg, std::initializer_list<Field> fields = {}) {
  Write(Level::kError, msg, fields);
}

}  // namespace parkline::log

#endif  // PARKLINE_RUNTIME_LOG_H_
