#include "complaints/contact_privacy.h"

namespace parkline::complaints {

bool MaySeeContact(const Viewer& viewer, const std::string& handler) {
  return viewer.park_staff && !handler.empty() && viewer.name == handler;
}

}  // namespace parkline::complaints
