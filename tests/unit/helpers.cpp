// The reference's helpers, every status.
#include <authpp/helpers.hpp>

#include <catch2/catch.hpp>

using namespace authpp;

namespace {
std::optional<session> make(std::optional<std::string> error) {
    session s;
    s.user.sub = "u";
    s.access_token = "at";
    s.error = std::move(error);
    return s;
}
auto none = [] { return std::optional<session>{}; };
auto fresh = [] { return make(std::nullopt); };
auto expired = [] { return make("TokenExpired"); };
auto broken = [] { return make("RefreshTokenError"); };
} // namespace

TEST_CASE("get_auth_props") {
    auto a = get_auth_props(none);
    CHECK((!a.session && !a.ssr && !a.auth_error));
    auto b = get_auth_props(expired);
    CHECK((!b.session && !b.ssr && !b.auth_error));
    auto c = get_auth_props(broken);
    CHECK((!c.session && !c.ssr && c.auth_error == "RefreshTokenError"));
    auto d = get_auth_props(fresh);
    CHECK((d.session && d.ssr && !d.auth_error));
}

TEST_CASE("get_authenticated_data") {
    int calls = 0;
    auto fetch = [&](std::string_view at) {
        ++calls;
        return std::string("data for ") + std::string(at);
    };
    auto ok = get_authenticated_data(fresh, fetch);
    CHECK(ok.ssr);
    CHECK(ok.data == "data for at");
    CHECK(ok.session);
    CHECK_FALSE(ok.fetch_error);
    CHECK(calls == 1);

    auto skipped = get_authenticated_data(expired, fetch);
    CHECK((!skipped.ssr && !skipped.data && !skipped.session && !skipped.auth_error));
    auto err = get_authenticated_data(broken, fetch);
    CHECK((!err.ssr && !err.data && err.auth_error == "RefreshTokenError"));
    auto anon = get_authenticated_data(none, fetch);
    CHECK((!anon.ssr && !anon.data));
    CHECK(calls == 1);

    auto failing = get_authenticated_data(fresh, [](std::string_view) -> int { throw std::runtime_error("api down"); });
    CHECK(failing.ssr);
    CHECK(failing.session);
    CHECK_FALSE(failing.data);
    CHECK(failing.fetch_error == "api down");
}

TEST_CASE("get_valid_session") {
    CHECK(get_valid_session(none).status == session_status::unauthenticated);
    CHECK_FALSE(get_valid_session(none).session);
    CHECK(get_valid_session(fresh).status == session_status::authenticated);
    auto e = get_valid_session(expired);
    CHECK(e.status == session_status::token_expired);
    CHECK(e.session);
    auto b = get_valid_session(broken);
    CHECK(b.status == session_status::error);
    CHECK(b.error == "RefreshTokenError");
    CHECK(b.session);
}

TEST_CASE("create_protected_fetchers sends auth errors to one handler") {
    std::vector<std::string> seen;
    auto handler = [&](const std::string& e) {
        seen.push_back(e);
        throw std::runtime_error("redirect:/login");
    };
    auto ok = create_protected_fetchers(fresh, handler);
    CHECK(ok.get_auth_props().ssr);
    CHECK(ok.get_data([](std::string_view) { return 42; }).data == 42);

    auto bad = create_protected_fetchers(broken, handler);
    CHECK_THROWS_WITH(bad.get_auth_props(), "redirect:/login");
    CHECK_THROWS_WITH(bad.get_data([](std::string_view) { return 1; }), "redirect:/login");
    CHECK(seen == std::vector<std::string>{"RefreshTokenError", "RefreshTokenError"});

    auto exp = create_protected_fetchers(expired, handler);
    CHECK_FALSE(exp.get_auth_props().ssr);
    CHECK(seen.size() == 2);

    // A handler that returns is not allowed to let the page render.
    auto lax = create_protected_fetchers(broken, [](const std::string&) {});
    CHECK_THROWS_AS(lax.get_auth_props(), unauthorized_error);
}

TEST_CASE("with_auth rejects no session and errors other than TokenExpired") {
    auto handler = [](const session& s, int x) { return s.user.sub + ":" + std::to_string(x); };
    CHECK(with_auth(fresh, handler)(7) == "u:7");
    CHECK(with_auth(expired, handler)(1) == "u:1");
    CHECK_THROWS_WITH(with_auth(none, handler)(1), "Unauthorized: No active session");
    CHECK_THROWS_WITH(with_auth(broken, handler)(1), "Unauthorized: RefreshTokenError");
    CHECK_THROWS_AS(with_auth(broken, handler)(1), unauthorized_error);
}

TEST_CASE("is_token_expired and extract_zkevm_from_id_token are exported here too") {
    CHECK(is_token_expired(std::nullopt, 0));
    CHECK_FALSE(extract_zkevm_from_id_token("x"));
}
