// Must NOT compile: a transport without send(). CTest checks that the
// compiler's output names the missing member in authpp's own words.
#include <authpp/authpp.hpp>

struct transport_without_send {};

using broken = authpp::basic_auth_config<transport_without_send, authpp::authjs_codec, authpp::system_clock,
                                         authpp::memory_store, authpp::prefix_matcher>;

int main() {
    broken cfg(authpp::sandbox_options());
    (void)cfg;
}
