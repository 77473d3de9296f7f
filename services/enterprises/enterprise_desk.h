// The registry's use cases: each write validates (enterprise_rules.h), then in ONE transaction
// reads what it needs, applies the change (enterprise_repository.h) and appends its event to the
// outbox, so the change and its event are stored together or not at all. Every write is
// idempotent: repeating an accepted request returns the stored result and appends nothing.
//
// Thread-safe (all state is in the database).
#ifndef PARKLINE_ENTERPRISES_ENTERPRISE_DESK_H_
#define PARKLINE_ENTERPRISES_ENTERPRISE_DESK_H_

#include <functional>

#include "absl/status/statusor.h"
#include "auth/viewer.h"
#include "parkline/enterprises/v1/enterprises.pb.h"
#include "store/database.h"

namespace parkline::enterprises {

namespace v1 = ::parkline::enterprises::v1;

inline constexpr char kTopic[] = "parkline.enterprises.v1";
inline constexpr char kSource[] = "/parkline/enterprises";

// Appends a write's events to the outbox inside its transaction, and remembers that it did.
class EventSink {
 public:
  explicit EventSink(store::Transaction& tx) : tx_(tx) {}
  absl::Status Publish(absl::string_view subject, const google::protobuf::Message& event);
  bool appended() const { return appended_; }

 private:
  store::Transaction& tx_;
  bool appended_ = false;
};

class EnterpriseDesk {
 public:
  // `events_committed` runs after a transaction that appended events (wakes the relay).
  EnterpriseDesk(store::Database& db, std::function<void()> events_committed);

  absl::StatusOr<v1::Unit> DefineUnit(const v1::Unit& unit);
  absl::StatusOr<v1::ListUnitsResponse> ListUnits(const v1::ListUnitsRequest& request);

  absl::StatusOr<v1::Enterprise> Admit(const v1::Enterprise& enterprise);
  absl::StatusOr<v1::Enterprise> Update(const v1::UpdateEnterpriseRequest& request);
  absl::StatusOr<v1::Enterprise> Depart(const v1::DepartEnterpriseRequest& request);
  absl::StatusOr<v1::Enterprise> Get(const std::string& uscc);
  absl::StatusOr<v1::ListEnterprisesResponse> List(const v1::ListEnterprisesRequest& request);

  // `viewer` is the caller: an ALREADY_EXISTS names the number's holder only to park staff and
  // to the holder itself (IpAssetTaken).
  absl::StatusOr<v1::IpAsset> RecordIpAsset(const v1::IpAsset& asset, const auth::Viewer& viewer);
  absl::StatusOr<v1::ListIpAssetsResponse> ListIpAssets(const std::string& uscc);
  absl::StatusOr<v1::TalentFigures> RecordTalent(const v1::TalentFigures& talent);

 private:
  // Runs `fn` in a transaction; calls events_committed_ when it appended events and committed.
  absl::Status Write(const std::function<absl::Status(store::Transaction&, EventSink&)>& fn);

  store::Database& db_;
  std::function<void()> events_committed_;
};

}  // namespace parkline::enterprises

#endif  // PARKLINE_ENTERPRISES_ENTERPRISE_DESK_H_
