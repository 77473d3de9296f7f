// Failures of the background work no caller waits for (periodic jobs, the outbox relay's
// housekeeping, a stored row that cannot be read back): such a failure has nobody to return
// to, so it is never dropped but logged (one JSON line, the job's name and the error's code and
// message: no row contents, hence no personal data) and counted in
// parkline_job_errors_total{job}, which ParklineJobErrors alerts on. Thread-safe.
#ifndef PARKLINE_RUNTIME_JOB_ERRORS_H_
#define PARKLINE_RUNTIME_JOB_ERRORS_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace parkline::runtime {

// Logs and counts `error` (not OK) of `job` ("declarations_expiry", "outbox_prune" ...); the job
// is retried by whoever runs it. Returns `error`, so a caller may still pass it on.
absl::Status ReportJobError(absl::string_view job, const absl::Status& error);

// The same for an OK-or-not status: does nothing when OK.
inline void CheckJob(absl::string_view job, const absl::Status& status) {
  if (!status.ok()) ReportJobError(job, status).IgnoreError();
}

// How many errors `job` reported in this process (tests).
double JobErrorCount(absl::string_view job);

}  // namespace parkline::runtime

#endif  // PARKLINE_RUNTIME_JOB_ERRORS_H_
