#include "runtime/log.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace parkline::log {
namespace {

TEST(Log, OneJsonObjectWithTheStandardKeysAndFields) {
  Init("enterprises", Level::kInfo);
  std::string line =
      Format(Level::kWarn, "outbox publish failed",
             {{"event_id", std::string("e-1")}, {"retry_ms", int64_t{200}}, {"fatal", false}});
  EXPECT_EQ(line.find('\n'), std::string::npos);
  auto json = nlohmann::json::parse(line);
  EXPECT_EQ(json["level"], "warn");
  EXPECT_EQ(json["service"], "enterprises");
  EXPECT_EQ(json["msg"], "outbox publish failed");
  EXPECT_EQ(json["event_id"], "e-1");
  EXPECT_EQ(json["retry_ms"], 200);
  EXPECT_EQ(json["fatal"], false);
  EXPECT_EQ(json["ts"].get<std::string>().back(), 'Z');
}

TEST(Log, EscapesNewlinesAndSurvivesInvalidUtf8) {
  std::string line = Format(Level::kInfo, "a\nb", {{"raw", std::string("\xff\xfe")}});
  EXPECT_EQ(line.find('\n'), std::string::npos);
  EXPECT_NO_THROW(nlohmann::json::parse(line));
}

TEST(Log, ParsesLevels) {
  Level level;
  EXPECT_TRUE(ParseLevel("debug", &level));
  EXPECT_EQ(level, Level::kDebug);
  EXPECT_FALSE(ParseLevel("verbose", &level));
}

}  // namespace
}  // namespace parkline::log
