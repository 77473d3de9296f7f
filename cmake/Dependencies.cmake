# Every dependency comes from a Debian 12 package (see .ci/run and tools/dev for the list), but
# librdkafka, built from Debian 13's source package when tools/dev deps has run (below).
find_package(Threads REQUIRED)
find_package(Protobuf REQUIRED)
find_package(gRPC CONFIG REQUIRED)
find_package(absl CONFIG REQUIRED)
find_package(prometheus-cpp CONFIG REQUIRED)
find_package(nlohmann_json CONFIG REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(PostgreSQL REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(LibXml2 REQUIRED)
find_package(PkgConfig REQUIRED)
find_package(ZLIB REQUIRED)
# librdkafka: the static 2.8.0 that tools/kafka/librdkafka.sh builds (tools/dev deps runs it) when
# it is there, else Debian 12's 2.0.2, whose SCRAM login Kafka 4 refuses (docs/security.md). One
# target name either way, so that nothing else (cmake/Purity.cmake included) needs to know.
if(DEFINED ENV{PARKLINE_HOME})
  set(_parkline_home "$ENV{PARKLINE_HOME}")
else()
  set(_parkline_home "${PROJECT_SOURCE_DIR}/.parkline")
endif()
set(PARKLINE_LIBRDKAFKA "${_parkline_home}/librdkafka-2.8.0" CACHE PATH
    "librdkafka built by tools/kafka/librdkafka.sh; used when it holds lib/librdkafka.a")
if(EXISTS "${PARKLINE_LIBRDKAFKA}/.complete")
  add_library(PkgConfig::RDKAFKA INTERFACE IMPORTED)
  set_target_properties(PkgConfig::RDKAFKA PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${PARKLINE_LIBRDKAFKA}/include"
    INTERFACE_LINK_LIBRARIES "${PARKLINE_LIBRDKAFKA}/lib/librdkafka++.a;${PARKLINE_LIBRDKAFKA}/lib/librdkafka.a;OpenSSL::SSL;OpenSSL::Crypto;ZLIB::ZLIB;Threads::Threads;${CMAKE_DL_LIBS};m;rt")
  message(STATUS "librdkafka: ${PARKLINE_LIBRDKAFKA} (static)")
else()
  pkg_check_modules(RDKAFKA REQUIRED IMPORTED_TARGET rdkafka++ rdkafka)
  message(STATUS "librdkafka: ${RDKAFKA_VERSION} from the system (SCRAM refused by Kafka 4: "
                 "tools/kafka/librdkafka.sh builds 2.8.0)")
endif()
# Only the PKCS#11 header (libs/ceb); the device's module is dlopen'ed.
pkg_check_modules(P11KIT REQUIRED p11-kit-1)
if(PARKLINE_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
find_program(GRPC_CPP_PLUGIN grpc_cpp_plugin REQUIRED)
