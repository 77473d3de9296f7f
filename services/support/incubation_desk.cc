#include "support/incubation_desk.h"

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "auth/sha256.h"
#include "errors/violations.h"
#include "events/envelope.h"
#include "events/outbox.h"
#include "parkline/support/v1/events.pb.h"
#include "residents/residents.h"
#include "runtime/log.h"
#include "runtime/proto_time.h"
#include "support/dated_id.h"
#include "support/incubation_repository.h"
#include "support/incubation_rules.h"
#include "support/support_desk.h"
#include "support/support_metrics.h"

namespace parkline::support {
namespace {

constexpr int kListLimit = 1000;
// A cohort's figures read every record of the cohort; a cohort is tens, a limit far above that
// keeps a mistaken cohort name from reading the whole table into memory.
constexpr int kCohortLimit = 10000;

absl::Status NoIncubatee(const std::string& id) {
  return absl::NotFoundError(absl::StrCat("incubatee_id: no incubatee ", id));
}

template <typename E>
absl::Status Append(store::Transaction& tx, const std::string& incubatee_id, const E& event,
                    absl::Time now) {
  return events::AppendToOutbox(tx, events::NewEvent(kTopic, kSource, incubatee_id, event, now));
}

// The record a milestone request made before, when `request_id` is recorded: nullopt for a new
// request id, ALREADY_EXISTS for one used by another request, or by a request whose record the
// viewer may not see (another party's request id says nothing of the record it belongs to).
absl::StatusOr<std::optional<v1::Incubatee>> MilestoneRecordedBefore(IncubationRepository& repo,
                                                                     const std::string& request_id,
                                                                     const std::string& digest,
                                                                     const auth::Viewer& viewer) {
  auto before = repo.FindMilestoneRequest(request_id);
  if (!before.ok()) return before.status();
  if (!*before) return std::optional<v1::Incubatee>();
  auto found = repo.Find("incubatee_id", (*before)->incubatee_id);
  if (!found.ok()) return found.status();
  if ((*before)->request_digest != digest || !*found || !MaySee(viewer, (*found)->value)) {
    return absl::AlreadyExistsError("request_id: already used for another milestone");
  }
  return std::optional<v1::Incubatee>((*found)->value);
}

// The park staff viewer the park's own steps act as: they see every record.
auth::Viewer Park() {
  auth::Viewer v;
  v.park_staff = true;
  return v;
}

}  // namespace

IncubationDesk::IncubationDesk(store::Database& db, store::GroupCommitter& writer,
                               std::function<void()> events_committed, Clock clock)
    : db_(db),
      writer_(writer),
      events_committed_(std::move(events_committed)),
      clock_(clock ? std::move(clock) : Clock([] { return absl::Now(); })),
      park_(absl::FixedTimeZone(8 * 3600)) {}

absl::StatusOr<v1::Incubatee> IncubationDesk::Admit(const v1::AdmitIncubateeRequest& request) {
  errors::Violations v;
  CheckAdmission(request, v);
  if (!v.empty()) return v.ToStatus();
  absl::Time now = clock_();
  std::string digest = auth::Sha256Hex(request.SerializeAsString());
  v1::Incubatee result;
  bool created = false;
  absl::Status status = writer_.Transact([&](store::Transaction& tx) -> absl::Status {
    created = false;
    IncubationRepository repo(tx);
    auto before = repo.Find("request_id", request.request_id());
    if (!before.ok()) return before.status();
    if (*before) {
      if ((*before)->request_digest != digest) {
        return absl::AlreadyExistsError("request_id: already used for another admission");
      }
      result = (*before)->value;
      return absl::OkStatus();
    }
    if (request.has_enterprise_uscc()) {
      auto resident = residents::IsResident(tx, request.enterprise_uscc());
      if (!resident.ok()) return resident.status();
      if (!*resident) {
        return absl::FailedPreconditionError(
            "enterprise_uscc: not a resident enterprise of the park (NOT_RESIDENT)");
      }
      auto in = repo.InIncubator(request.enterprise_uscc());
      if (!in.ok()) return in.status();
      if (*in) {
        return absl::FailedPreconditionError(
            "enterprise_uscc: already in the incubator (ALREADY_INCUBATING)");
      }
    }
    result.set_incubatee_id(NewId("INC-", now));
    result.set_cohort(request.cohort());
    if (request.has_team()) {
      *result.mutable_team() = request.team();
    } else {
      result.set_enterprise_uscc(request.enterprise_uscc());
    }
    *result.mutable_mentor() = request.mentor();
    *result.mutable_plan() = request.plan();
    result.set_state(v1::INCUBATEE_STATE_ADMITTED);
    *result.mutable_admitted_time() = runtime::ToTimestamp(now);
    if (auto s = repo.Insert(result, request.request_id(), digest); !s.ok()) return s;
    created = true;
    v1::IncubateeAdmitted e;
    e.set_incubatee_id(result.incubatee_id());
    e.set_cohort(result.cohort());
    e.set_enterprise_uscc(result.enterprise_uscc());
    *e.mutable_admitted_time() = result.admitted_time();
    return Append(tx, result.incubatee_id(), e, now);
  });
  if (!status.ok()) return status;
  if (created) {
    if (events_committed_) events_committed_();
    CountIncubation("admitted");
    log::Info("incubatee admitted",
              {{"incubatee_id", result.incubatee_id()}, {"cohort", result.cohort()}});
  }
  return result;
}

absl::StatusOr<v1::Incubatee> IncubationDesk::StepIn(store::Transaction& tx, const std::string& id,
                                                     const auth::Viewer& viewer,
                                                     const Change& change) {
  IncubationRepository repo(tx);
  if (auto s = repo.Lock(id); !s.ok()) {
    return absl::IsNotFound(s) ? NoIncubatee(id) : s;
  }
  auto found = repo.Find("incubatee_id", id);
  if (!found.ok()) return found.status();
  if (!*found || !MaySee(viewer, (*found)->value)) return NoIncubatee(id);
  v1::Incubatee i = (*found)->value;
  if (auto s = change(tx, i); !s.ok()) return s;
  if (auto s = repo.Update(i); !s.ok()) return s;
  return i;
}

absl::StatusOr<v1::Incubatee> IncubationDesk::Step(const std::string& id,
                                                   const auth::Viewer& viewer,
                                                   const Change& change) {
  v1::Incubatee result;
  absl::Status status = writer_.Transact([&](store::Transaction& tx) -> absl::Status {
    auto changed = StepIn(tx, id, viewer, change);
    if (!changed.ok()) return changed.status();
    result = *changed;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (events_committed_) events_committed_();
  return result;
}

absl::StatusOr<v1::Incubatee> IncubationDesk::RecordMilestone(
    const v1::RecordMilestoneRequest& request, const auth::Viewer& viewer) {
  errors::Violations v;
  CheckMilestone(request, v);
  if (!v.empty()) return v.ToStatus();
  absl::Time now = clock_();
  std::string digest = auth::Sha256Hex(request.SerializeAsString());
  v1::MilestoneKind kind = request.kind();
  const Change add = [&](store::Transaction& tx, v1::Incubatee& i) -> absl::Status {
    absl::CivilDay day(request.date().year(), request.date().month(), request.date().day());
    absl::CivilDay admitted = absl::ToCivilDay(runtime::FromTimestamp(i.admitted_time()), park_);
    if (auto s = CheckMilestoneFits(i, day, admitted, absl::ToCivilDay(now, park_)); !s.ok()) {
      return s;
    }
    v1::Milestone m;
    m.set_milestone_id(NewId("MST-", now));
    m.set_kind(kind);
    *m.mutable_date() = request.date();
    m.set_evidence_ref(request.evidence_ref());
    m.set_amount(request.amount());
    m.set_currency(request.currency());
    m.set_jobs(request.jobs());
    m.set_description(request.description());
    *m.mutable_recorded_time() = runtime::ToTimestamp(now);
    // Inserted first: the key on the request id keeps it one milestone even when another replica
    // records it at the same time (the later transaction fails on it and changes nothing).
    if (auto s = IncubationRepository(tx).InsertMilestoneRequest(
            request.request_id(), digest, i.incubatee_id(), m.milestone_id());
        !s.ok()) {
      return s;
    }
    v1::MilestoneRecorded e;
    e.set_incubatee_id(i.incubatee_id());
    e.set_cohort(i.cohort());
    e.set_milestone_id(m.milestone_id());
    e.set_kind(kind);
    *e.mutable_date() = request.date();
    e.set_amount(request.amount());
    e.set_currency(request.currency());
    e.set_jobs(request.jobs());
    *e.mutable_recorded_time() = m.recorded_time();
    AddMilestone(i, std::move(m));
    return Append(tx, i.incubatee_id(), e, now);
  };
  v1::Incubatee result;
  bool repeated = false;
  absl::Status status = writer_.Transact([&](store::Transaction& tx) -> absl::Status {
    repeated = false;
    // A milestone sent again: the record as it is, without a second milestone or event. Looked
    // up in the write's own transaction, so that a retry racing its original finds it there.
    IncubationRepository repo(tx);
    auto before = MilestoneRecordedBefore(repo, request.request_id(), digest, viewer);
    if (!before.ok()) return before.status();
    if (*before) {
      result = **before;
      repeated = true;
      return absl::OkStatus();
    }
    auto recorded = StepIn(tx, request.incubatee_id(), viewer, add);
    if (!recorded.ok()) return recorded.status();
    result = *recorded;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!repeated) {
    if (events_committed_) events_committed_();
    CountIncubation("milestone");
  }
  return result;
}

absl::StatusOr<v1::Incubatee> IncubationDesk::Graduate(
    const v1::GraduateIncubateeRequest& request) {
  if (request.incubatee_id().empty()) {
    return absl::InvalidArgumentError("incubatee_id: required");
  }
  absl::Time now = clock_();
  auto graduated = Step(request.incubatee_id(), Park(),
                        [&](store::Transaction& tx, v1::Incubatee& i) -> absl::Status {
                          if (auto s = CheckGraduable(i); !s.ok()) return s;
                          i.set_state(v1::INCUBATEE_STATE_GRADUATED);
                          *i.mutable_graduated_time() = runtime::ToTimestamp(now);
                          v1::IncubateeGraduated e;
                          e.set_incubatee_id(i.incubatee_id());
                          e.set_cohort(i.cohort());
                          *e.mutable_admitted_time() = i.admitted_time();
                          *e.mutable_graduated_time() = i.graduated_time();
                          e.set_milestones(i.milestones_size());
                          return Append(tx, i.incubatee_id(), e, now);
                        });
  if (graduated.ok()) CountIncubation("graduated");
  return graduated;
}

absl::StatusOr<v1::Incubatee> IncubationDesk::Leave(const v1::RecordIncubateeLeftRequest& request) {
  errors::Violations v;
  CheckLeaving(request, v);
  if (!v.empty()) return v.ToStatus();
  absl::Time now = clock_();
  auto left = Step(request.incubatee_id(), Park(),
                   [&](store::Transaction& tx, v1::Incubatee& i) -> absl::Status {
                     if (auto s = CheckMayLeave(i); !s.ok()) return s;
                     v1::IncubateeLeft e;
                     e.set_from_state(i.state());
                     i.set_state(v1::INCUBATEE_STATE_LEFT);
                     *i.mutable_left_time() = runtime::ToTimestamp(now);
                     i.set_left_reason(request.reason());
                     e.set_incubatee_id(i.incubatee_id());
                     e.set_cohort(i.cohort());
                     *e.mutable_admitted_time() = i.admitted_time();
                     *e.mutable_left_time() = i.left_time();
                     return Append(tx, i.incubatee_id(), e, now);
                   });
  if (left.ok()) CountIncubation("left");
  return left;
}

absl::StatusOr<v1::Incubatee> IncubationDesk::Get(const v1::GetIncubateeRequest& request,
                                                  const auth::Viewer& viewer) {
  v1::Incubatee out;
  absl::Status s =
      store::ReadInto(db_, out, [&](store::Transaction& tx) -> absl::StatusOr<v1::Incubatee> {
        auto found = IncubationRepository(tx).Find("incubatee_id", request.incubatee_id());
        if (!found.ok()) return found.status();
        if (!*found || !MaySee(viewer, (*found)->value)) {
          return NoIncubatee(request.incubatee_id());
        }
        return (*found)->value;
      });
  if (!s.ok()) return s;
  return out;
}

absl::StatusOr<v1::ListIncubateesResponse> IncubationDesk::List(
    const v1::ListIncubateesRequest& request) {
  if (!request.cohort().empty() && !IsCohort(request.cohort())) {
    return absl::InvalidArgumentError(
        "cohort: a year, a dash and 1..8 capital letters or digits, or empty for all");
  }
  if (!v1::IncubateeState_IsValid(request.state())) {
    return absl::InvalidArgumentError("state: not an incubatee state");
  }
  v1::ListIncubateesResponse out;
  absl::Status s = db_.Read([&](store::Transaction& tx) -> absl::Status {
    out.Clear();
    auto list = IncubationRepository(tx).List(request.cohort(), request.state(), kListLimit);
    if (!list.ok()) return list.status();
    for (auto& i : *list) *out.add_incubatees() = std::move(i);
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return out;
}

absl::StatusOr<v1::CohortFigures> IncubationDesk::Figures(
    const v1::GetCohortFiguresRequest& request) {
  if (!IsCohort(request.cohort())) {
    return absl::InvalidArgumentError("cohort: a year, a dash and 1..8 capital letters or digits");
  }
  absl::Time as_of =
      request.has_as_of_time() ? runtime::FromTimestamp(request.as_of_time()) : clock_();
  std::vector<v1::Incubatee> cohort;
  absl::Status s = store::ReadInto(db_, cohort, [&](store::Transaction& tx) {
    return IncubationRepository(tx).List(request.cohort(), v1::INCUBATEE_STATE_UNSPECIFIED,
                                         kCohortLimit);
  });
  if (!s.ok()) return s;
  return CohortFiguresOf(request.cohort(), cohort, as_of, park_);
}

}  // namespace parkline::support
