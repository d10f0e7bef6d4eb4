// The middleware: every rule of the reference's createAuthMiddleware, the
// exact Location it redirects to (checked against Node's URL and
// URLSearchParams), the normalised path it routes on, and both drivers
// (the normalisation itself: tests/unit/url/path.cpp).
#include <authpp/async/middleware.hpp>
#include <authpp/middleware.hpp>

#include <authpp/clock/manual_clock.hpp>
#include <authpp/codec/authjs_codec.hpp>
#include <authpp/config.hpp>
#include <authpp/match/prefix_matcher.hpp>
#include <authpp/store/memory_store.hpp>

#include "../support/scripted_transport.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/append.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_future.hpp>

#include <catch2/catch.hpp>

#include <future>
#include <optional>
#include <string>
#include <vector>

using namespace authpp;

namespace {

/// scripted_transport with async_send: each answer is posted to the
/// io_context, as a real transport completes later.
class async_scripted_transport : public test::scripted_transport {
public:
    using executor_type = boost::asio::io_context::executor_type;
    explicit async_scripted_transport(executor_type ex) : ex_(ex) {}
    executor_type get_executor() const noexcept { return ex_; }

    template <class Handler>
    void async_send(const http::request& req, Handler&& handler) {
        error_code ec;
        auto resp = send(req, ec);
        boost::asio::post(ex_, boost::asio::append(std::forward<Handler>(handler), ec, std::move(resp)));
    }

private:
    executor_type ex_;
};

using config = basic_auth_config<test::scripted_transport, authjs_codec, manual_clock, memory_store, prefix_matcher>;
using async_config =
    basic_auth_config<async_scripted_transport, authjs_codec, manual_clock, memory_store, prefix_matcher>;

auth_options mw_options(std::vector<std::string> protected_paths = {"/dashboard", "/api/"},
                        std::vector<std::string> public_paths = {"/api/public"}) {
    auto o = sandbox_options();
    o.secrets = {"middleware-test-secret"};
    o.token_endpoint = "http://127.0.0.1:1/oauth/token";
    o.protected_paths = std::move(protected_paths);
    o.public_paths = std::move(public_paths);
    return o;
}

http::server_request get(std::string_view target, std::string_view cookie = {}) {
    http::server_request r;
    r.method = "GET";
    r.target = target;
    r.cookie = cookie;
    r.host = "evil.example"; // never used for the Location
    return r;
}

// The Cookie header a browser sends after receiving these Set-Cookie values.
std::string browser_cookies(const std::vector<std::string>& set_cookies) {
    std::string h = "theme=dark";
    for (const auto& sc : set_cookies)
        if (sc.find("; Max-Age=0") == std::string::npos) h += "; " + sc.substr(0, sc.find(';'));
    return h;
}

// A signed-in browser's Cookie header: access token valid for an hour.
template <class Config>
std::string signed_in_cookie(Config& c, bool with_refresh_token = true) {
    signed_in_user u;
    u.sub = "user-1";
    u.access_token = "at-1";
    if (with_refresh_token) u.refresh_token = "rt-1";
    u.access_token_expires = c.now_ms() + 3'600'000;
    core::flow_options fo;
    fo.event = {jwt_trigger::sign_in, &u, nullptr};
    auto f = c.begin("", fo);
    REQUIRE(f.done());
    auto r = std::move(f).result();
    REQUIRE(r.session);
    return browser_cookies(r.set_cookies);
}

constexpr const char* refreshed = R"({"access_token":"at-2","refresh_token":"rt-2","expires_in":900})";

} // namespace

TEST_CASE("classify_route: public wins, protected list or everything") {
    config c(mw_options(), test::scripted_transport{});
    CHECK(classify_route(c, "/dashboard") == route_kind::protected_route);
    CHECK(classify_route(c, "/dashboard/settings") == route_kind::protected_route);
    CHECK(classify_route(c, "/dashboardx") == route_kind::unprotected);
    CHECK(classify_route(c, "/api/orders") == route_kind::protected_route);
    CHECK(classify_route(c, "/api") == route_kind::unprotected); // "/api/" needs the slash
    CHECK(classify_route(c, "/api/public") == route_kind::public_route);
    CHECK(classify_route(c, "/api/public/x") == route_kind::public_route);
    CHECK(classify_route(c, "/") == route_kind::unprotected);
    CHECK(classify_route(c, "/api/public/../orders") == route_kind::protected_route);
    CHECK(classify_route(c, "/%64ashboard") == route_kind::protected_route);

    config everything(mw_options({}, {"/login", "/static/"}), test::scripted_transport{});
    CHECK(classify_route(everything, "/") == route_kind::protected_route);
    CHECK(classify_route(everything, "/anything") == route_kind::protected_route);
    CHECK(classify_route(everything, "/login") == route_kind::public_route);
    CHECK(classify_route(everything, "/static/app.js") == route_kind::public_route);
    CHECK(classify_route(everything, "/static") == route_kind::protected_route);

    config all_public(mw_options({"/dashboard"}, {"/"}), test::scripted_transport{});
    CHECK(classify_route(all_public, "/dashboard") == route_kind::public_route);
}

