// Must NOT compile: a Clock whose optional sleep_until lacks the stop token.
// Left alone it would be ignored (the refresh coordinator's waits would run
// on the steady clock, not on this clock); CTest checks that the compiler's
// output says so in authpp's own words.
#include "policies.hpp"

struct clock_with_wrong_sleep_until {
    std::chrono::system_clock::time_point now() const { return std::chrono::system_clock::now(); }
    void sleep_until(std::chrono::system_clock::time_point) const {}
};

using broken = authpp::basic_auth_config<good_transport, authpp::authjs_codec, clock_with_wrong_sleep_until,
                                         authpp::memory_store, authpp::prefix_matcher>;

int main() {
    broken cfg(authpp::sandbox_options());
    (void)cfg;
}
