#include "quality/config.h"

#include <fstream>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "runtime/config.h"

// Defaults come from Config, so that the flag and the struct cannot disagree.
ABSL_FLAG(int64_t, max_document_bytes, parkline::quality::Config().max_document_bytes,
          "the largest document content stored in the register itself; a larger one is "
          "referenced by URI and SHA-256 (1024..6291456)");

ABSL_FLAG(std::string, calendar_file, parkline::quality::Config().calendar_file,
          "working-day calendar JSON (holidays and make-up working days per year); empty: the "
          "calendar built into the binary (libs/calendar/data/calendar-cn.json)");
ABSL_FLAG(std::string, action_department, parkline::quality::Config().action_department,
          "the department owning a corrective action whose finding names none");
ABSL_FLAG(int, action_deadline_days, parkline::quality::Config().action_deadline_days,
          "working days a corrective action has when its finding names none (1..60)");
ABSL_FLAG(int, supervision_seconds, parkline::quality::Config().supervision_seconds,
          "how often the supervision job looks for overdue corrective actions (1..3600)");

ABSL_FLAG(std::string, statistics_address, parkline::quality::Config().statistics_address,
          "host:port of the statistics service the evidence report reads its figures from; "
          "empty: the report lists them as missing");
ABSL_FLAG(std::string, statistics_token_file, parkline::quality::Config().statistics_token_file,
          "file holding an analyst's bearer token for the statistics service, read at each "
          "report");
ABSL_FLAG(std::string, statistics_tls_ca, parkline::quality::Config().statistics_tls_ca,
          "PEM file of the statistics service's CA; set: calls go over TLS");
ABSL_FLAG(int, statistics_timeout_seconds, parkline::quality::Config().statistics_timeout_seconds,
          "deadline of each call to the statistics service (1..120)");

namespace parkline::quality {
namespace {

// A file a setting names must be readable now: a typo shows at start, not at the first report.
absl::Status Readable(const char* flag, const std::string& path) {
  if (path.empty() || std::ifstream(path).good()) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(flag, ": cannot read ", path));
}

}  // namespace

absl::Status Config::Validate() const {
  return runtime::FirstError(
      {runtime::ValidateRange("max_document_bytes", max_document_bytes, 1024, 6 << 20),
       runtime::ValidateRange("action_deadline_days", action_deadline_days, 1, 60),
       runtime::ValidateRange("supervision_seconds", supervision_seconds, 1, 3600),
       runtime::ValidateRange("statistics_timeout_seconds", statistics_timeout_seconds, 1, 120),
       action_department.empty() || action_department.size() > 200
           ? absl::InvalidArgumentError("action_department: a department name, 1..200 bytes")
           : absl::OkStatus(),
       statistics_address.empty()
           ? absl::OkStatus()
           : runtime::ValidateHostPort("statistics_address", statistics_address),
       (!statistics_token_file.empty() || !statistics_tls_ca.empty()) && statistics_address.empty()
           ? absl::InvalidArgumentError(
                 "statistics_address: required when statistics_token_file or statistics_tls_ca "
                 "is set")
           : absl::OkStatus(),
       Readable("statistics_token_file", statistics_token_file),
       Readable("statistics_tls_ca", statistics_tls_ca)});
}

absl::StatusOr<Config> LoadConfig() {
  Config config;
  config.max_document_bytes = absl::GetFlag(FLAGS_max_document_bytes);
  config.calendar_file = absl::GetFlag(FLAGS_calendar_file);
  config.action_department = absl::GetFlag(FLAGS_action_department);
  config.action_deadline_days = absl::GetFlag(FLAGS_action_deadline_days);
  config.supervision_seconds = absl::GetFlag(FLAGS_supervision_seconds);
  config.statistics_address = absl::GetFlag(FLAGS_statistics_address);
  config.statistics_token_file = absl::GetFlag(FLAGS_statistics_token_file);
  config.statistics_tls_ca = absl::GetFlag(FLAGS_statistics_tls_ca);
  config.statistics_timeout_seconds = absl::GetFlag(FLAGS_statistics_timeout_seconds);
  return runtime::Validated(config);
}

}  // namespace parkline::quality
