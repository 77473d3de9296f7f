#include "statistics/day_closer.h"

#include <optional>

#include "events/envelope.h"
#include "events/outbox.h"
#include "parkline/statistics/v1/events.pb.h"
#include "runtime/log.h"
#include "statistics/history.h"
#include "statistics/statistics_desk.h"
#include "statistics/statistics_repository.h"

namespace parkline::statistics {
namespace {

constexpr char kTopic[] = "parkline.statistics.v1";
constexpr char kSource[] = "/parkline/statistics";

v1::DayClosed EventOf(const std::string& day, const std::string& zone,
                      const std::vector<Figure>& figures, bool backfilled, int64_t revision = 0) {
  v1::DayClosed event;
  event.set_day(day);
  event.set_revision(revision);
  event.set_time_zone(zone);
  event.set_backfilled(backfilled);
  for (const Figure& f : figures) {
    v1::IndicatorValue* v = event.add_values();
    v->set_indicator(f.indicator);
    for (const auto& [k, value] : f.labels) (*v->mutable_labels())[k] = value;
    v->set_value(FormatValue(f.indicator, f.scaled));
    const Indicator* i = FindIndicator(f.indicator);
    v->set_unit(i != nullptr ? i->unit : "count");
  }
  return event;
}

}  // namespace

absl::StatusOr<int> DayCloser::CloseDue() {
  std::lock_guard<std::mutex> lock(mu_);
  if (lease_ == nullptr || !lease_->held()) {
    lease_.reset();
    auto lease = db_.TryLease("parkline.statistics-days");
    if (!lease.ok()) return lease.status();
    if (*lease == nullptr) return 0;
    lease_ = std::move(*lease);
  }
  if (stopping_ || !options_.caught_up()) return 0;
  absl::Time now = clock_();
  const absl::TimeZone& zone = options_.zone;
  std::vector<std::string> due;
  absl::Status planned = db_.Transact([&](store::Transaction& tx) -> absl::Status {
    due.clear();
    auto history_from = LoadHistoryFrom(tx);
    if (!history_from.ok()) return history_from.status();
    std::string first;
    if (history_from->has_value() && (*history_from)->empty()) {
      // A store that predates the history: its first day whose end can be taken is today's.
      first = DayText(absl::ToCivilDay(now, zone));
      if (auto s = StoreHistoryFrom(tx, first); !s.ok()) return s;
    } else if (history_from->has_value()) {
      first = **history_from;
    } else {
      auto day = FirstEventDay(tx);
      if (!day.ok()) return day.status();
      first = *day;
    }
    if (first.empty()) return absl::OkStatus();
    auto closed = LoadClosedDays(tx, first, "9999-99-99");
    if (!closed.ok()) return closed.status();
    due = DaysToClose(first, *closed, now, zone, options_.grace);
    return absl::OkStatus();
  });
  if (!planned.ok()) return planned;
  int closed = 0;
  for (const std::string& day : due) {
    if (stopping_) break;
    bool backfilled = IsBackfill(day, now, zone, options_.grace);
    bool stored = false;
    absl::Status s = db_.Transact([&](store::Transaction& tx) -> absl::Status {
      auto snapshot = LoadSnapshotAt(tx, day);
      if (!snapshot.ok()) return snapshot.status();
      std::vector<Figure> figures = SnapshotFigures(*snapshot);
      auto wrote = StoreClosedDay(tx, day, figures, backfilled);
      if (!wrote.ok()) return wrote.status();
      stored = *wrote;
      if (!stored) return absl::OkStatus();
      return events::AppendToOutbox(
          tx, events::NewEvent(kTopic, kSource, day, EventOf(day, zone.name(), figures, backfilled),
                               now));
    });
    if (!s.ok()) return s;
    if (stored) {
      ++closed;
      log::Info("park day closed", {{"day", day}, {"backfilled", backfilled}});
    }
  }
  if (closed > 0) options_.published();
  return closed;
}

absl::Status ReviseClosedDays(store::Transaction& tx, const std::string& from_day,
                              const absl::TimeZone& zone, absl::Time now) {
  auto days = LoadClosedDaysFrom(tx, from_day);
  if (!days.ok()) return days.status();
  for (const std::string& day : *days) {
    auto snapshot = LoadSnapshotAt(tx, day);
    if (!snapshot.ok()) return snapshot.status();
    std::vector<Figure> figures = SnapshotFigures(*snapshot);
    auto revision = ReviseSnapshot(tx, day, figures);
    if (!revision.ok()) return revision.status();
    if (*revision == 0) continue;
    auto s = events::AppendToOutbox(
        tx, events::NewEvent(kTopic, kSource, day,
                             EventOf(day, zone.name(), figures, false, *revision), now));
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

}  // namespace parkline::statistics
