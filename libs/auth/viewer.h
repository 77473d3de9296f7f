// The caller as a handler whose answer depends on who asks knows it: a complaint shows its
// complainant's contact details to its handler only (complaints/contact_privacy.h), a clearance
// case shows the buyer's identity to customs and the declarant only (clearance/buyer_privacy.h).
// The adapter makes it from the authorized Principal (PARKLINE_RPC_AS_VIEWER, handler.h) and the
// use cases shape what they return for it; it carries roles and codes, never a credential.
//
// Plain values; thread-safe to copy and read.
#ifndef PARKLINE_AUTH_VIEWER_H_
#define PARKLINE_AUTH_VIEWER_H_

#include <string>
#include <vector>

#include "auth/principal.h"

namespace parkline::auth {

struct Viewer {
  // The caller's name, for the record and logs ("staff-li", "acme-erp").
  std::string name;
  // A park-staff or park-admin caller.
  bool park_staff = false;
  // The USCC the caller speaks for ("" when it speaks for none).
  std::string uscc;
  // A customs-gateway caller.
  bool customs = false;
  // An enterprise caller's USCC and customs code, those it has; empty for any other caller.
  std::vector<std::string> codes{};
  // A park-admin caller: the only one who may act on any tenant's objects (staff read them).
  bool admin = false;
  // A carrier caller's carrier code; empty for any other caller.
  std::string carrier_code{};
  // An analyst caller: reads the park's own records (its internal documents included), writes
  // nothing.
  bool analyst = false;

  // Whether the caller speaks for `code`: one of its enterprise codes, or its carrier code.
  bool SpeaksFor(const std::string& code) const {
    if (code.empty()) return false;
    if (code == carrier_code) return true;
    for (const std::string& own : codes) {
      if (own == code) return true;
    }
    return false;
  }
};

inline Viewer ViewerOf(const Principal& principal) {
  Viewer v;
  v.name = principal.name;
  v.park_staff =
      principal.roles.count(Role::kParkStaff) > 0 || principal.roles.count(Role::kParkAdmin) > 0;
  v.uscc = principal.uscc;
  v.customs = principal.roles.count(Role::kCustomsGateway) > 0;
  if (principal.roles.count(Role::kEnterprise) > 0) {
    for (const std::string& code : {principal.uscc, principal.customs_code}) {
      if (!code.empty()) v.codes.push_back(code);
    }
  }
  v.admin = principal.roles.count(Role::kParkAdmin) > 0;
  if (principal.roles.count(Role::kCarrier) > 0) v.carrier_code = principal.carrier_code;
  v.analyst = principal.roles.count(Role::kAnalyst) > 0;
  return v;
}

}  // namespace parkline::auth

#endif  // PARKLINE_AUTH_VIEWER_H_
