#include "support/request_desk.h"

#include <map>

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
#include "support/request_repository.h"
#include "support/request_rules.h"
#include "support/support_desk.h"
#include "support/support_metrics.h"

namespace parkline::support {
namespace {

absl::Status NoRequest(const std::string& id) {
  return absl::NotFoundError(absl::StrCat("service_request_id: no request ", id));
}

bool OnTime(const v1::ServiceRequest& r) {
  return r.status() == v1::REQUEST_STATUS_ANSWERED && !r.overdue() &&
         runtime::FromTimestamp(r.answered_time()) <= runtime::FromTimestamp(r.respond_by());
}

absl::Status Changed(store::Transaction& tx, const v1::ServiceRequest& r, absl::Time now) {
  v1::ServiceRequestChanged e;
  e.set_service_request_id(r.service_request_id());
  e.set_enterprise_uscc(r.enterprise_uscc());
  e.set_category(r.category());
  e.set_status(r.status());
  e.set_provider_uscc(r.provider_uscc());
  if (r.has_respond_by()) *e.mutable_respond_by() = r.respond_by();
  e.set_on_time(OnTime(r));
  e.set_rating(r.rating());
  *e.mutable_changed_time() = runtime::ToTimestamp(now);
  return events::AppendToOutbox(tx,
                                events::NewEvent(kTopic, kSource, r.service_request_id(), e, now));
}

absl::Status CheckProvider(store::Transaction& tx, const std::string& uscc,
                           v1::ServiceCategory category, const char* field) {
  auto roles = residents::RolesOf(tx, uscc);
  if (!roles.ok()) return roles.status();
  if (!MayProvide(*roles, category)) {
    return absl::FailedPreconditionError(
        absl::StrCat(field, ": not a resident provider of ", v1::ServiceCategory_Name(category),
                     " (NOT_PROVIDER: the registry gives it no role for the category)"));
  }
  return absl::OkStatus();
}

}  // namespace

RequestDesk::RequestDesk(store::Database& db, store::GroupCommitter& writer,
                         std::function<void()> events_committed, calendar::WorkingCalendar calendar,
                         Clock clock)
    : db_(db),
      writer_(writer),
      events_committed_(std::move(events_committed)),
      calendar_(std::move(calendar)),
      clock_(clock ? std::move(clock) : Clock([] { return absl::Now(); })),
      park_(absl::FixedTimeZone(8 * 3600)) {}

absl::StatusOr<v1::Offering> RequestDesk::Publish(const v1::PublishOfferingRequest& request) {
  errors::Violations v;
  CheckOffering(request, v);
  if (!v.empty()) return v.ToStatus();
  absl::Time now = clock_();
  std::string digest = auth::Sha256Hex(request.SerializeAsString());
  v1::Offering result;
  bool created = false;
  absl::Status status = writer_.Transact([&](store::Transaction& tx) -> absl::Status {
    created = false;
    RequestRepository repo(tx);
    auto before = repo.FindOffering("request_id", request.request_id());
    if (!before.ok()) return before.status();
    if (*before) {
      if ((*before)->request_digest != digest) {
        return absl::AlreadyExistsError("request_id: already used for another offering");
      }
      result = (*before)->value;
      return absl::OkStatus();
    }
    if (auto s = CheckProvider(tx, request.provider_uscc(), request.category(), "provider_uscc");
        !s.ok()) {
      return s;
    }
    result.set_offering_id(NewId("OFR-", now));
    result.set_provider_uscc(request.provider_uscc());
    result.set_category(request.category());
    result.set_title(request.title());
    result.set_description(request.description());
    *result.mutable_published_time() = runtime::ToTimestamp(now);
    created = true;
    return repo.InsertOffering(result, request.request_id(), digest);
  });
  if (!status.ok()) return status;
  if (created) log::Info("offering published", {{"offering_id", result.offering_id()}});
  return result;
}

absl::StatusOr<v1::ListOfferingsResponse> RequestDesk::ListOfferings(
    const v1::ListOfferingsRequest& request) {
  v1::ListOfferingsResponse out;
  absl::Status s = db_.Read([&](store::Transaction& tx) -> absl::Status {
    auto list =
        RequestRepository(tx).ListOfferings(request.category(), request.include_withdrawn());
    if (!list.ok()) return list.status();
    for (auto& o : *list) *out.add_offerings() = std::move(o);
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return out;
}

absl::StatusOr<v1::ServiceRequest> RequestDesk::File(const v1::FileServiceRequestRequest& request) {
  errors::Violations v;
  CheckFiling(request, v);
  if (!v.empty()) return v.ToStatus();
  absl::Time now = clock_();
  std::string digest = auth::Sha256Hex(request.SerializeAsString());
  v1::ServiceRequest result;
  bool created = false;
  absl::Status status = writer_.Transact([&](store::Transaction& tx) -> absl::Status {
    created = false;
    RequestRepository repo(tx);
    auto before = repo.FindRequest("request_id", request.request_id());
    if (!before.ok()) return before.status();
    if (*before) {
      // Another enterprise's request id says nothing of the request it belongs to.
      if ((*before)->request_digest != digest) {
        return absl::AlreadyExistsError("request_id: already used for another request");
      }
      result = (*before)->value;
      return absl::OkStatus();
    }
    auto resident = residents::IsResident(tx, request.enterprise_uscc());
    if (!resident.ok()) return resident.status();
    if (!*resident) {
      return absl::FailedPreconditionError(
          "enterprise_uscc: not a resident enterprise of the park (NOT_RESIDENT)");
    }
    if (!request.offering_id().empty()) {
      auto offering = repo.FindOffering("offering_id", request.offering_id());
      if (!offering.ok()) return offering.status();
      if (!*offering) {
        return absl::NotFoundError(
            absl::StrCat("offering_id: no offering ", request.offering_id()));
      }
      if ((*offering)->value.category() != request.category()) {
        return absl::InvalidArgumentError("offering_id: the offering is of another category");
      }
      if (auto s = CheckOfferingActive((*offering)->value, "offering_id"); !s.ok()) return s;
    }
    result.set_service_request_id(NewId("SRQ-", now));
    result.set_enterprise_uscc(request.enterprise_uscc());
    result.set_category(request.category());
    result.set_offering_id(request.offering_id());
    result.set_description(request.description());
    result.set_status(v1::REQUEST_STATUS_FILED);
    *result.mutable_filed_time() = runtime::ToTimestamp(now);
    if (auto s = repo.InsertRequest(result, request.request_id(), digest); !s.ok()) return s;
    created = true;
    return Changed(tx, result, now);
  });
  if (!status.ok()) return status;
  if (created) {
    if (events_committed_) events_committed_();
    CountRequest(result.category(), "filed");
  }
  return result;
}

absl::StatusOr<v1::ServiceRequest> RequestDesk::Step(
    const std::string& id, const std::function<bool(const v1::ServiceRequest&)>& visible,
    const Change& change) {
  absl::Time now = clock_();
  v1::ServiceRequest result;
  absl::Status status = writer_.Transact([&](store::Transaction& tx) -> absl::Status {
    RequestRepository repo(tx);
    auto found = repo.FindRequest("service_request_id", id);
    if (!found.ok()) return found.status();
    if (!*found || !visible((*found)->value)) return NoRequest(id);
    v1::ServiceRequest r = (*found)->value;
    if (auto s = change(tx, r); !s.ok()) return s;
    if (auto s = repo.UpdateRequest(r); !s.ok()) return s;
    result = r;
    return Changed(tx, r, now);
  });
  if (!status.ok()) return status;
  if (events_committed_) events_committed_();
  return result;
}

absl::StatusOr<v1::ServiceRequest> RequestDesk::Route(
    const v1::RouteServiceRequestRequest& request) {
  errors::Violations v;
  CheckRouting(request, v);
  if (!v.empty()) return v.ToStatus();
  absl::Time now = clock_();
  auto routed = Step(
      request.service_request_id(), [](const v1::ServiceRequest&) { return true; },
      [&](store::Transaction& tx, v1::ServiceRequest& r) -> absl::Status {
        if (auto s = CheckRoutable(r); !s.ok()) return s;
        std::string provider = request.provider_uscc();
        if (provider.empty() && !r.offering_id().empty()) {
          auto offering = RequestRepository(tx).FindOffering("offering_id", r.offering_id());
          if (!offering.ok()) return offering.status();
          // A withdrawn offering's provider is no default: the park names one (it may be the same).
          if (*offering && !(*offering)->value.withdrawn()) {
            provider = (*offering)->value.provider_uscc();
          }
        }
        if (provider.empty()) {
          return absl::InvalidArgumentError(
              "provider_uscc: required for a request that names no offering in the directory");
        }
        if (provider == r.enterprise_uscc()) {
          return absl::InvalidArgumentError("provider_uscc: the enterprise that filed it");
        }
        if (auto s = CheckProvider(tx, provider, r.category(), "provider_uscc"); !s.ok()) return s;
        RecordRouting(r, provider, now, "");
        r.set_status(v1::REQUEST_STATUS_ROUTED);
        r.set_response_working_days(request.response_working_days());
        *r.mutable_respond_by() =
            runtime::ToTimestamp(RespondBy(calendar_, park_, now, request.response_working_days()));
        return absl::OkStatus();
      });
  if (routed.ok()) CountRequest(routed->category(), "routed");
  return routed;
}

absl::StatusOr<v1::Offering> RequestDesk::Withdraw(const v1::WithdrawOfferingRequest& request,
                                                   const auth::Viewer& viewer) {
  errors::Violations v;
  CheckWithdrawal(request, v);
  if (!v.empty()) return v.ToStatus();
  absl::Time now = clock_();
  v1::Offering result;
  absl::Status status = writer_.Transact([&](store::Transaction& tx) -> absl::Status {
    RequestRepository repo(tx);
    auto found = repo.FindOffering("offering_id", request.offering_id());
    if (!found.ok()) return found.status();
    // Another provider's offering is the same NOT_FOUND as one that does not exist.
    if (!*found || !MayWithdraw(viewer, (*found)->value)) {
      return absl::NotFoundError(absl::StrCat("offering_id: no offering ", request.offering_id()));
    }
    v1::Offering o = (*found)->value;
    if (auto s = CheckOfferingActive(o, "offering_id"); !s.ok()) return s;
    o.set_withdrawn(true);
    *o.mutable_withdrawn_time() = runtime::ToTimestamp(now);
    if (auto s = repo.UpdateOffering(o); !s.ok()) return s;
    v1::OfferingWithdrawn e;
    e.set_offering_id(o.offering_id());
    e.set_provider_uscc(o.provider_uscc());
    e.set_category(o.category());
    *e.mutable_withdrawn_time() = o.withdrawn_time();
    result = o;
    return events::AppendToOutbox(tx, events::NewEvent(kTopic, kSource, o.offering_id(), e, now));
  });
  if (!status.ok()) return status;
  if (events_committed_) events_committed_();
  log::Info("offering withdrawn", {{"offering_id", result.offering_id()}, {"actor", viewer.name}});
  return result;
}

absl::StatusOr<v1::ServiceRequest> RequestDesk::Reroute(
    const v1::RerouteServiceRequestRequest& request, const auth::Viewer& viewer) {
  errors::Violations v;
  CheckRerouting(request, v);
  if (!v.empty()) return v.ToStatus();
  absl::Time now = clock_();
  v1::ServiceRequest result;
  std::string from;
  absl::Status status = writer_.Transact([&](store::Transaction& tx) -> absl::Status {
    RequestRepository repo(tx);
    auto found = repo.FindRequest("service_request_id", request.service_request_id());
    if (!found.ok()) return found.status();
    if (!*found) return NoRequest(request.service_request_id());
    v1::ServiceRequest r = (*found)->value;
    if (auto s = CheckReroutable(r, request.provider_uscc()); !s.ok()) return s;
    if (auto s = CheckProvider(tx, request.provider_uscc(), r.category(), "provider_uscc");
        !s.ok()) {
      return s;
    }
    from = r.provider_uscc();
    // respond_by and the overdue mark stay as they are: request_rules.h.
    RecordRouting(r, request.provider_uscc(), now, request.reason());
    if (auto s = repo.UpdateRequest(r); !s.ok()) return s;
    v1::ServiceRequestRerouted e;
    e.set_service_request_id(r.service_request_id());
    e.set_category(r.category());
    e.set_from_provider_uscc(from);
    e.set_to_provider_uscc(r.provider_uscc());
    *e.mutable_respond_by() = r.respond_by();
    *e.mutable_rerouted_time() = runtime::ToTimestamp(now);
    result = r;
    return events::AppendToOutbox(
        tx, events::NewEvent(kTopic, kSource, r.service_request_id(), e, now));
  });
  if (!status.ok()) return status;
  if (events_committed_) events_committed_();
  CountRequest(result.category(), "rerouted");
  log::Info("service request re-routed", {{"service_request_id", result.service_request_id()},
                                          {"from", from},
                                          {"to", result.provider_uscc()},
                                          {"actor", viewer.name}});
  return result;
}

absl::StatusOr<v1::ServiceRequest> RequestDesk::Answer(
    const v1::AnswerServiceRequestRequest& request, const auth::Viewer& viewer) {
  errors::Violations v;
  CheckAnswer(request, v);
  if (!v.empty()) return v.ToStatus();
  absl::Time now = clock_();
  auto answered = Step(
      request.service_request_id(),
      [&](const v1::ServiceRequest& r) { return MayAnswer(viewer, r); },
      [&](store::Transaction&, v1::ServiceRequest& r) -> absl::Status {
        if (auto s = CheckAnswerable(r); !s.ok()) return s;
        r.set_status(v1::REQUEST_STATUS_ANSWERED);
        r.set_answer(request.answer());
        *r.mutable_answered_time() = runtime::ToTimestamp(now);
        return absl::OkStatus();
      });
  if (answered.ok())
    CountRequest(answered->category(), OnTime(*answered) ? "answered_on_time" : "answered_late");
  return answered;
}

absl::StatusOr<v1::ServiceRequest> RequestDesk::Rate(const v1::RateServiceRequestRequest& request,
                                                     const auth::Viewer& viewer) {
  errors::Violations v;
  CheckRating(request, v);
  if (!v.empty()) return v.ToStatus();
  return Step(
      request.service_request_id(), [&](const v1::ServiceRequest& r) { return MayRate(viewer, r); },
      [&](store::Transaction&, v1::ServiceRequest& r) -> absl::Status {
        if (auto s = CheckRateable(r); !s.ok()) return s;
        r.set_rating(request.rating());
        return absl::OkStatus();
      });
}

absl::StatusOr<v1::ServiceRequest> RequestDesk::Get(const v1::GetServiceRequestRequest& request,
                                                    const auth::Viewer& viewer) {
  v1::ServiceRequest out;
  absl::Status s =
      store::ReadInto(db_, out, [&](store::Transaction& tx) -> absl::StatusOr<v1::ServiceRequest> {
        auto found =
            RequestRepository(tx).FindRequest("service_request_id", request.service_request_id());
        if (!found.ok()) return found.status();
        if (!*found || !MaySee(viewer, (*found)->value)) {
          return NoRequest(request.service_request_id());
        }
        return (*found)->value;
      });
  if (!s.ok()) return s;
  return out;
}

absl::StatusOr<v1::ListServiceRequestsResponse> RequestDesk::List(
    const v1::ListServiceRequestsRequest& request, const auth::Viewer& viewer) {
  if (!viewer.park_staff && request.party_uscc().empty()) {
    return absl::InvalidArgumentError("party_uscc: an enterprise lists its own requests");
  }
  v1::ListServiceRequestsResponse out;
  absl::Status s = db_.Read([&](store::Transaction& tx) -> absl::Status {
    auto list = RequestRepository(tx).ListRequests(request.party_uscc());
    if (!list.ok()) return list.status();
    for (auto& r : *list) {
      if (MaySee(viewer, r)) *out.add_requests() = std::move(r);
    }
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return out;
}

absl::StatusOr<v1::RequestFigures> RequestDesk::Figures(
    const v1::GetRequestFiguresRequest& request) {
  if (request.year() < 2000 || request.year() > 2100) {
    return absl::InvalidArgumentError("year: 2000..2100");
  }
  absl::Time from = absl::FromCivil(absl::CivilYear(request.year()), park_);
  absl::Time to = absl::FromCivil(absl::CivilYear(request.year() + 1), park_);
  std::vector<v1::ServiceRequest> filed;
  absl::Status s = store::ReadInto(db_, filed, [&](store::Transaction& tx) {
    return RequestRepository(tx).FiledBetween(from, to);
  });
  if (!s.ok()) return s;
  std::map<int, v1::CategoryFigures> by;
  for (const v1::ServiceRequest& r : filed) {
    v1::CategoryFigures& f = by[r.category()];
    f.set_category(r.category());
    f.set_filed(f.filed() + 1);
    if (r.status() == v1::REQUEST_STATUS_ANSWERED) f.set_answered(f.answered() + 1);
    if (OnTime(r)) f.set_answered_on_time(f.answered_on_time() + 1);
    if (r.overdue()) f.set_overdue(f.overdue() + 1);
    if (r.rating() > 0) {
      f.set_rated(f.rated() + 1);
      f.set_rating_sum(f.rating_sum() + r.rating());
    }
  }
  v1::RequestFigures out;
  out.set_year(request.year());
  for (auto& [category, f] : by) *out.add_categories() = std::move(f);
  return out;
}

absl::StatusOr<int> RequestDesk::Supervise() {
  absl::Time now = clock_();
  int marked = 0;
  int64_t open = 0;
  std::vector<v1::ServiceRequest> late;
  absl::Status status = writer_.Transact([&](store::Transaction& tx) -> absl::Status {
    marked = 0;
    late.clear();
    RequestRepository repo(tx);
    auto due = repo.DueBefore(now, 500);
    if (!due.ok()) return due.status();
    for (v1::ServiceRequest& r : *due) {
      r.set_overdue(true);
      if (auto s = repo.UpdateRequest(r); !s.ok()) return s;
      v1::ServiceRequestOverdue e;
      e.set_service_request_id(r.service_request_id());
      e.set_category(r.category());
      e.set_provider_uscc(r.provider_uscc());
      *e.mutable_respond_by() = r.respond_by();
      if (auto s = events::AppendToOutbox(
              tx, events::NewEvent(kTopic, kSource, r.service_request_id(), e, now));
          !s.ok()) {
        return s;
      }
      late.push_back(r);
      ++marked;
    }
    auto count = repo.CountOpenOverdue();
    if (!count.ok()) return count.status();
    open = *count;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  SetOpenOverdue(open);
  if (marked > 0) {
    if (events_committed_) events_committed_();
    for (const auto& r : late) {
      CountOverdue(r.category());
      log::Warn("service request overdue", {{"service_request_id", r.service_request_id()},
                                            {"provider_uscc", r.provider_uscc()}});
    }
  }
  return marked;
}

}  // namespace parkline::support
