#include "runtime/job_errors.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "runtime/log.h"

namespace parkline::runtime {
namespace {

// The last JSON line `fn` wrote to stderr.
template <typename Fn>
nlohmann::json LastLine(Fn fn) {
  ::testing::internal::CaptureStderr();
  fn();
  std::istringstream lines(::testing::internal::GetCapturedStderr());
  std::string line, last;
  while (std::getline(lines, line)) last = line;
  return nlohmann::json::parse(last);
}

TEST(JobErrors, AFailedJobIsLoggedAndCounted) {
  log::Init("declarations", log::Level::kInfo);
  const double before = JobErrorCount("test_expiry");
  auto line = LastLine([] {
    CheckJob("test_expiry", absl::UnavailableError("database is locked"));
    CheckJob("test_expiry", absl::OkStatus());  // nothing to say
  });
  EXPECT_EQ(JobErrorCount("test_expiry"), before + 1);
  EXPECT_EQ(line["level"], "error");
  EXPECT_EQ(line["job"], "test_expiry");
  EXPECT_EQ(line["code"], "UNAVAILABLE");
  EXPECT_EQ(line["error"], "database is locked");
}

TEST(JobErrors, AnUnreadableRowIsDataLossLoggedAndCounted) {
  const double before = UnreadableRowCount("test_documents");
  absl::Status status;
  auto line = LastLine(
      [&] { status = UnreadableRow("test_documents", "stored document D-1 is unreadable"); });
  EXPECT_TRUE(absl::IsDataLoss(status)) << status;
  EXPECT_EQ(status.message(), "stored document D-1 is unreadable");
  EXPECT_EQ(UnreadableRowCount("test_documents"), before + 1);
  EXPECT_EQ(line["level"], "error");
  EXPECT_EQ(line["table"], "test_documents");
}

}  // namespace
}  // namespace parkline::runtime
