#include "complaints/contact_privacy.h"

#include <iterator>

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
  // The staff member's principal name is the park's own business.
  if (!viewer.park_staff) c.clear_handler();
  return c;
}

v1::RecordEntry EntryForViewer(v1::RecordEntry entry, const Viewer& viewer) {
  if (viewer.park_staff) return entry;
  // What a step decided for the parties; anything else in its details stays with the park.
  static const auto* kForParties = new std::set<std::string>{
      "category",   "channel",           "target",       "acknowledge_by",  "resolve_by",
      "department", "forwarded_to_uscc", "satisfaction", "response_sha256", "kind",
      "deadline",   "escalated_to"};
  const bool own = !viewer.name.empty() && entry.actor() == viewer.name;
  if (!own) {
    entry.clear_actor();
    entry.clear_note();
  }
  auto& details = *entry.mutable_details();
  for (auto it = details.begin(); it != details.end();) {
    it = kForParties->count(it->first) > 0 ? std::next(it) : details.erase(it);
  }
  entry.clear_previous_hash();
  entry.clear_hash();
  return entry;
}

bool IsParty(const v1::Complaint& c, const std::string& party) {
  return !party.empty() && (c.complainant().uscc() == party || c.forwarded_to_uscc() == party);
}

}  // namespace parkline::complaints
