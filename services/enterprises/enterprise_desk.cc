#include "enterprises/enterprise_desk.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "enterprises/enterprise_repository.h"
#include "enterprises/enterprise_rules.h"
#include "errors/violations.h"
#include "events/envelope.h"
#include "events/outbox.h"
#include "google/protobuf/util/time_util.h"
#include "paging/page.h"
#include "parkline/enterprises/v1/events.pb.h"

namespace parkline::enterprises {
namespace {

absl::Status NotFound(const std::string& uscc) {
  return absl::NotFoundError(absl::StrCat("enterprise ", uscc, " is not registered"));
}

void Touch(v1::Enterprise& e) {
  e.set_version(e.version() + 1);
  *e.mutable_update_time() =
      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(absl::Now()));
}

// Unit and customs-code rules that need the database.
absl::Status CheckAgainstRegistry(EnterpriseRepository& repo, const v1::Enterprise& e,
                                  absl::string_view field) {
  auto occupants = repo.Occupants(e.unit_ids());
  if (!occupants.ok()) return occupants.status();
  errors::Violations v;
  CheckUnitClaims(
      e,
      [&](const std::string& id) -> std::optional<std::string> {
        auto it = occupants->find(id);
        if (it == occupants->end()) return std::nullopt;
        return it->second;
      },
      field, v);
  auto holder = repo.CustomsCodeHolder(e.customs_code(), e.uscc());
  if (!holder.ok()) return holder.status();
  if (!holder->empty()) {
    v.Add(absl::StrCat(field, ".customs_code"), "CUSTOMS_CODE_TAKEN",
          absl::StrCat("customs code ", e.customs_code(), " is registered to ", *holder));
  }
  return v.ToStatus();
}

}  // namespace

EnterpriseDesk::EnterpriseDesk(store::Database& db, std::function<void()> events_committed)
    : db_(db), events_committed_(std::move(events_committed)) {}

absl::Status EventSink::Publish(absl::string_view subject, const google::protobuf::Message& event) {
  appended_ = true;
  return events::AppendToOutbox(tx_,
                                events::NewEvent(kTopic, kSource, subject, event, absl::Now()));
}

absl::Status EnterpriseDesk::Write(
    const std::function<absl::Status(store::Transaction&, EventSink&)>& fn) {
  bool appended = false;
  absl::Status status = db_.Transact([&](store::Transaction& tx) {
    EventSink sink(tx);
    absl::Status s = fn(tx, sink);
    appended = sink.appended();
    return s;
  });
  if (status.ok() && appended && events_committed_) events_committed_();
  return status;
}

absl::StatusOr<v1::Unit> EnterpriseDesk::DefineUnit(const v1::Unit& requested) {
  errors::Violations v;
  CheckUnit(requested, "unit", v);
  if (!v.empty()) return v.ToStatus();
  int64_t area = *ParseArea(requested.leasable_area_m2());
  v1::Unit result;
  absl::Status status = Write([&](store::Transaction& tx, EventSink& sink) -> absl::Status {
    EnterpriseRepository repo(tx);
    auto existing = repo.FindUnit(requested.unit_id());
    if (!existing.ok()) return existing.status();
    v1::Unit unit = requested;
    unit.set_leasable_area_m2(FormatArea(area));  // canonical form: "1250" -> "1250.00"
    unit.set_occupant_uscc(*existing ? (*existing)->occupant_uscc() : "");
    if (*existing && (*existing)->SerializeAsString() == unit.SerializeAsString()) {
      result = **existing;
      return absl::OkStatus();
    }
    if (auto s = repo.SaveUnit(unit, area); !s.ok()) return s;
    v1::UnitDefined event;
    *event.mutable_unit() = unit;
    result = unit;
    return sink.Publish(unit.unit_id(), event);
  });
  if (!status.ok()) return status;
  return result;
}

