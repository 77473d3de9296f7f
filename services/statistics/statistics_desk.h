// The statistics service's desk, its read side: every RPC's answer, computed from the store with
// the pure rules of figures.h and periods.h. The write side is the Aggregator (aggregator.h),
// which applies the domains' events in its consumer's transaction.
#ifndef PARKLINE_STATISTICS_STATISTICS_DESK_H_
#define PARKLINE_STATISTICS_STATISTICS_DESK_H_

#include <functional>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "parkline/statistics/v1/statistics.pb.h"
#include "statistics/figures.h"
#include "statistics/indicators.h"
#include "statistics/periods.h"
#include "store/database.h"

namespace parkline::statistics {

class StatisticsDesk {
 public:
  StatisticsDesk(store::Database& db, absl::TimeZone zone,
                 std::function<absl::Time()> clock = absl::Now)
      : db_(db), zone_(zone), clock_(std::move(clock)) {}

  absl::StatusOr<v1::Overview> Overview();
  absl::StatusOr<v1::TimeSeries> TimeSeries(const v1::GetTimeSeriesRequest& request);
  absl::StatusOr<v1::EnterpriseFigures> EnterpriseFigures(
      const v1::GetEnterpriseFiguresRequest& request);
  absl::StatusOr<v1::ListTopEnterprisesResponse> TopEnterprises(
      const v1::ListTopEnterprisesRequest& request);
  absl::StatusOr<v1::ExportPeriodResponse> Export(const v1::ExportPeriodRequest& request);
  absl::StatusOr<v1::Conformance> Conformance(const v1::GetConformanceRequest& request);
  absl::StatusOr<v1::ServiceScore> Score(const v1::GetServiceScoreRequest& request);

  // For the metrics endpoint: current figures, every day's totals and the conformance verdicts.
  struct Everything {
    std::vector<Figure> current;
    Totals all_time;
    std::vector<ClauseVerdict> conformance;
    // The park days closed (DayClosed published), their revisions since (late events that
    // changed a day already reported), and when the last closed day ended (nullopt: none yet).
    int64_t days_closed = 0;
    int64_t day_revisions = 0;
    std::optional<absl::Time> last_closed_day_end;
  };
  absl::StatusOr<Everything> ForMetrics();

  const absl::TimeZone& zone() const { return zone_; }

 private:
  absl::CivilDay TodayInPark() const;
  // The current figures and the counter totals of a period (default: year to date), read in one
  // snapshot.
  struct Figures {
    DayRange range;
    std::vector<Figure> current;  // at the end of the period when known, else now
    Totals period;
    ConformanceInput conformance;
  };
  // The figures at the end of `range` and the state of its snapshots, in `tx`.
  absl::StatusOr<ConformanceInput> ConformanceInputFor(store::Transaction& tx,
                                                       const DayRange& range);
  absl::StatusOr<v1::TimeSeries> SnapshotSeries(const Indicator& indicator,
                                                const v1::GetTimeSeriesRequest& request);
  absl::StatusOr<Figures> CurrentAndPeriod(const v1::Period& period);
  absl::StatusOr<v1::TimeSeries> RateSeries(const Indicator& indicator,
                                            const v1::GetTimeSeriesRequest& request);

  store::Database& db_;
  absl::TimeZone zone_;
  std::function<absl::Time()> clock_;
};

// "1250.50000" for a figure in its indicator's scale.
std::string FormatValue(const std::string& indicator, int64_t scaled);

}  // namespace parkline::statistics

#endif  // PARKLINE_STATISTICS_STATISTICS_DESK_H_
