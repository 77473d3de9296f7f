#include "support/request_rules.h"

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "google/protobuf/util/time_util.h"
#include "ids/ids.h"

namespace parkline::support {
namespace {

namespace ev = enterprises::v1;

void Text(errors::Violations& v, const char* field, const std::string& text, size_t min,
          size_t max) {
  if (text.size() < min || text.size() > max) {
    v.Add(field, text.empty() && min > 0 ? "REQUIRED" : "OUT_OF_RANGE",
          absl::StrCat(field, " has ", min, "..", max, " bytes"));
  }
}

void Category(errors::Violations& v, v1::ServiceCategory c) {
  if (c == v1::SERVICE_CATEGORY_UNSPECIFIED || !v1::ServiceCategory_IsValid(c)) {
    v.Add("category", "REQUIRED",
          "category is finance, logistics solutions, technology/IP or legal");
  }
}

absl::Status WrongStatus(const char* step, const v1::ServiceRequest& r) {
  return absl::FailedPreconditionError(absl::StrCat(
      "service_request_id: a request ", v1::RequestStatus_Name(r.status()), " cannot be ", step));
}

}  // namespace

void CheckOffering(const v1::PublishOfferingRequest& r, errors::Violations& v) {
  Text(v, "request_id", r.request_id(), 1, 100);
  v.AddIf("provider_uscc", "INVALID_USCC", ids::CheckUscc(r.provider_uscc()));
  Category(v, r.category());
  Text(v, "title", r.title(), 1, 200);
  Text(v, "description", r.description(), 0, 2000);
}

void CheckFiling(const v1::FileServiceRequestRequest& r, errors::Violations& v) {
  Text(v, "request_id", r.request_id(), 1, 100);
  v.AddIf("enterprise_uscc", "INVALID_USCC", ids::CheckUscc(r.enterprise_uscc()));
  Category(v, r.category());
  Text(v, "offering_id", r.offering_id(), 0, 100);
  Text(v, "description", r.description(), 1, 2000);
}

void CheckRouting(const v1::RouteServiceRequestRequest& r, errors::Violations& v) {
  Text(v, "service_request_id", r.service_request_id(), 1, 100);
  if (!r.provider_uscc().empty()) {
    v.AddIf("provider_uscc", "INVALID_USCC", ids::CheckUscc(r.provider_uscc()));
  }
  if (r.response_working_days() < 1 || r.response_working_days() > kMaxResponseWorkingDays) {
    v.Add("response_working_days", "OUT_OF_RANGE",
          absl::StrCat("response_working_days is 1..", kMaxResponseWorkingDays));
  }
}

void CheckAnswer(const v1::AnswerServiceRequestRequest& r, errors::Violations& v) {
  Text(v, "service_request_id", r.service_request_id(), 1, 100);
  Text(v, "answer", r.answer(), 1, 2000);
}

void CheckRating(const v1::RateServiceRequestRequest& r, errors::Violations& v) {
  Text(v, "service_request_id", r.service_request_id(), 1, 100);
  if (r.rating() < 1 || r.rating() > 5) v.Add("rating", "OUT_OF_RANGE", "rating is 1..5");
}

void CheckWithdrawal(const v1::WithdrawOfferingRequest& r, errors::Violations& v) {
  Text(v, "offering_id", r.offering_id(), 1, 100);
  if (!r.provider_uscc().empty()) {
    v.AddIf("provider_uscc", "INVALID_USCC", ids::CheckUscc(r.provider_uscc()));
  }
}

void CheckRerouting(const v1::RerouteServiceRequestRequest& r, errors::Violations& v) {
  Text(v, "service_request_id", r.service_request_id(), 1, 100);
  v.AddIf("provider_uscc", "INVALID_USCC", ids::CheckUscc(r.provider_uscc()));
  Text(v, "reason", r.reason(), 1, 500);
}

bool MayProvide(const std::set<ev::EnterpriseRole>& roles, v1::ServiceCategory category) {
  if (roles.count(ev::ENTERPRISE_ROLE_SERVICE_PROVIDER) > 0) return true;
  switch (category) {
    case v1::SERVICE_CATEGORY_FINANCE:
      return roles.count(ev::ENTERPRISE_ROLE_FINANCIAL_INSTITUTION) > 0;
    case v1::SERVICE_CATEGORY_LOGISTICS_SOLUTIONS:
      return roles.count(ev::ENTERPRISE_ROLE_LOGISTICS) > 0;
    default:
      return false;
  }
}

absl::Time RespondBy(const calendar::WorkingCalendar& calendar, absl::TimeZone park,
                     absl::Time routed, int days) {
  absl::CivilDay day = absl::ToCivilDay(routed, park);
  return absl::FromCivil(calendar.AddWorkingDays(day, days) + 1, park);
}

absl::Status CheckRoutable(const v1::ServiceRequest& r) {
  if (r.status() != v1::REQUEST_STATUS_FILED) return WrongStatus("routed", r);
  return absl::OkStatus();
}

absl::Status CheckAnswerable(const v1::ServiceRequest& r) {
  if (r.status() != v1::REQUEST_STATUS_ROUTED) return WrongStatus("answered", r);
  return absl::OkStatus();
}

absl::Status CheckRateable(const v1::ServiceRequest& r) {
  if (r.status() != v1::REQUEST_STATUS_ANSWERED) return WrongStatus("rated", r);
  if (r.rating() != 0) {
    return absl::FailedPreconditionError("service_request_id: the request is rated already");
  }
  return absl::OkStatus();
}

absl::Status CheckReroutable(const v1::ServiceRequest& r, const std::string& provider) {
  if (r.status() != v1::REQUEST_STATUS_ROUTED) return WrongStatus("re-routed", r);
  if (provider == r.provider_uscc()) {
    return absl::InvalidArgumentError("provider_uscc: the request is routed to it already");
  }
  if (provider == r.enterprise_uscc()) {
    return absl::InvalidArgumentError("provider_uscc: the enterprise that filed it");
  }
  return absl::OkStatus();
}

absl::Status CheckOfferingActive(const v1::Offering& o, const char* field) {
  if (o.withdrawn()) {
    return absl::FailedPreconditionError(
        absl::StrCat(field, ": the offering ", o.offering_id(), " is WITHDRAWN"));
  }
  return absl::OkStatus();
}

void RecordRouting(v1::ServiceRequest& r, const std::string& provider, absl::Time now,
                   const std::string& reason) {
  // A request routed before routings were recorded keeps its first provider in the record (its
  // time unknown).
  if (r.routings_size() == 0 && !r.provider_uscc().empty()) {
    r.add_routings()->set_provider_uscc(r.provider_uscc());
  }
  r.set_provider_uscc(provider);
  v1::Routing* routing = r.add_routings();
  routing->set_provider_uscc(provider);
  *routing->mutable_routed_time() =
      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(now));
  routing->set_reason(reason);
}

bool MaySee(const auth::Viewer& viewer, const v1::ServiceRequest& r) {
  return viewer.park_staff || viewer.SpeaksFor(r.enterprise_uscc()) ||
         viewer.SpeaksFor(r.provider_uscc());
}

bool MayAnswer(const auth::Viewer& viewer, const v1::ServiceRequest& r) {
  return viewer.park_staff || viewer.SpeaksFor(r.provider_uscc());
}

bool MayRate(const auth::Viewer& viewer, const v1::ServiceRequest& r) {
  return viewer.park_staff || viewer.SpeaksFor(r.enterprise_uscc());
}

bool MayWithdraw(const auth::Viewer& viewer, const v1::Offering& o) {
  return viewer.park_staff || viewer.SpeaksFor(o.provider_uscc());
}

}  // namespace parkline::support
