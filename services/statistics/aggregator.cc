#include "statistics/aggregator.h"

#include "absl/strings/str_cat.h"
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
  return ApplyEffects(tx, effects);
}

}  // namespace parkline::statistics
