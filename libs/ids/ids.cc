#include "ids/ids.h"

#include <array>

#include "absl/strings/str_cat.h"
#include "calendar/date.h"

namespace parkline::ids {
namespace {

constexpr absl::string_view kUsccAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
constexpr std::array<int, 17> kUsccWeights = {1,  3,  9,  27, 19, 26, 16, 17, 20,
                                              29, 25, 13, 8,  24, 10, 30, 28};
constexpr std::array<int, 17> kResidentIdWeights = {7, 9, 10, 5,  8, 4, 2, 1, 6,
                                                    3, 7, 9,  10, 5, 8, 4, 2};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

char UsccCheckCharacter(absl::string_view first17) {
  if (first17.size() != 17) return '\0';
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) {
    size_t value = kUsccAlphabet.find(first17[i]);
    if (value == absl::string_view::npos) return '\0';
    sum += static_cast<int>(value) * kUsccWeights[i];
  }
  int check = (31 - sum % 31) % 31;
  return kUsccAlphabet[check];
}

std::string CheckUscc(absl::string_view code) {
  if (code.size() != 18) {
    return absl::StrCat("must be 18 characters (GB 32100), got ", code.size());
  }
  for (size_t i = 0; i < code.size(); ++i) {
    if (kUsccAlphabet.find(code[i]) == absl::string_view::npos) {
      return absl::StrCat("character ", i + 1, " '", std::string(1, code[i]),
                          "' is not in the GB 32100 alphabet 0-9 A-H J-N P-R T U W-Y");
    }
  }
  char expected = UsccCheckCharacter(code.substr(0, 17));
  if (code[17] != expected) {
    return absl::StrCat("check character is '", std::string(1, code[17]), "', GB 32100 gives '",
                        std::string(1, expected), "'");
  }
  return "";
}

char ResidentIdCheckCharacter(absl::string_view first17) {
  if (first17.size() != 17) return '\0';
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) {
    if (!IsDigit(first17[i])) return '\0';
    sum += (first17[i] - '0') * kResidentIdWeights[i];
  }
  constexpr absl::string_view kChecks = "10X98765432";
  return kChecks[sum % 11];
}

std::string CheckResidentId(absl::string_view id) {
  if (id.size() != 18) return absl::StrCat("must be 18 characters (GB 11643), got ", id.size());
  for (size_t i = 0; i < 17; ++i) {
    if (!IsDigit(id[i])) return absl::StrCat("character ", i + 1, " must be a digit");
  }
  int year = std::stoi(std::string(id.substr(6, 4)));
  int month = std::stoi(std::string(id.substr(10, 2)));
  int day = std::stoi(std::string(id.substr(12, 2)));
  if (!calendar::IsValidDate(year, month, day)) {
    return absl::StrCat("birth date ", id.substr(6, 8), " is not a calendar date");
  }
  char expected = ResidentIdCheckCharacter(id.substr(0, 17));
  if (id[17] != expected) {
    return absl::StrCat("check character is '", std::string(1, id[17]),
                        "', ISO 7064 MOD 11-2 gives '", std::string(1, expected), "'");
  }
  return "";
}

std::string CheckCustomsCode(absl::string_view code) {
  if (code.size() != 10) return absl::StrCat("must be 10 characters, got ", code.size());
  for (size_t i = 0; i < code.size(); ++i) {
    char c = code[i];
    if (!IsDigit(c) && !(c >= 'A' && c <= 'Z')) {
      return absl::StrCat("character ", i + 1, " must be 0-9 or A-Z");
    }
  }
  return "";
}

}  // namespace parkline::ids
