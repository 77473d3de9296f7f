#include "complaints/contact_privacy.h"

namespace parkline::complaints {

Viewer ViewerOf(const auth::Principal& principal) {
  Viewer v;
  v.name = principal.name;
  v.park_staff = principal.roles.count(auth::Role::kParkStaff) > 0 ||
                 principal.roles.count(auth::Role::kParkAdmin) > 0;
  v.uscc = principal.uscc;
  return v;
}

bool MaySeeContact(const Viewer& viewer, const std::string& handler) {
  return viewer.park_staff && !handler.empty() && viewer.name == handler;
}

}  // namespace parkline::complaints
