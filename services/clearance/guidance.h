// Operating guidance per business mode and direction (6.2.2), as reviewed data: the book is
// services/clearance/guidance.textproto, compiled into the binary at build time and checked once
// at start-up. Immutable once loaded; thread-safe.
#ifndef PARKLINE_CLEARANCE_GUIDANCE_H_
#define PARKLINE_CLEARANCE_GUIDANCE_H_

#include <string>

#include "absl/status/statusor.h"
#include "parkline/clearance/v1/clearance.pb.h"

namespace parkline::clearance {

// The book compiled into the binary. INTERNAL when it does not parse (a build with a broken
// guidance.textproto fails its unit test first).
absl::StatusOr<v1::GuidanceBook> LoadGuidanceBook();

// Parses a book from text format.
absl::StatusOr<v1::GuidanceBook> ParseGuidanceBook(const std::string& text);

// The guidance for one mode and direction, with the book's receipt meanings. INVALID_ARGUMENT
// for an unknown mode or direction; NOT_FOUND for a pair customs does not have (9710 and 9810
// are export only, 1239 import only).
absl::StatusOr<v1::Guidance> FindGuidance(const v1::GuidanceBook& book, const std::string& mode,
                                          parkline::declarations::v1::Direction direction);

}  // namespace parkline::clearance

#endif  // PARKLINE_CLEARANCE_GUIDANCE_H_
