// The optional parts a user links through authpp::regex and authpp::redis:
// a regex path matcher and a Redis store (checked without connecting).
#include <authpp/match/regex_matcher.hpp>
#include <authpp/store/redis_store.hpp>

#include <cstdio>

int main() {
    const authpp::regex_matcher m({"^/admin(/|$)"});
    if (!m.matches("/admin/x") || m.matches("/public")) return std::puts("regex_matcher disagrees"), 1;
    authpp::redis_store_options o;
    o.url = "redis://:pw@127.0.0.1:6390/2";
    auto s = authpp::redis_store::create(o);
    if (!s) return std::puts(s.error().message().c_str()), 1;
    static_assert(authpp::Store<authpp::redis_store>);
    return 0;
}