absl::StatusOr<v1::ListUnitsResponse> EnterpriseDesk::ListUnits(
    const v1::ListUnitsRequest& request) {
  errors::Violations v;
  paging::Page page = paging::ReadPage(request.page(), v);
  if (!v.empty()) return v.ToStatus();
  v1::ListUnitsResponse response;
  absl::Status status = db_.Read([&](store::Transaction& tx) -> absl::Status {
    EnterpriseRepository repo(tx);
    auto units = repo.ListUnits(page.AfterPart(0), page.limit());
    if (!units.ok()) return units.status();
    auto total = repo.TotalAreaCentiM2();
    if (!total.ok()) return total.status();
    response.Clear();
    response.set_next_page_token(paging::NextPageToken(
        *units, page.size, [](const v1::Unit& u) { return paging::Key{u.unit_id()}; }));
    for (v1::Unit& u : *units) *response.add_units() = std::move(u);
    response.set_total_leasable_area_m2(FormatArea(*total));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return response;
}

absl::StatusOr<v1::Enterprise> EnterpriseDesk::Admit(const v1::Enterprise& requested) {
  errors::Violations v;
  CheckEnterprise(requested, "enterprise", v);
  if (!v.empty()) return v.ToStatus();
  v1::Enterprise wanted = requested;
  Normalize(wanted);
  v1::Enterprise result;
  absl::Status status = Write([&](store::Transaction& tx, EventSink& sink) -> absl::Status {
    EnterpriseRepository repo(tx);
    auto existing = repo.FindEnterprise(wanted.uscc());
    if (!existing.ok()) return existing.status();
    if (*existing && (*existing)->status() == v1::ENTERPRISE_STATUS_RESIDENT) {
      if (SameRegistration(**existing, wanted)) {
        result = **existing;  // a retry of the same admission
        return absl::OkStatus();
      }
      return absl::AlreadyExistsError(
          absl::StrCat("enterprise ", wanted.uscc(),
                       " is already resident with different data; use UpdateEnterprise"));
    }
    if (auto s = CheckAgainstRegistry(repo, wanted, "enterprise"); !s.ok()) return s;
    v1::Enterprise admitted = wanted;
    admitted.set_status(v1::ENTERPRISE_STATUS_RESIDENT);
    admitted.clear_move_out_date();
    admitted.set_version(*existing ? (*existing)->version() : 0);  // a re-admission continues
    Touch(admitted);
    if (auto s = repo.SaveEnterprise(admitted); !s.ok()) return s;
    v1::EnterpriseAdmitted event;
    *event.mutable_enterprise() = admitted;
    result = admitted;
    return sink.Publish(admitted.uscc(), event);
  });
  if (!status.ok()) return status;
  return result;
}

absl::StatusOr<v1::Enterprise> EnterpriseDesk::Update(const v1::UpdateEnterpriseRequest& request) {
  errors::Violations v;
  CheckUscc(request.enterprise().uscc(), "enterprise.uscc", v);
  CheckUpdateMask(request.update_mask(), v);
  if (!v.empty()) return v.ToStatus();
  v1::Enterprise result;
  absl::Status status = Write([&](store::Transaction& tx, EventSink& sink) -> absl::Status {
    EnterpriseRepository repo(tx);
    auto current = repo.FindEnterprise(request.enterprise().uscc());
    if (!current.ok()) return current.status();
    if (!*current) return NotFound(request.enterprise().uscc());
    if ((*current)->status() != v1::ENTERPRISE_STATUS_RESIDENT) {
      return absl::FailedPreconditionError(
          absl::StrCat("enterprise ", (*current)->uscc(), " has departed; admit it again first"));
    }
    v1::Enterprise next = ApplyUpdate(**current, request.enterprise(), request.update_mask());
    errors::Violations after;
    CheckEnterprise(next, "enterprise", after);
    if (!after.empty()) return after.ToStatus();
    if (SameRegistration(**current, next)) {
      result = **current;  // nothing changes: a retry, or a no-op
      return absl::OkStatus();
    }
    if (auto s = CheckAgainstRegistry(repo, next, "enterprise"); !s.ok()) return s;
    Touch(next);
    if (auto s = repo.SaveEnterprise(next); !s.ok()) return s;
    v1::EnterpriseUpdated event;
    *event.mutable_enterprise() = next;
    *event.mutable_previous() = **current;
    result = next;
    return sink.Publish(next.uscc(), event);
  });
  if (!status.ok()) return status;
  return result;
}

absl::StatusOr<v1::Enterprise> EnterpriseDesk::Depart(const v1::DepartEnterpriseRequest& request) {
  errors::Violations v;
  CheckUscc(request.uscc(), "uscc", v);
  CheckDate(request.move_out_date(), "move_out_date", true, v);
  if (!v.empty()) return v.ToStatus();
  v1::Enterprise result;
  absl::Status status = Write([&](store::Transaction& tx, EventSink& sink) -> absl::Status {
    EnterpriseRepository repo(tx);
    auto current = repo.FindEnterprise(request.uscc());
    if (!current.ok()) return current.status();
    if (!*current) return NotFound(request.uscc());
    const v1::Enterprise& e = **current;
    std::string out_date = FormatDate(request.move_out_date());
    if (e.status() == v1::ENTERPRISE_STATUS_DEPARTED) {
      if (FormatDate(e.move_out_date()) == out_date) {
        result = e;
        return absl::OkStatus();
      }
      return absl::FailedPreconditionError(absl::StrCat(
          "enterprise ", e.uscc(), " already departed on ", FormatDate(e.move_out_date())));
    }
    if (out_date < FormatDate(e.move_in_date())) {
      errors::Violations order;
      order.Add(
          "move_out_date", "AFTER_MOVE_IN",
          absl::StrCat(out_date, " is before the move-in date ", FormatDate(e.move_in_date())));
      return order.ToStatus();
    }
    v1::Enterprise departed = e;
    departed.set_status(v1::ENTERPRISE_STATUS_DEPARTED);
    *departed.mutable_move_out_date() = request.move_out_date();
    departed.clear_unit_ids();
    Touch(departed);
    if (auto s = repo.SaveEnterprise(departed); !s.ok()) return s;
    v1::EnterpriseDeparted event;
    *event.mutable_enterprise() = departed;
    *event.mutable_freed_unit_ids() = e.unit_ids();
    result = departed;
    return sink.Publish(departed.uscc(), event);
  });
  if (!status.ok()) return status;
  return result;
}

absl::StatusOr<v1::Enterprise> EnterpriseDesk::Get(const std::string& uscc) {
  errors::Violations v;
  CheckUscc(uscc, "uscc", v);
  if (!v.empty()) return v.ToStatus();
  std::optional<v1::Enterprise> found;
  absl::Status status = store::ReadInto(db_, found, [&](store::Transaction& tx) {
    return EnterpriseRepository(tx).FindEnterprise(uscc);
  });
  if (!status.ok()) return status;
  if (!found) return NotFound(uscc);
  return *found;
}

absl::StatusOr<v1::ListEnterprisesResponse> EnterpriseDesk::List(
    const v1::ListEnterprisesRequest& request) {
  errors::Violations v;
  if (!v1::EnterpriseRole_IsValid(request.role())) v.Add("role", "ENUM", "unknown role");
  if (!v1::EnterpriseStatus_IsValid(request.status())) v.Add("status", "ENUM", "unknown status");
  if (!v.empty()) return v.ToStatus();
  paging::Page page = paging::ReadPage(request.page(), v);
  if (!v.empty()) return v.ToStatus();
  v1::ListEnterprisesResponse response;
  absl::Status status = db_.Read([&](store::Transaction& tx) -> absl::Status {
    auto list = EnterpriseRepository(tx).ListEnterprises(request.role(), request.status(),
                                                         page.AfterPart(0), page.limit());
    if (!list.ok()) return list.status();
    response.Clear();
    response.set_next_page_token(paging::NextPageToken(
        *list, page.size, [](const v1::Enterprise& e) { return paging::Key{e.uscc()}; }));
    for (v1::Enterprise& e : *list) *response.add_enterprises() = std::move(e);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return response;
}

absl::StatusOr<v1::IpAsset> EnterpriseDesk::RecordIpAsset(const v1::IpAsset& asset,
                                                          const auth::Viewer& viewer) {
  errors::Violations v;
  CheckIpAsset(asset, "asset", v);
  if (!v.empty()) return v.ToStatus();
  absl::Status status = Write([&](store::Transaction& tx, EventSink& sink) -> absl::Status {
    EnterpriseRepository repo(tx);
    auto owner = repo.FindEnterprise(asset.uscc());
    if (!owner.ok()) return owner.status();
    if (!*owner) return NotFound(asset.uscc());
    auto existing = repo.FindIpAsset(asset.kind(), asset.registration_no());
    if (!existing.ok()) return existing.status();
    if (*existing) {
      if ((*existing)->SerializeAsString() == asset.SerializeAsString()) return absl::OkStatus();
      // Those who may read the holder's IP assets (access_policy.cc) may learn who holds it.
      return IpAssetTaken(**existing, viewer.park_staff || viewer.SpeaksFor((*existing)->uscc()));
    }
    if ((*owner)->status() != v1::ENTERPRISE_STATUS_RESIDENT) {
      return absl::FailedPreconditionError(
          absl::StrCat("enterprise ", asset.uscc(), " has departed"));
    }
    if (auto s = repo.InsertIpAsset(asset); !s.ok()) return s;
    v1::IpAssetRecorded event;
    *event.mutable_asset() = asset;
    return sink.Publish(asset.uscc(), event);
  });
  if (!status.ok()) return status;
  return asset;
}

absl::StatusOr<v1::ListIpAssetsResponse> EnterpriseDesk::ListIpAssets(const std::string& uscc) {
  errors::Violations v;
  CheckUscc(uscc, "uscc", v);
  if (!v.empty()) return v.ToStatus();
  v1::ListIpAssetsResponse response;
  absl::Status status = db_.Read([&](store::Transaction& tx) -> absl::Status {
    EnterpriseRepository repo(tx);
    auto owner = repo.FindEnterprise(uscc);
    if (!owner.ok()) return owner.status();
    if (!*owner) return NotFound(uscc);
    auto assets = repo.ListIpAssets(uscc);
    if (!assets.ok()) return assets.status();
    response.Clear();
    for (auto& a : *assets) *response.add_assets() = std::move(a);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return response;
}

absl::StatusOr<v1::TalentFigures> EnterpriseDesk::RecordTalent(const v1::TalentFigures& talent) {
  errors::Violations v;
  CheckTalent(talent, "talent", v);
  if (!v.empty()) return v.ToStatus();
  absl::Status status = Write([&](store::Transaction& tx, EventSink& sink) -> absl::Status {
    EnterpriseRepository repo(tx);
    auto owner = repo.FindEnterprise(talent.uscc());
    if (!owner.ok()) return owner.status();
    if (!*owner) return NotFound(talent.uscc());
    auto existing = repo.FindTalent(talent.uscc(), talent.year());
    if (!existing.ok()) return existing.status();
    if (*existing && (*existing)->SerializeAsString() == talent.SerializeAsString()) {
      return absl::OkStatus();
    }
    if (auto s = repo.SaveTalent(talent); !s.ok()) return s;
    v1::TalentRecorded event;
    *event.mutable_talent() = talent;
    return sink.Publish(talent.uscc(), event);
  });
  if (!status.ok()) return status;
  return talent;
}

}  // namespace parkline::enterprises
