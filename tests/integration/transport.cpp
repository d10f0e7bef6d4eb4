// Both transports against a real HTTP(S) server on loopback: keep-alive
// reuse, stale pooled connections, time-outs, the size limit, no redirects,
// header injection, TLS verification; and every completion-token style of
// asio_transport::async_send.
#include "fixtures.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>

#include <chrono>
#include <thread>

using namespace authpp;
using namespace std::chrono_literals;

namespace {

http::request get(std::string url) {
    http::request r;
    r.url = std::move(url);
    return r;
}

boost::json::object json_of(const http::response& r) {
    auto v = boost::json::parse(r.body);
    REQUIRE(v.is_object());
    return v.get_object();
}

} // namespace

TEMPLATE_TEST_CASE("keep-alive connections are reused per origin", "[transport]", test::blocking_kind,
                   test::asio_kind) {
    TestType kind;
    test::http_server server;
    auto t = kind.make_transport();
    error_code ec;
    auto a = kind.send(t, get(server.url("/json")), ec);
    REQUIRE_FALSE(ec);
    CHECK(a.status == 200);
    CHECK(t.idle_connections() == 1);
    auto b = kind.send(t, get(server.url("/json")), ec);
    REQUIRE_FALSE(ec);
    CHECK(json_of(b).at("conn") == json_of(a).at("conn"));
    CHECK(json_of(b).at("requests").as_int64() == 2);

    // Connection: close is honoured: the next request opens a new connection.
    auto c = kind.send(t, get(server.url("/close")), ec);
    REQUIRE_FALSE(ec);
    CHECK(t.idle_connections() == 0);
    auto d = kind.send(t, get(server.url("/json")), ec);
    REQUIRE_FALSE(ec);
    CHECK(json_of(d).at("conn") != json_of(c).at("conn"));
    CHECK(json_of(d).at("requests").as_int64() == 1);

    // Another origin (localhost instead of 127.0.0.1) gets its own connection.
    auto e = kind.send(t, get(server.url("/json", false, "localhost")), ec);
    REQUIRE_FALSE(ec);
    CHECK(json_of(e).at("conn") != json_of(d).at("conn"));
    CHECK(t.idle_connections() == 2);
}

TEMPLATE_TEST_CASE("a pooled connection the server closed is replaced transparently", "[transport]",
                   test::blocking_kind, test::asio_kind) {
    TestType kind;
    test::http_server server({"--keep-alive-ms", "150"});
    auto t = kind.make_transport();
    error_code ec;
    auto a = kind.send(t, get(server.url("/json")), ec);
    REQUIRE_FALSE(ec);
    REQUIRE(t.idle_connections() == 1);
    std::this_thread::sleep_for(600ms); // the server closes the idle connection
    http::request post;
    post.method = "POST";
    post.url = server.url("/echo");
    post.body = "once";
    auto b = kind.send(t, post, ec);
    REQUIRE_FALSE(ec);
    CHECK(b.status == 200);
    CHECK(json_of(b).at("body") == "once");
}

TEMPLATE_TEST_CASE("a POST written on a pooled connection that then fails is never re-sent", "[transport]",
                   test::blocking_kind, test::asio_kind) {
    // The server acts on the request, then the reply is lost (as when a
    // token endpoint rotated the refresh token and the connection dropped).
    // Before: the transport re-sent the POST on a fresh connection, and a
    // rotating provider saw the old refresh token twice.
    TestType kind;
    test::http_server server;
    auto t = kind.make_transport();
    error_code ec;
    kind.send(t, get(server.url("/json")), ec);
    REQUIRE_FALSE(ec);
    REQUIRE(t.idle_connections() == 1);
    http::request post;
    post.method = "POST";
    post.url = server.url("/drop");
    post.body = "grant_type=refresh_token&refresh_token=rt-1";
    kind.send(t, post, ec);
    CHECK(ec);
    auto count = kind.send(t, get(server.url("/dropped")), ec);
    REQUIRE_FALSE(ec);
    CHECK(json_of(count).at("count").as_int64() == 1);
}

