// The evidence report's statistics source: the 5.5.4 indicators, the complaints' figures and the
// period's archive export, read from the statistics service over gRPC (GetTimeSeries per
// indicator, ExportPeriod for its SHA-256), as an analyst caller with a bearer token read from a
// file at each report (a rotated token is used without a restart).
//
// Without an address, or when the service does not answer within the deadline, Figures fails and
// the report lists the statistics as unavailable with that reason; it never stops the report.
// Thread-safe: a report is one short series of calls on a shared channel.
#ifndef PARKLINE_QUALITY_STATISTICS_FIGURES_H_
#define PARKLINE_QUALITY_STATISTICS_FIGURES_H_

#include <memory>
#include <string>

#include "absl/time/time.h"
#include "grpcpp/channel.h"
#include "quality/report_rules.h"

namespace parkline::quality {

struct StatisticsSettings {
  std::string address;     // host:port; empty: not configured
  std::string token_file;  // a file holding the bearer token; empty: no token sent
  std::string tls_ca;  // PEM file of the CA the service's certificate chains to; empty: plaintext
  absl::Duration deadline = absl::Seconds(10);  // for each call
};

class StatisticsFigures final : public StatisticsSource {
 public:
  explicit StatisticsFigures(StatisticsSettings settings);
  absl::StatusOr<StatisticsEvidence> Figures(const ReportPeriod& period) override;

 private:
  StatisticsSettings settings_;
  std::shared_ptr<grpc::Channel> channel_;  // null when not configured
};

}  // namespace parkline::quality

#endif  // PARKLINE_QUALITY_STATISTICS_FIGURES_H_
