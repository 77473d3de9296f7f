#include "support/support_desk.h"

#include <optional>
#include <vector>

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
#include "support/activity_repository.h"
#include "support/activity_rules.h"
#include "support/dated_id.h"
#include "support/support_metrics.h"

namespace parkline::support {
namespace {

absl::Status Changed(store::Transaction& tx, const v1::Registration& r, absl::Time now) {
  v1::RegistrationChanged e;
  e.set_registration_id(r.registration_id());
  e.set_activity_id(r.activity_id());
  e.set_enterprise_uscc(r.enterprise_uscc());
  e.set_seats(r.seats());
  e.set_status(r.status());
  *e.mutable_changed_time() = runtime::ToTimestamp(now);
  return events::AppendToOutbox(tx, events::NewEvent(kTopic, kSource, r.activity_id(), e, now));
}

// A registration the caller may not act on is the same NOT_FOUND as one that does not exist.
absl::Status NoRegistration(const std::string& id) {
  return absl::NotFoundError(absl::StrCat("registration_id: no registration ", id));
}

absl::Status NoActivity(const std::string& id) {
  return absl::NotFoundError(absl::StrCat("activity_id: no activity ", id));
}

// Its place on the waiting list, while it waits.
absl::Status FillPosition(ActivityRepository& repo, v1::Registration& r) {
  r.clear_waiting_position();
  if (r.status() != v1::REGISTRATION_STATUS_WAITING) return absl::OkStatus();
  auto waiting = repo.WaitingList(r.activity_id());
  if (!waiting.ok()) return waiting.status();
  for (size_t i = 0; i < waiting->size(); ++i) {
    if ((*waiting)[i].registration_id == r.registration_id()) {
      r.set_waiting_position(static_cast<int32_t>(i + 1));
    }
  }
  return absl::OkStatus();
}

}  // namespace

SupportDesk::SupportDesk(store::Database& db, store::GroupCommitter& writer,
                         std::function<void()> events_committed, secrets::KeyRing keys, Clock clock)
    : db_(db),
      writer_(writer),
      events_committed_(std::move(events_committed)),
      keys_(std::move(keys)),
      clock_(clock ? std::move(clock) : Clock([] { return absl::Now(); })) {
  // The park's year for the figures; UTC+8 all year round (China keeps no summer time).
  park_ = absl::FixedTimeZone(8 * 3600);
}

absl::StatusOr<v1::Activity> SupportDesk::Schedule(const v1::ScheduleActivityRequest& request) {
  errors::Violations v;
  CheckSchedule(request, v);
  if (!v.empty()) return v.ToStatus();
  absl::Time now = clock_();
  std::string digest = auth::Sha256Hex(request.SerializeAsString());
  v1::Activity fresh;
  fresh.set_activity_id(NewId("ACT-", now));
  fresh.set_kind(request.kind());
  fresh.set_title(request.title());
  *fresh.mutable_starts_time() = request.starts_time();
  *fresh.mutable_ends_time() = request.ends_time();
  fresh.set_place(request.place());
  fresh.set_online_url(request.online_url());
  fresh.set_organiser(request.organiser());
  fresh.set_capacity(request.capacity());
  fresh.set_partner_organisation(request.partner_organisation());
  *fresh.mutable_scheduled_time() = runtime::ToTimestamp(now);
  fresh.set_status(v1::ACTIVITY_STATUS_SCHEDULED);

  v1::Activity result;
  bool created = false;
  absl::Status status = writer_.Transact([&](store::Transaction& tx) -> absl::Status {
    created = false;
    ActivityRepository repo(tx, keys_);
    auto before = repo.FindActivityByRequest(request.request_id());
    if (!before.ok()) return before.status();
    if (*before) {
      if ((*before)->request_digest != digest) {
        return absl::AlreadyExistsError("request_id: already used for another activity");
      }
      result = (*before)->activity;
      return absl::OkStatus();
    }
    if (auto s = repo.InsertActivity(fresh, request.request_id(), digest); !s.ok()) return s;
    v1::ActivityScheduled e;
    e.set_activity_id(fresh.activity_id());
    e.set_kind(fresh.kind());
    *e.mutable_starts_time() = fresh.starts_time();
    *e.mutable_ends_time() = fresh.ends_time();
    e.set_capacity(fresh.capacity());
    e.set_partner_organisation(fresh.partner_organisation());
    created = true;
    result = fresh;
    return events::AppendToOutbox(tx,
                                  events::NewEvent(kTopic, kSource, fresh.activity_id(), e, now));
  });
  if (!status.ok()) return status;
  if (created) {
    if (events_committed_) events_committed_();
    log::Info("activity scheduled", {{"activity_id", result.activity_id()},
                                     {"kind", v1::ActivityKind_Name(result.kind())}});
  }
  return result;
}

absl::StatusOr<v1::Activity> SupportDesk::GetActivity(const v1::GetActivityRequest& request) {
  v1::Activity out;
  absl::Status s =
      store::ReadInto(db_, out, [&](store::Transaction& tx) -> absl::StatusOr<v1::Activity> {
        ActivityRepository repo(tx, keys_);
        auto found = repo.FindActivity(request.activity_id());
        if (!found.ok()) return found.status();
        if (!*found) return NoActivity(request.activity_id());
        return (*found)->activity;
      });
  if (!s.ok()) return s;
  return out;
}

absl::StatusOr<v1::ListActivitiesResponse> SupportDesk::ListActivities(
    const v1::ListActivitiesRequest& request) {
  int size = request.page_size() == 0 ? 100 : request.page_size();
  if (size < 1 || size > 500) return absl::InvalidArgumentError("page_size: 0 or 1..500");
  absl::Time from = request.has_from_time() ? runtime::FromTimestamp(request.from_time())
                                            : absl::FromUnixMicros(INT64_MIN);
  v1::ListActivitiesResponse out;
  absl::Status s = db_.Read([&](store::Transaction& tx) -> absl::Status {
    ActivityRepository repo(tx, keys_);
    auto list = repo.ListActivities(from, size);
    if (!list.ok()) return list.status();
    for (auto& a : *list) *out.add_activities() = std::move(a);
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return out;
}

absl::StatusOr<v1::Registration> SupportDesk::Register(const v1::RegisterAttendeesRequest& request,
                                                       const Viewer& viewer) {
  errors::Violations v;
  CheckRegistration(request, v);
  if (!v.empty()) return v.ToStatus();
  absl::Time now = clock_();
  std::string digest = auth::Sha256Hex(request.SerializeAsString());
  v1::Registration fresh;
  fresh.set_registration_id(NewId("REG-", now));
  fresh.set_activity_id(request.activity_id());
  fresh.set_enterprise_uscc(request.enterprise_uscc());
  fresh.set_seats(SeatsAsked(request));
  *fresh.mutable_attendees() = request.attendees();
  *fresh.mutable_registered_time() = runtime::ToTimestamp(now);

  v1::Registration result;
  v1::ActivityKind kind = v1::ACTIVITY_KIND_UNSPECIFIED;
  bool created = false;
  absl::Status status = writer_.Transact([&](store::Transaction& tx) -> absl::Status {
    created = false;
    ActivityRepository repo(tx, keys_);
    auto before = repo.FindRegistrationByRequest(request.request_id());
    if (!before.ok()) return before.status();
    if (*before) {
      // Another enterprise's request id says nothing of the registration it belongs to.
      if ((*before)->request_digest != digest) {
        return absl::AlreadyExistsError("request_id: already used for another registration");
      }
      result = (*before)->registration;
      return FillPosition(repo, result);
    }
    auto resident = residents::IsResident(tx, request.enterprise_uscc());
    if (!resident.ok()) return resident.status();
    if (!*resident) {
      return absl::FailedPreconditionError(
          "enterprise_uscc: not a resident enterprise of the park (NOT_RESIDENT)");
    }
    auto activity = repo.FindActivity(request.activity_id());
    if (!activity.ok()) return activity.status();
    if (!*activity) return NoActivity(request.activity_id());
    const v1::Activity& a = (*activity)->activity;
    kind = a.kind();
    v1::Registration r = fresh;
    r.set_status(Place(a.capacity(), a.seats_taken(), a.seats_waiting() > 0, r.seats()));
    if (auto s = CheckRegistrationOpen(a, viewer.park_staff, now, r.status()); !s.ok()) return s;
    bool seated = r.status() == v1::REGISTRATION_STATUS_CONFIRMED;
    if (auto s = repo.SetSeats(a.activity_id(), a.seats_taken() + (seated ? r.seats() : 0),
                               a.seats_waiting() + (seated ? 0 : r.seats()));
        !s.ok()) {
      return s;
    }
    if (auto s = repo.InsertRegistration(r, request.request_id(), digest); !s.ok()) return s;
    if (auto s = Changed(tx, r, now); !s.ok()) return s;
    created = true;
    result = r;
    return FillPosition(repo, result);
  });
  if (!status.ok()) return status;
  if (created) {
    if (events_committed_) events_committed_();
    bool seated = result.status() == v1::REGISTRATION_STATUS_CONFIRMED;
    CountRegistration(kind, seated ? "confirmed" : "waiting");
    log::Info("attendees registered", {{"registration_id", result.registration_id()},
                                       {"activity_id", result.activity_id()},
                                       {"actor", viewer.name}});
  }
  return result;
}

absl::StatusOr<v1::Registration> SupportDesk::Cancel(const v1::CancelRegistrationRequest& request,
                                                     const Viewer& viewer) {
  absl::Time now = clock_();
  v1::Registration result;
  v1::ActivityKind kind = v1::ACTIVITY_KIND_UNSPECIFIED;
  int promoted_count = 0;
  bool cancelled = false;
  absl::Status status = writer_.Transact([&](store::Transaction& tx) -> absl::Status {
    cancelled = false;
    promoted_count = 0;
    ActivityRepository repo(tx, keys_);
    auto found = repo.FindRegistration(request.registration_id());
    if (!found.ok()) return found.status();
    // Decided from the stored registration, not from the enterprise the request names.
    if (!*found || !MayActOn(viewer, (*found)->registration)) {
      return NoRegistration(request.registration_id());
    }
    v1::Registration r = (*found)->registration;
    if (r.status() == v1::REGISTRATION_STATUS_CANCELLED) {
      result = r;  // a retry: cancelled already
      return absl::OkStatus();
    }
    auto activity = repo.FindActivity(r.activity_id());
    if (!activity.ok()) return activity.status();
    if (!*activity) return NoActivity(r.activity_id());
    const v1::Activity& a = (*activity)->activity;
    kind = a.kind();
    if (auto s = CheckCancellable(r, runtime::FromTimestamp(a.starts_time()), now); !s.ok())
      return s;
    int taken = a.seats_taken(), waiting = a.seats_waiting();
    (r.status() == v1::REGISTRATION_STATUS_CONFIRMED ? taken : waiting) -= r.seats();
    r.set_status(v1::REGISTRATION_STATUS_CANCELLED);
    if (auto s = repo.UpdateRegistration(r); !s.ok()) return s;
    if (auto s = Changed(tx, r, now); !s.ok()) return s;
    auto queue = repo.WaitingList(a.activity_id());
    if (!queue.ok()) return queue.status();
    for (const std::string& id : Promote(a.capacity(), taken, *queue)) {
      auto next = repo.FindRegistration(id);
      if (!next.ok()) return next.status();
      if (!*next) return NoRegistration(id);
      v1::Registration p = (*next)->registration;
      p.set_status(v1::REGISTRATION_STATUS_CONFIRMED);
      taken += p.seats();
      waiting -= p.seats();
      if (auto s = repo.UpdateRegistration(p); !s.ok()) return s;
      if (auto s = Changed(tx, p, now); !s.ok()) return s;
      ++promoted_count;
    }
    if (auto s = repo.SetSeats(a.activity_id(), taken, waiting); !s.ok()) return s;
    cancelled = true;
    result = r;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (cancelled) {
    if (events_committed_) events_committed_();
    CountRegistration(kind, "cancelled");
    for (int i = 0; i < promoted_count; ++i) CountRegistration(kind, "promoted");
    log::Info("registration cancelled", {{"registration_id", result.registration_id()},
                                         {"promoted", absl::StrCat(promoted_count)},
                                         {"actor", viewer.name}});
  }
  return result;
}

absl::StatusOr<v1::ListRegistrationsResponse> SupportDesk::ListRegistrations(
    const v1::ListRegistrationsRequest& request, const Viewer& viewer) {
  if (!viewer.park_staff && request.enterprise_uscc().empty()) {
    return absl::InvalidArgumentError("enterprise_uscc: an enterprise lists its own registrations");
  }
  v1::ListRegistrationsResponse out;
  absl::Status s = db_.Read([&](store::Transaction& tx) -> absl::Status {
    ActivityRepository repo(tx, keys_);
    auto list = repo.ListRegistrations(request.enterprise_uscc(), request.activity_id());
    if (!list.ok()) return list.status();
    for (auto& r : *list) {
      // The stored owner decides, whatever the request named.
      if (!MayActOn(viewer, r)) continue;
      if (auto st = FillPosition(repo, r); !st.ok()) return st;
      *out.add_registrations() = std::move(r);
    }
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return out;
}

absl::StatusOr<v1::Registration> SupportDesk::ConfirmAttendance(
    const v1::ConfirmAttendanceRequest& request) {
  absl::Time now = clock_();
  v1::Registration result;
  v1::ActivityKind kind = v1::ACTIVITY_KIND_UNSPECIFIED;
  bool confirmed = false;
  absl::Status status = writer_.Transact([&](store::Transaction& tx) -> absl::Status {
    confirmed = false;
    ActivityRepository repo(tx, keys_);
    auto found = repo.FindRegistration(request.registration_id());
    if (!found.ok()) return found.status();
    if (!*found) return NoRegistration(request.registration_id());
    v1::Registration r = (*found)->registration;
    if (r.status() == v1::REGISTRATION_STATUS_ATTENDED && r.attended() == request.attended()) {
      result = r;  // a retry of the same confirmation
      return absl::OkStatus();
    }
    auto activity = repo.FindActivity(r.activity_id());
    if (!activity.ok()) return activity.status();
    if (!*activity) return NoActivity(r.activity_id());
    const v1::Activity& a = (*activity)->activity;
    kind = a.kind();
    if (auto s = CheckNotCancelled(a, "confirmed"); !s.ok()) return s;
    if (auto s = CheckAttendance(r, runtime::FromTimestamp(a.ends_time()), now, request.attended());
        !s.ok()) {
      return s;
    }
    r.set_status(v1::REGISTRATION_STATUS_ATTENDED);
    r.set_attended(request.attended());
    if (auto s = repo.UpdateRegistration(r); !s.ok()) return s;
    v1::AttendanceConfirmed e;
    e.set_registration_id(r.registration_id());
    e.set_activity_id(r.activity_id());
    e.set_kind(a.kind());
    e.set_enterprise_uscc(r.enterprise_uscc());
    e.set_attended(r.attended());
    *e.mutable_activity_ended_time() = a.ends_time();
    *e.mutable_confirmed_time() = runtime::ToTimestamp(now);
    confirmed = true;
    result = r;
    return events::AppendToOutbox(tx, events::NewEvent(kTopic, kSource, r.activity_id(), e, now));
  });
  if (!status.ok()) return status;
  if (confirmed) {
    if (events_committed_) events_committed_();
    CountAttendance(kind, result.attended());
  }
  return result;
}

absl::StatusOr<v1::Activity> SupportDesk::CancelActivity(const v1::CancelActivityRequest& request,
                                                         const Viewer& viewer) {
  errors::Violations v;
  CheckActivityCancellation(request, v);
  if (!v.empty()) return v.ToStatus();
  absl::Time now = clock_();
  v1::Activity result;
  int released = 0;
  absl::Status status = writer_.Transact([&](store::Transaction& tx) -> absl::Status {
    released = 0;
    ActivityRepository repo(tx, keys_);
    auto found = repo.FindActivity(request.activity_id());
    if (!found.ok()) return found.status();
    if (!*found) return NoActivity(request.activity_id());
    v1::Activity a = (*found)->activity;
    if (auto s = CheckActivityCancellable(a, now); !s.ok()) return s;
    a.set_status(v1::ACTIVITY_STATUS_CANCELLED);
    a.set_cancel_reason(request.reason());
    *a.mutable_cancelled_time() = runtime::ToTimestamp(now);
    a.set_seats_taken(0);
    a.set_seats_waiting(0);
    // The activity's row first: it is what registrations lock, so none slips in meanwhile.
    if (auto s = repo.MarkCancelled(a); !s.ok()) return s;
    v1::ActivityCancelled e;
    e.set_activity_id(a.activity_id());
    e.set_kind(a.kind());
    *e.mutable_starts_time() = a.starts_time();
    e.set_reason(a.cancel_reason());
    *e.mutable_cancelled_time() = a.cancelled_time();
    auto registrations = repo.HoldingOrWaiting(a.activity_id());
    if (!registrations.ok()) return registrations.status();
    for (v1::Registration& r : *registrations) {
      if (!Releases(r)) continue;
      v1::ReleasedRegistration* out = e.add_released();
      out->set_registration_id(r.registration_id());
      out->set_enterprise_uscc(r.enterprise_uscc());
      out->set_seats(r.seats());
      out->set_was(r.status());
      r.set_status(v1::REGISTRATION_STATUS_CANCELLED);
      if (auto s = repo.UpdateRegistration(r); !s.ok()) return s;
      ++released;
    }
    result = a;
    return events::AppendToOutbox(tx, events::NewEvent(kTopic, kSource, a.activity_id(), e, now));
  });
  if (!status.ok()) return status;
  if (events_committed_) events_committed_();
  for (int i = 0; i < released; ++i) CountRegistration(result.kind(), "released");
  log::Info("activity cancelled", {{"activity_id", result.activity_id()},
                                   {"released", absl::StrCat(released)},
                                   {"actor", viewer.name}});
  return result;
}

absl::StatusOr<v1::ActivityFigures> SupportDesk::Figures(
    const v1::GetActivityFiguresRequest& request) {
  if (request.year() < 2000 || request.year() > 2100) {
    return absl::InvalidArgumentError("year: 2000..2100");
  }
  absl::Time from = absl::FromCivil(absl::CivilYear(request.year()), park_);
  absl::Time to = absl::FromCivil(absl::CivilYear(request.year() + 1), park_);
  absl::Time now = clock_();
  v1::ActivityFigures out;
  out.set_year(request.year());
  absl::Status s = db_.Read([&](store::Transaction& tx) -> absl::Status {
    ActivityRepository repo(tx, keys_);
    auto figures = repo.Figures(from, to, now);
    if (!figures.ok()) return figures.status();
    for (const auto& [kind, t] : *figures) {
      v1::KindFigures* k = out.add_kinds();
      k->set_kind(kind);
      k->set_activities_held(t.activities_held);
      k->set_attendees_confirmed(t.attendees_confirmed);
      k->set_enterprises_attending(t.enterprises_attending);
    }
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return out;
}

}  // namespace parkline::support
