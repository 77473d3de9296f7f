// Who may see a complainant's contact details (7.3, privacy): only a park staff member (role
// park-staff or park-admin) who is the complaint's handler. Everyone else, the complainant's own
// enterprise and the enterprise complained about included, gets the complaint without them;
// events, logs and the archive export never carry them.
#ifndef PARKLINE_COMPLAINTS_CONTACT_PRIVACY_H_
#define PARKLINE_COMPLAINTS_CONTACT_PRIVACY_H_

#include <set>
#include <string>

#include "auth/viewer.h"

namespace parkline::complaints {

// The caller (auth/viewer.h): its name and whether it is park staff.
using auth::Viewer;

bool MaySeeContact(const Viewer& viewer, const std::string& handler);

}  // namespace parkline::complaints

#endif  // PARKLINE_COMPLAINTS_CONTACT_PRIVACY_H_
