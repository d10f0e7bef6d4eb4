// Encodes and decodes a session cookie through the public API only.
#include <authpp/authpp.hpp>

#include <cstdio>
#include <ctime>

int main() {
    const authpp::authjs_codec codec({"consumer-secret"});
    const auto now = static_cast<std::int64_t>(std::time(nullptr));
    auto token = codec.encode({{"sub", "consumer"}}, authpp::session_cookie_name, 60, now);
    if (!token) return std::puts(token.error().message().c_str()), 1;
    auto claims = codec.decode(*token, authpp::session_cookie_name, now);
    if (!claims) return std::puts(claims.error().message().c_str()), 1;
    if (claims->at("sub") != "consumer") return std::puts("claims differ"), 1;
    std::puts("consumer ok");
    return 0;
}
