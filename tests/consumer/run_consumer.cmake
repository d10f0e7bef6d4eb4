# Builds and runs tests/consumer/project against authpp, in one of two modes:
#   MODE=find_package  install the configured authpp build into a fresh prefix
#                      and find it there with find_package(authpp CONFIG)
#   MODE=subdirectory  add the authpp source tree with add_subdirectory
# Inputs: MODE, AUTHPP_SOURCE_DIR, AUTHPP_BINARY_DIR, WORK_DIR.
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

function(run)
    execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "command failed (${rc}): ${ARGN}\n${out}\n${err}")
    endif()
    message(STATUS "${out}")
endfunction()

set(project_dir ${AUTHPP_SOURCE_DIR}/tests/consumer/project)
if(MODE STREQUAL "find_package")
    run(${CMAKE_COMMAND} --install ${AUTHPP_BINARY_DIR} --prefix ${WORK_DIR}/prefix)
    run(${CMAKE_COMMAND} -S ${project_dir} -B ${WORK_DIR}/build -DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix)
elseif(MODE STREQUAL "subdirectory")
    run(${CMAKE_COMMAND} -S ${project_dir} -B ${WORK_DIR}/build -DAUTHPP_SOURCE_DIR=${AUTHPP_SOURCE_DIR})
else()
    message(FATAL_ERROR "MODE must be find_package or subdirectory")
endif()
run(${CMAKE_COMMAND} --build ${WORK_DIR}/build)
run(${WORK_DIR}/build/consumer)
run(${WORK_DIR}/build/consumer_optional)
