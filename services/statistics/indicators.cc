#include "statistics/indicators.h"

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace parkline::statistics {

std::string LabelsText(const Labels& labels) {
  return absl::StrJoin(labels, ",", absl::PairFormatter("="));
}

Labels ParseLabels(absl::string_view text) {
  Labels labels;
  if (text.empty()) return labels;
  for (absl::string_view pair : absl::StrSplit(text, ',')) {
    std::pair<std::string, std::string> kv = absl::StrSplit(pair, absl::MaxSplits('=', 1));
    labels.insert(std::move(kv));
  }
  return labels;
}

const std::vector<Indicator>& Catalog() {
  using K = IndicatorKind;
  static const auto* catalog = new std::vector<Indicator>{
      // Enterprises (5.3.1, 5.5.4 入驻率 / 企业数量 / 企业类型分布 / 知识产权 / 人才情况)
      {"enterprises", K::kGauge, "count", 0, "5.5.4",
       "Resident enterprises by role (an enterprise with several roles counts once per role)."},
      {"enterprises_resident", K::kGauge, "count", 0, "5.5.4", "Resident enterprises."},
      {"cross_border_enterprises_resident", K::kGauge, "count", 0, "5.3.1",
       "Resident cross-border e-commerce enterprises (platforms and e-commerce enterprises)."},
      {"units", K::kGauge, "count", 0, "5.5.4", "Leasable units of the park, by state."},
      {"leasable_area_m2", K::kGauge, "m2", 2, "5.5.4", "Leasable area of the park, by state."},
      {"occupancy_ratio", K::kGauge, "ratio", 4, "5.5.4",
       "Occupancy rate: occupied / total, of leasable area or of units (basis)."},
      {"ip_assets", K::kGauge, "count", 0, "5.5.4",
       "Intellectual-property assets of resident enterprises, by kind."},
      {"talent", K::kGauge, "count", 0, "5.5.4",
       "Talent of resident enterprises (latest year each reported), by category."},
      {"enterprises_admitted", K::kCounter, "count", 0, "5.5.4", "Enterprises admitted."},
      {"enterprises_departed", K::kCounter, "count", 0, "5.5.4", "Enterprises departed."},
      // The declarations pipeline (6.1, 6.2.3): how orders move through the park's checks. Not
      // trade: an order counts as trade only when customs releases it (below).
      {"documents_received", K::kCounter, "count", 0, "6.2.3",
       "Cross-border documents accepted (orders, payments, receipts, waybills), by kind, mode "
       "and direction."},
      {"declarations_matched", K::kCounter, "count", 0, "6.2.3",
       "Orders whose declaration matched (three documents consistent), once per order, by mode "
       "and direction."},
      {"declarations_rejected", K::kCounter, "count", 0, "6.2.3",
       "Orders whose declaration the park's checks rejected, once per order however often, by "
       "mode and direction."},
      {"declarations_withdrawn", K::kCounter, "count", 0, "6.2.3",
       "Declarations withdrawn by their senders, by mode and direction."},
      // Trade, all business modes (5.5.4 全口径统计): final when customs releases the case,
      // counted once per case.
      {"trade_orders", K::kCounter, "count", 0, "5.5.4",
       "Orders customs released (trade), once per case, on the release day, by mode and "
       "direction."},
      {"trade_value_cny", K::kCounter, "CNY", 5, "5.5.4",
       "Goods value customs released, in CNY (foreign currencies at the month's rate of the "
       "exchange-rate table), once per case, on the release day, by mode and direction."},
      {"trade_value_unconverted", K::kCounter, "currency", 5, "5.5.4",
       "Goods value customs released in a currency with no rate for the month, in that currency "
       "(never added to CNY), by mode, direction and currency."},
      // Clearance (6.2, 6.3)
      {"clearance_submitted", K::kCounter, "count", 0, "6.2",
       "Inventories sent to customs, by mode and direction."},
      {"clearance_released", K::kCounter, "count", 0, "6.2",
       "Cases released by customs, by mode and direction."},
      {"clearance_rejected", K::kCounter, "count", 0, "6.2",
       "Cases rejected or returned by customs, by mode and direction."},
      {"clearance_inspected", K::kCounter, "count", 0, "6.2",
       "Cases that entered inspection or detention, by mode and direction."},
      {"tax_estimated_cny", K::kCounter, "CNY", 5, "6.3",
       "Comprehensive tax estimated on import inventories sent to customs, by mode."},
      // Logistics (6.5.4)
      {"shipments", K::kGauge, "count", 0, "6.5.4", "Shipments by current status."},
      {"shipments_created", K::kCounter, "count", 0, "6.5.4", "Shipments created."},
      {"shipments_delivered", K::kCounter, "count", 0, "6.5.4", "Shipments delivered."},
      {"shipment_exceptions", K::kCounter, "count", 0, "6.5.4",
       "Shipments that entered an exception or a failed delivery, by status and reason."},
      // Complaints (7.2, 7.3)
      {"complaints_filed", K::kCounter, "count", 0, "7.3",
       "Complaints filed, by category and channel."},
      {"complaints_resolved", K::kCounter, "count", 0, "7.3", "Complaints resolved, by category."},
      {"complaints_resolved_on_time", K::kCounter, "count", 0, "7.3",
       "Complaints resolved within the committed time, by category."},
      {"complaints_overdue", K::kCounter, "count", 0, "7.3",
       "Committed deadlines missed (escalated), by category and deadline."},
      {"complaints_closed", K::kCounter, "count", 0, "7.2", "Complaints closed, by category."},
      {"complaint_satisfaction_sum", K::kCounter, "count", 0, "7.2",
       "Sum of the satisfaction (1..5) given at closing, by category."},
      {"complaint_satisfaction_count", K::kCounter, "count", 0, "7.2",
       "Closings with a satisfaction given, by category."},
      // Quality management (the quality service's records: 5.1.3, 5.6, 7.1; clause 8's evidence)
      {"quality_documents_registered", K::kCounter, "count", 0, "5.1.2, 5.1.3, 5.6; 8.1.1",
       "Register documents (organisation, duties, rules, guides, specifications, manuals, "
       "safety plans) published for the first time, by kind."},
      {"quality_documents_withdrawn", K::kCounter, "count", 0, "5.1.3; 8.1.1",
       "Register documents withdrawn (no longer in force), on the day the withdrawal was "
       "recorded, by kind."},
      {"quality_documents_in_force", K::kGauge, "count", 0, "5.1.2, 5.1.3, 5.6; 8.1.1",
       "Register documents in force (published and not withdrawn; a new version replaces, it "
       "does not add), by kind."},
      {"quality_trainings", K::kCounter, "count", 0, "5.6.1.1, 5.6.3; 8.x archives",
       "Training sessions held (fire-safety education, emergency drills, staff training), on "
       "the day held, by kind."},
      {"quality_training_attendees", K::kCounter, "count", 0, "5.6.1.1, 5.6.3; 8.x archives",
       "Attendees of the training sessions held, on the day held, by kind."},
      {"quality_inspections", K::kCounter, "count", 0, "7.1.1, 7.1.4",
       "Inspections held (internal periodic, by an authority, enterprises' supervision), on the "
       "day inspected, by kind."},
      {"quality_actions_opened", K::kCounter, "count", 0, "7.1.4",
       "Corrective actions opened by inspections' findings."},
      {"quality_actions_overdue", K::kCounter, "count", 0, "7.1.4",
       "Corrective actions whose deadline passed while open, once per action."},
      {"quality_actions_closed", K::kCounter, "count", 0, "7.1.4",
       "Corrective actions closed with evidence."},
      {"quality_actions_closed_on_time", K::kCounter, "count", 0, "7.1.4",
       "Corrective actions closed with evidence by their deadline."},
      {"quality_actions_on_time_ratio", K::kRate, "ratio", 4, "7.1.4",
       "Corrective actions closed by their deadline / corrective actions closed."},
      // Services for residents (6.4-6.9), from the support service's events. Activities count on
      // the day they ended, once attendance is confirmed (a scheduled or cancelled one is not
      // held); requests on the day they changed; each fact once (stat_once).
      {"support_activities_scheduled", K::kCounter, "count", 0, "6.8, 6.9.2",
       "Activities scheduled, by kind and whether a partner organisation (HR intermediary, "
       "trainer) takes part; once per activity."},
      {"support_activities_held", K::kCounter, "count", 0, "6.8.1, 6.8.2, 6.9.2",
       "Activities held (at least one attendee confirmed after the event; scheduled or cancelled "
       "ones are not held), by kind; once per activity, on the day it ended."},
      {"support_attendance", K::kCounter, "count", 0, "6.8, 6.9.2, 8.2.8",
       "Attendees the park confirmed after the event, by kind; once per registration, on the day "
       "the activity ended."},
      {"support_staff_trained", K::kCounter, "count", 0, "6.8.2",
       "Staff trained: confirmed attendance at special and practical training, by kind, park-wide "
       "and per enterprise (its USCC); beside the self-reported talent figure."},
      {"staff_trained", K::kGauge, "count", 0, "6.8.2, 5.5.4",
       "Staff trained in a year, by source: confirmed_attendance (the park's confirmed training "
       "attendance) or self_reported (the enterprises' talent reports)."},
      {"support_requests_filed", K::kCounter, "count", 0, "6.4, 6.5.3, 6.6, 6.7",
       "Service requests filed, by category; once per request."},
      {"support_requests_answered", K::kCounter, "count", 0, "6.4, 6.5.3, 6.6, 6.7",
       "Service requests answered by their provider, by category; once per request."},
      {"support_requests_answered_on_time", K::kCounter, "count", 0, "6.4, 6.5.3, 6.6, 6.7",
       "Service requests answered within the committed response time, by category."},
      {"support_requests_overdue", K::kCounter, "count", 0, "6.4, 6.5.3, 6.6, 6.7",
       "Service requests found past their committed response time by supervision, by category; "
       "once per request."},
      {"support_request_satisfaction_sum", K::kCounter, "count", 0, "6.4, 6.5.3, 6.6, 6.7",
       "Sum of the ratings (1..5) enterprises gave answered requests, by category."},
      {"support_request_satisfaction_count", K::kCounter, "count", 0, "6.4, 6.5.3, 6.6, 6.7",
       "Answered requests rated, by category; once per request."},
      // The start-up incubator (6.9.1), by cohort ("2026-H2"): counted as incubatees move, the
      // number in the incubator at the end of a day being admitted - graduated - left up to it.
      {"incubation_admitted", K::kCounter, "count", 0, "6.9.1",
       "Incubatees admitted to the park's start-up incubator, by cohort."},
      {"incubation_graduated", K::kCounter, "count", 0, "6.9.1",
       "Incubatees that graduated from the incubator, by cohort."},
      {"incubation_left", K::kCounter, "count", 0, "6.9.1",
       "Incubatees that left the incubator without graduating, by cohort."},
      {"incubation_milestones", K::kCounter, "count", 0, "6.9.1",
       "Incubatees' milestones recorded (product launched, first export, funding raised, jobs "
       "created, other), by kind."},
      {"incubation_active", K::kGauge, "count", 0, "6.9.1",
       "Incubatees in the incubator (admitted, neither graduated nor left), by cohort."},
      // Evaluation (5.5.4 运行和服务评价体系)
      // Rates over a period, from the counters above.
      {"declaration_match_rate", K::kRate, "ratio", 4, "6.2.3",
       "Declarations matched / (matched + rejected) by the park's checks."},
      {"clearance_release_rate", K::kRate, "ratio", 4, "6.2",
       "Cases released / (released + rejected or returned) by customs."},
      {"clearance_rejection_rate", K::kRate, "ratio", 4, "6.2",
       "Cases rejected or returned / (released + rejected or returned) by customs."},
      {"clearance_inspection_rate", K::kRate, "ratio", 4, "6.2",
       "Cases that entered inspection or detention / inventories sent."},
      {"shipment_exception_rate", K::kRate, "ratio", 4, "6.5.4",
       "Shipments with an exception or failed delivery / shipments created."},
      {"complaints_on_time_ratio", K::kRate, "ratio", 4, "7.3",
       "Complaints resolved within the committed time / complaints resolved."},
      {"complaint_satisfaction_mean", K::kRate, "score", 4, "7.2",
       "Mean satisfaction (1..5) given at closing."},
      {"support_requests_on_time_ratio", K::kRate, "ratio", 4, "6.4, 6.5.3, 6.6, 6.7",
       "Service requests answered within the committed time / answered, by category."},
      {"support_request_satisfaction_mean", K::kRate, "score", 4, "6.4, 6.5.3, 6.6, 6.7",
       "Mean rating (1..5) of answered service requests, by category."},
      {"conformance", K::kGauge, "count", 0, "5.3.1",
       "1 when the clause is met by the current figures, 0 when not, by clause."},
  };
  return *catalog;
}

const Indicator* FindIndicator(absl::string_view name) {
  for (const Indicator& i : Catalog()) {
    if (i.name == name) return &i;
  }
  static const auto* derived = [] {
    auto* v = new std::vector<Indicator>;
    for (const Histogram& h : Histograms()) {
      v->push_back({h.name + "_bucket", IndicatorKind::kCounter, "count", 0, h.clause, h.help});
      v->push_back({h.name + "_sum", IndicatorKind::kCounter, "seconds", 0, h.clause, h.help});
      v->push_back({h.name + "_count", IndicatorKind::kCounter, "count", 0, h.clause, h.help});
    }
    return v;
  }();
  for (const Indicator& i : *derived) {
    if (i.name == name) return &i;
  }
  return nullptr;
}

const std::vector<Rate>& Rates() {
  static const auto* rates = new std::vector<Rate>{
      {"declaration_match_rate",
       {"declarations_matched"},
       {"declarations_matched", "declarations_rejected"}},
      {"clearance_release_rate",
       {"clearance_released"},
       {"clearance_released", "clearance_rejected"}},
      {"clearance_rejection_rate",
       {"clearance_rejected"},
       {"clearance_released", "clearance_rejected"}},
      {"clearance_inspection_rate", {"clearance_inspected"}, {"clearance_submitted"}},
      {"shipment_exception_rate", {"shipment_exceptions"}, {"shipments_created"}},
      {"complaints_on_time_ratio", {"complaints_resolved_on_time"}, {"complaints_resolved"}},
      {"complaint_satisfaction_mean",
       {"complaint_satisfaction_sum"},
       {"complaint_satisfaction_count"}},
      {"quality_actions_on_time_ratio",
       {"quality_actions_closed_on_time"},
       {"quality_actions_closed"}},
      {"support_requests_on_time_ratio",
       {"support_requests_answered_on_time"},
       {"support_requests_answered"},
       "category"},
      {"support_request_satisfaction_mean",
       {"support_request_satisfaction_sum"},
       {"support_request_satisfaction_count"},
       "category"},
  };
  return *rates;
}

const Rate* FindRate(absl::string_view name) {
  for (const Rate& r : Rates()) {
    if (r.name == name) return &r;
  }
  return nullptr;
}

const std::vector<Histogram>& Histograms() {
  constexpr long long kHour = 3600, kDay = 24 * kHour;
  static const auto* histograms = new std::vector<Histogram>{
      {"clearance_release_seconds",
       "6.2",
       "Time from sending the inventory to customs' release, by mode and direction.",
       {60, 300, 900, kHour, 4 * kHour, kDay, 3 * kDay, 7 * kDay}},
      {"shipment_transit_seconds",
       "6.5.4",
       "Time from pick-up to delivery.",
       {6 * kHour, kDay, 2 * kDay, 3 * kDay, 5 * kDay, 7 * kDay, 14 * kDay, 30 * kDay}},
      {"complaint_handling_seconds",
       "7.3",
       "Time from filing to resolution, by category.",
       {kHour, 8 * kHour, kDay, 3 * kDay, 7 * kDay, 15 * kDay, 30 * kDay}},
  };
  return *histograms;
}

std::string BucketOf(const Histogram& histogram, long long seconds) {
  for (long long bound : histogram.bounds) {
    if (seconds <= bound) return std::to_string(bound);
  }
  return "+Inf";
}

bool IsCrossBorderEcommerceRole(absl::string_view role) {
  return role == "ecommerce_platform" || role == "ecommerce_enterprise";
}

}  // namespace parkline::statistics
