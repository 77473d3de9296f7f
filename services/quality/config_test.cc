#include "quality/config.h"

#include <gtest/gtest.h>

#include "absl/flags/reflection.h"
#include "tests/support/config_bounds.h"

namespace parkline::quality {
namespace {

TEST(QualityConfigTest, DefaultsAreValid) {
  EXPECT_TRUE(Config().Validate().ok());
  absl::FlagSaver saver;
  auto config = LoadConfig();
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->max_document_bytes, 1 << 20);
}

TEST(QualityConfigTest, TheDocumentSizeOutsideItsBoundsIsRefusedNamingTheFlag) {
  testing::ExpectBounds(&Config::max_document_bytes, "max_document_bytes", int64_t{1024},
                        int64_t{6 << 20});
}

}  // namespace
}  // namespace parkline::quality
