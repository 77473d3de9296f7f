#include "events/envelope.h"

#include <algorithm>
#include <atomic>
#include <random>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "google/protobuf/message.h"

namespace parkline::events {

std::string NewUuid() {
  // The 48-bit millisecond and a 12-bit sequence within it (RFC 9562 6.2, method 3), shared by
  // the process's threads: its ids are strictly increasing. Past 4,096 ids in one millisecond the
  // sequence runs into the next one, which only moves the clock ahead a little.
  static std::atomic<uint64_t> last{0};
  uint64_t now = static_cast<uint64_t>(absl::ToUnixMillis(absl::Now())) << 12;
  uint64_t prev = last.load(std::memory_order_relaxed);
  uint64_t next;
  do {
    next = std::max(now, prev + 1);
  } while (!last.compare_exchange_weak(prev, next, std::memory_order_relaxed));
  thread_local std::mt19937_64 rng{std::random_device{}()};
  uint64_t hi = (next >> 12) << 16 | 0x7000 | (next & 0x0FFF);            // version 7
  uint64_t lo = (rng() & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;  // RFC 9562 variant
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

namespace {

// Days from 1970-01-01 to the civil date (H. Hinnant's days_from_civil).
int64_t DaysFromCivil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

// The value of the ASCII digits of `text` (at most 18, so that it cannot overflow); false if one
// is not a digit.
bool Digits(absl::string_view text, int64_t* out) {
  int64_t v = 0;
  for (char c : text) {
    const unsigned digit = static_cast<unsigned char>(c) - '0';
    if (digit > 9) return false;
    v = v * 10 + digit;
  }
  *out = v;
  return true;
}

// "YYYY-MM-DDTHH:MM:SS[.f{1,9}]Z"; false for anything else (read by absl instead).
bool ParseUtcTime(absl::string_view t, absl::Time* out) {
  if (t.size() < 20 || t.back() != 'Z' || t[4] != '-' || t[7] != '-' || t[10] != 'T' ||
      t[13] != ':' || t[16] != ':') {
    return false;
  }
  int64_t year, month, day, hour, minute, second;
  if (!Digits(t.substr(0, 4), &year) || !Digits(t.substr(5, 2), &month) ||
      !Digits(t.substr(8, 2), &day) || !Digits(t.substr(11, 2), &hour) ||
      !Digits(t.substr(14, 2), &minute) || !Digits(t.substr(17, 2), &second)) {
    return false;
  }
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1 || day > kDays[month - 1] || hour > 23 || minute > 59 ||
      second > 59) {
    return false;
  }
  if (month == 2 && day == 29 && !(year % 4 == 0 && (year % 100 != 0 || year % 400 == 0))) {
    return false;
  }
  int64_t nanos = 0;
  const size_t fraction = t.size() - 20;  // characters between the seconds and 'Z'
  if (fraction > 0) {
    if (t[19] != '.' || fraction < 2 || fraction > 10) return false;
    if (!Digits(t.substr(20, fraction - 1), &nanos)) return false;
    for (size_t i = fraction - 1; i < 9; ++i) nanos *= 10;
  }
  const int64_t seconds =
      DaysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
  *out = absl::FromUnixSeconds(seconds) + absl::Nanoseconds(nanos);
  return true;
}

// A publish number: up to 18 decimal digits, no sign (what the relay writes); false otherwise.
bool ParseSequence(absl::string_view text, int64_t* out) {
  return !text.empty() && text.size() <= 18 && Digits(text, out);
}

}  // namespace

bool ParseEventTime(absl::string_view text, absl::Time* out, std::string* error) {
  if (ParseUtcTime(text, out)) return true;
  return absl::ParseTime(absl::RFC3339_full, text, out, error);
}

absl::StatusOr<Envelope> FromRecord(const Headers& headers, absl::string_view topic,
                                    absl::string_view key, std::string payload) {
  HeaderViews views;
  views.reserve(headers.size());
  for (const auto& [k, v] : headers) views.emplace_back(k, v);
  return FromRecord(views, topic, key, std::move(payload));
}

absl::StatusOr<Envelope> FromRecord(const HeaderViews& headers, absl::string_view topic,
                                    absl::string_view key, std::string payload) {
  auto view = ViewRecord(headers, topic, key, payload);
  if (!view.ok()) return view.status();
  Envelope e;
  e.id = std::string(view->id);
  e.source = std::string(view->source);
  e.type = std::string(view->type);
  e.subject = std::string(view->subject);
  e.time = view->time;
  e.topic = std::string(topic);
  e.payload = std::move(payload);
  return e;
}

absl::StatusOr<EventView> ViewRecord(const HeaderViews& headers, absl::string_view topic,
                                     absl::string_view key, absl::string_view payload) {
  // One pass over the headers, each attribute from its first header (a consumer reads millions).
  const absl::string_view *spec = nullptr, *id = nullptr, *source = nullptr, *type = nullptr,
                          *content_type = nullptr, *subject = nullptr, *time = nullptr,
                          *publisher = nullptr, *seq = nullptr;
  auto take = [](const absl::string_view*& slot, const absl::string_view& value) {
    if (slot == nullptr) slot = &value;
  };
  static_assert(kSequenceHeader.size() == 12 && kPublisherHeader.size() == 18,
                "the switch below finds headers by the length of their names");
  for (const auto& [name, value] : headers) {
    switch (name.size()) {
      case 5:
        if (name == "ce_id") take(id, value);
        break;
      case 7:
        if (name == "ce_type")
          take(type, value);
        else if (name == "ce_time")
          take(time, value);
        break;
      case 9:
        if (name == "ce_source") take(source, value);
        break;
      case 10:
        if (name == "ce_subject") take(subject, value);
        break;
      case 12:
        if (name == "content-type")
          take(content_type, value);
        else if (name == kSequenceHeader)
          take(seq, value);
        break;
      case 14:
        if (name == "ce_specversion") take(spec, value);
        break;
      case 18:
        if (name == kPublisherHeader) take(publisher, value);
        break;
      default:
        break;
    }
  }
  if (spec == nullptr || *spec != "1.0") {
    return absl::InvalidArgumentError("ce_specversion: missing or not 1.0");
  }
  EventView e;
  for (auto [name, value, field] :
       {std::tuple{"ce_id", id, &e.id}, std::tuple{"ce_source", source, &e.source},
        std::tuple{"ce_type", type, &e.type}}) {
    if (value == nullptr || value->empty()) {
      return absl::InvalidArgumentError(absl::StrCat(name, ": required attribute missing"));
    }
    *field = *value;
  }
  if (content_type != nullptr && *content_type != kContentType) {
    return absl::InvalidArgumentError(
        absl::StrCat("content-type: '", *content_type, "', expected ", kContentType));
  }
  e.subject = subject ? *subject : key;
  std::string error;
  if (time == nullptr || !ParseEventTime(*time, &e.time, &error)) {
    return absl::InvalidArgumentError(
        absl::StrCat("ce_time: missing or not RFC 3339", error.empty() ? "" : ": ", error));
  }
  if ((publisher == nullptr) != (seq == nullptr)) {
    return absl::InvalidArgumentError(
        absl::StrCat(kPublisherHeader, ", ", kSequenceHeader, ": one without the other"));
  }
  if (publisher != nullptr) {
    if (publisher->empty() || !ParseSequence(*seq, &e.publish_seq) || e.publish_seq <= 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          kSequenceHeader, ": '", *seq, "' is not a positive number from a named publisher"));
    }
    e.publisher = *publisher;
  }
  e.topic = topic;
  e.payload = payload;
  return e;
}

}  // namespace parkline::events
