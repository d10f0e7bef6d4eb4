# Builds the browser suite's Next.js app when its sources or the lock file
# changed since the last build: copies SRC into DIR/app (DIR holds the
# node_modules `npm ci` installed) and runs `next build` there.
#   cmake -DSRC=tests/browser/app -DDIR=... -DNODE=node -P next_build.cmake
file(GLOB_RECURSE sources RELATIVE ${SRC} ${SRC}/*)
list(SORT sources)
set(manifest "")
foreach(f IN LISTS sources)
    file(SHA256 ${SRC}/${f} h)
    string(APPEND manifest "${f} ${h}\n")
endforeach()
file(SHA256 ${DIR}/package-lock.json h)
string(APPEND manifest "package-lock.json ${h}\n")
string(SHA256 want "${manifest}")
set(stamp ${DIR}/app/.next/.authpp-sources-sha256)
if(EXISTS ${stamp})
    file(READ ${stamp} have)
    if(have STREQUAL want)
        return()
    endif()
endif()
file(REMOVE_RECURSE ${DIR}/app)
file(COPY ${SRC}/ DESTINATION ${DIR}/app)
execute_process(COMMAND ${CMAKE_COMMAND} -E env NEXT_TELEMETRY_DISABLED=1 ${NODE} ${DIR}/node_modules/next/dist/bin/next build
                WORKING_DIRECTORY ${DIR}/app RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "next build failed in ${DIR}/app")
endif()
file(WRITE ${stamp} ${want})
