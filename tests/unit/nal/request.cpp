// nal/request.hpp: route kinds in their order, where the token comes from,
// what is no token, and the cookies mode nal writes and clears.
#include <authpp/nal/request.hpp>

#include <catch2/catch.hpp>

using namespace authpp;
using namespace std::chrono_literals;

namespace {
nal::nal_options opts() {
    nal::nal_options o;
    o.api_base_url = "http://127.0.0.1:8000/";
    o.protected_routes = {"/dashboard"};
    o.public_routes = {"/api/health", "/about"};
    o.excluded_paths = {"/_next", "/favicon.ico"};
    return o;
}
} // namespace

TEST_CASE("route kinds, segment-bounded, in order") {
    auto o = opts();
    const nal::route_table r(o);
    CHECK(r.classify("/_next/static/x.js") == nal::route_kind::excluded);
    CHECK(r.classify("/favicon.ico") == nal::route_kind::excluded);
    CHECK(r.classify("/api/health") == nal::route_kind::public_page); // public beats API
    CHECK(r.classify("/about/team") == nal::route_kind::public_page);
    CHECK(r.classify("/login") == nal::route_kind::auth);
    CHECK(r.classify("/api/whoami") == nal::route_kind::api);
    CHECK(r.classify("/api") == nal::route_kind::api);
    CHECK(r.classify("/apiary") == nal::route_kind::page); // not under /api
    CHECK(r.classify("/dashboard") == nal::route_kind::protected_page);
    CHECK(r.classify("/dashboard/settings") == nal::route_kind::protected_page);
    CHECK(r.classify("/dashboards") == nal::route_kind::page);
    CHECK(r.classify("/") == nal::route_kind::page);
    o.protected_by_default = true;
    const nal::route_table all(o);
    CHECK(all.classify("/") == nal::route_kind::protected_page);
    CHECK(all.classify("/about") == nal::route_kind::public_page);
    CHECK(all.classify("/login") == nal::route_kind::auth);
    CHECK(all.classify("/api/x") == nal::route_kind::api);
    CHECK(all.describe("/api/x").protected_);
}

TEST_CASE("describe: API routes are protected when listed (or by default)") {
    auto o = opts();
    o.protected_routes.push_back("/api/admin");
    const nal::route_table r(o);
    CHECK(r.describe("/api/admin/users").api);
    CHECK(r.describe("/api/admin/users").protected_);
    CHECK(r.describe("/api/whoami").api);
    CHECK_FALSE(r.describe("/api/whoami").protected_);
    CHECK_FALSE(r.describe("/api/health").api); // public
    CHECK(r.describe("/_next/x").excluded);
    CHECK(r.describe("/login").auth);
    CHECK_FALSE(r.describe("/login").protected_);
}

TEST_CASE("find_token: user cookie, else guest cookie, else bearer") {
    const auto o = opts();
    auto t = nal::find_token(o, "a=1; userToken=u.tok; guestToken=g.tok", "Bearer b.tok");
    REQUIRE(t);
    CHECK(t->token == "u.tok");
    CHECK(t->from == nal::token_source::user_cookie);
    t = nal::find_token(o, "guestToken=g.tok", "Bearer b.tok");
    REQUIRE(t);
    CHECK(t->token == "g.tok");
    CHECK(t->from == nal::token_source::guest_cookie);
    t = nal::find_token(o, "", "bearer   b.tok ");
    REQUIRE(t);
    CHECK(t->token == "b.tok");
    CHECK(t->from == nal::token_source::bearer);
    CHECK_FALSE(nal::find_token(o, "", ""));
    CHECK_FALSE(nal::find_token(o, "", "Basic dXNlcjpwdw=="));
    CHECK_FALSE(nal::find_token(o, "", "Bearer "));
    auto no_bearer = o;
    no_bearer.accept_bearer = false;
    CHECK_FALSE(nal::find_token(no_bearer, "", "Bearer b.tok"));
}

TEST_CASE("find_token: percent-decoded cookies; what is no token") {
    const auto o = opts();
    CHECK(nal::find_token(o, "userToken=a%2Bb%3D", "")->token == "a+b=");
    // A bad escape, an empty value, control or non-ASCII bytes, too long: skipped.
    CHECK(nal::find_token(o, "userToken=a%zz; guestToken=g", "")->token == "g");
    CHECK(nal::find_token(o, "userToken=; guestToken=g", "")->token == "g");
    CHECK(nal::find_token(o, "userToken=a%0Ab; guestToken=g", "")->token == "g");
    CHECK(nal::find_token(o, "userToken=a%C3%A9; guestToken=g", "")->token == "g");
    CHECK(nal::find_token(o, "userToken=" + std::string(8193, 'x') + "; guestToken=g", "")->token == "g");
    CHECK(nal::find_token(o, "userToken=" + std::string(8192, 'x'), "")->token.size() == 8192);
    CHECK_FALSE(nal::find_token(o, "", "Bearer " + std::string(8193, 'x')));
    CHECK_FALSE(nal::find_token(o, "", "Bearer a b"));
}

TEST_CASE("carried cookies") {
    const auto o = opts();
    auto c = nal::carried(o, "userToken=u; guestToken=");
    CHECK(c.user);
    CHECK_FALSE(c.guest);
    c = nal::carried(o, "guestToken=g");
    CHECK_FALSE(c.user);
    CHECK(c.guest);
}

TEST_CASE("token and clearing cookies") {
    auto o = opts();
    auto set = nal::token_cookie(o, o.cookies.user, "a+b=", o.cookies.user_max_age, 1'800'000'000);
    REQUIRE(set);
    CHECK(*set == "userToken=a%2Bb%3D; Max-Age=604800; Path=/; Expires=Fri, 22 Jan 2027 08:00:00 GMT; HttpOnly; "
                  "Secure; SameSite=Lax");
    const auto clear = nal::clearing_cookie(o, o.cookies.guest);
    CHECK(clear == "guestToken=; Max-Age=0; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; "
                   "SameSite=Lax");
    o.cookies.secure = false;
    CHECK(nal::clearing_cookie(o, o.cookies.guest).find("Secure") == std::string::npos);
}
