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

void Fill(const Figure& f, v1::IndicatorValue* v) {
  v->set_indicator(f.indicator);
  for (const auto& [k, value] : f.labels) (*v->mutable_labels())[k] = value;
  v->set_value(FormatValue(f.indicator, f.scaled));
  const Indicator* i = FindIndicator(f.indicator);
  v->set_unit(i != nullptr ? i->unit : "count");
}

// What a closed day is: its snapshot and its totals, as they stand in `tx`.
struct DayFigures {
  std::vector<Figure> snapshot;
  std::vector<Figure> totals;
};

absl::StatusOr<DayFigures> LoadDayFigures(store::Transaction& tx, const std::string& day) {
  auto snapshot = LoadSnapshotAt(tx, day);
  if (!snapshot.ok()) return snapshot.status();
  auto totals = LoadDayTotals(tx, day);
  if (!totals.ok()) return totals.status();
  return DayFigures{SnapshotFigures(*snapshot), std::move(*totals)};
}

v1::DayClosed EventOf(const std::string& day, const std::string& zone, const DayFigures& figures,
                      bool backfilled, int64_t revision = 0) {
  v1::DayClosed event;
  event.set_day(day);
  event.set_revision(revision);
  event.set_time_zone(zone);
  event.set_backfilled(backfilled);
  for (const Figure& f : figures.snapshot) Fill(f, event.add_values());
  for (const Figure& f : figures.totals) Fill(f, event.add_totals());
  event.set_has_totals(true);
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
      auto figures = LoadDayFigures(tx, day);
      if (!figures.ok()) return figures.status();
      auto wrote = StoreClosedDay(tx, day, figures->snapshot, figures->totals, backfilled);
      if (!wrote.ok()) return wrote.status();
      stored = *wrote;
      if (!stored) return absl::OkStatus();
      return events::AppendToOutbox(
          tx, events::NewEvent(kTopic, kSource, day,
                               EventOf(day, zone.name(), *figures, backfilled), now));
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

absl::Status ReviseClosedDays(store::Transaction& tx, const std::string& snapshots_from,
                              const std::set<std::string>& counted_days, const absl::TimeZone& zone,
                              absl::Time now) {
  std::string first = snapshots_from;
  if (!counted_days.empty() && (first.empty() || *counted_days.begin() < first)) {
    first = *counted_days.begin();
  }
  if (first.empty()) return absl::OkStatus();
  auto days = LoadClosedDaysFrom(tx, first);
  if (!days.ok()) return days.status();
  for (const std::string& day : *days) {
    bool snapshot_may_change = !snapshots_from.empty() && day >= snapshots_from;
    if (!snapshot_may_change && counted_days.count(day) == 0) continue;
    auto figures = LoadDayFigures(tx, day);
    if (!figures.ok()) return figures.status();
    auto revision = ReviseClosedDay(tx, day, figures->snapshot, figures->totals);
    if (!revision.ok()) return revision.status();
    if (*revision == 0) continue;
    auto s = events::AppendToOutbox(
        tx, events::NewEvent(kTopic, kSource, day,
                             EventOf(day, zone.name(), *figures, false, *revision), now));
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

}  // namespace parkline::statistics
