// Must NOT compile: the asynchronous middleware on a transport that has only
// the blocking send(). CTest checks that the compiler's output names the
// missing member in authpp's own words.
#include "policies.hpp"

#include <authpp/async/middleware.hpp>

struct blocking_only : good_transport {
    struct executor {};
    executor get_executor() const { return {}; }
};

using config = authpp::basic_auth_config<blocking_only, authpp::authjs_codec, authpp::system_clock,
                                         authpp::memory_store, authpp::prefix_matcher>;

int main() {
    config cfg(authpp::sandbox_options());
    authpp::http::server_request req;
    authpp::async_middleware(cfg, req, [](authpp::middleware_result) {});
}
