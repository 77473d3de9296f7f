#include "complaints/supervision.h"

#include "complaints/complaint_workflow.h"

namespace parkline::complaints {

std::optional<v1::DeadlineKind> PassedDeadline(const DeadlineWatch& watch, absl::Time now) {
  if (watch.status == v1::COMPLAINT_STATUS_RECEIVED && !watch.acknowledgement_overdue &&
      now > watch.acknowledge_by) {
    return v1::DEADLINE_KIND_ACKNOWLEDGEMENT;
  }
  if (AwaitsAnswer(watch.status) && !watch.resolution_overdue && now > watch.resolve_by) {
    return v1::DEADLINE_KIND_RESOLUTION;
  }
  return std::nullopt;
}

absl::StatusOr<int> SupervisionJob::RunOnce() {
  absl::Time now = clock_();
  auto due = complaints_.DueAt(now);
  if (!due.ok()) return due.status();
  int marked = 0;
  for (auto& [id, watch] : *due) {
    // Both deadlines may have passed since the last run: mark each, acknowledgement first.
    for (auto kind = PassedDeadline(watch, now); kind; kind = PassedDeadline(watch, now)) {
      auto done = complaints_.MarkOverdue(id, *kind, now);
      if (!done.ok()) return done.status();
      if (!*done) break;  // moved on meanwhile
      ++marked;
      if (*kind == v1::DEADLINE_KIND_ACKNOWLEDGEMENT) {
        watch.acknowledgement_overdue = true;
        watch.status = v1::COMPLAINT_STATUS_ESCALATED;
      } else {
        watch.resolution_overdue = true;
      }
    }
  }
  return marked;
}

}  // namespace parkline::complaints
