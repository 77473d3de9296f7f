include(GoogleTest)

# Tests carry line tables, not full debug information (-g1 after RelWithDebInfo's -g): a failure's
# file and line, and a backtrace's, are all a test needs, and full DWARF made up a third of the
# tests' compile time (the product keeps -g for profiling and debugging).
function(parkline_test_debug_info target)
  target_compile_options(${target} PRIVATE $<$<CONFIG:RelWithDebInfo>:-g1>)
endfunction()

# parkline_test(NAME LABEL <unit|integration|e2e> SOURCES ... LIBS ...): one GoogleTest binary
# whose cases CTest lists one by one under LABEL.
function(parkline_test name)
  cmake_parse_arguments(T "" "LABEL;TIMEOUT" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ${T_LIBS} GTest::gtest GTest::gmock GTest::gtest_main)
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR})
  parkline_warnings(${name})
  parkline_test_debug_info(${name})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 120)
  endif()
  gtest_discover_tests(${name}
    DISCOVERY_MODE PRE_TEST
    PROPERTIES LABELS ${T_LABEL} TIMEOUT ${T_TIMEOUT})
endfunction()
