#include "logistics/shipment_desk.h"

#include <algorithm>
#include <map>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "errors/violations.h"
#include "events/outbox.h"
#include "google/protobuf/util/time_util.h"
#include "logistics/coverage.h"
#include "logistics/customs_milestones.h"
#include "logistics/logistics_metrics.h"
#include "logistics/shipment_binding.h"
#include "logistics/status_model.h"
#include "paging/page.h"
#include "parkline/declarations/v1/events.pb.h"
#include "runtime/proto_time.h"

namespace parkline::logistics {
namespace {

using google::protobuf::util::TimeUtil;
namespace dv1 = parkline::declarations::v1;
namespace cv1 = parkline::clearance::v1;

// ListShipments' token: "<carrier_code>\n<waybill_no>" of the last shipment of the page before.
constexpr paging::KeyFormat kShipmentKey{2, '\n'};

int64_t Micros(const google::protobuf::Timestamp& t) {
  return TimeUtil::TimestampToMicroseconds(t);
}

absl::Status Publish(store::Transaction& tx, const v1::ShipmentKey& key,
                     const google::protobuf::Message& event, absl::Time now) {
  return events::AppendToOutbox(
      tx, events::NewEvent(kTopic, kSource, ShipmentKeyText(key), event, now));
}

// A complete order key names its platform; "/<order_no>" is what a waybill that came before its
// order knows.
bool IsComplete(const std::string& order_key) {
  return !order_key.empty() && order_key.front() != '/';
}

absl::Status NotFound(const v1::ShipmentKey& key) {
  return absl::NotFoundError(absl::StrCat("no shipment ", ShipmentKeyText(key)));
}

// Calendar days of the park (Asia/Shanghai) as [from, to) in micros.
int64_t DayStart(const common::v1::Date& d, const char* field, int add, errors::Violations& v) {
  absl::CivilDay civil(d.year(), d.month(), d.day());
  if (civil.year() != d.year() || civil.month() != d.month() || civil.day() != d.day()) {
    v.Add(field, "DATE", "is not a calendar date");
    return 0;
  }
  absl::TimeZone park;
  absl::LoadTimeZone("Asia/Shanghai", &park);
  return absl::ToUnixMicros(absl::FromCivil(civil + add, park));
}

void CheckKey(const v1::ShipmentKey& key, errors::Violations& v) {
  if (key.carrier_code().empty()) v.Add("key.carrier_code", "REQUIRED", "is required");
  if (key.carrier_code().size() > 18) v.Add("key.carrier_code", "TOO_LONG", "at most 18 bytes");
  if (key.waybill_no().empty()) v.Add("key.waybill_no", "REQUIRED", "is required");
  if (key.waybill_no().size() > 60) v.Add("key.waybill_no", "TOO_LONG", "at most 60 bytes");
}

}  // namespace

std::string ShipmentKeyText(const v1::ShipmentKey& key) {
  return absl::StrCat(key.carrier_code(), "/", key.waybill_no());
}

ShipmentDesk::ShipmentDesk(store::Database& db, const StatusMapping& mapping, WatchHub& hub,
                           std::function<void()> events_committed, TrackerOptions options)
    : db_(db),
      mapping_(mapping),
      hub_(hub),
      events_committed_(std::move(events_committed)),
      options_(options) {}

void ShipmentDesk::AfterCommit(const Counts& counts) {
  if (counts.published && events_committed_) events_committed_();
  for (const auto& key : counts.touched) hub_.Notify(key);
}

absl::Status ShipmentDesk::EnsureShipment(store::Transaction& tx, const v1::ShipmentKey& key,
                                          const std::string& order_key, dv1::Direction direction,
                                          const std::string& business_mode, absl::Time created,
                                          absl::Time now, Counts& counts) {
  ShipmentRepository repo(tx);
  auto found = repo.Find(key);
  if (!found.ok()) return found.status();
  ShipmentRow row;
  bool order_changed = false;
  if (!*found) {
    v1::Shipment& s = row.shipment;
    *s.mutable_key() = key;
    s.set_order_key(order_key);
    s.set_direction(direction);
    s.set_business_mode(business_mode);
    *s.mutable_create_time() = runtime::ToTimestamp(created);
    *s.mutable_last_news_time() = runtime::ToTimestamp(created);
    if (auto st = repo.Save(row); !st.ok()) return st;
    v1::ShipmentCreated event;
    *event.mutable_key() = key;
    event.set_order_key(order_key);
    event.set_direction(direction);
    event.set_business_mode(business_mode);
    *event.mutable_create_time() = s.create_time();
    if (auto st = Publish(tx, key, event, now); !st.ok()) return st;
    counts.published = true;
    order_changed = !order_key.empty();
  } else {
    row = **found;
    v1::Shipment& s = row.shipment;
    // Only ever towards the complete key: a late partial one never replaces it.
    if (order_key != s.order_key() && !order_key.empty() &&
        (IsComplete(order_key) || !IsComplete(s.order_key()))) {
      s.set_order_key(order_key);
      order_changed = true;
    }
    bool filled = false;
    bool direction_known = false;
    if (s.direction() == dv1::DIRECTION_UNSPECIFIED && direction != dv1::DIRECTION_UNSPECIFIED) {
      s.set_direction(direction);
      filled = direction_known = true;
    }
    if (s.business_mode().empty() && !business_mode.empty()) {
      s.set_business_mode(business_mode);
      filled = true;
    }
    if (!order_changed && !filled) return absl::OkStatus();
    if (auto st = repo.Save(row); !st.ok()) return st;
    if (direction_known) {
      if (auto st = RemapByDirection(tx, row, now, counts); !st.ok()) return st;
    }
  }
  if (!order_changed || !IsComplete(row.shipment.order_key())) return absl::OkStatus();
  // Customs may have spoken about the order before the shipment was known to carry it.
  auto milestones = repo.Milestones(row.shipment.order_key());
  if (!milestones.ok()) return milestones.status();
  if (milestones->empty()) return absl::OkStatus();
  return AddEntries(tx, row, std::move(*milestones), now, counts);
}

absl::Status ShipmentDesk::AddEntries(store::Transaction& tx, ShipmentRow& row,
                                      std::vector<v1::TimelineEntry> entries, absl::Time now,
                                      Counts& counts) {
  ShipmentRepository repo(tx);
  bool any = false;
  for (auto& entry : entries) {
    entry.set_seq(0);
    *entry.mutable_received_time() = runtime::ToTimestamp(now);
    auto stored = repo.AddEntry(row.shipment.key(), DedupKey(entry), entry);
    if (!stored.ok()) return stored.status();
    if (!*stored) {
      ++counts.duplicates;
      continue;
    }
    any = true;
    ++counts.stored;
    if (!entry.mapped()) {
      ++counts.unmapped;
      row.shipment.set_unmapped_events(row.shipment.unmapped_events() + 1);
    }
    if (entry.reason() == v1::STATUS_REASON_CUSTOMS_RELEASED &&
        (row.released_micros == 0 || Micros(entry.event_time()) < row.released_micros)) {
      row.released_micros = Micros(entry.event_time());
    }
  }
  if (!any) return absl::OkStatus();
  *row.shipment.mutable_last_news_time() = runtime::ToTimestamp(now);
  row.stale = false;  // news ends staleness
  counts.touched.push_back(ShipmentKeyText(row.shipment.key()));
  return Recompute(tx, row, now, counts);
}

absl::Status ShipmentDesk::RemapByDirection(store::Transaction& tx, ShipmentRow& row,
                                            absl::Time now, Counts& counts) {
  ShipmentRepository repo(tx);
  auto entries = repo.Entries(row.shipment.key());
  if (!entries.ok()) return entries.status();
  bool any = false;
  for (v1::TimelineEntry& entry : *entries) {
    if (!RemapForDirection(mapping_, row.shipment.key().carrier_code(), row.shipment.direction(),
                           entry)) {
      continue;
    }
    if (auto st = repo.UpdateEntry(row.shipment.key(), entry); !st.ok()) return st;
    any = true;
  }
  if (!any) return absl::OkStatus();
  // No news (last_news_time and staleness stay): what the carrier said is read right.
  counts.touched.push_back(ShipmentKeyText(row.shipment.key()));
  return Recompute(tx, row, now, counts);
}

absl::Status ShipmentDesk::Recompute(store::Transaction& tx, ShipmentRow& row, absl::Time now,
                                     Counts& counts) {
  ShipmentRepository repo(tx);
  auto entries = repo.Entries(row.shipment.key());
  if (!entries.ok()) return entries.status();
  SortTimeline(*entries);
  CurrentStatus current = FoldTimeline(*entries, row.stale);
  v1::Shipment& s = row.shipment;
  v1::ShipmentStatus previous = s.status();
  bool changed = previous != current.status || s.reason() != current.reason;
  s.set_status(current.status);
  s.set_reason(current.reason);
  if (current.status == v1::SHIPMENT_STATUS_STALE) {
    if (changed) *s.mutable_status_time() = runtime::ToTimestamp(now);
  } else if (current.entry != nullptr) {
    *s.mutable_status_time() = current.entry->event_time();
  } else {
    s.clear_status_time();
  }
  if (auto st = repo.Save(row); !st.ok()) return st;
  if (!changed) return absl::OkStatus();

  v1::ShipmentStatusChanged event;
  *event.mutable_key() = s.key();
  event.set_status(current.status);
  event.set_reason(current.reason);
  event.set_previous_status(previous);
  bool stale = current.status == v1::SHIPMENT_STATUS_STALE;
  event.set_source(stale || current.entry == nullptr ? v1::EVENT_SOURCE_PARK
                                                     : current.entry->source());
  *event.mutable_event_time() = s.status_time();
  if (!stale && current.entry != nullptr) event.set_location(current.entry->location());
  if (auto st = Publish(tx, s.key(), event, now); !st.ok()) return st;
  counts.published = true;

  if (current.status == v1::SHIPMENT_STATUS_DELIVERED) {
    v1::ShipmentDelivered delivered;
    *delivered.mutable_key() = s.key();
    *delivered.mutable_delivered_time() = s.status_time();
    for (const auto& e : *entries) {
      if (e.status() != v1::SHIPMENT_STATUS_PICKED_UP) continue;
      *delivered.mutable_picked_up_time() = e.event_time();
      delivered.set_transit_seconds((Micros(s.status_time()) - Micros(e.event_time())) / 1000000);
      break;
    }
    if (auto st = Publish(tx, s.key(), delivered, now); !st.ok()) return st;
  }
  if (current.status == v1::SHIPMENT_STATUS_EXCEPTION ||
      current.status == v1::SHIPMENT_STATUS_DELIVERY_FAILED) {
    v1::ShipmentException exception;
    *exception.mutable_key() = s.key();
    exception.set_status(current.status);
    exception.set_reason(current.reason);
    *exception.mutable_event_time() = s.status_time();
    exception.set_description(current.entry->description());
    if (auto st = Publish(tx, s.key(), exception, now); !st.ok()) return st;
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Shipment> ShipmentDesk::Register(const auth::Viewer& viewer,
                                                    const v1::RegisterShipmentRequest& request,
                                                    absl::Time now) {
  errors::Violations v;
  CheckKey(request.key(), v);
  const std::string& order_key = request.order_key();
  if (!order_key.empty() && (order_key.find('/') == std::string::npos || order_key.front() == '/' ||
                             order_key.back() == '/')) {
    v.Add("order_key", "ORDER_KEY", "must be <ebp_code>/<order_no>");
  }
  static const char* kModes[] = {"9610", "9710", "9810", "1210", "1239"};
  if (!request.business_mode().empty() && std::find(std::begin(kModes), std::end(kModes),
                                                    request.business_mode()) == std::end(kModes)) {
    v.Add("business_mode", "BUSINESS_MODE", "must be 9610, 9710, 9810, 1210 or 1239");
  }
  if (!dv1::Direction_IsValid(request.direction())) {
    v.Add("direction", "DIRECTION", "is not a direction");
  }
  if (!v.empty()) return v.ToStatus();
  Counts counts;
  v1::Shipment result;
  absl::Status status = db_.Transact([&](store::Transaction& tx) -> absl::Status {
    counts = Counts();
    ShipmentRepository repo(tx);
    // Decided before the shipment is looked at: a refused caller learns nothing of it.
    std::vector<StoredWaybill> waybills;
    if (!order_key.empty()) {
      auto stored = repo.WaybillsFor(request.key().carrier_code(), order_key);
      if (!stored.ok()) return stored.status();
      waybills = std::move(*stored);
    }
    if (auto st = MayBindShipment(viewer, request.key(), order_key, waybills); !st.ok()) return st;
    auto found = repo.Find(request.key());
    if (!found.ok()) return found.status();
    if (*found) {
      const v1::Shipment& s = (*found)->shipment;
      if (s.order_key() != order_key || s.direction() != request.direction() ||
          s.business_mode() != request.business_mode()) {
        return absl::AlreadyExistsError(
            absl::StrCat("shipment ", ShipmentKeyText(request.key()), " exists with other data"));
      }
      result = s;
      return absl::OkStatus();
    }
    if (auto st = EnsureShipment(tx, request.key(), order_key, request.direction(),
                                 request.business_mode(), now, now, counts);
        !st.ok()) {
      return st;
    }
    auto created = repo.Find(request.key());
    if (!created.ok()) return created.status();
    result = (*created)->shipment;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  AfterCommit(counts);
  return result;
}

absl::StatusOr<v1::ReportTrackingEventsResponse> ShipmentDesk::Report(
    const v1::ReportTrackingEventsRequest& request, absl::Time now) {
  errors::Violations v;
  CheckBatch(request, now, options_.limits, v);
  if (!v.empty()) return v.ToStatus();
  Counts counts;
  absl::Status status = db_.Transact([&](store::Transaction& tx) -> absl::Status {
    counts = Counts();
    ShipmentRepository repo(tx);
    // The batch's events by shipment, in the order given.
    std::map<std::string, std::vector<int>> by_waybill;
    std::map<std::string, ShipmentRow> rows;
    errors::Violations found;
    for (int i = 0; i < request.events_size(); ++i) {
      const v1::TrackingEvent& e = request.events(i);
      std::string field = absl::StrCat("events[", i, "]");
      if (rows.count(e.waybill_no()) == 0) {
        v1::ShipmentKey key;
        key.set_carrier_code(request.carrier_code());
        key.set_waybill_no(e.waybill_no());
        auto row = repo.Find(key);
        if (!row.ok()) return row.status();
        if (!*row) {
          found.Add(field + ".waybill_no", "UNKNOWN_SHIPMENT",
                    absl::StrCat("no shipment ", ShipmentKeyText(key)));
          continue;
        }
        rows.emplace(e.waybill_no(), **row);
      }
      CheckAgainstShipment(
          e, field, absl::FromUnixMicros(Micros(rows.at(e.waybill_no()).shipment.create_time())),
          options_.limits, found);
      by_waybill[e.waybill_no()].push_back(i);
    }
    if (!found.empty()) return found.ToStatus();
    for (auto& [waybill, indexes] : by_waybill) {
      ShipmentRow& row = rows.at(waybill);
      std::vector<v1::TimelineEntry> entries;
      for (int i : indexes) {
        const v1::TrackingEvent& e = request.events(i);
        entries.push_back(CarrierEntry(e, mapping_.Normalize(request.carrier_code(), e.event_code(),
                                                             row.shipment.direction())));
      }
      if (auto st = AddEntries(tx, row, std::move(entries), now, counts); !st.ok()) return st;
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  AfterCommit(counts);
  CountTrackingEvents("carrier", "stored", counts.stored - counts.unmapped);
  CountTrackingEvents("carrier", "unmapped", counts.unmapped);
  CountTrackingEvents("carrier", "duplicate", counts.duplicates);
  v1::ReportTrackingEventsResponse response;
  response.set_stored(counts.stored);
  response.set_duplicates(counts.duplicates);
  response.set_unmapped(counts.unmapped);
  return response;
}

absl::StatusOr<ShipmentRow> ShipmentDesk::Visible(store::Transaction& tx,
                                                  const v1::GetShipmentRequest& request) {
  auto row = ShipmentRepository(tx).Find(request.key());
  if (!row.ok()) return row.status();
  // A caller that named an order sees the shipment only when it carries that order.
  if (!*row ||
      (!request.order_key().empty() && (*row)->shipment.order_key() != request.order_key())) {
    return NotFound(request.key());
  }
  return **row;
}

absl::StatusOr<v1::Shipment> ShipmentDesk::Get(const v1::GetShipmentRequest& request) {
  errors::Violations v;
  CheckKey(request.key(), v);
  if (!v.empty()) return v.ToStatus();
  v1::Shipment result;
  absl::Status status = db_.Read([&](store::Transaction& tx) -> absl::Status {
    auto row = Visible(tx, request);
    if (!row.ok()) return row.status();
    result = row->shipment;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return result;
}

absl::StatusOr<v1::GetTimelineResponse> ShipmentDesk::Timeline(
    const v1::GetShipmentRequest& request) {
  auto since = Since(request, 0);
  if (!since.ok()) return since.status();
  std::vector<v1::TimelineEntry> entries(since->entries().begin(), since->entries().end());
  SortTimeline(entries);
  v1::GetTimelineResponse response;
  *response.mutable_shipment() = since->shipment();
  for (auto& e : entries) *response.add_entries() = std::move(e);
  return response;
}

absl::StatusOr<v1::WatchShipmentResponse> ShipmentDesk::Since(const v1::GetShipmentRequest& request,
                                                              int64_t after_seq) {
  errors::Violations v;
  CheckKey(request.key(), v);
  if (!v.empty()) return v.ToStatus();
  v1::WatchShipmentResponse response;
  absl::Status status = db_.Read([&](store::Transaction& tx) -> absl::Status {
    response.Clear();
    auto row = Visible(tx, request);
    if (!row.ok()) return row.status();
    *response.mutable_shipment() = row->shipment;
    auto entries = ShipmentRepository(tx).Entries(request.key(), after_seq);
    if (!entries.ok()) return entries.status();
    for (auto& e : *entries) *response.add_entries() = std::move(e);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return response;
}

absl::StatusOr<v1::ListShipmentsResponse> ShipmentDesk::List(
    const v1::ListShipmentsRequest& request) {
  errors::Violations v;
  paging::Page page = paging::ReadPage(request.page(), v, kShipmentKey);
  v1::ShipmentKey after;
  after.set_carrier_code(page.AfterPart(0));
  after.set_waybill_no(page.AfterPart(1));
  if (!v1::ShipmentStatus_IsValid(request.status())) v.Add("status", "STATUS", "is not a status");
  ShipmentFilter filter;
  filter.status = request.status();
  filter.carrier_code = request.carrier_code();
  filter.ebp_code = request.enterprise_code();
  if (request.has_from()) filter.created_from = DayStart(request.from(), "from", 0, v);
  if (request.has_to()) filter.created_to = DayStart(request.to(), "to", 1, v);
  if (!v.empty()) return v.ToStatus();
  v1::ListShipmentsResponse response;
  absl::Status status = db_.Read([&](store::Transaction& tx) -> absl::Status {
    response.Clear();
    auto rows = ShipmentRepository(tx).List(filter, after, page.limit());
    if (!rows.ok()) return rows.status();
    response.set_next_page_token(paging::NextPageToken(
        *rows, page.size,
        [](const auto& r) {
          return paging::Key{r.shipment.key().carrier_code(), r.shipment.key().waybill_no()};
        },
        kShipmentKey));
    for (auto& r : *rows) *response.add_shipments() = std::move(r.shipment);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return response;
}

absl::StatusOr<v1::CoverageReport> ShipmentDesk::Coverage(
    const v1::CoverageReportRequest& request) {
  errors::Violations v;
  if (!request.has_from()) v.Add("from", "REQUIRED", "is required");
  if (!request.has_to()) v.Add("to", "REQUIRED", "is required");
  int max_gaps = request.max_gaps() == 0 ? 100 : request.max_gaps();
  if (max_gaps < 0 || max_gaps > 1000) v.Add("max_gaps", "RANGE", "must be 0..1000");
  int64_t from = request.has_from() ? DayStart(request.from(), "from", 0, v) : 0;
  int64_t to = request.has_to() ? DayStart(request.to(), "to", 1, v) : 0;
  if (v.empty() && to <= from) v.Add("to", "PERIOD", "must not be before from");
  if (!v.empty()) return v.ToStatus();
  std::vector<ReleasedShipment> released;
  absl::Status status = db_.Read([&](store::Transaction& tx) -> absl::Status {
    released.clear();
    auto rows = ShipmentRepository(tx).ReleasedBetween(from, to);
    if (!rows.ok()) return rows.status();
    for (auto& [row, statuses] : *rows) {
      released.push_back({row.shipment.key(), row.shipment.order_key(), std::move(statuses)});
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return BuildCoverageReport(released, max_gaps);
}

absl::StatusOr<int> ShipmentDesk::MarkStale(absl::Time now) {
  Counts counts;
  int marked = 0;
  absl::Status status = db_.Transact([&](store::Transaction& tx) -> absl::Status {
    counts = Counts();
    marked = 0;
    ShipmentRepository repo(tx);
    auto rows = repo.WithoutNewsSince(absl::ToUnixMicros(now - options_.stale_after), 500);
    if (!rows.ok()) return rows.status();
    for (ShipmentRow& row : *rows) {
      if (!BecomesStale(row.shipment.status(), row.stale,
                        absl::FromUnixMicros(Micros(row.shipment.last_news_time())), now,
                        options_.stale_after)) {
        continue;
      }
      // The mark is on the timeline too, so that a reader sees when the park gave up waiting.
      v1::TimelineEntry entry;
      entry.set_source(v1::EVENT_SOURCE_PARK);
      entry.set_raw_code("STALE");
      entry.set_status(v1::SHIPMENT_STATUS_STALE);
      entry.set_mapped(true);
      *entry.mutable_event_time() = runtime::ToTimestamp(now);
      *entry.mutable_received_time() = runtime::ToTimestamp(now);
      entry.set_description(
          absl::StrCat("no news for ", absl::FormatDuration(options_.stale_after)));
      auto stored = repo.AddEntry(row.shipment.key(), DedupKey(entry), entry);
      if (!stored.ok()) return stored.status();
      row.stale = true;
      counts.touched.push_back(ShipmentKeyText(row.shipment.key()));
      if (auto st = Recompute(tx, row, now, counts); !st.ok()) return st;
      ++marked;
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  AfterCommit(counts);
  return marked;
}

absl::Status ShipmentDesk::ApplyDocumentReceived(store::Transaction& tx,
                                                 const dv1::DocumentReceived& received,
                                                 absl::Time at) {
  // Only a waybill makes a shipment, and only one that names its number (events published
  // before the field existed are covered by DeclarationMatched).
  if (received.kind() != dv1::DOCUMENT_KIND_WAYBILL || received.logistics_no().empty() ||
      received.enterprise_code().empty()) {
    return absl::OkStatus();
  }
  // Keyed by the waybill's logistics code: the carrier code of its carrier (LogisticsCodeOf).
  v1::ShipmentKey key;
  key.set_carrier_code(received.enterprise_code());
  key.set_waybill_no(received.logistics_no());
  return Ensure(tx, key, received.order_key(), received.direction(), received.business_mode(), at);
}

absl::Status ShipmentDesk::ApplyDeclarationMatched(store::Transaction& tx,
                                                   const dv1::DeclarationMatched& matched,
                                                   absl::Time at) {
  const dv1::Declaration& d = matched.declaration();
  if (d.logistics_code().empty() || d.logistics_no().empty()) return absl::OkStatus();
  v1::ShipmentKey key;
  key.set_carrier_code(d.logistics_code());
  key.set_waybill_no(d.logistics_no());
  return Ensure(tx, key, d.order_key(), d.direction(), d.business_mode(), at);
}

absl::Status ShipmentDesk::Ensure(store::Transaction& tx, const v1::ShipmentKey& key,
                                  const std::string& order_key, dv1::Direction direction,
                                  const std::string& business_mode, absl::Time at) {
  if (!order_key.empty()) {
    if (auto st = ShipmentRepository(tx).AddWaybill(
            {key.carrier_code(), key.waybill_no(), order_key}, absl::ToUnixMicros(at));
        !st.ok()) {
      return st;
    }
  }
  Counts counts;
  if (auto st =
          EnsureShipment(tx, key, order_key, direction, business_mode, at, absl::Now(), counts);
      !st.ok()) {
    return st;
  }
  // Before the commit: a watcher that looks too early finds nothing new and looks again at its
  // next poll.
  AfterCommit(counts);
  return absl::OkStatus();
}

absl::Status ShipmentDesk::ApplyMilestone(store::Transaction& tx,
                                          const std::optional<CustomsMilestone>& milestone) {
  if (!milestone) return absl::OkStatus();
  ShipmentRepository repo(tx);
  const v1::TimelineEntry& entry = milestone->entry;
  auto added = repo.AddMilestone(milestone->order_key, DedupKey(entry), entry);
  if (!added.ok()) return added.status();
  auto rows = repo.FindByOrderKey(milestone->order_key);
  if (!rows.ok()) return rows.status();
  Counts counts;
  absl::Time now = absl::Now();
  for (ShipmentRow& row : *rows) {
    if (auto st = AddEntries(tx, row, {entry}, now, counts); !st.ok()) return st;
  }
  CountTrackingEvents("customs", "stored", counts.stored);
  CountTrackingEvents("customs", "duplicate", counts.duplicates);
  AfterCommit(counts);
  return absl::OkStatus();
}

void FollowDeclarations(events::EventConsumer& consumer, ShipmentDesk& desk) {
  consumer.On<dv1::DocumentReceived>(
      [&desk](store::Transaction& tx, const dv1::DocumentReceived& m, const events::Envelope& e) {
        return desk.ApplyDocumentReceived(tx, m, e.time);
      });
  consumer.On<dv1::DeclarationMatched>(
      [&desk](store::Transaction& tx, const dv1::DeclarationMatched& m, const events::Envelope& e) {
        return desk.ApplyDeclarationMatched(tx, m, e.time);
      });
  // No concern of logistics: counted as applied, not as unknown types.
  consumer.Ignore<dv1::DeclarationRejected>();
  consumer.Ignore<dv1::DeclarationWithdrawn>();
  consumer.Ignore<dv1::DocumentExpired>();
}

void FollowClearance(events::EventConsumer& consumer, ShipmentDesk& desk) {
  auto milestones = [&consumer, &desk](auto typed) {
    using M = decltype(typed);
    consumer.On<M>([&desk](store::Transaction& tx, const M& m) {
      return desk.ApplyMilestone(tx, MilestoneOf(m));
    });
  };
  milestones(cv1::ClearanceSubmitted());
  milestones(cv1::ClearanceStatusChanged());
  milestones(cv1::ClearanceReleased());
  milestones(cv1::ClearanceRejected());
  // Mandates are no milestone of any shipment: counted as applied, not as unknown types.
  consumer.Ignore<cv1::MandateGranted>();
  consumer.Ignore<cv1::MandateRevoked>();
}

}  // namespace parkline::logistics
