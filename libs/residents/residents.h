// The park's resident enterprises as a service that checks parties sees them: a projection, kept
// in the service's own database (table `resident_codes`), of the registry's events on
// parkline.enterprises.v1. Declarations accept documents only from residents; complaints name
// only residents as a resident-enterprise complainant or target (GB/T 39678-2020 5.3.1).
//
// A resident is found by any of its codes: its USCC and, where it has one, its customs code (10
// characters against a USCC's 18, so the two never collide). An admission or update makes the
// enterprise's current codes resident (a code it no longer holds is forgotten); a departure, or
// an update to the departed status, forgets them all. The enterprise's business roles are kept
// the same way (table `resident_roles`): the support service finds its providers there.
//
// Eventually consistent: an admission counts here once this service's consumer has applied it
// (within a second while the broker is up). Functions take the caller's transaction, so that the
// projection changes exactly once with the consumer's record of the event.
#ifndef PARKLINE_RESIDENTS_RESIDENTS_H_
#define PARKLINE_RESIDENTS_RESIDENTS_H_

#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "events/consumer.h"
#include "parkline/enterprises/v1/events.pb.h"
#include "store/database.h"

namespace parkline::residents {

// Creates `resident_codes` where it does not exist yet (component "residents"). A service whose
// own earlier migrations made the table (declarations) applies it after them; one that moves an
// older projection into it (complaints) applies it before them.
absl::Status ApplySchema(store::Database& db);

// Registers the projection's handlers of the registry's events on `consumer`.
void Follow(events::EventConsumer& consumer);

// What Follow applies for each event.
absl::Status OnAdmitted(store::Transaction& tx, const enterprises::v1::EnterpriseAdmitted& event);
absl::Status OnUpdated(store::Transaction& tx, const enterprises::v1::EnterpriseUpdated& event);
absl::Status OnDeparted(store::Transaction& tx, const enterprises::v1::EnterpriseDeparted& event);

// The statement that selects which of `codes` (at least one) are resident, one row (code) each:
// for a caller that sends it together with its other reads (Transaction::QueryAll).
store::Statement SelectResident(const std::vector<std::string>& codes);

// Which of `codes` are resident.
absl::StatusOr<std::set<std::string>> ResidentAmong(store::Transaction& tx,
                                                    const std::set<std::string>& codes);

// Whether `code` (a USCC or a customs code) is a resident's.
absl::StatusOr<bool> IsResident(store::Transaction& tx, const std::string& code);

// The business roles the registry last gave the resident `uscc` (none when it is not resident, or
// when the projection has seen no event about it since the roles were added to it).
absl::StatusOr<std::set<enterprises::v1::EnterpriseRole>> RolesOf(store::Transaction& tx,
                                                                  const std::string& uscc);

}  // namespace parkline::residents

#endif  // PARKLINE_RESIDENTS_RESIDENTS_H_
