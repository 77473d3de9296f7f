#include "support/activity_rules.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "ids/ids.h"

namespace parkline::support {
namespace {

using google::protobuf::util::TimeUtil;

absl::Time TimeOf(const google::protobuf::Timestamp& t) {
  return absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(t));
}

void CheckText(errors::Violations& v, const char* field, const std::string& text, size_t max,
               bool required) {
  if (required && text.empty()) {
    v.Add(field, "REQUIRED", absl::StrCat(field, " is required"));
  } else if (text.size() > max) {
    v.Add(field, "TOO_LONG", absl::StrCat(field, " has at most ", max, " bytes"));
  }
}

}  // namespace

void CheckSchedule(const v1::ScheduleActivityRequest& r, errors::Violations& v) {
  CheckText(v, "request_id", r.request_id(), 100, true);
  if (r.kind() == v1::ACTIVITY_KIND_UNSPECIFIED || !v1::ActivityKind_IsValid(r.kind())) {
    v.Add("kind", "REQUIRED", "kind is one of the activity kinds of 6.8 and 6.9.2");
  }
  CheckText(v, "title", r.title(), 200, true);
  CheckText(v, "organiser", r.organiser(), 200, true);
  CheckText(v, "partner_organisation", r.partner_organisation(), 200, false);
  if (!r.has_starts_time() || !r.has_ends_time()) {
    v.Add("starts_time", "REQUIRED", "starts_time and ends_time are required");
  } else {
    absl::Time starts = TimeOf(r.starts_time()), ends = TimeOf(r.ends_time());
    if (ends <= starts) {
      v.Add("ends_time", "NOT_AFTER_START", "ends_time is after starts_time");
    } else if (ends - starts > absl::Hours(24 * 31)) {
      v.Add("ends_time", "TOO_LONG", "an activity lasts at most 31 days");
    }
  }
  bool has_place = !r.place().empty(), online = !r.online_url().empty();
  if (has_place == online) {
    v.Add("place", "PLACE_OR_ONLINE", "exactly one of place and online_url is given");
  }
  CheckText(v, "place", r.place(), 200, false);
  CheckText(v, "online_url", r.online_url(), 500, false);
  if (online && !absl::StartsWith(r.online_url(), "https://")) {
    v.Add("online_url", "NOT_HTTPS", "online_url is an https:// address");
  }
  if (r.capacity() < 1 || r.capacity() > kMaxCapacity) {
    v.Add("capacity", "OUT_OF_RANGE", absl::StrCat("capacity is 1..", kMaxCapacity));
  }
}

void CheckRegistration(const v1::RegisterAttendeesRequest& r, errors::Violations& v) {
  CheckText(v, "request_id", r.request_id(), 100, true);
  CheckText(v, "activity_id", r.activity_id(), 100, true);
  v.AddIf("enterprise_uscc", "INVALID_USCC", ids::CheckUscc(r.enterprise_uscc()));
  bool counted = r.head_count() != 0, named = r.attendees_size() > 0;
  if (counted == named) {
    v.Add("head_count", "COUNT_OR_NAMES", "exactly one of head_count and attendees is given");
  }
  if (counted && (r.head_count() < 1 || r.head_count() > kMaxSeatsPerRegistration)) {
    v.Add("head_count", "OUT_OF_RANGE",
          absl::StrCat("head_count is 1..", kMaxSeatsPerRegistration));
  }
  if (r.attendees_size() > kMaxSeatsPerRegistration) {
    v.Add("attendees", "TOO_MANY",
          absl::StrCat("at most ", kMaxSeatsPerRegistration, " attendees"));
  }
  for (int i = 0; i < r.attendees_size() && i < kMaxSeatsPerRegistration; ++i) {
    const v1::NamedAttendee& a = r.attendees(i);
    std::string field = absl::StrCat("attendees[", i, "]");
    if (a.name().empty() || a.name().size() > 100) {
      v.Add(field + ".name", "OUT_OF_RANGE", "a name has 1..100 bytes");
    }
    // Nobody is named to the park without agreeing to it (personal data, minimised).
    if (!a.consent()) v.Add(field + ".consent", "NO_CONSENT", "a named attendee has consented");
  }
}

int SeatsAsked(const v1::RegisterAttendeesRequest& r) {
  return r.attendees_size() > 0 ? r.attendees_size() : r.head_count();
}

