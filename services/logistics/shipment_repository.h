// The logistics tables in SQL (schema.cc), inside a caller's transaction. No rules here: the
// desk decides, the repository stores and reads.
#ifndef PARKLINE_LOGISTICS_SHIPMENT_REPOSITORY_H_
#define PARKLINE_LOGISTICS_SHIPMENT_REPOSITORY_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "logistics/shipment_binding.h"
#include "parkline/logistics/v1/logistics.pb.h"
#include "store/database.h"

namespace parkline::logistics {

// A shipment as stored: the API's view plus what only the service needs.
struct ShipmentRow {
  v1::Shipment shipment;
  bool stale = false;
  int64_t released_micros = 0;  // 0: not released
};

struct ShipmentFilter {
  v1::ShipmentStatus status = v1::SHIPMENT_STATUS_UNSPECIFIED;
  std::string carrier_code;
  std::string ebp_code;
  int64_t created_from = 0;  // micros, inclusive; 0 for no bound
  int64_t created_to = 0;    // micros, exclusive; 0 for no bound
};

class ShipmentRepository {
 public:
  explicit ShipmentRepository(store::Transaction& tx) : tx_(tx) {}

  absl::StatusOr<std::optional<ShipmentRow>> Find(const v1::ShipmentKey& key);
  absl::StatusOr<std::vector<ShipmentRow>> FindByOrderKey(const std::string& order_key);
  // Inserts or replaces the row.
  absl::Status Save(const ShipmentRow& row);

  // Stores the entry unless its dedup key is stored for the shipment; true when stored.
  absl::StatusOr<bool> AddEntry(const v1::ShipmentKey& key, const std::string& dedup_key,
                                const v1::TimelineEntry& entry);
  // Replaces the stored entry of the shipment whose seq is entry.seq() (its status and payload;
  // its dedup key and storage order stay).
  absl::Status UpdateEntry(const v1::ShipmentKey& key, const v1::TimelineEntry& entry);
  // The shipment's entries with seq > after_seq, in storage order.
  absl::StatusOr<std::vector<v1::TimelineEntry>> Entries(const v1::ShipmentKey& key,
                                                         int64_t after_seq = 0);

  // Keeps a customs milestone for its order; true when new.
  absl::StatusOr<bool> AddMilestone(const std::string& order_key, const std::string& dedup_key,
                                    const v1::TimelineEntry& entry);
  absl::StatusOr<std::vector<v1::TimelineEntry>> Milestones(const std::string& order_key);

  // Keeps a waybill declarations accepted (stored once; `received` in micros).
  absl::Status AddWaybill(const StoredWaybill& waybill, int64_t received);
  // The stored waybills of `logistics_code` for `order_key`.
  absl::StatusOr<std::vector<StoredWaybill>> WaybillsFor(const std::string& logistics_code,
                                                         const std::string& order_key);

  // Ordered by (carrier_code, waybill_no), after the given key (empty: from the start).
  absl::StatusOr<std::vector<ShipmentRow>> List(const ShipmentFilter& filter,
                                                const v1::ShipmentKey& after, int limit);
  // Not stale, not at an end, no news since before `news_before`.
  absl::StatusOr<std::vector<ShipmentRow>> WithoutNewsSince(int64_t news_before, int limit);
  // Released within [from, to), with the statuses of their entries.
  absl::StatusOr<std::vector<std::pair<ShipmentRow, std::vector<v1::ShipmentStatus>>>>
  ReleasedBetween(int64_t from, int64_t to);

 private:
  store::Transaction& tx_;
};

}  // namespace parkline::logistics

#endif  // PARKLINE_LOGISTICS_SHIPMENT_REPOSITORY_H_
