# Settings for authpp's own targets (tests, examples, benchmarks, fuzzers);
# nothing here reaches a consumer of authpp::authpp.
add_library(authpp_dev INTERFACE)
target_compile_options(authpp_dev INTERFACE -Wall -Wextra -Wpedantic -Wconversion -Wno-sign-conversion)
if(AUTHPP_SANITIZE)
    target_compile_options(authpp_dev INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
    target_link_options(authpp_dev INTERFACE -fsanitize=address,undefined)
endif()
