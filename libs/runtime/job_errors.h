// Failures no caller sees whole: of the background work nobody waits for (periodic jobs, the outbox
// relay's housekeeping, a stored row that cannot be read back): such a failure has nobody to return
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

// A stored row of `table` that does not parse (a damaged or foreign row): logs it (the table and
// `message`, which names the row by its key, never by its contents) and counts it in
// parkline_unreadable_rows_total{table}. Returns DATA_LOSS with `message`, for the caller.
absl::Status UnreadableRow(absl::string_view table, absl::string_view message);

// How many unreadable rows of `table` this process met (tests).
double UnreadableRowCount(absl::string_view table);

}  // namespace parkline::runtime

#endif  // PARKLINE_RUNTIME_JOB_ERRORS_H_
