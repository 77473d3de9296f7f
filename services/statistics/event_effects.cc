#include "statistics/event_effects.h"

#include <functional>
#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "decimal/fixed_point.h"
#include "google/protobuf/util/time_util.h"
#include "parkline/clearance/v1/events.pb.h"
#include "parkline/complaints/v1/events.pb.h"
#include "parkline/declarations/v1/events.pb.h"
#include "parkline/enterprises/v1/events.pb.h"
#include "parkline/logistics/v1/events.pb.h"

namespace parkline::statistics {
namespace {

namespace ent = parkline::enterprises::v1;
namespace decl = parkline::declarations::v1;
namespace clr = parkline::clearance::v1;
namespace lgx = parkline::logistics::v1;
namespace cmp = parkline::complaints::v1;

// "DIRECTION_IMPORT" with prefix "DIRECTION_" -> "import".
std::string Label(const std::string& enum_name, absl::string_view prefix) {
  absl::string_view name = enum_name;
  absl::ConsumePrefix(&name, prefix);
  return absl::AsciiStrToLower(name);
}

std::string DirectionLabel(decl::Direction d) {
  return Label(decl::Direction_Name(d), "DIRECTION_");
}

std::string ModeLabel(const std::string& mode) { return mode.empty() ? "9610" : mode; }

absl::Time TimeOr(const google::protobuf::Timestamp& ts, absl::Time fallback) {
  if (ts.seconds() == 0 && ts.nanos() == 0) return fallback;
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

class Builder {
 public:
  Builder(const absl::TimeZone& zone, Effects* out) : zone_(zone), out_(out) {}

  void Count(absl::string_view indicator, Labels labels, absl::Time when, int64_t delta = 1,
             absl::string_view enterprise = "") {
    std::string day = DayOf(when, zone_);
    out_->counters.push_back({std::string(indicator), labels, day, delta, ""});
    if (!enterprise.empty()) {
      out_->counters.push_back({std::string(indicator), std::move(labels), std::move(day), delta,
                                std::string(enterprise)});
    }
  }

  void Observe(absl::string_view histogram, Labels labels, absl::Time when, int64_t seconds) {
    for (const Histogram& h : Histograms()) {
      if (h.name != histogram) continue;
      Labels bucket = labels;
      bucket["le"] = BucketOf(h, seconds);
      Count(h.name + "_bucket", std::move(bucket), when);
      Count(h.name + "_sum", labels, when, seconds);
      Count(h.name + "_count", std::move(labels), when);
    }
  }

  Effects& out() { return *out_; }

 private:
  const absl::TimeZone& zone_;
  Effects* out_;
};

EnterpriseRecord RecordOf(const ent::Enterprise& e, bool resident) {
  EnterpriseRecord r;
  r.uscc = e.uscc();
  r.customs_code = e.customs_code();
  r.name = e.name();
  for (int role : e.roles()) {
    r.roles.push_back(Label(ent::EnterpriseRole_Name(role), "ENTERPRISE_ROLE_"));
  }
  r.unit_ids.assign(e.unit_ids().begin(), e.unit_ids().end());
  r.resident = resident;
  return r;
}

Labels Trade(const decl::Declaration& d) {
  return {{"mode", ModeLabel(d.business_mode())}, {"direction", DirectionLabel(d.direction())}};
}

Labels Case(const clr::CaseFacts& f) {
  return {{"mode", ModeLabel(f.business_mode())}, {"direction", DirectionLabel(f.direction())}};
}

absl::StatusOr<int64_t> Cny(const std::string& text) {
  if (text.empty()) return 0;
  return decimal::ParseFixed(text, 5);
}

using Apply = std::function<absl::Status(const EventInput&, Builder&)>;

template <typename M>
absl::Status Parse(const EventInput& e, M* message) {
  if (!message->ParseFromArray(e.payload.data(), static_cast<int>(e.payload.size()))) {
    return absl::InvalidArgumentError(absl::StrCat("payload of ", e.type, " is not readable"));
  }
  return absl::OkStatus();
}

// One entry per event type: how it changes the statistics.
const std::map<std::string, Apply>& Rules() {
  static const auto* rules = new std::map<std::string, Apply>{
      // --- enterprises -------------------------------------------------------------------------
      {"parkline.enterprises.v1.UnitDefined",
       [](const EventInput& e, Builder& b) -> absl::Status {
         ent::UnitDefined m;
         if (auto s = Parse(e, &m); !s.ok()) return s;
         auto area = decimal::ParseFixed(m.unit().leasable_area_m2(), 2);
         if (!area.ok())
           return absl::InvalidArgumentError("unit.leasable_area_m2 is not a decimal");
         b.out().units.push_back({m.unit().unit_id(), *area});
         return absl::OkStatus();
       }},
      {"parkline.enterprises.v1.EnterpriseAdmitted",
       [](const EventInput& e, Builder& b) -> absl::Status {
         ent::EnterpriseAdmitted m;
         if (auto s = Parse(e, &m); !s.ok()) return s;
         b.out().enterprises.push_back(RecordOf(m.enterprise(), true));
         b.Count("enterprises_admitted", {}, e.time);
         return absl::OkStatus();
       }},
      {"parkline.enterprises.v1.EnterpriseUpdated",
       [](const EventInput& e, Builder& b) -> absl::Status {
         ent::EnterpriseUpdated m;
         if (auto s = Parse(e, &m); !s.ok()) return s;
         b.out().enterprises.push_back(
             RecordOf(m.enterprise(), m.enterprise().status() != ent::ENTERPRISE_STATUS_DEPARTED));
         return absl::OkStatus();
       }},
      {"parkline.enterprises.v1.EnterpriseDeparted",
       [](const EventInput& e, Builder& b) -> absl::Status {
         ent::EnterpriseDeparted m;
         if (auto s = Parse(e, &m); !s.ok()) return s;
         b.out().enterprises.push_back(RecordOf(m.enterprise(), false));
         b.Count("enterprises_departed", {}, e.time);
         return absl::OkStatus();
       }},
      {"parkline.enterprises.v1.IpAssetRecorded",
       [](const EventInput& e, Builder& b) -> absl::Status {
         ent::IpAssetRecorded m;
         if (auto s = Parse(e, &m); !s.ok()) return s;
         b.out().ip_assets.push_back(
             {Label(ent::IpAssetKind_Name(m.asset().kind()), "IP_ASSET_KIND_"),
              m.asset().registration_no(), m.asset().uscc()});
         return absl::OkStatus();
       }},
      {"parkline.enterprises.v1.TalentRecorded",
       [](const EventInput& e, Builder& b) -> absl::Status {
         ent::TalentRecorded m;
         if (auto s = Parse(e, &m); !s.ok()) return s;
         const auto& t = m.talent();
         b.out().talent.push_back(
             {t.uscc(), t.year(), t.employees(), t.cross_border_staff(), t.trained_staff()});
         return absl::OkStatus();
       }},
      // --- declarations ------------------------------------------------------------------------
      {"parkline.declarations.v1.DocumentReceived",
       [](const EventInput& e, Builder& b) -> absl::Status {
         decl::DocumentReceived m;
         if (auto s = Parse(e, &m); !s.ok()) return s;
         b.Count("documents_received",
                 {{"kind", Label(decl::DocumentKind_Name(m.kind()), "DOCUMENT_KIND_")},
                  {"mode", ModeLabel(m.business_mode())},
                  {"direction", DirectionLabel(m.direction())}},
                 e.time, 1, m.enterprise_code());
         return absl::OkStatus();
       }},
      {"parkline.declarations.v1.DeclarationMatched",
       [](const EventInput& e, Builder& b) -> absl::Status {
         decl::DeclarationMatched m;
         if (auto s = Parse(e, &m); !s.ok()) return s;
         const decl::Declaration& d = m.declaration();
         auto value = Cny(d.value_cny());
         if (!value.ok()) return absl::InvalidArgumentError("declaration.value_cny is not N19,5");
         b.Count("declarations_matched", Trade(d), e.time, 1, d.ebc_code());
         b.Count("trade_value_cny", Trade(d), e.time, *value, d.ebc_code());
         return absl::OkStatus();
       }},
      {"parkline.declarations.v1.DeclarationRejected",
       [](const EventInput& e, Builder& b) -> absl::Status {
         decl::DeclarationRejected m;
         if (auto s = Parse(e, &m); !s.ok()) return s;
         b.Count("declarations_rejected", Trade(m.declaration()), e.time, 1,
                 m.declaration().ebc_code());
         return absl::OkStatus();
       }},
      {"parkline.declarations.v1.DeclarationWithdrawn",
       [](const EventInput& e, Builder& b) -> absl::Status {
         decl::DeclarationWithdrawn m;
         if (auto s = Parse(e, &m); !s.ok()) return s;
         b.Count("declarations_withdrawn", Trade(m.declaration()), e.time, 1,
                 m.declaration().ebc_code());
         return absl::OkStatus();
       }},
      // --- clearance ---------------------------------------------------------------------------
      {"parkline.clearance.v1.ClearanceSubmitted",
       [](const EventInput& e, Builder& b) -> absl::Status {
         clr::ClearanceSubmitted m;
         if (auto s = Parse(e, &m); !s.ok()) return s;
         const auto& f = m.facts();
         b.Count("clearance_submitted", Case(f), e.time, 1, f.ebc_code());
         auto tax = Cny(f.estimated_tax_cny());
         if (!tax.ok()) return absl::InvalidArgumentError("facts.estimated_tax_cny is not N19,5");
         if (*tax != 0)
           b.Count("tax_estimated_cny", {{"mode", ModeLabel(f.business_mode())}}, e.time, *tax);
         return absl::OkStatus();
       }},
      {"parkline.clearance.v1.ClearanceStatusChanged",
       [](const EventInput& e, Builder& b) -> absl::Status {
         clr::ClearanceStatusChanged m;
         if (auto s = Parse(e, &m); !s.ok()) return s;
         bool held =
             m.status() == clr::CASE_STATUS_INSPECTION || m.status() == clr::CASE_STATUS_DETAINED;
         bool was_held = m.previous_status() == clr::CASE_STATUS_INSPECTION ||
                         m.previous_status() == clr::CASE_STATUS_DETAINED;
         // A case counts once as inspected, however many hold receipts it gets.
         if (held && !was_held) {
           b.Count("clearance_inspected", Case(m.facts()), TimeOr(m.return_time(), e.time));
         }
         return absl::OkStatus();
       }},
      {"parkline.clearance.v1.ClearanceReleased",
       [](const EventInput& e, Builder& b) -> absl::Status {
         clr::ClearanceReleased m;
         if (auto s = Parse(e, &m); !s.ok()) return s;
         absl::Time released = TimeOr(m.release_time(), e.time);
         b.Count("clearance_released", Case(m.facts()), released, 1, m.facts().ebc_code());
         if (m.facts().has_submit_time()) {
           int64_t seconds =
               absl::ToInt64Seconds(released - TimeOr(m.facts().submit_time(), released));
           b.Observe("clearance_release_seconds", Case(m.facts()), released,
                     std::max<int64_t>(0, seconds));
         }
         return absl::OkStatus();
       }},
      {"parkline.clearance.v1.ClearanceRejected",
       [](const EventInput& e, Builder& b) -> absl::Status {
         clr::ClearanceRejected m;
         if (auto s = Parse(e, &m); !s.ok()) return s;
         b.Count("clearance_rejected", Case(m.facts()), TimeOr(m.return_time(), e.time), 1,
                 m.facts().ebc_code());
         return absl::OkStatus();
       }},
      // --- logistics ---------------------------------------------------------------------------
      {"parkline.logistics.v1.ShipmentCreated",
       [](const EventInput& e, Builder& b) -> absl::Status {
         lgx::ShipmentCreated m;
         if (auto s = Parse(e, &m); !s.ok()) return s;
         b.Count("shipments_created", {}, TimeOr(m.create_time(), e.time));
         b.out().shipments.push_back(
             {absl::StrCat(m.key().carrier_code(), "/", m.key().waybill_no()), "info_received"});
         return absl::OkStatus();
       }},
      {"parkline.logistics.v1.ShipmentStatusChanged",
       [](const EventInput& e, Builder& b) -> absl::Status {
         lgx::ShipmentStatusChanged m;
         if (auto s = Parse(e, &m); !s.ok()) return s;
         b.out().shipments.push_back(
             {absl::StrCat(m.key().carrier_code(), "/", m.key().waybill_no()),
              Label(lgx::ShipmentStatus_Name(m.status()), "SHIPMENT_STATUS_")});
         return absl::OkStatus();
       }},
      {"parkline.logistics.v1.ShipmentDelivered",
       [](const EventInput& e, Builder& b) -> absl::Status {
         lgx::ShipmentDelivered m;
         if (auto s = Parse(e, &m); !s.ok()) return s;
         absl::Time delivered = TimeOr(m.delivered_time(), e.time);
         b.Count("shipments_delivered", {}, delivered);
         b.out().shipments.push_back(
             {absl::StrCat(m.key().carrier_code(), "/", m.key().waybill_no()), "delivered"});
         if (m.has_picked_up_time()) {
           b.Observe("shipment_transit_seconds", {}, delivered,
                     std::max<int64_t>(0, m.transit_seconds()));
         }
         return absl::OkStatus();
       }},
      {"parkline.logistics.v1.ShipmentException",
       [](const EventInput& e, Builder& b) -> absl::Status {
         lgx::ShipmentException m;
         if (auto s = Parse(e, &m); !s.ok()) return s;
         b.Count("shipment_exceptions",
                 {{"status", Label(lgx::ShipmentStatus_Name(m.status()), "SHIPMENT_STATUS_")},
                  {"reason", Label(lgx::StatusReason_Name(m.reason()), "STATUS_REASON_")}},
                 TimeOr(m.event_time(), e.time));
         return absl::OkStatus();
       }},
      // --- complaints --------------------------------------------------------------------------
      {"parkline.complaints.v1.ComplaintFiled",
       [](const EventInput& e, Builder& b) -> absl::Status {
         cmp::ComplaintFiled m;
         if (auto s = Parse(e, &m); !s.ok()) return s;
         b.Count("complaints_filed",
                 {{"category", Label(cmp::Category_Name(m.category()), "CATEGORY_")},
                  {"channel", Label(cmp::Channel_Name(m.channel()), "CHANNEL_")}},
                 TimeOr(m.filed_time(), e.time));
         return absl::OkStatus();
       }},
      {"parkline.complaints.v1.ComplaintResolved",
       [](const EventInput& e, Builder& b) -> absl::Status {
         cmp::ComplaintResolved m;
         if (auto s = Parse(e, &m); !s.ok()) return s;
         absl::Time when = TimeOr(m.resolved_time(), e.time);
         Labels category = {{"category", Label(cmp::Category_Name(m.category()), "CATEGORY_")}};
         b.Count("complaints_resolved", category, when);
         if (m.on_time()) b.Count("complaints_resolved_on_time", category, when);
         b.Observe("complaint_handling_seconds", category, when,
                   std::max<int64_t>(0, m.handling_seconds()));
         return absl::OkStatus();
       }},
      {"parkline.complaints.v1.ComplaintOverdue",
       [](const EventInput& e, Builder& b) -> absl::Status {
         cmp::ComplaintOverdue m;
         if (auto s = Parse(e, &m); !s.ok()) return s;
         b.Count("complaints_overdue",
                 {{"category", Label(cmp::Category_Name(m.category()), "CATEGORY_")},
                  {"deadline", Label(cmp::DeadlineKind_Name(m.deadline_kind()), "DEADLINE_KIND_")}},
                 TimeOr(m.detected_time(), e.time));
         return absl::OkStatus();
       }},
      {"parkline.complaints.v1.ComplaintClosed",
       [](const EventInput& e, Builder& b) -> absl::Status {
         cmp::ComplaintClosed m;
         if (auto s = Parse(e, &m); !s.ok()) return s;
         absl::Time when = TimeOr(m.closed_time(), e.time);
         Labels category = {{"category", Label(cmp::Category_Name(m.category()), "CATEGORY_")}};
         b.Count("complaints_closed", category, when);
         if (m.satisfaction() >= 1 && m.satisfaction() <= 5) {
           b.Count("complaint_satisfaction_sum", category, when, m.satisfaction());
           b.Count("complaint_satisfaction_count", category, when);
         }
         return absl::OkStatus();
       }},
  };
  return *rules;
}

}  // namespace

const std::vector<std::string>& HandledTypes() {
  static const auto* types = [] {
    auto* v = new std::vector<std::string>;
    for (const auto& [type, rule] : Rules()) v->push_back(type);
    return v;
  }();
  return *types;
}

absl::Status AddEffects(const EventInput& event, const absl::TimeZone& zone, Effects* out) {
  auto rule = Rules().find(std::string(event.type));
  if (rule == Rules().end()) return absl::OkStatus();
  Builder builder(zone, out);
  return rule->second(event, builder);
}

std::string DayOf(absl::Time t, const absl::TimeZone& zone) {
  return absl::FormatTime("%Y-%m-%d", t, zone);
}

}  // namespace parkline::statistics
