// The quality service's own settings, beside the common ones (runtime::CommonConfig). Read and
// checked as runtime/config.h describes; the calendar a file names is checked when it is loaded
// (calendar::WorkingCalendar::Load).
#ifndef PARKLINE_QUALITY_CONFIG_H_
#define PARKLINE_QUALITY_CONFIG_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace parkline::quality {

struct Config {
  // --max_document_bytes / PARKLINE_MAX_DOCUMENT_BYTES: the largest document content stored in
  // the register itself; a larger one is referenced by URI and SHA-256. 1024..6291456 (below
  // gRPC's 8 MiB message limit), default 1048576.
  int64_t max_document_bytes = 1 << 20;
  // --calendar_file / PARKLINE_CALENDAR_FILE: a working-day calendar JSON, as the complaints
  // service reads it. Default empty: the calendar built into the binary
  // (libs/calendar/data/calendar-cn.json).
  std::string calendar_file;
  // --action_department / PARKLINE_ACTION_DEPARTMENT: the department that owns a corrective
  // action whose finding names none (an enterprise's findings never do). Default
  // "quality-office".
  std::string action_department = "quality-office";
  // --action_deadline_days / PARKLINE_ACTION_DEADLINE_DAYS: the working days such an action has.
  // 1..60, default 10.
  int action_deadline_days = 10;
  // --supervision_seconds / PARKLINE_SUPERVISION_SECONDS: seconds between two runs of the job
  // that marks overdue corrective actions. 1..3600, default 60.
  int supervision_seconds = 60;

  // --statistics_address / PARKLINE_STATISTICS_ADDRESS: host:port of the statistics service the
  // evidence report reads its 5.5.4 figures from (GetTimeSeries, ExportPeriod). Default empty:
  // the report lists those figures as missing, "not configured".
  std::string statistics_address;
  // --statistics_token_file / PARKLINE_STATISTICS_TOKEN_FILE: a file holding the bearer token of
  // an analyst caller of the statistics service, read at each report. Default empty: none sent.
  std::string statistics_token_file;
  // --statistics_tls_ca / PARKLINE_STATISTICS_TLS_CA: PEM of the CA the statistics service's
  // certificate chains to; set, the calls go over TLS. Default empty: plaintext.
  std::string statistics_tls_ca;
  // --statistics_timeout_seconds / PARKLINE_STATISTICS_TIMEOUT_SECONDS: the deadline of each call
  // to the statistics service. 1..120, default 10.
  int statistics_timeout_seconds = 10;

  // INVALID_ARGUMENT naming the flag and its rule when a setting is out of bounds.
  absl::Status Validate() const;
};

// The flags, once valid.
absl::StatusOr<Config> LoadConfig();

}  // namespace parkline::quality

#endif  // PARKLINE_QUALITY_CONFIG_H_
