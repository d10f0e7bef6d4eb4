// Must NOT compile: a PathMatcher without empty(). CTest checks that the
// compiler's output names the missing member in authpp's own words.
// (Before, this failed inside middleware.hpp.)
#include "policies.hpp"

struct matcher_without_empty {
    explicit matcher_without_empty(const std::vector<std::string>&) {}
    bool matches(std::string_view) const { return false; }
};

using broken = authpp::basic_auth_config<good_transport, authpp::authjs_codec, authpp::system_clock,
                                         authpp::memory_store, matcher_without_empty>;

int main() {
    broken cfg(authpp::sandbox_options());
    (void)cfg;
}
