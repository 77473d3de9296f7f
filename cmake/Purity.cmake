# parkline_check_pure(TARGET): TARGET holds pure rules, so configuration fails when it links,
# directly or through any library it links, gRPC, Kafka, SQLite or PostgreSQL, or one of our
# libraries that wraps them; or when one of its sources, or the header beside one, includes such
# a library's header (a cheap second look, not a walk of every include). Pure rules are what the
# unit tests cover without a broker, a database or a network: a dependency creeping in would go
# unnoticed by the compiler, so the build says so.
#
# The check runs at the end of configuration, when every target is defined, and walks
# LINK_LIBRARIES and INTERFACE_LINK_LIBRARIES (PRIVATE links of static libraries included).

# Targets a pure target must not reach (regular expressions over the target's name).
set(PARKLINE_IMPURE_TARGETS
  "^gRPC::"
  "^PkgConfig::RDKAFKA$"
  "^SQLite::SQLite3$"
  "^PostgreSQL::PostgreSQL$"
  "^parkline_(proto|runtime|auth|store|events|host)$")
# Library files and linker flags a pure target must not reach (imported targets list some).
set(PARKLINE_IMPURE_FILES "(^|/|-l)(lib)?(grpc|gpr|rdkafka|sqlite3|pq)([-+._]|$)")
# Headers a pure source must not include: the C/C++ APIs of gRPC, Kafka, SQLite and PostgreSQL,
# gRPC stubs, and our libraries wrapping them, but for their pure parts (auth/principal.h and
# auth/viewer.h, auth/sha256.h, events/envelope.h, runtime/log.h), which have targets of their own.
set(PARKLINE_IMPURE_INCLUDES
  "^(grpcpp|grpc|grpc\\+\\+)/" "rdkafka" "^sqlite3\\.h$" "^libpq-fe\\.h$" "\\.grpc\\.pb\\.h$"
  "^(store|host)/" "^events/" "^runtime/" "^auth/")
set(PARKLINE_PURE_INCLUDES
  "auth/principal.h" "auth/viewer.h" "auth/sha256.h" "events/envelope.h" "runtime/log.h")

function(parkline_check_pure target)
  cmake_language(EVAL CODE "
    cmake_language(DEFER DIRECTORY [[${PROJECT_SOURCE_DIR}]]
                   CALL _parkline_check_pure_links [[${target}]])
    cmake_language(DEFER DIRECTORY [[${PROJECT_SOURCE_DIR}]]
                   CALL _parkline_check_pure_includes [[${target}]])")
endfunction()

# Breadth first over the link graph, so that the path named is a shortest one.
function(_parkline_check_pure_links target)
  set(queue ${target})
  set(seen ${target})
  string(MAKE_C_IDENTIFIER "${target}" id)
  set(path_${id} ${target})
  set(problems)
  while(queue)
    list(POP_FRONT queue item)
    string(MAKE_C_IDENTIFIER "${item}" id)
    set(path "${path_${id}}")
    set(links)
    foreach(property LINK_LIBRARIES INTERFACE_LINK_LIBRARIES)
      get_target_property(value ${item} ${property})
      if(value)
        list(APPEND links ${value})
      endif()
    endforeach()
    foreach(link IN LISTS links)
      # A static library's PRIVATE links appear as $<LINK_ONLY:x>; other generator expressions
      # (a configuration's variant, say) are searched as text below.
      string(REGEX REPLACE "^\\$<LINK_ONLY:(.*)>$" "\\1" link "${link}")
      if(link STREQUAL "" OR link IN_LIST seen)
        continue()
      endif()
      list(APPEND seen "${link}")
      set(link_path "${path} -> ${link}")
      set(impure FALSE)
      if(TARGET ${link})
        get_target_property(real ${link} ALIASED_TARGET)
        foreach(pattern IN LISTS PARKLINE_IMPURE_TARGETS)
          if(link MATCHES "${pattern}" OR (real AND real MATCHES "${pattern}"))
            set(impure TRUE)
          endif()
        endforeach()
        if(NOT impure)
          string(MAKE_C_IDENTIFIER "${link}" link_id)
          set(path_${link_id} "${link_path}")
          list(APPEND queue "${link}")
        endif()
      else()
        get_filename_component(name "${link}" NAME)
        if(name MATCHES "${PARKLINE_IMPURE_FILES}")
          set(impure TRUE)
        endif()
        foreach(pattern IN LISTS PARKLINE_IMPURE_TARGETS)
          string(REGEX REPLACE "[$^]" "" bare "${pattern}")
          if(link MATCHES "\\$<" AND link MATCHES "${bare}")
            set(impure TRUE)
          endif()
        endforeach()
      endif()
      if(impure)
        list(APPEND problems "  ${link_path}")
      endif()
    endforeach()
  endwhile()
  if(problems)
    list(JOIN problems "\n" text)
    message(SEND_ERROR
      "${target} holds pure rules (parkline_check_pure) but links gRPC, Kafka or SQL:\n${text}\n"
      "Link the pure part instead (parkline_proto_messages, parkline_principal, parkline_sha256, "
      "parkline_event_envelope, parkline_log), or move the impure code to the service library.")
  endif()
endfunction()

# The includes of the target's sources, and of the headers beside them (rules.cc's rules.h).
function(_parkline_check_pure_includes target)
  get_target_property(sources ${target} SOURCES)
  get_target_property(source_dir ${target} SOURCE_DIR)
  set(files)
  foreach(source IN LISTS sources)
    get_filename_component(source "${source}" ABSOLUTE BASE_DIR "${source_dir}")
    list(APPEND files "${source}")
    string(REGEX REPLACE "\\.cc$" ".h" header "${source}")
    if(EXISTS "${header}")
      list(APPEND files "${header}")
    endif()
  endforeach()
  set(problems)
  foreach(file IN LISTS files)
    if(NOT EXISTS "${file}")
      continue()
    endif()
    file(STRINGS "${file}" includes REGEX "^[ \t]*#[ \t]*include[ \t]*[<\"]")
    foreach(line IN LISTS includes)
      string(REGEX REPLACE "^[ \t]*#[ \t]*include[ \t]*[<\"]([^>\"]*)[>\"].*$" "\\1" header
                           "${line}")
      if(header IN_LIST PARKLINE_PURE_INCLUDES)
        continue()
      endif()
      foreach(pattern IN LISTS PARKLINE_IMPURE_INCLUDES)
        if(header MATCHES "${pattern}")
          file(RELATIVE_PATH shown "${PROJECT_SOURCE_DIR}" "${file}")
          string(STRIP "${line}" line)
          list(APPEND problems "  ${shown}: ${line}")
          break()
        endif()
      endforeach()
    endforeach()
  endforeach()
  if(problems)
    list(JOIN problems "\n" text)
    list(JOIN PARKLINE_PURE_INCLUDES ", " pure)
    message(SEND_ERROR
      "${target} holds pure rules (parkline_check_pure) but its sources include gRPC, Kafka or "
      "SQL headers:\n${text}\n"
      "Include the pure part instead (${pure}), or move the impure code to the "
      "service library.")
  endif()
endfunction()
