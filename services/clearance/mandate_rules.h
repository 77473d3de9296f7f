// Mandates (报关委托): an e-commerce enterprise authorises a customs broker to declare its
// inventories for a period. These are the rules of granting, revoking, seeing a mandate and of
// when one is in force; the desk stores mandates and asks these functions, and case_parties.h
// asks MandateInForce whether a broker may act for an enterprise.
//
// Decisions:
// - The period is two Timestamps, [valid_from, valid_until): an authorisation starts and ends at
//   an instant (a broker replaced at noon must not declare at 13:00), which a day cannot say.
// - A mandate's id is a hash of its content (ebc, agent, period), so a retried grant is the same
//   mandate. Another grant to the same broker whose period overlaps a mandate still in force (not
//   revoked, not ended) is ALREADY_EXISTS rather than superseding it: a silent supersede would
//   change a broker's authority without anyone revoking anything, and leave two records
//   disagreeing about the same days. To change a period, revoke and grant again.
// - A mandate ends at valid_until or at its revocation, whichever is first; after its end it
//   authorises nothing, and it can be revoked only while it has not ended.
// - Only the e-commerce enterprise itself (a caller speaking for ebc_code) or the park admin
//   grants and revokes; the broker and park staff see mandates but change none.
//
// Pure; thread-safe.
#ifndef PARKLINE_CLEARANCE_MANDATE_RULES_H_
#define PARKLINE_CLEARANCE_MANDATE_RULES_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "auth/viewer.h"
#include "parkline/clearance/v1/clearance.pb.h"

namespace parkline::clearance {

namespace v1 = ::parkline::clearance::v1;

// The mandate id for its content: the SHA-256 of the four values, UUID-shaped and uppercase.
std::string MandateIdFor(const std::string& ebc_code, const std::string& agent_code,
                         absl::Time valid_from, absl::Time valid_until);

// When the mandate stops authorising: valid_until, or revoke_time when that is earlier.
absl::Time MandateEnd(const v1::Mandate& mandate);

// True when `now` is in [valid_from, MandateEnd).
bool MandateInForce(const v1::Mandate& mandate, absl::Time now);

// True when one of `mandates` (of any pair) is from `ebc_code` to `agent_code` and in force.
bool AnyMandateInForce(const std::vector<v1::Mandate>& mandates, const std::string& ebc_code,
                       const std::string& agent_code, absl::Time now);

// INVALID_ARGUMENT naming every broken rule of the request: both codes (at most 18 characters),
// agent_code other than ebc_code, both times, valid_from before valid_until, valid_until after
// `now`.
absl::Status CheckGrant(const v1::GrantMandateRequest& request, absl::Time now);

// OK for the park admin or a caller speaking for `ebc_code`; PERMISSION_DENIED naming ebc_code
// otherwise.
absl::Status MayGrantMandate(const auth::Viewer& viewer, const std::string& ebc_code);

// Among `same_pair` (the stored mandates of the request's ebc and agent), one other than
// `mandate_id` that has not ended by `now` and whose period overlaps [from, until).
std::optional<v1::Mandate> OverlappingMandate(const std::vector<v1::Mandate>& same_pair,
                                              const std::string& mandate_id, absl::Time from,
                                              absl::Time until, absl::Time now);

// True for park staff, the admin, customs, and the mandate's enterprise or broker.
bool MaySeeMandate(const auth::Viewer& viewer, const v1::Mandate& mandate);

// OK for the admin or the grantor (a caller speaking for its ebc_code); PERMISSION_DENIED for
// another caller who may see it (its broker, staff); NOT_FOUND for anyone else, so that the
// refusal does not reveal that the mandate exists.
absl::Status MayRevokeMandate(const auth::Viewer& viewer, const v1::Mandate& mandate);

}  // namespace parkline::clearance

#endif  // PARKLINE_CLEARANCE_MANDATE_RULES_H_
