// Validators for the identifiers the park exchanges with customs and the registry. Each returns
// an empty string when the text is valid, otherwise the rule it breaks in words (for an
// INVALID_ARGUMENT message). Plain functions, thread-safe, no allocation on success.
#ifndef PARKLINE_IDS_IDS_H_
#define PARKLINE_IDS_IDS_H_

#include <string>

#include "absl/strings/string_view.h"

namespace parkline::ids {

// Unified social credit code (统一社会信用代码), GB 32100-2015: 18 characters from
// "0123456789ABCDEFGHJKLMNPQRTUWXY" (no I, O, S, V, Z), the last a check character over the
// first 17 with weights 3^i mod 31.
std::string CheckUscc(absl::string_view code);

// The check character GB 32100 gives for the first 17 characters of a USCC; '\0' when one of
// them is outside the code's alphabet. Exposed for tests and test-data generators.
char UsccCheckCharacter(absl::string_view first17);

// Resident identity number (公民身份号码), GB 11643-1999: 17 digits, a valid birth date
// (YYYYMMDD at positions 7-14) and an ISO 7064 MOD 11-2 check character (0-9 or X).
std::string CheckResidentId(absl::string_view id);
char ResidentIdCheckCharacter(absl::string_view first17);

// Customs registration code (海关注册编码): 10 characters of [0-9A-Z].
std::string CheckCustomsCode(absl::string_view code);

}  // namespace parkline::ids

#endif  // PARKLINE_IDS_IDS_H_
