#include "support/request_repository.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"

namespace parkline::support {
namespace {

using google::protobuf::util::TimeUtil;

int64_t Micros(const google::protobuf::Timestamp& t) {
  return TimeUtil::TimestampToMicroseconds(t);
}

template <typename T>
absl::StatusOr<std::vector<T>> Parse(const std::vector<store::Row>& rows) {
  std::vector<T> out;
  for (const store::Row& row : rows) {
    T value;
    if (!value.ParseFromString(row.Text(0))) {
      return absl::DataLossError(
          absl::StrCat("a stored ", T::descriptor()->name(), " does not parse"));
    }
    out.push_back(std::move(value));
  }
  return out;
}

template <typename T>
absl::StatusOr<std::optional<Stored<T>>> FindOne(store::Transaction& tx, const std::string& table,
                                                 const std::string& column,
                                                 const std::string& key) {
  // `column` is one of the callers' constants, never input.
  auto rows = tx.Query(
      absl::StrCat("SELECT payload, request_digest FROM ", table, " WHERE ", column, " = $1"),
      {key});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<Stored<T>>();
  auto parsed = Parse<T>(*rows);
  if (!parsed.ok()) return parsed.status();
  return std::optional<Stored<T>>(Stored<T>{std::move(parsed->front()), rows->front().Text(1)});
}

}  // namespace

absl::Status RequestRepository::InsertOffering(const v1::Offering& o, const std::string& request_id,
                                               const std::string& digest) {
  return tx_
      .Execute(
          "INSERT INTO offerings (offering_id, request_id, request_digest, provider_uscc, "
          "category, published_at, payload) VALUES ($1, $2, $3, $4, $5, $6, $7)",
          {o.offering_id(), request_id, digest, o.provider_uscc(), int64_t{o.category()},
           Micros(o.published_time()), store::Blob{o.SerializeAsString()}})
      .status();
}

absl::Status RequestRepository::UpdateOffering(const v1::Offering& o) {
  auto changed =
      tx_.Execute("UPDATE offerings SET withdrawn = $2, payload = $3 WHERE offering_id = $1",
                  {o.offering_id(), int64_t{o.withdrawn()}, store::Blob{o.SerializeAsString()}});
  if (!changed.ok()) return changed.status();
  if (*changed != 1) {
    return absl::NotFoundError(absl::StrCat("offering_id: no offering ", o.offering_id()));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<Stored<v1::Offering>>> RequestRepository::FindOffering(
    const std::string& column, const std::string& key) {
  return FindOne<v1::Offering>(tx_, "offerings", column, key);
}

absl::StatusOr<std::vector<v1::Offering>> RequestRepository::ListOfferings(
    v1::ServiceCategory category, bool include_withdrawn) {
  auto rows = tx_.Query(
      "SELECT payload FROM offerings WHERE ($1 = 0 OR category = $1) AND ($2 = 1 OR withdrawn = 0) "
      "ORDER BY category, published_at, offering_id LIMIT 1000",
      {int64_t{category}, int64_t{include_withdrawn}});
  if (!rows.ok()) return rows.status();
  return Parse<v1::Offering>(*rows);
}

absl::Status RequestRepository::InsertRequest(const v1::ServiceRequest& r,
                                              const std::string& request_id,
                                              const std::string& digest) {
  return tx_
      .Execute(
          "INSERT INTO service_requests (service_request_id, request_id, request_digest, "
          "enterprise_uscc, provider_uscc, category, status, filed_at, respond_by, overdue, "
          "payload) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
          {r.service_request_id(), request_id, digest, r.enterprise_uscc(), r.provider_uscc(),
           int64_t{r.category()}, int64_t{r.status()}, Micros(r.filed_time()),
           r.has_respond_by() ? Micros(r.respond_by()) : int64_t{0}, int64_t{r.overdue()},
           store::Blob{r.SerializeAsString()}})
      .status();
}

absl::Status RequestRepository::UpdateRequest(const v1::ServiceRequest& r) {
  auto changed = tx_.Execute(
      "UPDATE service_requests SET provider_uscc = $2, status = $3, respond_by = $4, "
      "overdue = $5, payload = $6 WHERE service_request_id = $1",
      {r.service_request_id(), r.provider_uscc(), int64_t{r.status()},
       r.has_respond_by() ? Micros(r.respond_by()) : int64_t{0}, int64_t{r.overdue()},
       store::Blob{r.SerializeAsString()}});
  if (!changed.ok()) return changed.status();
  if (*changed != 1) {
    return absl::NotFoundError(
        absl::StrCat("service_request_id: no request ", r.service_request_id()));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<Stored<v1::ServiceRequest>>> RequestRepository::FindRequest(
    const std::string& column, const std::string& key) {
  return FindOne<v1::ServiceRequest>(tx_, "service_requests", column, key);
}

absl::StatusOr<std::vector<v1::ServiceRequest>> RequestRepository::ListRequests(
    const std::string& party) {
  auto rows = tx_.Query(
      "SELECT payload FROM service_requests WHERE $1 = '' OR enterprise_uscc = $1 OR "
      "provider_uscc = $1 ORDER BY filed_at DESC, service_request_id LIMIT 1000",
      {party});
  if (!rows.ok()) return rows.status();
  return Parse<v1::ServiceRequest>(*rows);
}

absl::StatusOr<std::vector<v1::ServiceRequest>> RequestRepository::DueBefore(absl::Time now,
                                                                             int limit) {
  auto rows = tx_.Query(
      "SELECT payload FROM service_requests WHERE status = $1 AND overdue = 0 AND "
      "respond_by < $2 ORDER BY respond_by LIMIT $3",
      {int64_t{v1::REQUEST_STATUS_ROUTED}, absl::ToUnixMicros(now), int64_t{limit}});
  if (!rows.ok()) return rows.status();
  return Parse<v1::ServiceRequest>(*rows);
}

absl::StatusOr<int64_t> RequestRepository::CountOpenOverdue() {
  auto rows = tx_.Query("SELECT COUNT(*) FROM service_requests WHERE status = $1 AND overdue = 1",
                        {int64_t{v1::REQUEST_STATUS_ROUTED}});
  if (!rows.ok()) return rows.status();
  return rows->front().Int(0);
}

absl::StatusOr<std::vector<v1::ServiceRequest>> RequestRepository::FiledBetween(absl::Time from,
                                                                                absl::Time to) {
  auto rows =
      tx_.Query("SELECT payload FROM service_requests WHERE filed_at >= $1 AND filed_at < $2",
                {absl::ToUnixMicros(from), absl::ToUnixMicros(to)});
  if (!rows.ok()) return rows.status();
  return Parse<v1::ServiceRequest>(*rows);
}

}  // namespace parkline::support
