#include "statistics/aggregator.h"

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
  // A projection change on a day already closed (a late event) changes that day's snapshot and
  // those of the closed days after it.
  std::string earliest;
  for (const auto* days : {&effects.record_days.enterprises, &effects.record_days.units,
                           &effects.record_days.ip_assets, &effects.record_days.talent,
                           &effects.record_days.shipments}) {
    for (const std::string& day : *days) {
      if (earliest.empty() || day < earliest) earliest = day;
    }
  }
  // Confirmed training attendance (staff_trained) and the register's first publications and
  // withdrawals (quality_documents_in_force) are in the snapshots too: counters summed up to the
  // day. The attendance is often confirmed days after the training it counts on.
  for (const OnceFact& f : effects.once) {
    for (const OnceFact::Delta& d : f.deltas) {
      bool in_snapshots = d.indicator == "support_staff_trained" ||
                          d.indicator == "quality_documents_registered" ||
                          d.indicator == "quality_documents_withdrawn";
      if (in_snapshots && (earliest.empty() || d.day < earliest)) {
        earliest = d.day;
      }
    }
  }
  if (earliest.empty()) return absl::OkStatus();
  return ReviseClosedDays(tx, earliest, zone_, clock_());
}

}  // namespace parkline::statistics
