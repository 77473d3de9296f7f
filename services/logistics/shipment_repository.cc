#include "logistics/shipment_repository.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "runtime/job_errors.h"

namespace parkline::logistics {
namespace {

using google::protobuf::util::TimeUtil;

constexpr char kColumns[] =
    "carrier_code, waybill_no, order_key, direction, business_mode, status, reason, "
    "status_time, stale, created_at, last_news_at, unmapped, released_at";

ShipmentRow FromRow(const store::Row& r) {
  ShipmentRow row;
  v1::Shipment& s = row.shipment;
  s.mutable_key()->set_carrier_code(r.Text(0));
  s.mutable_key()->set_waybill_no(r.Text(1));
  s.set_order_key(r.Text(2));
  s.set_direction(static_cast<parkline::declarations::v1::Direction>(r.Int(3)));
  s.set_business_mode(r.Text(4));
  s.set_status(static_cast<v1::ShipmentStatus>(r.Int(5)));
  s.set_reason(static_cast<v1::StatusReason>(r.Int(6)));
  if (r.Int(7) != 0) *s.mutable_status_time() = TimeUtil::MicrosecondsToTimestamp(r.Int(7));
  row.stale = r.Int(8) != 0;
  *s.mutable_create_time() = TimeUtil::MicrosecondsToTimestamp(r.Int(9));
  *s.mutable_last_news_time() = TimeUtil::MicrosecondsToTimestamp(r.Int(10));
  s.set_unmapped_events(static_cast<int32_t>(r.Int(11)));
  row.released_micros = r.IsNull(12) ? 0 : r.Int(12);
  return row;
}

absl::StatusOr<std::vector<ShipmentRow>> Rows(absl::StatusOr<std::vector<store::Row>> rows) {
  if (!rows.ok()) return rows.status();
  std::vector<ShipmentRow> out;
  for (const auto& r : *rows) out.push_back(FromRow(r));
  return out;
}

absl::StatusOr<std::vector<v1::TimelineEntry>> EntriesOf(
    absl::StatusOr<std::vector<store::Row>> rows) {
  if (!rows.ok()) return rows.status();
  std::vector<v1::TimelineEntry> out;
  for (const auto& r : *rows) {
    v1::TimelineEntry& e = out.emplace_back();
    if (!e.ParseFromString(r.Text(1)))
      return runtime::UnreadableRow("shipment_entries", "a stored entry does not parse");
    e.set_seq(r.Int(0));
  }
  return out;
}

std::string EbpOf(const std::string& order_key) { return order_key.substr(0, order_key.find('/')); }

}  // namespace

absl::StatusOr<std::optional<ShipmentRow>> ShipmentRepository::Find(const v1::ShipmentKey& key) {
  auto rows = Rows(tx_.Query(absl::StrCat("SELECT ", kColumns,
                                          " FROM shipments WHERE carrier_code = $1 AND "
                                          "waybill_no = $2"),
                             {key.carrier_code(), key.waybill_no()}));
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::nullopt;
  return rows->front();
}

absl::StatusOr<std::vector<ShipmentRow>> ShipmentRepository::FindByOrderKey(
    const std::string& order_key) {
  return Rows(tx_.Query(absl::StrCat("SELECT ", kColumns,
                                     " FROM shipments WHERE order_key = $1 "
                                     "ORDER BY carrier_code, waybill_no"),
                        {order_key}));
}

absl::Status ShipmentRepository::Save(const ShipmentRow& row) {
  const v1::Shipment& s = row.shipment;
  int64_t status_time =
      s.has_status_time() ? TimeUtil::TimestampToMicroseconds(s.status_time()) : 0;
  store::Value released;
  if (row.released_micros != 0) released = row.released_micros;
  auto r = tx_.Execute(
      "INSERT INTO shipments (carrier_code, waybill_no, order_key, ebp_code, direction, "
      "business_mode, status, reason, status_time, stale, created_at, last_news_at, unmapped, "
      "released_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) "
      "ON CONFLICT (carrier_code, waybill_no) DO UPDATE SET order_key = excluded.order_key, "
      "ebp_code = excluded.ebp_code, direction = excluded.direction, "
      "business_mode = excluded.business_mode, status = excluded.status, "
      "reason = excluded.reason, status_time = excluded.status_time, stale = excluded.stale, "
      "last_news_at = excluded.last_news_at, unmapped = excluded.unmapped, "
      "released_at = excluded.released_at",
      {s.key().carrier_code(), s.key().waybill_no(), s.order_key(), EbpOf(s.order_key()),
       static_cast<int64_t>(s.direction()), s.business_mode(), static_cast<int64_t>(s.status()),
       static_cast<int64_t>(s.reason()), status_time, static_cast<int64_t>(row.stale ? 1 : 0),
       TimeUtil::TimestampToMicroseconds(s.create_time()),
       TimeUtil::TimestampToMicroseconds(s.last_news_time()),
       static_cast<int64_t>(s.unmapped_events()), released});
  return r.status();
}

absl::StatusOr<bool> ShipmentRepository::AddEntry(const v1::ShipmentKey& key,
                                                  const std::string& dedup_key,
                                                  const v1::TimelineEntry& entry) {
  auto changed = tx_.Execute(
      "INSERT INTO timeline_entries (carrier_code, waybill_no, dedup_key, status, event_time, "
      "received_at, payload) VALUES ($1, $2, $3, $4, $5, $6, $7) "
      "ON CONFLICT (carrier_code, waybill_no, dedup_key) DO NOTHING",
      {key.carrier_code(), key.waybill_no(), dedup_key, static_cast<int64_t>(entry.status()),
       TimeUtil::TimestampToMicroseconds(entry.event_time()),
       TimeUtil::TimestampToMicroseconds(entry.received_time()),
       store::Blob{entry.SerializeAsString()}});
  if (!changed.ok()) return changed.status();
  return *changed > 0;
}

absl::Status ShipmentRepository::UpdateEntry(const v1::ShipmentKey& key,
                                             const v1::TimelineEntry& entry) {
  v1::TimelineEntry payload = entry;
  payload.clear_seq();  // stored as AddEntry stores it: the seq is the row's
  return tx_
      .Execute(
          "UPDATE timeline_entries SET status = $4, payload = $5 WHERE carrier_code = $1 AND "
          "waybill_no = $2 AND seq = $3",
          {key.carrier_code(), key.waybill_no(), entry.seq(), static_cast<int64_t>(entry.status()),
           store::Blob{payload.SerializeAsString()}})
      .status();
}

absl::StatusOr<std::vector<v1::TimelineEntry>> ShipmentRepository::Entries(
    const v1::ShipmentKey& key, int64_t after_seq) {
  return EntriesOf(
      tx_.Query("SELECT seq, payload FROM timeline_entries WHERE carrier_code = $1 AND "
                "waybill_no = $2 AND seq > $3 ORDER BY seq",
                {key.carrier_code(), key.waybill_no(), after_seq}));
}

absl::StatusOr<bool> ShipmentRepository::AddMilestone(const std::string& order_key,
                                                      const std::string& dedup_key,
                                                      const v1::TimelineEntry& entry) {
  auto changed = tx_.Execute(
      "INSERT INTO customs_milestones (order_key, dedup_key, payload) VALUES ($1, $2, $3) "
      "ON CONFLICT (order_key, dedup_key) DO NOTHING",
      {order_key, dedup_key, store::Blob{entry.SerializeAsString()}});
  if (!changed.ok()) return changed.status();
  return *changed > 0;
}

absl::StatusOr<std::vector<v1::TimelineEntry>> ShipmentRepository::Milestones(
    const std::string& order_key) {
  return EntriesOf(
      tx_.Query("SELECT 0, payload FROM customs_milestones WHERE order_key = $1 ORDER BY dedup_key",
                {order_key}));
}

absl::Status ShipmentRepository::AddWaybill(const StoredWaybill& waybill, int64_t received) {
  return tx_
      .Execute(
          "INSERT INTO waybills (logistics_code, logistics_no, order_key, received_at) "
          "VALUES ($1, $2, $3, $4) ON CONFLICT (logistics_code, logistics_no, order_key) DO "
          "NOTHING",
          {waybill.logistics_code, waybill.logistics_no, waybill.order_key, received})
      .status();
}

absl::StatusOr<std::vector<StoredWaybill>> ShipmentRepository::WaybillsFor(
    const std::string& logistics_code, const std::string& order_key) {
  auto rows = tx_.Query(
      "SELECT logistics_no FROM waybills WHERE logistics_code = $1 AND order_key = $2 "
      "ORDER BY logistics_no",
      {logistics_code, order_key});
  if (!rows.ok()) return rows.status();
  std::vector<StoredWaybill> out;
  for (const auto& r : *rows) out.push_back({logistics_code, r.Text(0), order_key});
  return out;
}

absl::StatusOr<std::vector<ShipmentRow>> ShipmentRepository::List(const ShipmentFilter& filter,
                                                                  const v1::ShipmentKey& after,
                                                                  int limit) {
  std::string sql = absl::StrCat(
      "SELECT ", kColumns,
      " FROM shipments WHERE (carrier_code > $1 OR (carrier_code = $1 AND waybill_no > $2))");
  store::Params params = {after.carrier_code(), after.waybill_no()};
  auto add = [&](const char* condition, store::Value value) {
    params.push_back(std::move(value));
    absl::StrAppend(&sql, " AND ", condition, " $", params.size());
  };
  if (filter.status != v1::SHIPMENT_STATUS_UNSPECIFIED) {
    add("status =", static_cast<int64_t>(filter.status));
  }
  if (!filter.carrier_code.empty()) add("carrier_code =", filter.carrier_code);
  if (!filter.ebp_code.empty()) add("ebp_code =", filter.ebp_code);
  if (filter.created_from != 0) add("created_at >=", filter.created_from);
  if (filter.created_to != 0) add("created_at <", filter.created_to);
  params.push_back(static_cast<int64_t>(limit));
  absl::StrAppend(&sql, " ORDER BY carrier_code, waybill_no LIMIT $", params.size());
  return Rows(tx_.Query(sql, params));
}

absl::StatusOr<std::vector<ShipmentRow>> ShipmentRepository::WithoutNewsSince(int64_t news_before,
                                                                              int limit) {
  return Rows(
      tx_.Query(absl::StrCat("SELECT ", kColumns,
                             " FROM shipments WHERE last_news_at < $1 AND stale = 0 "
                             "AND status <> $2 AND status <> $3 "
                             "ORDER BY last_news_at LIMIT $4"),
                {news_before, static_cast<int64_t>(v1::SHIPMENT_STATUS_DELIVERED),
                 static_cast<int64_t>(v1::SHIPMENT_STATUS_RETURNED), static_cast<int64_t>(limit)}));
}

absl::StatusOr<std::vector<std::pair<ShipmentRow, std::vector<v1::ShipmentStatus>>>>
ShipmentRepository::ReleasedBetween(int64_t from, int64_t to) {
  auto shipments = Rows(tx_.Query(absl::StrCat("SELECT ", kColumns,
                                               " FROM shipments WHERE released_at >= $1 AND "
                                               "released_at < $2 ORDER BY released_at, "
                                               "carrier_code, waybill_no"),
                                  {from, to}));
  if (!shipments.ok()) return shipments.status();
  auto statuses = tx_.Query(
      "SELECT e.carrier_code, e.waybill_no, e.status FROM timeline_entries e JOIN shipments s "
      "ON s.carrier_code = e.carrier_code AND s.waybill_no = e.waybill_no "
      "WHERE s.released_at >= $1 AND s.released_at < $2",
      {from, to});
  if (!statuses.ok()) return statuses.status();
  std::map<std::pair<std::string, std::string>, std::vector<v1::ShipmentStatus>> by_key;
  for (const auto& r : *statuses) {
    by_key[{r.Text(0), r.Text(1)}].push_back(static_cast<v1::ShipmentStatus>(r.Int(2)));
  }
  std::vector<std::pair<ShipmentRow, std::vector<v1::ShipmentStatus>>> out;
  for (auto& row : *shipments) {
    const auto& key = row.shipment.key();
    auto statuses_of = by_key[{key.carrier_code(), key.waybill_no()}];
    out.emplace_back(std::move(row), std::move(statuses_of));
  }
  return out;
}

}  // namespace parkline::logistics