v1::RegistrationStatus Place(int capacity, int taken, bool anyone_waiting, int seats) {
  if (!anyone_waiting && taken + seats <= capacity) return v1::REGISTRATION_STATUS_CONFIRMED;
  return v1::REGISTRATION_STATUS_WAITING;
}

std::vector<std::string> Promote(int capacity, int taken, const std::vector<Waiting>& waiting) {
  std::vector<std::string> promoted;
  for (const Waiting& w : waiting) {
    if (taken + w.seats > capacity) break;
    taken += w.seats;
    promoted.push_back(w.registration_id);
  }
  return promoted;
}

absl::Status CheckCancellable(const v1::Registration& r, absl::Time starts, absl::Time now) {
  if (r.status() != v1::REGISTRATION_STATUS_CONFIRMED &&
      r.status() != v1::REGISTRATION_STATUS_WAITING) {
    return absl::FailedPreconditionError(absl::StrCat("registration_id: a registration ",
                                                      v1::RegistrationStatus_Name(r.status()),
                                                      " cannot be cancelled"));
  }
  if (now >= starts) {
    return absl::FailedPreconditionError(
        "registration_id: the activity has started; a registration is cancelled before it");
  }
  return absl::OkStatus();
}

absl::Status CheckAttendance(const v1::Registration& r, absl::Time ends, absl::Time now,
                             int attended) {
  if (r.status() != v1::REGISTRATION_STATUS_CONFIRMED) {
    return absl::FailedPreconditionError(
        absl::StrCat("registration_id: attendance is confirmed on a CONFIRMED registration, not ",
                     v1::RegistrationStatus_Name(r.status())));
  }
  if (now < ends) {
    return absl::FailedPreconditionError(
        "registration_id: attendance is confirmed after the activity has ended");
  }
  if (attended < 0 || attended > r.seats()) {
    return absl::InvalidArgumentError(
        absl::StrCat("attended: 0..", r.seats(), " (the registration's seats)"));
  }
  return absl::OkStatus();
}

void CheckActivityCancellation(const v1::CancelActivityRequest& r, errors::Violations& v) {
  CheckText(v, "activity_id", r.activity_id(), 100, true);
  CheckText(v, "reason", r.reason(), 500, true);
}

absl::Status CheckActivityCancellable(const v1::Activity& a, absl::Time now) {
  if (a.status() == v1::ACTIVITY_STATUS_CANCELLED) {
    return absl::FailedPreconditionError(absl::StrCat(
        "activity_id: an activity ", v1::ActivityStatus_Name(a.status()), " cannot be cancelled"));
  }
  if (now >= TimeOf(a.ends_time())) {
    return absl::FailedPreconditionError(
        "activity_id: the activity has ended; an activity is cancelled before its end");
  }
  return absl::OkStatus();
}

bool Releases(const v1::Registration& r) {
  return r.status() == v1::REGISTRATION_STATUS_CONFIRMED ||
         r.status() == v1::REGISTRATION_STATUS_WAITING;
}

absl::Status CheckNotCancelled(const v1::Activity& a, const char* step) {
  if (a.status() == v1::ACTIVITY_STATUS_CANCELLED) {
    return absl::FailedPreconditionError(absl::StrCat("activity_id: the activity is ",
                                                      v1::ActivityStatus_Name(a.status()),
                                                      "; nothing is ", step, " at it"));
  }
  return absl::OkStatus();
}

absl::Status CheckRegistrationOpen(const v1::Activity& a, bool park_staff, absl::Time now,
                                   v1::RegistrationStatus placed) {
  if (auto s = CheckNotCancelled(a, "registered"); !s.ok()) return s;
  if (now < TimeOf(a.starts_time())) return absl::OkStatus();
  if (!park_staff) {
    return absl::FailedPreconditionError(
        "activity_id: registration closes when the activity starts");
  }
  if (placed != v1::REGISTRATION_STATUS_CONFIRMED) {
    return absl::FailedPreconditionError(
        "activity_id: the activity has started and has no free seat for them (FULL)");
  }
  return absl::OkStatus();
}

bool MayActOn(const auth::Viewer& viewer, const v1::Registration& stored) {
  return viewer.park_staff || viewer.SpeaksFor(stored.enterprise_uscc());
}

}  // namespace parkline::support