TEMPLATE_TEST_CASE("requests go out as given, answers come back as they are", "[transport]", test::blocking_kind,
                   test::asio_kind) {
    TestType kind;
    test::http_server server;
    auto t = kind.make_transport();
    error_code ec;

    http::request post;
    post.method = "POST";
    post.url = server.url("/echo?x=1");
    post.headers = {{"Content-Type", "application/x-www-form-urlencoded"}, {"Authorization", "Basic abc"}};
    post.body = "grant_type=refresh_token&refresh_token=r";
    auto r = kind.send(t, post, ec);
    REQUIRE_FALSE(ec);
    auto echo = json_of(r);
    CHECK(echo.at("method") == "POST");
    CHECK(echo.at("url") == "/echo?x=1");
    CHECK(echo.at("body").as_string() == post.body);
    const auto& h = echo.at("headers").as_object();
    CHECK(h.at("host").as_string() == "127.0.0.1:" + server.port);
    CHECK(h.at("authorization") == "Basic abc");
    CHECK(h.at("content-length").as_string() == std::to_string(post.body.size()));
    CHECK(h.at("user-agent").as_string().starts_with("authpp/"));
    CHECK(http::find_header(r.headers, "content-type") == "application/json");

    // Any status is a response, not a transport error.
    r = kind.send(t, get(server.url("/status/503")), ec);
    REQUIRE_FALSE(ec);
    CHECK(r.status == 503);

    // Redirects are not followed.
    r = kind.send(t, get(server.url("/redirect")), ec);
    REQUIRE_FALSE(ec);
    CHECK(r.status == 302);
    CHECK(http::find_header(r.headers, "location") == "/json");
}

TEMPLATE_TEST_CASE("bad requests are refused before anything is sent", "[transport]", test::blocking_kind,
                   test::asio_kind) {
    TestType kind;
    test::http_server server;
    auto t = kind.make_transport();
    error_code ec;
    for (const char* url : {"ftp://127.0.0.1/x", "http://", "http://user@127.0.0.1/", "http://127.0.0.1:99999/",
                            "127.0.0.1/x", "http://127.0.0.1/a b"}) {
        INFO(url);
        auto r = kind.send(t, get(url), ec);
        CHECK(ec == error::invalid_option);
        CHECK(r.status == 0);
    }
    auto injected = get(server.url("/echo"));
    injected.headers = {{"X-Test", "a\r\nX-Injected: 1"}};
    kind.send(t, injected, ec);
    CHECK(ec == error::invalid_option);
    injected.headers = {{"X-Test\r\nX-Injected", "1"}};
    kind.send(t, injected, ec);
    CHECK(ec == error::invalid_option);
    auto bad_method = get(server.url("/echo"));
    bad_method.method = "FETCH ME";
    kind.send(t, bad_method, ec);
    CHECK(ec == error::invalid_option);
    // The transport still works afterwards.
    auto r = kind.send(t, get(server.url("/json")), ec);
    CHECK_FALSE(ec);
    CHECK(r.status == 200);
}

TEMPLATE_TEST_CASE("time-outs and the size limit end an exchange with an error", "[transport]",
                   test::blocking_kind, test::asio_kind) {
    TestType kind;
    test::http_server server;
    transport::transport_options o;
    o.request_timeout = 400ms;
    o.max_response_bytes = 64 * 1024;
    auto t = kind.make_transport(o);
    error_code ec;

    auto r = kind.send(t, get(server.url("/hang")), ec);
    CHECK(ec == boost::beast::error::timeout);
    CHECK(r.status == 0);
    r = kind.send(t, get(server.url("/slow/1500")), ec);
    CHECK(ec == boost::beast::error::timeout);
    r = kind.send(t, get(server.url("/slow/10")), ec);
    CHECK_FALSE(ec);
    CHECK(r.status == 200);

    r = kind.send(t, get(server.url("/big/60000")), ec);
    CHECK_FALSE(ec);
    CHECK(r.body.size() == 60000);
    r = kind.send(t, get(server.url("/big/200000")), ec);
    CHECK(ec == boost::beast::http::error::body_limit);
    CHECK(r.body.empty());
    CHECK(t.idle_connections() <= 1); // the failed connection is never pooled

    // Nothing listens: connection refused.
    std::string dead_port;
    {
        test::http_server gone;
        dead_port = gone.port;
    }
    r = kind.send(t, get("http://127.0.0.1:" + dead_port + "/json"), ec);
    CHECK(ec == boost::asio::error::connection_refused);
}

