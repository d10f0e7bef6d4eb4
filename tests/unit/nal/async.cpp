// nal/async.hpp: the decision on an io_context with two threads — twenty
// requests with one fresh token make one validation, twenty with one
// refused token make one refresh, and each gets the same answer.
#include <authpp/clock/manual_clock.hpp>
#include <authpp/nal/async.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <catch2/catch.hpp>

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

using namespace authpp;

namespace {

/// A backend on the reactor: answers by the request's path and bearer.
struct backend {
    using executor_type = boost::asio::io_context::executor_type;
    executor_type ex;
    struct state {
        std::mutex m;
        std::map<std::string, int> calls; ///< "path bearer" → count
        std::function<http::response(const std::string& path, const std::string& bearer)> answer;
    };
    std::shared_ptr<state> s = std::make_shared<state>();

    executor_type get_executor() const noexcept { return ex; }
    http::response send(const http::request& r, error_code&) { return reply(r); }
    template <class Handler>
    void async_send(const http::request& r, Handler&& h) {
        boost::asio::post(ex, [s = s, r, h = std::forward<Handler>(h), this]() mutable {
            auto resp = reply(r);
            std::move(h)(error_code{}, std::move(resp));
        });
    }
    http::response reply(const http::request& r) {
        const std::string path = r.url.substr(r.url.find('/', 8));
        const std::string bearer(http::find_header(r.headers, "Authorization").substr(7));
        std::lock_guard l(s->m);
        ++s->calls[path + " " + bearer];
        return s->answer(path, bearer);
    }
    int calls(const std::string& k) const {
        std::lock_guard l(s->m);
        return s->calls.count(k) ? s->calls.at(k) : 0;
    }
};

using config = nal::basic_nal_config<backend, manual_clock, memory_store>;

nal::nal_options options() {
    nal::nal_options o;
    o.api_base_url = "http://backend.test/";
    o.protected_routes = {"/dashboard"};
    o.secrets = {"nal-async-test-secret"};
    return o;
}

std::vector<nal::decision> run(config& c, boost::asio::io_context& ioc, int n, std::string cookie) {
    std::mutex m;
    std::vector<nal::decision> out;
    for (int i = 0; i < n; ++i) {
        nal::owned_request req;
        req.path = "/dashboard";
        req.cookie = cookie;
        nal::async_decide(c, std::move(req), [&](nal::decision d) {
            std::lock_guard l(m);
            out.push_back(std::move(d));
        });
    }
    std::thread t([&] { ioc.run(); });
    ioc.run();
    t.join();
    ioc.restart();
    return out;
}

} // namespace

TEST_CASE("async: twenty requests with one fresh token make one validation") {
    boost::asio::io_context ioc;
    backend b{ioc.get_executor()};
    b.s->answer = [](const std::string&, const std::string&) {
        return http::response{200, {}, R"({"success":true,"data":{"id":7}})"};
    };
    config c(options(), {}, {}, b, manual_clock{});
    const auto out = run(c, ioc, 20, "userToken=u1");
    REQUIRE(out.size() == 20);
    for (const auto& d : out) {
        CHECK(d.pass);
        CHECK(d.token_type == "user");
    }
    CHECK(b.calls("/auth/me u1") == 1);
}

TEST_CASE("async: twenty requests with one refused token make one refresh and all get the new token") {
    boost::asio::io_context ioc;
    backend b{ioc.get_executor()};
    b.s->answer = [](const std::string& path, const std::string& bearer) {
        if (path == "/auth/refresh") return http::response{200, {}, R"({"success":true,"data":{"accessToken":"u2"}})"};
        if (bearer == "u2") return http::response{200, {}, R"({"success":true,"data":{"id":7}})"};
        return http::response{401, {}, R"({"success":false})"};
    };
    config c(options(), {}, {}, b, manual_clock{});
    const auto out = run(c, ioc, 20, "userToken=u1");
    REQUIRE(out.size() == 20);
    for (const auto& d : out) {
        CHECK(d.pass);
        CHECK(d.refreshed);
        REQUIRE(d.set_cookies.size() == 1);
        CHECK(d.set_cookies[0].starts_with("userToken=u2;"));
    }
    CHECK(b.calls("/auth/refresh u1") == 1);
    CHECK(b.calls("/auth/me u1") == 1);
    // The new token's validation is shared too, and the request that
    // performs it puts the answer in the cache before the flight ends
    // (flow::shared_settle). With two threads one more validation can still
    // start: a flow on the other thread that missed the cache just before
    // the settle and joins just after the flight ended. Never more: every
    // later flow finds the cache entry.
    CHECK(b.calls("/auth/me u2") >= 1);
    CHECK(b.calls("/auth/me u2") <= 2);
}
