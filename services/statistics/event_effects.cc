#include "statistics/event_effects.h"

#include <algorithm>
#include <cstring>
#include <functional>

#include "absl/container/flat_hash_map.h"
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
#include "parkline/quality/v1/events.pb.h"
#include "parkline/support/v1/events.pb.h"

namespace parkline::statistics {
namespace {

namespace ent = parkline::enterprises::v1;
namespace decl = parkline::declarations::v1;
namespace clr = parkline::clearance::v1;
namespace lgx = parkline::logistics::v1;
namespace cmp = parkline::complaints::v1;
namespace qlt = parkline::quality::v1;
namespace sup = parkline::support::v1;

// "DIRECTION_IMPORT" with prefix "DIRECTION_" -> "import".
std::string Label(const std::string& enum_name, absl::string_view prefix) {
  absl::string_view name = enum_name;
  absl::ConsumePrefix(&name, prefix);
  return absl::AsciiStrToLower(name);
}

// The labels of an enum's values, computed once instead of per event.
class EnumLabels {
 public:
  EnumLabels(const google::protobuf::EnumDescriptor* descriptor, absl::string_view prefix) {
    for (int i = 0; i < descriptor->value_count(); ++i) {
      // The first name of a number, as <Enum>_Name gives.
      labels_.emplace(descriptor->value(i)->number(), Label(descriptor->value(i)->name(), prefix));
    }
  }

  // Empty for a number the enum does not define, as Label(<Enum>_Name(value)) is.
  const std::string& Of(int value) const {
    static const auto* empty = new std::string;
    auto it = labels_.find(value);
    return it == labels_.end() ? *empty : it->second;
  }

