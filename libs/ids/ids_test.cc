#include "ids/ids.h"

#include <gtest/gtest.h>

namespace parkline::ids {
namespace {

// The example code printed in GB 32100-2015.
constexpr char kStandardExample[] = "91350100M000100Y43";

TEST(Uscc, AcceptsTheStandardsExample) { EXPECT_EQ(CheckUscc(kStandardExample), ""); }

TEST(Uscc, ComputesTheCheckCharacter) {
  EXPECT_EQ(UsccCheckCharacter("91350100M000100Y4"), '3');
  // A check value of 0 (sum divisible by 31) must give '0', not the 31st character.
  EXPECT_EQ(UsccCheckCharacter("00000000000000000"), '0');
}

TEST(Uscc, RejectsAWrongCheckCharacter) {
  std::string rule = CheckUscc("91350100M000100Y44");
  EXPECT_NE(rule.find("check character is '4', GB 32100 gives '3'"), std::string::npos) << rule;
}

TEST(Uscc, RejectsWrongLength) {
  EXPECT_NE(CheckUscc("91350100M000100Y4").find("18 characters"), std::string::npos);
  EXPECT_NE(CheckUscc("").find("18 characters"), std::string::npos);
}

TEST(Uscc, RejectsLettersOutsideTheAlphabet) {
  for (char bad : {'I', 'O', 'S', 'V', 'Z', 'a', '-'}) {
    std::string code = kStandardExample;
    code[9] = bad;
    EXPECT_NE(CheckUscc(code).find("character 10"), std::string::npos) << bad;
  }
}

TEST(ResidentId, AcceptsTheStandardsExample) {
  // GB 11643-1999's example, whose check character is X.
  EXPECT_EQ(CheckResidentId("11010519491231002X"), "");
}

TEST(ResidentId, RejectsWrongCheckCharacter) {
  EXPECT_NE(CheckResidentId("110105194912310021").find("MOD 11-2 gives 'X'"), std::string::npos);
}

TEST(ResidentId, RejectsAnImpossibleBirthDate) {
  EXPECT_NE(CheckResidentId("110105194902300021").find("birth date"), std::string::npos);
}

TEST(ResidentId, RejectsLettersAndLength) {
  EXPECT_NE(CheckResidentId("11010519491231002").find("18 characters"), std::string::npos);
  EXPECT_NE(CheckResidentId("1101051949123100AX").find("digit"), std::string::npos);
}

TEST(CustomsCode, AcceptsTenDigitsOrCapitals) {
  EXPECT_EQ(CheckCustomsCode("3301960001"), "");
  EXPECT_EQ(CheckCustomsCode("31209604TX"), "");
}

TEST(CustomsCode, RejectsOtherShapes) {
  EXPECT_NE(CheckCustomsCode("330196000").find("10 characters"), std::string::npos);
  EXPECT_NE(CheckCustomsCode("330196000a").find("character 10"), std::string::npos);
}

}  // namespace
}  // namespace parkline::ids
