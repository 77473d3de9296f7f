// Applies batches of domain events to the statistics' store: the batch handler of the
// aggregator's consumer. The consumer records every event id in the same transaction, so each
// event counts exactly once however often Kafka delivers it.
#ifndef PARKLINE_STATISTICS_AGGREGATOR_H_
#define PARKLINE_STATISTICS_AGGREGATOR_H_

#include <functional>
#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "events/envelope.h"
#include "statistics/exchange_rates.h"
#include "store/database.h"

namespace parkline::statistics {

class Aggregator {
 public:
  // `clock` dates the revisions of closed days that late events change (day_closer.h).
  explicit Aggregator(absl::TimeZone zone, ExchangeRates rates = {},
                      std::function<absl::Time()> clock = absl::Now)
      : zone_(zone), rates_(std::move(rates)), clock_(std::move(clock)) {}

  // INVALID_ARGUMENT when an event's payload cannot be read (the consumer then dead-letters
  // that event alone).
  absl::Status Apply(store::Transaction& tx, const std::vector<events::EventView>& batch) const;

 private:
  absl::TimeZone zone_;
  // Foreign-currency trade is converted to CNY with these (loaded once, at start).
  ExchangeRates rates_;
  std::function<absl::Time()> clock_;
};

}  // namespace parkline::statistics

#endif  // PARKLINE_STATISTICS_AGGREGATOR_H_
