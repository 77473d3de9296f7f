# parkline_proto_library(NAME ROOT DIR FILES ...): one static library with the protobuf and gRPC
# code generated from FILES (paths relative to ROOT). Generated code lives in the build tree only.
function(parkline_proto_library name root)
  set(gen_dir ${CMAKE_BINARY_DIR}/gen)
  file(MAKE_DIRECTORY ${gen_dir})
  set(sources)
  foreach(rel ${ARGN})
    get_filename_component(dir ${rel} DIRECTORY)
    get_filename_component(base ${rel} NAME_WE)
    set(out_base ${gen_dir}/${dir}/${base})
    set(outs ${out_base}.pb.cc ${out_base}.pb.h ${out_base}.grpc.pb.cc ${out_base}.grpc.pb.h)
    add_custom_command(
      OUTPUT ${outs}
      COMMAND protobuf::protoc --proto_path=${root} --cpp_out=${gen_dir} --grpc_out=${gen_dir}
              --plugin=protoc-gen-grpc=${GRPC_CPP_PLUGIN} ${root}/${rel}
      DEPENDS ${root}/${rel} protobuf::protoc
      COMMENT "protoc ${rel}"
      VERBATIM)
    list(APPEND sources ${out_base}.pb.cc ${out_base}.grpc.pb.cc)
  endforeach()
  add_library(${name} STATIC ${sources})
  target_include_directories(${name} SYSTEM PUBLIC ${gen_dir})
  target_link_libraries(${name} PUBLIC protobuf::libprotobuf gRPC::grpc++)
endfunction()
