#include "support/incubation_rules.h"

#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "calendar/date.h"
#include "decimal/fixed_point.h"
#include "google/protobuf/util/time_util.h"
#include "ids/ids.h"
#include "support/field_rules.h"

namespace parkline::support {
namespace {

using google::protobuf::util::TimeUtil;

absl::Status WrongState(const char* step, const v1::Incubatee& i) {
  return absl::FailedPreconditionError(absl::StrCat(
      "incubatee_id: an incubatee ", v1::IncubateeState_Name(i.state()), " cannot ", step));
}

bool InIncubator(const v1::Incubatee& i) {
  return i.state() == v1::INCUBATEE_STATE_ADMITTED || i.state() == v1::INCUBATEE_STATE_ACTIVE;
}

}  // namespace

bool IsCohort(absl::string_view c) {
  if (c.size() < 6 || c.size() > 13 || c[4] != '-') return false;
  for (size_t i = 0; i < c.size(); ++i) {
    if (i < 4 && !absl::ascii_isdigit(c[i])) return false;
    if (i > 4 && !absl::ascii_isdigit(c[i]) && !absl::ascii_isupper(c[i])) return false;
  }
  return true;
}

void CheckAdmission(const v1::AdmitIncubateeRequest& r, errors::Violations& v) {
  CheckLength(v, "request_id", r.request_id(), 1, 100);
  if (!IsCohort(r.cohort())) {
    v.Add("cohort", "COHORT", "cohort is a year, a dash and 1..8 capital letters or digits");
  }
  switch (r.applicant_case()) {
    case v1::AdmitIncubateeRequest::kTeam:
      CheckLength(v, "team.name", r.team().name(), 1, 200);
      if (r.team().founders() < 1 || r.team().founders() > kMaxFounders) {
        v.Add("team.founders", "OUT_OF_RANGE", absl::StrCat("founders is 1..", kMaxFounders));
      }
      CheckLength(v, "team.contact_role", r.team().contact_role(), 1, 100);
      break;
    case v1::AdmitIncubateeRequest::kEnterpriseUscc:
      v.AddIf("enterprise_uscc", "INVALID_USCC", ids::CheckUscc(r.enterprise_uscc()));
      break;
    default:
      v.Add("applicant", "REQUIRED", "the applicant is a team or a resident enterprise");
  }
  CheckLength(v, "mentor.name", r.mentor().name(), 1, 200);
  CheckLength(v, "mentor.organisation", r.mentor().organisation(), 1, 200);
  CheckLength(v, "plan.summary", r.plan().summary(), 1, 2000);
  if (r.plan().goals_size() < 1 || r.plan().goals_size() > kMaxGoals) {
    v.Add("plan.goals", "OUT_OF_RANGE", absl::StrCat("the plan has 1..", kMaxGoals, " goals"));
  }
  for (const std::string& goal : r.plan().goals()) {
    CheckLength(v, "plan.goals", goal, 1, 500);
  }
}

void CheckMilestone(const v1::RecordMilestoneRequest& r, errors::Violations& v) {
  CheckLength(v, "request_id", r.request_id(), 1, 100);
  CheckLength(v, "incubatee_id", r.incubatee_id(), 1, 100);
  if (r.kind() == v1::MILESTONE_KIND_UNSPECIFIED || !v1::MilestoneKind_IsValid(r.kind())) {
    v.Add("kind", "REQUIRED",
          "kind is product launched, first export, funding raised, jobs created or other");
  }
  if (!calendar::IsValidDate(r.date().year(), r.date().month(), r.date().day())) {
    v.Add("date", "DATE", "date is a calendar date");
  }
  CheckLength(v, "evidence_ref", r.evidence_ref(), 1, 200);
  bool funding = r.kind() == v1::MILESTONE_KIND_FUNDING_RAISED;
  if (funding) {
    auto amount = decimal::ParseFixed(r.amount(), 2);
    if (!amount.ok() || *amount <= 0) {
      v.Add("amount", "AMOUNT",
            "amount is a decimal above 0 with at most 2 fraction digits (\"1500000.00\")");
    }
    bool code = r.currency().size() == 3;
    for (char c : r.currency()) code = code && absl::ascii_isupper(c);
    if (!code) v.Add("currency", "CURRENCY", "currency is an ISO 4217 code (\"CNY\")");
  } else if (!r.amount().empty() || !r.currency().empty()) {
    v.Add("amount", "NOT_THIS_KIND", "amount and currency belong to a funding milestone only");
  }
  if (r.kind() == v1::MILESTONE_KIND_JOBS_CREATED) {
    if (r.jobs() < 1 || r.jobs() > kMaxJobs) {
      v.Add("jobs", "OUT_OF_RANGE", absl::StrCat("jobs is 1..", kMaxJobs));
    }
  } else if (r.jobs() != 0) {
    v.Add("jobs", "NOT_THIS_KIND", "jobs belongs to a jobs-created milestone only");
  }
  CheckLength(v, "description", r.description(), r.kind() == v1::MILESTONE_KIND_OTHER ? 1 : 0, 500);
}

void CheckLeaving(const v1::RecordIncubateeLeftRequest& r, errors::Violations& v) {
  CheckLength(v, "incubatee_id", r.incubatee_id(), 1, 100);
  CheckLength(v, "reason", r.reason(), 1, 500);
}

absl::Status CheckMilestoneFits(const v1::Incubatee& stored, absl::CivilDay day,
                                absl::CivilDay admitted, absl::CivilDay today) {
  if (!InIncubator(stored)) return WrongState("record a milestone", stored);
  if (day < admitted || day > today) {
    return absl::InvalidArgumentError(
        absl::StrCat("date: ", absl::FormatCivilTime(day), " is not between the admission day ",
                     absl::FormatCivilTime(admitted), " and today ", absl::FormatCivilTime(today)));
  }
  return absl::OkStatus();
}

void AddMilestone(v1::Incubatee& incubatee, v1::Milestone milestone) {
  *incubatee.add_milestones() = std::move(milestone);
  if (incubatee.state() == v1::INCUBATEE_STATE_ADMITTED) {
    incubatee.set_state(v1::INCUBATEE_STATE_ACTIVE);
  }
}

absl::Status CheckGraduable(const v1::Incubatee& stored) {
  if (stored.state() == v1::INCUBATEE_STATE_ADMITTED) {
    return absl::FailedPreconditionError(
        "incubatee_id: graduation needs at least one milestone (NO_MILESTONE)");
  }
  if (stored.state() != v1::INCUBATEE_STATE_ACTIVE) return WrongState("graduate", stored);
  return absl::OkStatus();
}

absl::Status CheckMayLeave(const v1::Incubatee& stored) {
  if (!InIncubator(stored)) return WrongState("leave", stored);
  return absl::OkStatus();
}

bool MaySee(const auth::Viewer& viewer, const v1::Incubatee& stored) {
  return viewer.park_staff || viewer.SpeaksFor(stored.enterprise_uscc());
}

absl::CivilDay Anniversary(absl::CivilDay admitted) {
  if (admitted.month() == 2 && admitted.day() == 29) {
    return absl::CivilDay(admitted.year() + 1, 2, 28);
  }
  return absl::CivilDay(admitted.year() + 1, admitted.month(), admitted.day());
}

v1::CohortFigures CohortFiguresOf(const std::string& cohort,
                                  const std::vector<v1::Incubatee>& incubatees, absl::Time as_of,
                                  absl::TimeZone park) {
  auto time = [](const google::protobuf::Timestamp& t) {
    return absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(t));
  };
  // An unset time never happened: it is after every as_of.
  auto by = [&](bool set, const google::protobuf::Timestamp& t, absl::Time when) {
    return set && time(t) <= when;
  };
  v1::CohortFigures out;
  out.set_cohort(cohort);
  *out.mutable_as_of_time() = TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(as_of));
  std::map<int, int> milestones;
  for (const v1::Incubatee& i : incubatees) {
    if (i.cohort() != cohort || !by(i.has_admitted_time(), i.admitted_time(), as_of)) continue;
    out.set_admitted(out.admitted() + 1);
    bool left = by(i.has_left_time(), i.left_time(), as_of);
    if (by(i.has_graduated_time(), i.graduated_time(), as_of)) {
      out.set_graduated(out.graduated() + 1);
    } else if (left) {
      out.set_left(out.left() + 1);
    } else {
      out.set_active(out.active() + 1);
    }
    absl::Time anniversary =
        absl::FromCivil(Anniversary(absl::ToCivilDay(time(i.admitted_time()), park)), park);
    if (anniversary <= as_of) {
      out.set_survival_eligible(out.survival_eligible() + 1);
      // Left after its anniversary, or never: it was still there, or a graduate, a year on.
      if (!by(i.has_left_time(), i.left_time(), anniversary - absl::Nanoseconds(1))) {
        out.set_survived(out.survived() + 1);
      }
    }
    for (const v1::Milestone& m : i.milestones()) {
      if (by(m.has_recorded_time(), m.recorded_time(), as_of)) milestones[m.kind()]++;
    }
  }
  if (out.survival_eligible() > 0) {
    int64_t scaled =
        (int64_t{out.survived()} * 20000 + out.survival_eligible()) / (2 * out.survival_eligible());
    out.set_survival_ratio(decimal::FormatFixed(scaled, 4));
  }
  for (const auto& [kind, count] : milestones) {
    auto* c = out.add_milestones();
    c->set_kind(static_cast<v1::MilestoneKind>(kind));
    c->set_count(count);
  }
  return out;
}

}  // namespace parkline::support
