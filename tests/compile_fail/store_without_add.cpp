// Must NOT compile: a Store without add() (the refresh lock). CTest checks
// that the compiler's output names the missing member in authpp's own words.
// (Before the concept was the one contract, this failed deep inside the
// refresh coordinator, or not at all until a refresh was driven.)
#include "policies.hpp"

struct store_without_add {
    std::optional<std::string> get(std::string_view) { return {}; }
    bool set(std::string_view, std::string_view, std::chrono::milliseconds) { return true; }
    bool erase(std::string_view) { return true; }
    bool expire_if(std::string_view, std::string_view, std::chrono::milliseconds) { return true; }
    bool erase_if(std::string_view, std::string_view) { return true; }
};

using broken = authpp::basic_auth_config<good_transport, authpp::authjs_codec, authpp::system_clock, store_without_add,
                                         authpp::prefix_matcher>;

int main() {
    broken cfg(authpp::sandbox_options());
    (void)cfg;
}
