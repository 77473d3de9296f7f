// Who may see a complainant's contact details (7.3, privacy): only a park staff member (role
// park-staff or park-admin) who is the complaint's handler. Everyone else, the complainant's own
// enterprise and the enterprise complained about included, gets the complaint without them;
// events, logs and the archive export never carry them. The complainant's identity (USCC) is for
// the park and the complainant itself, not for the enterprise complained about; who handles a
// complaint and what the park noted on its record are the park's (EntryForViewer).
//
// Plain functions; thread-safe.
#ifndef PARKLINE_COMPLAINTS_CONTACT_PRIVACY_H_
#define PARKLINE_COMPLAINTS_CONTACT_PRIVACY_H_

#include <set>
#include <string>

#include "auth/viewer.h"
#include "parkline/complaints/v1/complaints.pb.h"

namespace parkline::complaints {

// The caller (auth/viewer.h): its name and whether it is park staff.
using auth::Viewer;

bool MaySeeContact(const Viewer& viewer, const std::string& handler);

// The complaint `c` as `viewer` may see it, `contact` (stored apart) included only for its
// handler.
v1::Complaint ForViewer(v1::Complaint c, v1::ContactDetails contact, const Viewer& viewer);

// An entry of the complaint's record as `viewer` may see it. Park staff see it whole. An
// enterprise, the complainant or the one complained about, sees the step (action, statuses,
// time) and what it decided for the parties (category, channel, target, deadlines, department,
// forwarding, satisfaction, the response's hash), but not who took it (the principal of the
// complainant's system, a staff member's name) unless it took it itself, nor its note (an
// internal remark of the park), nor its request_id and handler, nor the entry's hashes or the
// filing's digest (which would confirm a guess of what was left out, such as the complainant;
// VerifyRecord checks the chain for the park).
v1::RecordEntry EntryForViewer(v1::RecordEntry entry, const Viewer& viewer);

// Whether an enterprise naming itself as `party` is a party to `c`: its complainant, or the
// enterprise it was forwarded to.
bool IsParty(const v1::Complaint& c, const std::string& party);

}  // namespace parkline::complaints

#endif  // PARKLINE_COMPLAINTS_CONTACT_PRIVACY_H_
