// Must NOT compile: a Clock without now(). CTest checks that the compiler's
// output names the missing member in authpp's own words.
#include "policies.hpp"

struct clock_without_now {};

using broken = authpp::basic_auth_config<good_transport, authpp::authjs_codec, clock_without_now, authpp::memory_store,
                                         authpp::prefix_matcher>;

int main() {
    broken cfg(authpp::sandbox_options());
    (void)cfg;
}