 private:
  absl::flat_hash_map<int, std::string> labels_;
};

const std::string& DirectionLabel(decl::Direction d) {
  static const auto* labels = new EnumLabels(decl::Direction_descriptor(), "DIRECTION_");
  return labels->Of(d);
}

const std::string& DocumentKindLabel(decl::DocumentKind k) {
  static const auto* labels = new EnumLabels(decl::DocumentKind_descriptor(), "DOCUMENT_KIND_");
  return labels->Of(k);
}

absl::string_view ModeLabel(absl::string_view mode) { return mode.empty() ? "9610" : mode; }

absl::Time TimeOr(const google::protobuf::Timestamp& ts, absl::Time fallback) {
  if (ts.seconds() == 0 && ts.nanos() == 0) return fallback;
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

class Builder {
 public:
  Builder(const absl::TimeZone& zone, const ExchangeRates& rates, Effects* out)
      : zone_(zone), rates_(rates), out_(out) {}

  // A fact that counts once (OnceFact), to add deltas to with CountOnce.
  OnceFact& Once(absl::string_view fact, absl::string_view key) {
    OnceFact& f = out_->once.emplace_back();
    f.fact = std::string(fact);
    f.key = std::string(key);
    return f;
  }
  void CountOnce(OnceFact& fact, absl::string_view indicator, absl::string_view labels,
                 absl::Time when, int64_t delta = 1, absl::string_view enterprise = "") {
    fact.deltas.push_back({std::string(indicator), std::string(labels),
                           std::string(out_->days.DayOf(when, zone_)), delta,
                           std::string(enterprise)});
  }
  const ExchangeRates& rates() const { return rates_; }
  const absl::TimeZone& zone() const { return zone_; }

  // Adds `delta` to the park-wide counter and, when `enterprise` is given, to that enterprise's.
  // `labels` in LabelsText form.
  void Count(absl::string_view indicator, absl::string_view labels, absl::Time when,
             int64_t delta = 1, absl::string_view enterprise = "") {
    out_->counters.Add(indicator, labels, out_->days.DayOf(when, zone_), delta, enterprise);
  }

  void Observe(absl::string_view histogram, Labels labels, absl::Time when, int64_t seconds) {
    for (const Histogram& h : Histograms()) {
      if (h.name != histogram) continue;
      Labels bucket = labels;
      bucket["le"] = BucketOf(h, seconds);
      Count(h.name + "_bucket", LabelsText(bucket), when);
      Count(h.name + "_sum", LabelsText(labels), when, seconds);
      Count(h.name + "_count", LabelsText(labels), when);
    }
  }

  Effects& out() { return *out_; }

 private:
  const absl::TimeZone& zone_;
  const ExchangeRates& rates_;
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

// A LabelsText spelled directly from its pieces (label names in order), into one buffer per
// thread: trade events are most of the park's volume, and a Labels map, or even a new string,
// costs more than the rest of such an event. Valid until the next call on this thread.
absl::string_view Spelled(std::initializer_list<absl::string_view> pieces) {
  thread_local std::string text;
  text.clear();
  for (absl::string_view piece : pieces) text.append(piece.data(), piece.size());
  return text;
}

// LabelsText({{"mode", ...}, {"direction", ...}}).
absl::string_view Trade(absl::string_view mode, decl::Direction direction) {
  return Spelled({"direction=", DirectionLabel(direction), ",mode=", ModeLabel(mode)});
}

absl::string_view Trade(const decl::Declaration& d) {
  return Trade(d.business_mode(), d.direction());
}

absl::string_view Case(const clr::CaseFacts& f) { return Trade(f.business_mode(), f.direction()); }

// The same as a map, for a histogram to add its bucket to.
Labels CaseLabels(const clr::CaseFacts& f) {
  return {{"mode", std::string(ModeLabel(f.business_mode()))},
          {"direction", DirectionLabel(f.direction())}};
}

absl::StatusOr<int64_t> Cny(const std::string& text) {
  if (text.empty()) return 0;
  return decimal::ParseFixed(text, 5);
}

using Apply = std::function<absl::Status(const EventInput&, Builder&)>;

// The event's message, or nullptr when the payload cannot be read. One message per type and
// thread is parsed into again and again: parsing keeps its top-level strings instead of
// allocating them for every event. Valid until the next Parse of the type on this thread.
template <typename M>
const M* Parse(const EventInput& e) {
  thread_local M message;
  if (!message.ParseFromArray(e.payload.data(), static_cast<int>(e.payload.size()))) {
    return nullptr;
  }
  return &message;
}

absl::Status Unreadable(const EventInput& e) {
  return absl::InvalidArgumentError(absl::StrCat("payload of ", e.type, " is not readable"));
}

// How each event type changes the statistics, found by its ce_type.
class Rules {
 public:
  // The effect of the events of type M, whose ce_type is M's full name (never typed by hand):
  // `effect(message, event, builder)`. A payload that does not parse as M is INVALID_ARGUMENT.
  template <typename M, typename Effect>
  void On(Effect effect) {
    by_type_.emplace(M::descriptor()->full_name(), [effect](const EventInput& e, Builder& b) {
      const M* m = Parse<M>(e);
      if (m == nullptr) return Unreadable(e);
      return effect(*m, e, b);
    });
  }

  const Apply* Find(absl::string_view type) const {
    auto it = by_type_.find(type);
    return it == by_type_.end() ? nullptr : &it->second;
  }
  std::vector<std::string> Types() const {
    std::vector<std::string> types;
    for (const auto& [type, apply] : by_type_) types.push_back(type);
    return types;
  }

 private:
  absl::flat_hash_map<std::string, Apply> by_type_;
};

void AddEnterprisesRules(Rules& rules) {
  rules.On<ent::UnitDefined>([](const auto& m, const EventInput& e, Builder& b) {
    auto area = decimal::ParseFixed(m.unit().leasable_area_m2(), 2);
    if (!area.ok()) return absl::InvalidArgumentError("unit.leasable_area_m2 is not a decimal");
    b.out().units.push_back({m.unit().unit_id(), *area});
    return absl::OkStatus();
  });
  rules.On<ent::EnterpriseAdmitted>([](const auto& m, const EventInput& e, Builder& b) {
    b.out().enterprises.push_back(RecordOf(m.enterprise(), true));
    b.Count("enterprises_admitted", "", e.time);
    return absl::OkStatus();
  });
  rules.On<ent::EnterpriseUpdated>([](const auto& m, const EventInput& e, Builder& b) {
    b.out().enterprises.push_back(
        RecordOf(m.enterprise(), m.enterprise().status() != ent::ENTERPRISE_STATUS_DEPARTED));
    return absl::OkStatus();
  });
  rules.On<ent::EnterpriseDeparted>([](const auto& m, const EventInput& e, Builder& b) {
    b.out().enterprises.push_back(RecordOf(m.enterprise(), false));
    b.Count("enterprises_departed", "", e.time);
    return absl::OkStatus();
  });
  rules.On<ent::IpAssetRecorded>([](const auto& m, const EventInput& e, Builder& b) {
    b.out().ip_assets.push_back({Label(ent::IpAssetKind_Name(m.asset().kind()), "IP_ASSET_KIND_"),
                                 m.asset().registration_no(), m.asset().uscc()});
    return absl::OkStatus();
  });
  rules.On<ent::TalentRecorded>([](const auto& m, const EventInput& e, Builder& b) {
    const auto& t = m.talent();
    b.out().talent.push_back(
        {t.uscc(), t.year(), t.employees(), t.cross_border_staff(), t.trained_staff()});
    return absl::OkStatus();
  });
}

// `indicator` + 1 the first time the order is seen with it. The declarations service says
// whether a verdict is its order's first of its kind (`first_for_order`, #25): then nothing need be
// remembered here. Without it (an older event, an order stored before the service kept count),
// the order key counts once through stat_once. An event without an order key, which the
// declarations service never writes, counts every time.
template <typename Verdict>
void CountPerOrder(Builder& b, absl::string_view indicator, const Verdict& verdict,
                   absl::Time when) {
  const decl::Declaration& d = verdict.declaration();
  if (d.order_key().empty()) {
    b.Count(indicator, Trade(d), when, 1, d.ebc_code());
    return;
  }
  if (verdict.has_first_for_order()) {
    if (verdict.first_for_order()) b.Count(indicator, Trade(d), when, 1, d.ebc_code());
    return;
  }
  // "declarations_matched" -> fact "declaration_matched".
  absl::string_view fact = indicator;
  absl::ConsumePrefix(&fact, "declarations_");
  OnceFact& once = b.Once(absl::StrCat("declaration_", fact), d.order_key());
  b.CountOnce(once, indicator, Trade(d), when, 1, d.ebc_code());
}

// The trade of a case customs released, once per case (ClearanceReleased). A case opened from a
// declaration has the case id of its order key, so the order's withdrawal and new match keep
// the one case and its one trade. The value in the case's own currency, converted to CNY at the
// rate of the release's month; without a rate, counted in its currency under
// trade_value_unconverted, never as 0 CNY.
absl::Status CountTrade(Builder& b, const clr::CaseFacts& f, absl::Time released) {
  std::string value_text = f.value();
  std::string currency = f.currency();
  if (currency.empty()) {
    // Written before events carried the value in its currency: value_cny is all there is.
    value_text = f.value_cny();
    currency = "142";
  }
  auto value = Cny(value_text);
  if (!value.ok()) return absl::InvalidArgumentError("facts.value is not N19,5");
  std::string month = absl::FormatTime("%Y-%m", released, b.zone());
  auto trade = ToCny(*value, currency, month, b.rates());
  if (!trade.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("facts.value: ", trade.status().message()));
  }
  OnceFact& once = b.Once("trade", f.case_id().empty() ? f.order_key() : f.case_id());
  std::string labels(Case(f));
  b.CountOnce(once, "trade_orders", labels, released, 1, f.ebc_code());
  if (trade->converted) {
    b.CountOnce(once, "trade_value_cny", labels, released, trade->cny, f.ebc_code());
  } else {
    b.CountOnce(once, "trade_value_unconverted",
                LabelsText({{"mode", std::string(ModeLabel(f.business_mode()))},
                            {"direction", DirectionLabel(f.direction())},
                            {"currency", trade->currency}}),
                released, trade->value, f.ebc_code());
  }
  return absl::OkStatus();
}

void AddDeclarationsRules(Rules& rules) {
  rules.On<decl::DocumentReceived>([](const auto& m, const EventInput& e, Builder& b) {
    b.Count("documents_received",
            Spelled({"direction=", DirectionLabel(m.direction()), ",kind=",
                     DocumentKindLabel(m.kind()), ",mode=", ModeLabel(m.business_mode())}),
            e.time, 1, m.enterprise_code());
    return absl::OkStatus();
  });
  // Pipeline indicators, once per order: a declaration matched again after a withdrawal, or
  // rejected again as its documents change, is still one order. Trade is counted at customs'
  // release (AddClearanceRules), not here.
  rules.On<decl::DeclarationMatched>([](const auto& m, const EventInput& e, Builder& b) {
    CountPerOrder(b, "declarations_matched", m, e.time);
    return absl::OkStatus();
  });
  rules.On<decl::DeclarationRejected>([](const auto& m, const EventInput& e, Builder& b) {
    CountPerOrder(b, "declarations_rejected", m, e.time);
    return absl::OkStatus();
  });
  rules.On<decl::DeclarationWithdrawn>([](const auto& m, const EventInput& e, Builder& b) {
    b.Count("declarations_withdrawn", Trade(m.declaration()), e.time, 1,
            m.declaration().ebc_code());
    return absl::OkStatus();
  });
}

void AddClearanceRules(Rules& rules) {
  rules.On<clr::ClearanceSubmitted>([](const auto& m, const EventInput& e, Builder& b) {
    const auto& f = m.facts();
    b.Count("clearance_submitted", Case(f), e.time, 1, f.ebc_code());
    auto tax = Cny(f.estimated_tax_cny());
    if (!tax.ok()) return absl::InvalidArgumentError("facts.estimated_tax_cny is not N19,5");
    if (*tax != 0)
      b.Count("tax_estimated_cny", absl::StrCat("mode=", ModeLabel(f.business_mode())), e.time,
              *tax);
    return absl::OkStatus();
  });
  rules.On<clr::ClearanceStatusChanged>([](const auto& m, const EventInput& e, Builder& b) {
    bool held =
        m.status() == clr::CASE_STATUS_INSPECTION || m.status() == clr::CASE_STATUS_DETAINED;
    bool was_held = m.previous_status() == clr::CASE_STATUS_INSPECTION ||
                    m.previous_status() == clr::CASE_STATUS_DETAINED;
    // A case counts once as inspected, however many hold receipts it gets, so once by its case
    // id: clearance publishes where each receipt falls in its replay of the case's receipts in
    // customs' time order, and a late receipt of an earlier time shows a second move into a hold.
    if (held && !was_held) {
      const clr::CaseFacts& f = m.facts();
      OnceFact& once =
          b.Once("clearance_inspected", f.case_id().empty() ? f.order_key() : f.case_id());
      b.CountOnce(once, "clearance_inspected", Case(f), TimeOr(m.return_time(), e.time));
    }
    return absl::OkStatus();
  });
  rules.On<clr::ClearanceReleased>([](const auto& m, const EventInput& e, Builder& b) {
    absl::Time released = TimeOr(m.release_time(), e.time);
    if (auto s = CountTrade(b, m.facts(), released); !s.ok()) return s;
    b.Count("clearance_released", Case(m.facts()), released, 1, m.facts().ebc_code());
    if (m.facts().has_submit_time()) {
      int64_t seconds = absl::ToInt64Seconds(released - TimeOr(m.facts().submit_time(), released));
      b.Observe("clearance_release_seconds", CaseLabels(m.facts()), released,
                std::max<int64_t>(0, seconds));
    }
    return absl::OkStatus();
  });
  rules.On<clr::ClearanceRejected>([](const auto& m, const EventInput& e, Builder& b) {
    b.Count("clearance_rejected", Case(m.facts()), TimeOr(m.return_time(), e.time), 1,
            m.facts().ebc_code());
    return absl::OkStatus();
  });
  // A mandate changes no indicator; handled (with no effect) so it is not counted as unknown.
  rules.On<clr::MandateGranted>(
      [](const auto&, const EventInput&, Builder&) { return absl::OkStatus(); });
  rules.On<clr::MandateRevoked>(
      [](const auto&, const EventInput&, Builder&) { return absl::OkStatus(); });
}

void AddLogisticsRules(Rules& rules) {
  rules.On<lgx::ShipmentCreated>([](const auto& m, const EventInput& e, Builder& b) {
    b.Count("shipments_created", "", TimeOr(m.create_time(), e.time));
    b.out().shipments.push_back(
        {absl::StrCat(m.key().carrier_code(), "/", m.key().waybill_no()), "info_received"});
    return absl::OkStatus();
  });
  rules.On<lgx::ShipmentStatusChanged>([](const auto& m, const EventInput& e, Builder& b) {
    b.out().shipments.push_back({absl::StrCat(m.key().carrier_code(), "/", m.key().waybill_no()),
                                 Label(lgx::ShipmentStatus_Name(m.status()), "SHIPMENT_STATUS_")});
    return absl::OkStatus();
  });
  rules.On<lgx::ShipmentDelivered>([](const auto& m, const EventInput& e, Builder& b) {
    absl::Time delivered = TimeOr(m.delivered_time(), e.time);
    b.Count("shipments_delivered", "", delivered);
    b.out().shipments.push_back(
        {absl::StrCat(m.key().carrier_code(), "/", m.key().waybill_no()), "delivered"});
    if (m.has_picked_up_time()) {
      b.Observe("shipment_transit_seconds", Labels{}, delivered,
                std::max<int64_t>(0, m.transit_seconds()));
    }
    return absl::OkStatus();
  });
  rules.On<lgx::ShipmentException>([](const auto& m, const EventInput& e, Builder& b) {
    b.Count("shipment_exceptions",
            LabelsText({{"status", Label(lgx::ShipmentStatus_Name(m.status()), "SHIPMENT_STATUS_")},
                        {"reason", Label(lgx::StatusReason_Name(m.reason()), "STATUS_REASON_")}}),
            TimeOr(m.event_time(), e.time));
    return absl::OkStatus();
  });
}

void AddComplaintsRules(Rules& rules) {
  rules.On<cmp::ComplaintFiled>([](const auto& m, const EventInput& e, Builder& b) {
    b.Count("complaints_filed",
            LabelsText({{"category", Label(cmp::Category_Name(m.category()), "CATEGORY_")},
                        {"channel", Label(cmp::Channel_Name(m.channel()), "CHANNEL_")}}),
            TimeOr(m.filed_time(), e.time));
    return absl::OkStatus();
  });
  rules.On<cmp::ComplaintResolved>([](const auto& m, const EventInput& e, Builder& b) {
    absl::Time when = TimeOr(m.resolved_time(), e.time);
    Labels category = {{"category", Label(cmp::Category_Name(m.category()), "CATEGORY_")}};
    b.Count("complaints_resolved", LabelsText(category), when);
    if (m.on_time()) b.Count("complaints_resolved_on_time", LabelsText(category), when);
    b.Observe("complaint_handling_seconds", category, when,
              std::max<int64_t>(0, m.handling_seconds()));
    return absl::OkStatus();
  });
  rules.On<cmp::ComplaintOverdue>([](const auto& m, const EventInput& e, Builder& b) {
    b.Count("complaints_overdue",
            LabelsText(
                {{"category", Label(cmp::Category_Name(m.category()), "CATEGORY_")},
                 {"deadline", Label(cmp::DeadlineKind_Name(m.deadline_kind()), "DEADLINE_KIND_")}}),
            TimeOr(m.detected_time(), e.time));
    return absl::OkStatus();
  });
  rules.On<cmp::ComplaintClosed>([](const auto& m, const EventInput& e, Builder& b) {
    absl::Time when = TimeOr(m.closed_time(), e.time);
    Labels category = {{"category", Label(cmp::Category_Name(m.category()), "CATEGORY_")}};
    std::string labels = LabelsText(category);
    b.Count("complaints_closed", labels, when);
    if (m.satisfaction() >= 1 && m.satisfaction() <= 5) {
      b.Count("complaint_satisfaction_sum", labels, when, m.satisfaction());
      b.Count("complaint_satisfaction_count", labels, when);
    }
    return absl::OkStatus();
  });
}

// The cohort as a label: support checks its form ("2026-H2"); a cohort that would break the
// labels text is an unreadable event, never a counter under a garbled label.
absl::StatusOr<std::string> CohortLabels(const std::string& cohort) {
  if (cohort.empty() || cohort.find_first_of(",=") != std::string::npos) {
    return absl::InvalidArgumentError(absl::StrCat("cohort \"", cohort, "\" is not a cohort"));
  }
  return LabelsText({{"cohort", cohort}});
}

// The incubator (6.9.1): admissions, graduations and leavings by cohort, each on the park day it
// happened, so that the number in the incubator at the end of any day is their sum up to it. Each
// counts once per incubatee (milestones once per milestone), as the support facts do: the
// outbox may publish an event again under a new id.
void AddIncubationRules(Rules& rules) {
  auto count = [](const char* indicator, const std::string& incubatee, const std::string& cohort,
                  absl::Time when, Builder& b) -> absl::Status {
    auto labels = CohortLabels(cohort);
    if (!labels.ok()) return labels.status();
    OnceFact& once = b.Once(indicator, incubatee);
    b.CountOnce(once, indicator, *labels, when);
    return absl::OkStatus();
  };
  rules.On<sup::IncubateeAdmitted>([count](const auto& m, const EventInput& e, Builder& b) {
    return count("incubation_admitted", m.incubatee_id(), m.cohort(),
                 TimeOr(m.admitted_time(), e.time), b);
  });
  rules.On<sup::IncubateeGraduated>([count](const auto& m, const EventInput& e, Builder& b) {
    return count("incubation_graduated", m.incubatee_id(), m.cohort(),
                 TimeOr(m.graduated_time(), e.time), b);
  });
  rules.On<sup::IncubateeLeft>([count](const auto& m, const EventInput& e, Builder& b) {
    return count("incubation_left", m.incubatee_id(), m.cohort(), TimeOr(m.left_time(), e.time), b);
  });
  rules.On<sup::MilestoneRecorded>([](const auto& m, const EventInput& e, Builder& b) {
    static const auto* kinds = new EnumLabels(sup::MilestoneKind_descriptor(), "MILESTONE_KIND_");
    const std::string& kind = kinds->Of(m.kind());
    if (kind.empty() || m.kind() == sup::MILESTONE_KIND_UNSPECIFIED) {
      return absl::InvalidArgumentError("kind is not a milestone kind");
    }
    OnceFact& once = b.Once("incubation_milestone", m.milestone_id());
    b.CountOnce(once, "incubation_milestones", LabelsText({{"kind", kind}}),
                TimeOr(m.recorded_time(), e.time));
    return absl::OkStatus();
  });
}

// The park's day a YYYY-MM-DD names, as the instant it begins there; `fallback` when the text is
// not a date (the quality service checks its dates, so only a foreign writer gets here).
absl::Time DayStart(const std::string& text, absl::Time fallback, const absl::TimeZone& zone) {
  absl::CivilDay day;
  if (!absl::ParseCivilTime(text, &day)) return fallback;
  return absl::FromCivil(day, zone);
}

// The quality service's records (5.1.3, 5.6.1.1, 5.6.3, 7.1.1, 7.1.4; clause 8's evidence), each
// fact counted once by its id however often its event is delivered or replayed.
void AddQualityRules(Rules& rules) {
  static const auto* document_kinds =
      new EnumLabels(qlt::DocumentKind_descriptor(), "DOCUMENT_KIND_");
  static const auto* training_kinds =
      new EnumLabels(qlt::TrainingKind_descriptor(), "TRAINING_KIND_");
  static const auto* inspection_kinds =
      new EnumLabels(qlt::InspectionKind_descriptor(), "INSPECTION_KIND_");
  // A document is in force from its first version's publication (a later version replaces it,
  // it does not add one) until its withdrawal is recorded; the gauge quality_documents_in_force
  // sums the first minus the second up to a day. Both count when recorded, so that no day has a
  // withdrawal without its publication before it.
  rules.On<qlt::DocumentPublished>([](const auto& m, const EventInput& e, Builder& b) {
    if (m.version() != 1) return absl::OkStatus();
    absl::Time when = TimeOr(m.published_time(), e.time);
    OnceFact& once = b.Once("quality_document", m.document_id());
    b.CountOnce(once, "quality_documents_registered",
                LabelsText({{"kind", document_kinds->Of(m.kind())}}), when);
    return absl::OkStatus();
  });
  rules.On<qlt::DocumentWithdrawn>([](const auto& m, const EventInput& e, Builder& b) {
    absl::Time when = TimeOr(m.withdrawn_time(), e.time);
    OnceFact& once = b.Once("quality_document_withdrawal", m.document_id());
    b.CountOnce(once, "quality_documents_withdrawn",
                LabelsText({{"kind", document_kinds->Of(m.kind())}}), when);
    return absl::OkStatus();
  });
  // Sessions count on the day they were held, not the day they were recorded.
  rules.On<qlt::TrainingRecorded>([](const auto& m, const EventInput& e, Builder& b) {
    absl::Time held = DayStart(m.held_date(), e.time, b.zone());
    std::string labels = LabelsText({{"kind", training_kinds->Of(m.kind())}});
    OnceFact& once = b.Once("quality_training", m.session_id());
    b.CountOnce(once, "quality_trainings", labels, held);
    b.CountOnce(once, "quality_training_attendees", labels, held, m.attendee_count());
    return absl::OkStatus();
  });
  // A certification changes no indicator; handled so it is not counted as unknown.
  rules.On<qlt::CertificationRecorded>(
      [](const auto&, const EventInput&, Builder&) { return absl::OkStatus(); });
  rules.On<qlt::InspectionRecorded>([](const auto& m, const EventInput& e, Builder& b) {
    absl::Time inspected = DayStart(m.inspected_date(), e.time, b.zone());
    OnceFact& once = b.Once("quality_inspection", m.inspection_id());
    b.CountOnce(once, "quality_inspections", LabelsText({{"kind", inspection_kinds->Of(m.kind())}}),
                inspected);
    // Its actions open when it is recorded.
    b.CountOnce(once, "quality_actions_opened", "", TimeOr(m.recorded_time(), e.time),
                m.actions_size());
    return absl::OkStatus();
  });
  rules.On<qlt::CorrectiveActionOverdue>([](const auto& m, const EventInput& e, Builder& b) {
    OnceFact& once = b.Once("quality_action_overdue", m.action_id());
    b.CountOnce(once, "quality_actions_overdue", "", TimeOr(m.overdue_time(), e.time));
    return absl::OkStatus();
  });
  rules.On<qlt::CorrectiveActionClosed>([](const auto& m, const EventInput& e, Builder& b) {
    absl::Time closed = TimeOr(m.closed_time(), e.time);
    OnceFact& once = b.Once("quality_action_closed", m.action_id());
    b.CountOnce(once, "quality_actions_closed", "", closed);
    if (m.closed_on_time()) b.CountOnce(once, "quality_actions_closed_on_time", "", closed);
    return absl::OkStatus();
  });
}

const std::string& ActivityKindLabel(int kind) {
  static const auto* labels = new EnumLabels(sup::ActivityKind_descriptor(), "ACTIVITY_KIND_");
  return labels->Of(kind);
}

std::string CategoryLabels(int category) {
  static const auto* labels =
      new EnumLabels(sup::ServiceCategory_descriptor(), "SERVICE_CATEGORY_");
  return LabelsText({{"category", labels->Of(category)}});
}

bool IsTraining(int kind) {
  return kind == sup::ACTIVITY_KIND_SPECIAL_TRAINING ||
         kind == sup::ACTIVITY_KIND_PRACTICAL_TRAINING;
}

// The support service's facts (6.4-6.9), each counted once (OnceFact): the outbox may publish an
// event again under a new id, and a request's later events repeat its earlier state.
void AddSupportRules(Rules& rules) {
  rules.On<sup::ActivityScheduled>([](const auto& m, const EventInput& e, Builder& b) {
    OnceFact& once = b.Once("support_activity_scheduled", m.activity_id());
    b.CountOnce(once, "support_activities_scheduled",
                LabelsText({{"kind", ActivityKindLabel(m.kind())},
                            {"partner", m.partner_organisation().empty() ? "no" : "yes"}}),
                e.time);
    return absl::OkStatus();
  });
  // Seats and the waiting list change no indicator: an activity counts once it is held.
  rules.On<sup::RegistrationChanged>(
      [](const auto&, const EventInput&, Builder&) { return absl::OkStatus(); });
  rules.On<sup::AttendanceConfirmed>([](const auto& m, const EventInput& e, Builder& b) {
    if (m.attended() < 0) return absl::InvalidArgumentError("attended: must be >= 0");
    // On the day the activity ended, whenever the park confirmed it: the figures of a quarter
    // are the activities held in it.
    absl::Time ended = TimeOr(m.activity_ended_time(), TimeOr(m.confirmed_time(), e.time));
    std::string kind = LabelsText({{"kind", ActivityKindLabel(m.kind())}});
    OnceFact& attendance = b.Once("support_attendance", m.registration_id());
    b.CountOnce(attendance, "support_attendance", kind, ended, m.attended());
    if (IsTraining(m.kind()) && m.attended() > 0) {
      b.CountOnce(attendance, "support_staff_trained", kind, ended, m.attended(),
                  m.enterprise_uscc());
    }
    // Held once someone came: a confirmation of nobody does not make it held.
    if (m.attended() > 0) {
      OnceFact& held = b.Once("support_activity_held", m.activity_id());
      b.CountOnce(held, "support_activities_held", kind, ended);
    }
    return absl::OkStatus();
  });
  rules.On<sup::ServiceRequestChanged>([](const auto& m, const EventInput& e, Builder& b) {
    absl::Time when = TimeOr(m.changed_time(), e.time);
    std::string category = CategoryLabels(m.category());
    // Whatever state the first event seen shows, the request was filed: counted on that day.
    OnceFact& filed = b.Once("support_request_filed", m.service_request_id());
    b.CountOnce(filed, "support_requests_filed", category, when);
    if (m.status() != sup::REQUEST_STATUS_ANSWERED) return absl::OkStatus();
    OnceFact& answered = b.Once("support_request_answered", m.service_request_id());
    b.CountOnce(answered, "support_requests_answered", category, when);
    if (m.on_time()) b.CountOnce(answered, "support_requests_answered_on_time", category, when);
    if (m.rating() >= 1 && m.rating() <= 5) {
      OnceFact& rated = b.Once("support_request_rated", m.service_request_id());
      b.CountOnce(rated, "support_request_satisfaction_sum", category, when, m.rating());
      b.CountOnce(rated, "support_request_satisfaction_count", category, when);
    }
    return absl::OkStatus();
  });
  // The park's operations change no indicator, and are handled (with no effect) so they are not
  // counted as unknown: a cancelled activity is never held (held counts confirmed attendance,
  // which the support service refuses at a cancelled activity) and stays counted as scheduled (the
  // park did schedule it); a withdrawn offering counts nowhere; a re-routed request keeps the
  // respond_by of its first routing, so its answer and overdue mark count as before.
  rules.On<sup::ActivityCancelled>(
      [](const auto&, const EventInput&, Builder&) { return absl::OkStatus(); });
  rules.On<sup::OfferingWithdrawn>(
      [](const auto&, const EventInput&, Builder&) { return absl::OkStatus(); });
  rules.On<sup::ServiceRequestRerouted>(
      [](const auto&, const EventInput&, Builder&) { return absl::OkStatus(); });
  rules.On<sup::ServiceRequestOverdue>([](const auto& m, const EventInput& e, Builder& b) {
    OnceFact& overdue = b.Once("support_request_overdue", m.service_request_id());
    b.CountOnce(overdue, "support_requests_overdue", CategoryLabels(m.category()),
                TimeOr(m.respond_by(), e.time));
    return absl::OkStatus();
  });
}

// How each event type changes the statistics.
const Rules& AllRules() {
  static const auto* rules = [] {
    auto* r = new Rules;
    AddEnterprisesRules(*r);
    AddDeclarationsRules(*r);
    AddClearanceRules(*r);
    AddLogisticsRules(*r);
    AddComplaintsRules(*r);
    AddIncubationRules(*r);
    AddQualityRules(*r);
    AddSupportRules(*r);
    return r;
  }();
  return *rules;
}

}  // namespace

const std::vector<std::string>& HandledTypes() {
  static const auto* types = [] {
    auto* v = new std::vector<std::string>(AllRules().Types());
    std::sort(v->begin(), v->end());
    return v;
  }();
  return *types;
}

absl::Status AddEffects(const EventInput& event, const absl::TimeZone& zone, Effects* out) {
  static const auto* none = new ExchangeRates;
  return AddEffects(event, zone, *none, out);
}

absl::Status AddEffects(const EventInput& event, const absl::TimeZone& zone,
                        const ExchangeRates& rates, Effects* out) {
  const Apply* apply = AllRules().Find(event.type);
  if (apply == nullptr) return absl::OkStatus();
  Builder builder(zone, rates, out);
  absl::Status applied = (*apply)(event, builder);
  if (!applied.ok()) return applied;
  // Most events change no projection: the day is formatted only for those that do.
  Effects::Days& days = out->record_days;
  if (days.enterprises.size() < out->enterprises.size() || days.units.size() < out->units.size() ||
      days.ip_assets.size() < out->ip_assets.size() || days.talent.size() < out->talent.size() ||
      days.shipments.size() < out->shipments.size()) {
    std::string day(out->days.DayOf(event.time, zone));
    days.enterprises.resize(out->enterprises.size(), day);
    days.units.resize(out->units.size(), day);
    days.ip_assets.resize(out->ip_assets.size(), day);
    days.talent.resize(out->talent.size(), day);
    days.shipments.resize(out->shipments.size(), day);
  }
  return absl::OkStatus();
}

void CounterDeltas::Encode(std::initializer_list<absl::string_view> parts, std::string* key) {
  size_t size = 0;
  for (absl::string_view part : parts) size += sizeof(uint32_t) + part.size();
  key->resize(size);
  char* out = key->data();
  for (absl::string_view part : parts) {
    uint32_t n = static_cast<uint32_t>(part.size());
    std::memcpy(out, &n, sizeof(n));
    std::memcpy(out + sizeof(n), part.data(), n);
    out += sizeof(n) + n;
  }
}

void CounterDeltas::Add(absl::string_view indicator, absl::string_view labels,
                        absl::string_view day, int64_t delta, absl::string_view enterprise) {
  Encode({indicator, labels, day}, &key_);
  // Looked up by view: strings are copied only for a new series or enterprise.
  auto series = series_.find(absl::string_view(key_));
  if (series == series_.end()) {
    series = series_.emplace(key_, Series{}).first;
    series->second.indicator = std::string(indicator);
    series->second.labels = std::string(labels);
    series->second.day = std::string(day);
    ++rows_;
  }
  series->second.park += delta;
  if (enterprise.empty()) return;
  auto& enterprises = series->second.enterprises;
  auto it = enterprises.find(enterprise);
  if (it == enterprises.end()) {
    it = enterprises.emplace(enterprise, 0).first;
    ++rows_;
  }
  it->second += delta;
}

std::set<std::string> CounterDeltas::Days() const {
  std::set<std::string> days;
  for (const auto& [key, series] : series_) days.insert(series.day);
  return days;
}

std::set<std::string> CounterDeltas::Days(
    absl::FunctionRef<bool(absl::string_view indicator)> of) const {
  std::set<std::string> days;
  for (const auto& [key, series] : series_) {
    if (of(series.indicator)) days.insert(series.day);
  }
  return days;
}

std::vector<CounterDelta> CounterDeltas::Rows() const {
  std::vector<const Series*> series;
  series.reserve(series_.size());
  for (const auto& [key, s] : series_) series.push_back(&s);
  std::sort(series.begin(), series.end(), [](const Series* a, const Series* b) {
    return std::tie(a->indicator, a->labels, a->day) < std::tie(b->indicator, b->labels, b->day);
  });
  std::vector<CounterDelta> rows;
  rows.reserve(rows_);
  for (const Series* s : series) {
    rows.push_back({"", s->indicator, s->labels, s->day, s->park});
    size_t first = rows.size();
    for (const auto& [enterprise, delta] : s->enterprises) {
      rows.push_back({enterprise, s->indicator, s->labels, s->day, delta});
    }
    std::sort(rows.begin() + first, rows.end(), [](const CounterDelta& a, const CounterDelta& b) {
      return a.enterprise < b.enterprise;
    });
  }
  return rows;
}

}  // namespace parkline::statistics
