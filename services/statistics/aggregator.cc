#include "statistics/aggregator.h"

#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "statistics/day_closer.h"
#include "statistics/event_effects.h"
#include "statistics/statistics_repository.h"

namespace parkline::statistics {

absl::Status Aggregator::Apply(store::Transaction& tx,
                               const std::vector<events::EventView>& batch) const {
  Effects effects;
  for (const events::EventView& e : batch) {
    absl::Status s = AddEffects({e.type, e.time, e.payload}, zone_, rates_, &effects);
    if (!s.ok()) return absl::InvalidArgumentError(absl::StrCat("event ", e.id, ": ", s.message()));
  }
  if (auto s = ApplyEffects(tx, effects); !s.ok()) return s;
  // A late event changes a day already closed. A projection change changes the snapshots of its
  // day and of every closed day after it; so does a counter the snapshots sum up to their day
  // (IsSummedIntoSnapshots). Any other count changes its own day's totals.
  std::string snapshots_from;
  auto from = [&snapshots_from](const std::string& day) {
    if (snapshots_from.empty() || day < snapshots_from) snapshots_from = day;
  };
  for (const auto* days : {&effects.record_days.enterprises, &effects.record_days.units,
                           &effects.record_days.ip_assets, &effects.record_days.talent,
                           &effects.record_days.shipments}) {
    for (const std::string& day : *days) from(day);
  }
  for (const std::string& day : effects.counters.Days(IsSummedIntoSnapshots)) from(day);
  std::set<std::string> counted = effects.counters.Days();
  for (const OnceFact& f : effects.once) {
    for (const OnceFact::Delta& d : f.deltas) {
      if (IsSummedIntoSnapshots(d.indicator)) from(d.day);
      counted.insert(d.day);
    }
  }
  if (snapshots_from.empty() && counted.empty()) return absl::OkStatus();
  return ReviseClosedDays(tx, snapshots_from, counted, zone_, clock_());
}

}  // namespace parkline::statistics
