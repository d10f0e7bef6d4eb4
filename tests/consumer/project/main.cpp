// Encodes and decodes a session cookie through the public API only, and
// builds both aliases (so OpenSSL::SSL and Threads come along).
#include <authpp/asio.hpp>
#include <authpp/authpp.hpp>
#include <authpp/blocking.hpp>

#include <boost/asio/io_context.hpp>

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

    authpp::auth_options o = authpp::sandbox_options();
    o.secrets = {"consumer-secret"};
    authpp::blocking_auth blocking(o);
    if (blocking.resolve("").session) return std::puts("a session from no cookie"), 1;
    boost::asio::io_context ioc;
    authpp::asio_auth async(o, authpp::asio_transport(ioc.get_executor()));
    bool none = false;
    authpp::async_resolve(async, "", [&](authpp::core::session_result r) { none = !r.session; });
    ioc.run();
    if (!none) return std::puts("asio: a session from no cookie"), 1;
    std::puts("consumer ok");
    return 0;
}
