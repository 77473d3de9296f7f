#include "complaints/complaint_rules.h"

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "calendar/date.h"
#include "google/protobuf/util/time_util.h"
#include "ids/ids.h"

namespace parkline::complaints {
namespace {

void CheckUsccField(const std::string& field, const std::string& uscc, errors::Violations& v) {
  if (uscc.empty()) {
    v.Add(field, "REQUIRED", "a resident enterprise is named by its USCC");
  } else {
    v.AddIf(field, "USCC", ids::CheckUscc(uscc));
  }
}

// A filing's or a feedback's idempotency key: required, at most kMaxRequestId bytes.
void CheckRequiredRequestId(const std::string& request_id, errors::Violations& v) {
  if (request_id.empty()) {
    v.Add("request_id", "REQUIRED", "a client-chosen key of 1..128 bytes");
  } else if (request_id.size() > kMaxRequestId) {
    v.Add("request_id", "TOO_LONG", absl::StrCat("at most ", kMaxRequestId, " bytes"));
  }
}

}  // namespace

void CheckFiling(const v1::FileComplaintRequest& r, errors::Violations& v) {
  CheckRequiredRequestId(r.request_id(), v);
  switch (r.complainant().kind()) {
    case v1::PARTY_KIND_PUBLIC:
      if (!r.complainant().uscc().empty()) {
        v.Add("complainant.uscc", "NOT_ALLOWED", "a member of the public has no USCC");
      }
      break;
    case v1::PARTY_KIND_RESIDENT_ENTERPRISE:
      CheckUsccField("complainant.uscc", r.complainant().uscc(), v);
      break;
    default:
      v.Add("complainant.kind", "PARTY_KIND", "must be PUBLIC or RESIDENT_ENTERPRISE");
  }
  const v1::ContactDetails& c = r.complainant().contact();
  if (c.phone().empty() && c.email().empty() && c.address().empty()) {
    v.Add("complainant.contact", "REQUIRED",
          "a phone number, e-mail or address to answer the complainant");
  }
  for (const std::string* s : {&c.person_name(), &c.phone(), &c.email(), &c.address()}) {
    if (s->size() > 256) {
      v.Add("complainant.contact", "TOO_LONG", "each contact field is at most 256 bytes");
      break;
    }
  }
  switch (r.target().kind()) {
    case v1::PARTY_KIND_PARK_OPERATOR:
      if (!r.target().uscc().empty()) {
        v.Add("target.uscc", "NOT_ALLOWED", "the park operator is not named by a USCC");
      }
      break;
    case v1::PARTY_KIND_RESIDENT_ENTERPRISE:
      CheckUsccField("target.uscc", r.target().uscc(), v);
      if (!r.target().uscc().empty() && r.target().uscc() == r.complainant().uscc()) {
        v.Add("target.uscc", "SELF", "an enterprise cannot complain about itself");
      }
      break;
    default:
      v.Add("target.kind", "PARTY_KIND", "must be PARK_OPERATOR or RESIDENT_ENTERPRISE");
  }
  if (r.category() == v1::CATEGORY_UNSPECIFIED || !v1::Category_IsValid(r.category())) {
    v.Add("category", "UNKNOWN_CATEGORY",
          "must be one of the categories of complaints_types.proto");
  }
  if (r.channel() == v1::CHANNEL_UNSPECIFIED || !v1::Channel_IsValid(r.channel())) {
    v.Add("channel", "UNKNOWN_CHANNEL", "must be one of the published channels");
  }
  if (r.description().empty()) v.Add("description", "REQUIRED", "what the complaint is about");
  if (r.description().size() > kMaxDescription) {
    v.Add("description", "TOO_LONG", absl::StrCat("at most ", kMaxDescription, " bytes"));
  }
  if (r.attachment_refs_size() > 20) v.Add("attachment_refs", "TOO_MANY", "at most 20");
  for (int i = 0; i < r.attachment_refs_size(); ++i) {
    const std::string& ref = r.attachment_refs(i);
    if (ref.empty() || ref.size() > 512) {
      v.Add(absl::StrCat("attachment_refs[", i, "]"), "REFERENCE", "1..512 characters");
    }
  }
}

void CheckNote(const std::string& note, errors::Violations& v) {
  if (note.size() > kMaxNote)
    v.Add("note", "TOO_LONG", absl::StrCat("at most ", kMaxNote, " bytes"));
}

void CheckStepRequestId(const std::string& request_id, errors::Violations& v) {
  if (request_id.size() > kMaxRequestId) {
    v.Add("request_id", "TOO_LONG",
          "an optional client-chosen key of at most 128 bytes, to retry the step safely");
  }
}

void CheckSatisfaction(int satisfaction, errors::Violations& v) {
  if (satisfaction < 0 || satisfaction > 5) {
    v.Add("satisfaction", "RANGE", "must be 1..5 (or 0 when the complainant gave none)");
  }
}

void CheckStep(Action action, const StepRequest& request, const RoutingRules& routing,
               errors::Violations& v) {
  if (request.complaint_id.empty()) v.Add("complaint_id", "REQUIRED", "which complaint");
  CheckStepRequestId(request.request_id, v);
  CheckNote(request.note, v);
  if (action == Action::kAssign) {
    if (!request.department.empty() && !routing.IsDepartment(request.department)) {
      v.Add("department", "UNKNOWN_DEPARTMENT",
            absl::StrCat("'", request.department, "' is not a department of the park"));
    }
    if (request.handler.size() > 128) v.Add("handler", "TOO_LONG", "at most 128 bytes");
  }
  if (action == Action::kRespond) {
    if (request.response.empty()) v.Add("response", "REQUIRED", "the answer to the complainant");
    if (request.response.size() > kMaxDescription)
      v.Add("response", "TOO_LONG", "at most 8000 bytes");
  }
  if (action == Action::kClose) CheckSatisfaction(request.satisfaction, v);
}

void CheckDeadlineOverride(const v1::OverrideDeadlineRequest& r, absl::Time now,
                           errors::Violations& v) {
  CheckDeadlineOverrideForm(r, v);
  CheckDeadlineAfter(r, now, v);
}

void CheckDeadlineOverrideForm(const v1::OverrideDeadlineRequest& r, errors::Violations& v) {
  if (r.kind() != v1::DEADLINE_KIND_ACKNOWLEDGEMENT && r.kind() != v1::DEADLINE_KIND_RESOLUTION) {
    v.Add("kind", "DEADLINE_KIND", "must be ACKNOWLEDGEMENT or RESOLUTION");
  }
  if (!r.has_deadline()) v.Add("deadline", "REQUIRED", "the new deadline");
  if (r.note().empty()) v.Add("note", "REQUIRED", "why the deadline changes");
  CheckNote(r.note(), v);
}

void CheckDeadlineAfter(const v1::OverrideDeadlineRequest& r, absl::Time now,
                        errors::Violations& v) {
  if (r.has_deadline() &&
      absl::FromUnixMicros(
          google::protobuf::util::TimeUtil::TimestampToMicroseconds(r.deadline())) <= now) {
    v.Add("deadline", "IN_THE_PAST", "a committed deadline must lie in the future");
  }
}

void CheckFeedback(const v1::RecordFeedbackRequest& r, absl::Time now, absl::TimeZone park,
                   errors::Violations& v) {
  CheckRequiredRequestId(r.request_id(), v);
  const v1::Feedback& f = r.feedback();
  if (f.source() == v1::FEEDBACK_SOURCE_UNSPECIFIED || !v1::FeedbackSource_IsValid(f.source())) {
    v.Add("feedback.source", "SOURCE", "must say where the feedback comes from");
  }
  if (f.source_name().empty() || f.source_name().size() > 256) {
    v.Add("feedback.source_name", "REQUIRED", "who gave the feedback or ran the survey");
  }
  const auto& d = f.survey_date();
  if (!calendar::IsValidDate(d.year(), d.month(), d.day())) {
    v.Add("feedback.survey_date", "DATE", "is not a calendar date");
  } else if (absl::CivilDay(d.year(), d.month(), d.day()) > absl::ToCivilDay(now, park)) {
    v.Add("feedback.survey_date", "IN_THE_FUTURE",
          "a survey is recorded once it took place: at the latest today, in the park's time");
  }
  if (f.satisfaction_centi() < 100 || f.satisfaction_centi() > 500) {
    v.Add("feedback.satisfaction_centi", "RANGE", "satisfaction 1.00..5.00 as 100..500");
  }
  if (f.respondents() < 1) v.Add("feedback.respondents", "RANGE", "at least 1");
  if (f.summary().size() > kMaxDescription)
    v.Add("feedback.summary", "TOO_LONG", "at most 8000 bytes");
}

}  // namespace parkline::complaints
