#include "complaints/contact_privacy.h"

namespace parkline::complaints {

bool MaySeeContact(const Viewer& viewer, const std::string& handler) {
  return viewer.park_staff && !handler.empty() && viewer.name == handler;
}

v1::Complaint ForViewer(v1::Complaint c, v1::ContactDetails contact, const Viewer& viewer) {
  c.mutable_complainant()->clear_contact();
  if (MaySeeContact(viewer, c.handler())) *c.mutable_complainant()->mutable_contact() = contact;
  if (!viewer.park_staff && viewer.uscc != c.complainant().uscc()) {
    c.mutable_complainant()->clear_uscc();
  }
  return c;
}

bool IsParty(const v1::Complaint& c, const std::string& party) {
  return !party.empty() && (c.complainant().uscc() == party || c.forwarded_to_uscc() == party);
}

}  // namespace parkline::complaints
