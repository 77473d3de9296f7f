#include "events/envelope.h"

#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "google/protobuf/message.h"

namespace parkline::events {

std::string NewUuid() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  uint64_t hi = rng();
  uint64_t lo = rng();
  hi = (hi & 0xFFFFFFFFFFFF0FFFULL) | 0x0000000000004000ULL;  // version 4
  lo = (lo & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;  // RFC 4122 variant
  return absl::StrFormat("%08x-%04x-%04x-%04x-%012x", hi >> 32, (hi >> 16) & 0xFFFF, hi & 0xFFFF,
                         lo >> 48, lo & 0xFFFFFFFFFFFFULL);
}

Envelope NewEvent(absl::string_view topic, absl::string_view source, absl::string_view subject,
                  const google::protobuf::Message& message, absl::Time time) {
  Envelope e;
  e.id = NewUuid();
  e.source = std::string(source);
  e.type = message.GetDescriptor()->full_name();
  e.subject = std::string(subject);
  e.time = time;
  e.topic = std::string(topic);
  e.payload = message.SerializeAsString();
  return e;
}

Headers ToHeaders(const Envelope& e) {
  return {{"ce_specversion", "1.0"},
          {"ce_id", e.id},
          {"ce_source", e.source},
          {"ce_type", e.type},
          {"ce_time", absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", e.time, absl::UTCTimeZone())},
          {"ce_subject", e.subject},
          {"content-type", std::string(kContentType)}};
}

absl::StatusOr<Envelope> FromRecord(const Headers& headers, absl::string_view topic,
                                    absl::string_view key, std::string payload) {
  auto find = [&headers](absl::string_view name) -> const std::string* {
    for (const auto& [k, v] : headers) {
      if (k == name) return &v;
    }
    return nullptr;
  };
  const std::string* spec = find("ce_specversion");
  if (spec == nullptr || *spec != "1.0") {
    return absl::InvalidArgumentError("ce_specversion: missing or not 1.0");
  }
  Envelope e;
  for (auto [name, field] : {std::pair{"ce_id", &e.id}, std::pair{"ce_source", &e.source},
                             std::pair{"ce_type", &e.type}}) {
    const std::string* v = find(name);
    if (v == nullptr || v->empty()) {
      return absl::InvalidArgumentError(absl::StrCat(name, ": required attribute missing"));
    }
    *field = *v;
  }
  const std::string* content_type = find("content-type");
  if (content_type != nullptr && *content_type != kContentType) {
    return absl::InvalidArgumentError(
        absl::StrCat("content-type: '", *content_type, "', expected ", kContentType));
  }
  const std::string* subject = find("ce_subject");
  e.subject = subject ? *subject : std::string(key);
  const std::string* time = find("ce_time");
  std::string error;
  if (time == nullptr || !absl::ParseTime(absl::RFC3339_full, *time, &e.time, &error)) {
    return absl::InvalidArgumentError(
        absl::StrCat("ce_time: missing or not RFC 3339", error.empty() ? "" : ": ", error));
  }
  e.topic = std::string(topic);
  e.payload = std::move(payload);
  return e;
}

}  // namespace parkline::events
