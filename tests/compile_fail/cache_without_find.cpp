// Must NOT compile: a DecodeCache without find(). CTest checks that the
// compiler's output names the missing member in authpp's own words.
#include "policies.hpp"

#include <authpp/config.hpp>
#include <authpp/store/memory_store.hpp>

struct cache_without_find {
    explicit cache_without_find(const authpp::decode_cache_options&) {}
    void insert(const authpp::decode_key&, authpp::cached_session&&, std::int64_t, std::int64_t) {}
    void erase(const authpp::decode_key&) {}
    void clear() {}
};

using broken = authpp::basic_auth_config<good_transport, authpp::authjs_codec, authpp::system_clock,
                                         authpp::memory_store, authpp::prefix_matcher, cache_without_find>;

int main() {
    broken cfg(authpp::sandbox_options());
    (void)cfg;
}