TEST_CASE("unprotected and public routes pass without reading the cookie") {
    config c(mw_options(), test::scripted_transport{});
    const auto cookie = signed_in_cookie(c);
    c.clock().advance(std::chrono::hours(2)); // a read would refresh (the transport has no answer)
    for (const char* target : {"/", "/dashboardx?x=1", "/api/public", "/api/public/docs?q=1"}) {
        INFO(target);
        for (const std::string& h : {cookie, std::string("authjs.session-token=garbage")}) {
            auto r = run_middleware(c, get(target, h));
            CHECK(r.allowed);
            CHECK(r.status == 0);
            CHECK(r.location.empty());
            CHECK(r.set_cookies.empty()); // a decoded garbage cookie would be cleared
            CHECK_FALSE(r.session);
        }
    }
    CHECK(c.transport().sent().empty());
}

TEST_CASE("no session: 307 to the login URL with returnTo = path + query") {
    config c(mw_options(), test::scripted_transport{});
    // Expected values come from Node: new URL(loginUrl, request.url) with
    // searchParams.set('returnTo', pathname + search).
    auto r = run_middleware(c, get("/dashboard/x?a=1&b=c%20d", "theme=dark"));
    CHECK_FALSE(r.allowed);
    CHECK(r.status == 307);
    CHECK(r.location == "/login?returnTo=%2Fdashboard%2Fx%3Fa%3D1%26b%3Dc%2520d");
    CHECK(r.set_cookies.empty()); // there was no session cookie to clear
    CHECK_FALSE(r.session);
    CHECK(run_middleware(c, get("/dashboard")).location == "/login?returnTo=%2Fdashboard");
    CHECK(run_middleware(c, get("/dashboard?")).location == "/login?returnTo=%2Fdashboard");
    CHECK(run_middleware(c, get("/api/x?q=~*%C3%A9")).location == "/login?returnTo=%2Fapi%2Fx%3Fq%3D%7E*%25C3%25A9");
}

TEST_CASE("an unreadable cookie: redirect, and the cookie is cleared on the way") {
    config c(mw_options(), test::scripted_transport{});
    auto r = run_middleware(c, get("/dashboard", "authjs.session-token=garbage"));
    CHECK_FALSE(r.allowed);
    CHECK(r.location == "/login?returnTo=%2Fdashboard");
    CHECK(r.set_cookies == std::vector<std::string>{"authjs.session-token=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax"});
}

TEST_CASE("a valid session passes with the session and no cookie to set") {
    config c(mw_options(), test::scripted_transport{});
    const auto cookie = signed_in_cookie(c);
    auto r = run_middleware(c, get("/dashboard?tab=1", cookie));
    CHECK(r.allowed);
    CHECK(r.status == 0);
    CHECK(r.location.empty());
    REQUIRE(r.session);
    CHECK(r.session->user.sub == "user-1");
    CHECK(r.session->access_token == "at-1");
    CHECK_FALSE(r.session->error);
    CHECK(r.set_cookies.empty());
    CHECK(c.transport().sent().empty());
}

TEST_CASE("a refreshed session passes and its new cookie is forwarded") {
    config c(mw_options(), test::scripted_transport{});
    const auto cookie = signed_in_cookie(c);
    c.clock().advance(std::chrono::hours(2));
    c.transport().push(200, refreshed);
    auto r = run_middleware(c, get("/dashboard", cookie));
    CHECK(r.allowed);
    REQUIRE(r.session);
    CHECK(r.session->access_token == "at-2");
    REQUIRE(r.set_cookies.size() == 1);
    REQUIRE(c.transport().sent().size() == 1);
    CHECK(c.transport().sent()[0].body.find("refresh_token=rt-1") != std::string::npos);
    // The forwarded cookie carries the new tokens: no second refresh.
    auto again = run_middleware(c, get("/dashboard", browser_cookies(r.set_cookies)));
    CHECK(again.allowed);
    REQUIRE(again.session);
    CHECK(again.session->access_token == "at-2");
    CHECK(c.transport().sent().size() == 1);
}

