// Keyset paging, as every List RPC of the park does it: a request's common.v1.PageRequest is read
// into a Page (how many items, and the key of the last item of the page before), the repository
// reads Page::limit() items after that key, and NextPageToken trims the extra item and makes the
// token of the next page.
//
// What holds for every list:
// - page_size 0 means kDefaultPageSize (50); outside 0..kMaxPageSize (500) it is refused with a
//   RANGE violation on "page.page_size" ("must be 0..500").
// - A page token is opaque to the client: web-safe base64 of the key's parts joined by the
//   format's separator. A token that does not read back as such a key is refused with a
//   PAGE_TOKEN violation on "page.page_token" ("is not a token this service returned").
// - The last page has no token ("").
//
// Pure (no database, no gRPC); thread-safe.
#ifndef PARKLINE_PAGING_PAGE_H_
#define PARKLINE_PAGING_PAGE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "errors/violations.h"
#include "parkline/common/v1/common.pb.h"

namespace parkline::paging {

inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 500;

// An item's sort key, by part: {"91350100M000100Y43"}, or {"1712345678000000", "CMP-7"}.
using Key = std::vector<std::string>;

// How a list's tokens hold its key. A list keeps its format for good: a token made with another
// is refused.
struct KeyFormat {
  // How many parts a key has.
  int parts = 1;
  // Between the parts: a character no part but the last ever holds.
  char separator = '\n';
  // The first part is an integer (a time in micros): a token whose first part is not one is
  // refused, and Page::after_number holds it.
  bool number_first = false;
};

// A page request, read.
struct Page {
  // Items on the page: 1..kMaxPageSize once the request was valid.
  int size = kDefaultPageSize;
  // The key of the last item of the page before; empty on the first page.
  Key after;
  // after[0] as an integer, for a KeyFormat::number_first format's tokens; 0 on the first page.
  int64_t after_number = 0;

  bool first() const { return after.empty(); }
  // Part `part` of `after`; "" on the first page (which sorts before every key).
  std::string AfterPart(int part) const { return first() ? std::string() : after[part]; }
  // The items to read: one more than the page, to learn whether another page follows.
  int limit() const { return size + 1; }
};

// Reads `request`; what is wrong with it goes to `v` (the Page is then not to be used).
Page ReadPage(const common::v1::PageRequest& request, errors::Violations& v,
              const KeyFormat& format = {});

// The token of the page after the item whose key is `key` (format.parts parts).
std::string TokenAfter(const Key& key, const KeyFormat& format = {});

// Trims `fetched` (read with Page::limit()) to the page's `size` items and returns the next
// page's token, made from the last item kept by `key_of` (T -> Key); "" when no page follows.
// Call it before moving the items out.
template <typename T, typename KeyOf>
std::string NextPageToken(std::vector<T>& fetched, int size, KeyOf&& key_of,
                          const KeyFormat& format = {}) {
  if (static_cast<int>(fetched.size()) <= size) return "";
  fetched.resize(size);
  return TokenAfter(key_of(fetched.back()), format);
}

}  // namespace parkline::paging

#endif  // PARKLINE_PAGING_PAGE_H_
