// Who may see the buyer's personal identity on a clearance case, and the masked form everyone
// else sees (personal information kept to the minimum each reader needs: PIPL art. 6, and
// art. 51's access rights and de-identification).
//
// The identity is what an import inventory (CEB621) carries about the buyer: buyerName,
// buyerIdNumber, buyerTelephone and consigneeAddress (buyerIdType, a code, is not personal). In
// full it goes only to
// - customs: a customs-gateway caller (it carries the inventory to customs, which must have it);
// - the declarant: an enterprise caller whose USCC or customs code is the case's e-commerce
//   enterprise (ebcCode, answerable to customs for the declaration) or its declaring agent
//   (agentCode), who supply the identity in the first place.
// Everyone else the case is shown to gets it masked: park staff and the park admin, and the
// other parties of the order (the platform, the logistics enterprise). This mirrors
// complaints/contact_privacy.h: the adapter identifies the caller as a Viewer, the desk shapes
// every case (and inventory message) it returns for that viewer. Events and logs never carry the
// identity at all.
//
// Masking keeps what lets a person recognise the record without identifying the buyer: the
// first character of the name (the surname), the last 4 characters of the ID number and of the
// telephone, nothing of the address; every other character becomes '*'. A masked value always
// contains '*', which no real value of these fields does, so a masked inventory sent back
// (SubmitCase) is refused instead of replacing the identity (inventory_rules.h).
//
// Pure; thread-safe.
#ifndef PARKLINE_CLEARANCE_BUYER_PRIVACY_H_
#define PARKLINE_CLEARANCE_BUYER_PRIVACY_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "auth/viewer.h"
#include "parkline/clearance/v1/clearance.pb.h"

namespace parkline::clearance {

inline constexpr char kMaskCharacter = '*';

// The caller (auth/viewer.h): whether it is customs, and an enterprise caller's codes.
using auth::Viewer;

// A viewer who sees every identity in full, for the service's own use and for tests.
Viewer CustomsViewer();

// True when `viewer` is customs, or an enterprise that is the inventory's e-commerce enterprise
// or declaring agent.
bool MaySeeBuyerIdentity(const Viewer& viewer, const v1::Inventory& inventory);

// The masks, by Unicode character (UTF-8 code point), so a Chinese name keeps its first
// character whole. Empty stays empty (the case's `missing` still shows what is absent).
// "张三丰" -> "张**"; a one-character name -> "*".
std::string MaskName(absl::string_view name);
// The last 4 characters kept: "110101199003070014" -> "**************0014"; 4 or fewer -> all '*'.
std::string MaskIdNumber(absl::string_view id_number);
// The same rule as the ID number: "13800138000" -> "*******8000".
std::string MaskTelephone(absl::string_view telephone);
// Nothing kept: "****", whatever its length.
std::string MaskAddress(absl::string_view address);

// The inventory's four identity fields masked in place.
void MaskBuyerIdentity(v1::Inventory& inventory);

// True when any of the four identity fields holds a mask character: what GetCase showed a
// viewer who may not see the identity, not an identity.
bool HoldsMaskedIdentity(const v1::Inventory& inventory);

// The case as `viewer` may see it: the identity masked (and buyer_identity_masked set) unless
// MaySeeBuyerIdentity.
v1::ClearanceCase CaseFor(const Viewer& viewer, v1::ClearanceCase c);

// The inventory message (CEB621 XML as stored) as `viewer` may see it: unless
// MaySeeBuyerIdentity(viewer, inventory) for the case's inventory, the text of every
// buyerName, buyerIdNumber, buyerTelephone and consigneeAddress element is masked and
// buyer_identity_masked is set (it is then no longer the message as sent and signed). INTERNAL
// when the stored XML cannot be read.
absl::StatusOr<v1::InventoryMessage> MessageFor(const Viewer& viewer,
                                                const v1::Inventory& inventory,
                                                v1::InventoryMessage message);

}  // namespace parkline::clearance

#endif  // PARKLINE_CLEARANCE_BUYER_PRIVACY_H_