TEST_CASE("a refused refresh: redirect with error=RefreshTokenError, the cookie update forwarded") {
    config c(mw_options(), test::scripted_transport{});
    const auto cookie = signed_in_cookie(c);
    c.clock().advance(std::chrono::hours(2));
    c.transport().push(400, R"({"error":"invalid_grant"})");
    auto r = run_middleware(c, get("/api/orders?page=2", cookie));
    CHECK_FALSE(r.allowed);
    CHECK(r.status == 307);
    CHECK(r.location == "/login?returnTo=%2Fapi%2Forders%3Fpage%3D2&error=RefreshTokenError");
    REQUIRE(r.session);
    CHECK(r.session->error == "RefreshTokenError");
    CHECK(r.set_cookies.size() == 1); // the token now records the error
}

TEST_CASE("TokenExpired passes, whether there is no refresh token or the provider is down") {
    SECTION("no refresh token") {
        config c(mw_options(), test::scripted_transport{});
        const auto cookie = signed_in_cookie(c, /*with_refresh_token=*/false);
        c.clock().advance(std::chrono::hours(2));
        auto r = run_middleware(c, get("/dashboard", cookie));
        CHECK(r.allowed);
        CHECK(r.location.empty());
        REQUIRE(r.session);
        CHECK(r.session->error == "TokenExpired");
        CHECK(r.set_cookies.size() == 1); // the error is written to the cookie, and forwarded
        CHECK(c.transport().sent().empty());
    }
    SECTION("a transient refresh failure") {
        config c(mw_options(), test::scripted_transport{});
        const auto cookie = signed_in_cookie(c);
        c.clock().advance(std::chrono::hours(2));
        c.transport().push(503, "maintenance");
        auto r = run_middleware(c, get("/dashboard", cookie));
        CHECK(r.allowed);
        REQUIRE(r.session);
        CHECK(r.session->error == "TokenExpired");
        CHECK(c.refresh_backoff().not_before() > 0); // note_refresh() saw the failure
    }
}

TEST_CASE("decide_route: any error other than TokenExpired redirects with it") {
    const auto o = mw_options();
    const auto req = get("/p?x=y z");
    auto with_error = [](std::optional<std::string> e) {
        core::session_result r;
        r.session.emplace();
        r.session->user.sub = "u";
        r.session->error = std::move(e);
        r.set_cookies = {"authjs.session-token=new; Path=/"};
        return r;
    };
    auto d = decide_route(o, req, with_error("SomethingElse"));
    CHECK_FALSE(d.allowed);
    CHECK(d.location == "/login?returnTo=%2Fp%3Fx%3Dy+z&error=SomethingElse");
    CHECK(d.set_cookies == std::vector<std::string>{"authjs.session-token=new; Path=/"});
    auto ok = decide_route(o, req, with_error(std::string(token_error::token_expired)));
    CHECK(ok.allowed);
    CHECK(ok.set_cookies.size() == 1);
    CHECK(decide_route(o, req, with_error(std::nullopt)).allowed);
    CHECK(decide_route(o, req, with_error("Token Expired & more")).location ==
          "/login?returnTo=%2Fp%3Fx%3Dy+z&error=Token+Expired+%26+more");
    core::session_result none;
    none.set_cookies = {"authjs.session-token=; Max-Age=0"};
    auto n = decide_route(o, req, std::move(none));
    CHECK_FALSE(n.allowed);
    CHECK(n.location == "/login?returnTo=%2Fp%3Fx%3Dy+z");
    CHECK(n.set_cookies.size() == 1);
}

TEST_CASE("Location: base_url makes it absolute, never the Host header") {
    const auto req = get("/dashboard?a=1");
    auto o = mw_options();
    CHECK(decide_route(o, req, {}).location == "/login?returnTo=%2Fdashboard%3Fa%3D1");
    o.base_url = "https://app.example.com";
    CHECK(decide_route(o, req, {}).location == "https://app.example.com/login?returnTo=%2Fdashboard%3Fa%3D1");
    o.base_url = "https://app.example.com/";
    CHECK(decide_route(o, req, {}).location == "https://app.example.com/login?returnTo=%2Fdashboard%3Fa%3D1");
}

