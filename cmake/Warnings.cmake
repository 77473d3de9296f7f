# Warnings on for our code only (generated protobuf code is compiled without them).
function(parkline_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wno-unused-parameter)
endfunction()
