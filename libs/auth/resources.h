// The Resource (principal.h) an RPC's request names, built the same way by every adapter: the
// row-level rules compare it with the caller's own codes, so an empty code must never stand for a
// party (it would match a caller without that code). Pure values; thread-safe.
#ifndef PARKLINE_AUTH_RESOURCES_H_
#define PARKLINE_AUTH_RESOURCES_H_

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "auth/principal.h"

namespace parkline::auth {

// Not tied to any party: a park-wide list, a registry change, a customs receipt.
inline const Resource kParkWide{};

// The enterprise `uscc` is about: what an enterprise caller must be.
inline Resource OfEnterprise(std::string uscc) {
  Resource resource;
  resource.uscc = std::move(uscc);
  return resource;
}

// The carrier `carrier_code` is about: what a carrier caller must be.
inline Resource OfCarrier(std::string carrier_code) {
  Resource resource;
  resource.carrier_code = std::move(carrier_code);
  return resource;
}

// A document's parties, by code; the empty codes of parties a document does not name are
// dropped.
inline Resource Parties(std::vector<std::string> codes) {
  codes.erase(std::remove(codes.begin(), codes.end(), std::string()), codes.end());
  Resource resource;
  resource.parties = std::move(codes);
  return resource;
}

}  // namespace parkline::auth

#endif  // PARKLINE_AUTH_RESOURCES_H_