TEST_CASE("Location: login URLs with a query, a fragment, another origin") {
    auto o = mw_options();
    auto loc = [&](std::string login_url, std::string_view target) {
        o.login_url = std::move(login_url);
        return decide_route(o, get(target), {}).location;
    };
    // All expected values from Node's URL / URLSearchParams.
    CHECK(loc("/signin?next=%2Fhome&x=a+b", "/d") == "/signin?next=%2Fhome&x=a+b&returnTo=%2Fd");
    CHECK(loc("/signin?returnTo=old&a=1&returnTo=older", "/d?q=~*%C3%A9") ==
          "/signin?returnTo=%2Fd%3Fq%3D%7E*%25C3%25A9&a=1");
    CHECK(loc("https://id.example.com/login#frag", "/p/../admin") ==
          "https://id.example.com/login?returnTo=%2Fadmin#frag");
    CHECK(loc("/login?a&&b=", "/x") == "/login?a=&b=&returnTo=%2Fx");
    CHECK(loc("login", "/x") == "/login?returnTo=%2Fx");
    o.base_url = "https://app.example.com";
    CHECK(loc("https://id.example.com/login", "/x") == "https://id.example.com/login?returnTo=%2Fx");
    CHECK(loc("/auth/login?x=1", "/x") == "https://app.example.com/auth/login?x=1&returnTo=%2Fx");
}

TEST_CASE("no spelling of a protected path slips past as a public one") {
    config c(mw_options({"/admin"}, {"/public"}), test::scripted_transport{});
    for (const char* target : {"/public/../admin", "/public/%2e%2e/admin", "/public/.%2E/admin/x", "/%61dmin",
                               "\\admin", "/public\\..\\admin", "http://evil.example/admin", "/./admin",
                               "/public/%2E%2e/admin/%zz"}) {
        INFO(target);
        auto r = run_middleware(c, get(target));
        CHECK_FALSE(r.allowed);
        CHECK(r.location.starts_with("/login?returnTo=%2Fadmin"));
    }
    CHECK(run_middleware(c, get("/public/admin")).allowed);
    CHECK(run_middleware(c, get("/admin/../public/x")).allowed);
}

TEST_CASE("the router's leniencies: result.path is what the rules saw; merge_slashes and ignore_case close the gap") {
    // Before: "//dashboard", "/DASHBOARD", "/dashboard;x", "/dashboard%2f"
    // passed as unprotected paths, safe only while the router matched exactly.
    const std::vector<const char*> spellings = {"//dashboard", "/DASHBOARD", "/Dashboard/x", "///dashboard//x"};
    config strict(mw_options({"/dashboard"}, {}), test::scripted_transport{});
    for (const char* target : spellings) {
        INFO(target);
        auto r = run_middleware(strict, get(target));
        CHECK(r.allowed); // another path to the rules ...
        CHECK(r.path != "/dashboard"); // ... and the path an adapter routes on says so
        CHECK_FALSE(r.path.starts_with("/dashboard/"));
    }
    CHECK(run_middleware(strict, get("/x/../dashboard/a?q=1")).path == "/dashboard/a");

    auto o = mw_options({"/Dashboard"}, {"/Dashboard/Public"});
    o.path_matching.merge_slashes = true;
    o.path_matching.ignore_case = true;
    config lenient(o, test::scripted_transport{});
    for (const char* target : spellings) {
        INFO(target);
        auto r = run_middleware(lenient, get(target));
        CHECK_FALSE(r.allowed);
        CHECK(r.path.starts_with("/dashboard"));
        CHECK(r.path.find("//") == std::string::npos);
    }
    auto pub = run_middleware(lenient, get("//DASHBOARD/public/page"));
    CHECK(pub.allowed);
    CHECK(pub.path == "/dashboard/public/page");
    // ";" and "%2F" are not separators for anyone here: paths of their own.
    for (const char* target : {"/dashboard;x", "/dashboard%2fx"}) {
        INFO(target);
        auto r = run_middleware(lenient, get(target));
        CHECK(r.allowed); // "/dashboard" is a prefix pattern: "/dashboard;x" is not under it
        CHECK(r.path == target);
    }
}