TEMPLATE_TEST_CASE("TLS: the peer is verified against the configured CA, by name or address", "[transport][tls]",
                   test::blocking_kind, test::asio_kind) {
    TestType kind;
    auto good = test::tls_server("good");
    auto wrong_name = test::tls_server("wrongname");
    auto untrusted = test::tls_server("untrusted");
    transport::transport_options o;
    o.ca_file = test::cert_dir() + "/ca.pem";
    auto t = kind.make_transport(o);
    error_code ec;

    auto r = kind.send(t, get(good.url("/json", true)), ec);
    CHECK_FALSE(ec);
    CHECK(r.status == 200);
    r = kind.send(t, get(good.url("/json", true, "localhost")), ec);
    CHECK_FALSE(ec);
    CHECK(r.status == 200);
    r = kind.send(t, get(good.url("/json", true)), ec); // reused TLS connection
    CHECK_FALSE(ec);
    CHECK(json_of(r).at("requests").as_int64() == 2);

    r = kind.send(t, get(wrong_name.url("/json", true)), ec);
    INFO(ec.message());
    CHECK(ec);
    CHECK(ec.category() == boost::asio::error::get_ssl_category());
    CHECK(r.status == 0);
    r = kind.send(t, get(untrusted.url("/json", true)), ec);
    CHECK(ec);
    CHECK(ec.category() == boost::asio::error::get_ssl_category());

    // The system trust store does not know the test CA.
    auto system_store = kind.make_transport();
    r = kind.send(system_store, get(good.url("/json", true)), ec);
    CHECK(ec);
    CHECK(r.status == 0);

    // A CA file that cannot be read is a configuration error, not a silent fallback.
    transport::transport_options missing;
    missing.ca_file = test::cert_dir() + "/no-such-ca.pem";
    auto broken = kind.make_transport(missing);
    kind.send(broken, get(good.url("/json", true)), ec);
    CHECK(ec == error::invalid_option);
}

TEST_CASE("asio_transport::async_send takes every completion token", "[transport][asio]") {
    namespace net = boost::asio;
    test::http_server server;
    net::io_context ioc;
    asio_transport t(ioc.get_executor());
    const auto req = get(server.url("/json"));

    SECTION("callback") {
        int status = 0;
        t.async_send(req, [&](error_code ec, http::response r) {
            CHECK_FALSE(ec);
            status = r.status;
        });
        ioc.run();
        CHECK(status == 200);
    }
    SECTION("use_future") {
        auto work = net::make_work_guard(ioc);
        std::thread runner([&] { ioc.run(); });
        // The future's exception carries a failure; the value is the response.
        std::future<http::response> f = t.async_send(req, net::use_future);
        auto r = f.get();
        CHECK(r.status == 200);
        auto bad = t.async_send(get("http://127.0.0.1:1/json"), net::use_future);
        CHECK_THROWS_AS(bad.get(), boost::system::system_error);
        work.reset();
        runner.join();
    }
    SECTION("use_awaitable") {
        int status = 0;
        net::co_spawn(
            ioc,
            [&]() -> net::awaitable<void> {
                auto r = co_await t.async_send(req, net::use_awaitable);
                status = r.status;
                auto [ec, r2] = co_await t.async_send(req, net::as_tuple(net::use_awaitable));
                CHECK_FALSE(ec);
                CHECK(json_of(r2).at("requests").as_int64() == 2);
            },
            net::detached);
        ioc.run();
        CHECK(status == 200);
    }
    SECTION("deferred") {
        auto op = t.async_send(req, net::deferred); // nothing happens yet
        ioc.poll();
        CHECK(t.idle_connections() == 0);
        ioc.restart(); // poll() ran out of work and stopped the context
        int status = 0;
        std::move(op)([&](error_code ec, http::response r) {
            CHECK_FALSE(ec);
            status = r.status;
        });
        ioc.run();
        CHECK(status == 200);
    }
}
