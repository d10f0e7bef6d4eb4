// Must NOT compile: a CookieCodec without decrypt(). CTest checks that the
// compiler's output names the missing member in authpp's own words.
#include "policies.hpp"

struct codec_without_decrypt {
    explicit codec_without_decrypt(std::vector<std::string>) {}
    authpp::result<std::string> encode(const boost::json::object&, std::string_view, std::int64_t, std::int64_t) const {
        return std::string();
    }
    static authpp::error_code check_claims(const boost::json::object&, std::int64_t) { return {}; }
};

using broken = authpp::basic_auth_config<good_transport, codec_without_decrypt, authpp::system_clock,
                                         authpp::memory_store, authpp::prefix_matcher>;

int main() {
    broken cfg(authpp::sandbox_options());
    (void)cfg;
}
