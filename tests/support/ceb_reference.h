// Where tests find customs' official CEB 202205 XSDs and sample messages. They are published by
// the China e-Port data centre and never copied into this repository, so a clone may lack them:
// a test that needs them names the files first with PARKLINE_REQUIRE_CEB_REFERENCE, and is
// reported as skipped, saying what to put where, instead of failing on an empty read.
//
// The folder is $PARKLINE_CEB_REFERENCE when set, else ../shared/reference/ceb-202205 beside the
// source tree. Header and library depend on nothing but GoogleTest, so that unit tests without
// gRPC can use them too.
#ifndef PARKLINE_TESTS_SUPPORT_CEB_REFERENCE_H_
#define PARKLINE_TESTS_SUPPORT_CEB_REFERENCE_H_

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

namespace parkline::testing {

// The reference folder, read from the environment on every call.
std::filesystem::path CebReferenceDir();

// `relative` ("xsd/ceb-import.xsd") inside the reference folder.
std::string CebReference(const std::string& relative);

// Empty when every `relative` path exists in the reference folder; otherwise why the test cannot
// run: the missing paths, the folder looked in and what belongs there.
std::string MissingCebReference(const std::vector<std::string>& relative);

}  // namespace parkline::testing

// Skips the calling test unless all the given reference files exist. Call it first in the test
// body: GTEST_SKIP only returns from the function it is written in.
#define PARKLINE_REQUIRE_CEB_REFERENCE(...)                                                       \
  do {                                                                                            \
    const std::string parkline_missing = ::parkline::testing::MissingCebReference({__VA_ARGS__}); \
    if (!parkline_missing.empty()) GTEST_SKIP() << parkline_missing;                              \
  } while (false)

#endif  // PARKLINE_TESTS_SUPPORT_CEB_REFERENCE_H_