TEST_CASE("async_middleware: callback and use_future give the blocking driver's results") {
    boost::asio::io_context ioc;
    async_config c(mw_options(), async_scripted_transport(ioc.get_executor()));
    const auto cookie = signed_in_cookie(c);

    SECTION("a refresh, with a callback; the request may go once initiated") {
        c.clock().advance(std::chrono::hours(2));
        c.transport().push(200, refreshed);
        std::optional<middleware_result> out;
        {
            std::string target = "/dashboard?a=1";
            std::string cookie_copy = cookie;
            async_middleware(c, get(target, cookie_copy), [&](middleware_result r) { out = std::move(r); });
            target.assign(target.size(), 'x');
            cookie_copy.assign(cookie_copy.size(), 'x');
        }
        CHECK_FALSE(out);
        ioc.run();
        REQUIRE(out);
        CHECK(out->allowed);
        REQUIRE(out->session);
        CHECK(out->session->access_token == "at-2");
        CHECK(out->set_cookies.size() == 1);
        CHECK(c.transport().sent().size() == 1);
    }
    SECTION("no session, with use_future") {
        auto f = async_middleware(c, get("/dashboard?a=1"), boost::asio::use_future);
        ioc.run();
        auto r = f.get();
        CHECK_FALSE(r.allowed);
        CHECK(r.status == 307);
        CHECK(r.location == "/login?returnTo=%2Fdashboard%3Fa%3D1");
    }
    SECTION("a refused refresh, with use_future") {
        c.clock().advance(std::chrono::hours(2));
        c.transport().push(400, R"({"error":"invalid_grant"})");
        auto f = async_middleware(c, get("/dashboard", cookie), boost::asio::use_future);
        ioc.run();
        auto r = f.get();
        CHECK(r.location == "/login?returnTo=%2Fdashboard&error=RefreshTokenError");
        CHECK(r.set_cookies.size() == 1);
    }
    SECTION("an unprotected route completes through a post, without reading the cookie") {
        c.clock().advance(std::chrono::hours(2));
        bool called = false;
        async_middleware(c, get("/api/public/x", "authjs.session-token=garbage"), [&](middleware_result r) {
            called = true;
            CHECK(r.allowed);
            CHECK(r.set_cookies.empty());
            CHECK_FALSE(r.session);
        });
        CHECK_FALSE(called);
        ioc.run();
        CHECK(called);
        CHECK(c.transport().sent().empty());
    }
    SECTION("done at once (a cached session, an unprotected route) for a handler on a strand: later, in the strand") {
        auto strand = boost::asio::make_strand(ioc);
        std::optional<middleware_result> first; // decoded: the session now comes from the cache
        async_middleware(c, get("/dashboard", cookie), [&](middleware_result r) { first = std::move(r); });
        ioc.run();
        ioc.restart();
        REQUIRE(first);
        REQUIRE(first->session);
        int called = 0, in_strand = 0;
        auto on_strand = [&](middleware_result r) {
            ++called;
            in_strand += strand.running_in_this_thread();
            CHECK(r.allowed);
        };
        boost::asio::dispatch(strand, [&] {
            async_middleware(c, get("/dashboard", cookie),
                             boost::asio::bind_executor(boost::asio::any_io_executor(strand), on_strand));
            async_middleware(c, get("/api/public/x"), boost::asio::bind_executor(strand, on_strand));
            CHECK(called == 0); // never inside the initiating call, even from within the strand
        });
        ioc.run();
        CHECK(called == 2);
        CHECK(in_strand == 2);
        CHECK(c.transport().sent().empty());
    }
}

TEST_CASE("middleware_flow forwards what the drivers key on") {
    config c(mw_options(), test::scripted_transport{});
    const auto cookie = signed_in_cookie(c);
    c.clock().advance(std::chrono::hours(2));
    const auto protected_req = get("/dashboard", cookie);
    auto mf = detail::start_middleware(c, protected_req, protected_req.path());
    CHECK(mf.resolves_session());
    const auto s = mf.next();
    REQUIRE(s.what == authpp::flow::step::kind::refresh);
    CHECK(s.refresh_token == "rt-1");
    mf.on_refresh(oauth::parse_refresh_response({}, http::response{200, {}, refreshed}, "rt-1", c.now_ms()));
    CHECK(mf.next().what == authpp::flow::step::kind::done);
    const auto other_req = get("/elsewhere", cookie);
    auto none = detail::start_middleware(c, other_req, other_req.path());
    CHECK_FALSE(none.resolves_session());
    CHECK(none.next().what == authpp::flow::step::kind::done);
}
