#include "tests/chaos/checks.h"

#include <map>

#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "events/envelope.h"
#include "parkline/declarations/v1/events.pb.h"
#include "tests/support/test_env.h"

namespace parkline::chaos {
namespace {

namespace dv1 = declarations::v1;
namespace sv1 = statistics::v1;

constexpr char kMatched[] = "parkline.declarations.v1.DeclarationMatched";

struct TopicCount {
  int64_t records = 0;
  std::map<std::string, int> per_id;                     // event id -> records
  std::map<std::string, std::set<std::string>> per_key;  // order key -> event ids
};

TopicCount ReadMatched(const std::string& topic) {
  TopicCount out;
  // Reads up to the end as it is now: a reader that stops at the first quiet moment.
  auto records = testing::ReadTopic(
      topic, absl::Seconds(20), [](const testing::ConsumedRecord&) { return true; },
      [start = absl::Now(), last = size_t{0},
       quiet = absl::Now()](const std::vector<testing::ConsumedRecord>& kept) mutable {
        if (kept.size() != last) {
          last = kept.size();
          quiet = absl::Now();
        }
        return absl::Now() - quiet > absl::Seconds(3) && absl::Now() - start > absl::Seconds(4);
      });
  for (const auto& r : records) {
    if (testing::Header(r, "ce_type") != kMatched) continue;
    out.records++;
    std::string id = testing::Header(r, "ce_id");
    out.per_id[id]++;
    dv1::DeclarationMatched m;
    if (m.ParseFromString(r.value)) out.per_key[m.declaration().order_key()].insert(id);
  }
  return out;
}

int64_t MatchedCount(Park& park) {
  const absl::CivilDay today = absl::ToCivilDay(absl::Now(), absl::UTCTimeZone());
  sv1::GetTimeSeriesRequest request;
  request.set_indicator("declarations_matched");
  // Wide enough for any park time zone and a run across midnight.
  auto set = [](common::v1::Date* d, absl::CivilDay day) {
    d->set_year(static_cast<int32_t>(day.year()));
    d->set_month(day.month());
    d->set_day(day.day());
  };
  set(request.mutable_period()->mutable_from(), today - 2);
  set(request.mutable_period()->mutable_to(), today + 2);
  request.set_granularity(sv1::GRANULARITY_YEAR);
  sv1::TimeSeries series;
  if (!park.statistics()
           ->Call(&sv1::StatisticsService::Stub::GetTimeSeries, request, &series)
           .ok()) {
    return -1;
  }
  int64_t total = 0;
  for (const auto& one : series.series()) total += std::stoll(one.total());
  return total;
}

Tally Count(Park& park, const std::string& topic_prefix, const std::set<std::string>& accepted) {
  Tally t;
  t.accepted = static_cast<int64_t>(accepted.size());
  TopicCount topic = ReadMatched(topic_prefix + "parkline.declarations.v1");
  t.events = topic.records;
  t.indicators = MatchedCount(park);
  for (const auto& [id, n] : topic.per_id) t.duplicated += n - 1;
  for (const auto& [key, ids] : topic.per_key) {
    t.duplicated += static_cast<int64_t>(ids.size()) - 1;
    if (accepted.count(key) == 0) t.duplicated++;  // matched, but the load never had it accepted
  }
  for (const std::string& key : accepted) {
    if (topic.per_key.count(key) == 0) t.lost++;
  }
  if (t.indicators >= 0 && t.indicators < t.accepted) t.lost += t.accepted - t.indicators;
  if (t.indicators > t.accepted) t.duplicated += t.indicators - t.accepted;
  return t;
}

}  // namespace

Tally Converge(Park& park, const std::string& topic_prefix, const std::set<std::string>& accepted,
               absl::Duration timeout, absl::Duration settle) {
  const absl::Time start = absl::Now();
  Tally t;
  while (true) {
    // The statistics first: it is cheap, and the topic is read only once it agrees.
    if (MatchedCount(park) == static_cast<int64_t>(accepted.size())) {
      t.converged = true;
      t.converge = absl::Now() - start;
      break;
    }
    if (absl::Now() - start > timeout) {
      t.converge = absl::Now() - start;
      break;
    }
    absl::SleepFor(absl::Milliseconds(250));
  }
  absl::SleepFor(settle);
  Tally counted = Count(park, topic_prefix, accepted);
  counted.converged = t.converged;
  counted.converge = t.converge;
  return counted;
}

std::string TallyHeader() {
  return absl::StrFormat("%-28s %9s %7s %10s %5s %10s %8s %9s", "scenario", "accepted", "events",
                         "indicators", "lost", "duplicated", "restarts", "converge");
}

std::string TallyLine(const Tally& t) {
  return absl::StrFormat("%-28s %9d %7d %10d %5d %10d %8d %8.1fs%s", t.scenario, t.accepted,
                         t.events, t.indicators, t.lost, t.duplicated, t.restarts,
                         absl::ToDoubleSeconds(t.converge), t.converged ? "" : " (never)");
}

}  // namespace parkline::chaos
