#include "runtime/job_errors.h"

#include <string>

#include "prometheus/counter.h"
#include "runtime/log.h"
#include "runtime/metrics.h"

namespace parkline::runtime {
namespace {

prometheus::Family<prometheus::Counter>& JobErrors() {
  static auto& family = prometheus::BuildCounter()
                            .Name("parkline_job_errors_total")
                            .Help("Failures of background jobs (retried by the job; logged).")
                            .Register(Metrics());
  return family;
}

prometheus::Family<prometheus::Counter>& UnreadableRows() {
  static auto& family = prometheus::BuildCounter()
                            .Name("parkline_unreadable_rows_total")
                            .Help("Stored rows that did not parse when read, by table.")
                            .Register(Metrics());
  return family;
}

}  // namespace

absl::Status ReportJobError(absl::string_view job, const absl::Status& error) {
  JobErrors().Add({{"job", std::string(job)}}).Increment();
  log::Error("background job failed, will retry", {{"job", std::string(job)},
                                                   {"code", absl::StatusCodeToString(error.code())},
                                                   {"error", std::string(error.message())}});
  return error;
}

double JobErrorCount(absl::string_view job) {
  return JobErrors().Add({{"job", std::string(job)}}).Value();
}

}  // namespace parkline::runtime

namespace parkline::runtime {

absl::Status UnreadableRow(absl::string_view table, absl::string_view message) {
  UnreadableRows().Add({{"table", std::string(table)}}).Increment();
  log::Error("a stored row does not parse",
             {{"table", std::string(table)}, {"error", std::string(message)}});
  return absl::DataLossError(message);
}

double UnreadableRowCount(absl::string_view table) {
  return UnreadableRows().Add({{"table", std::string(table)}}).Value();
}

}  // namespace parkline::runtime
