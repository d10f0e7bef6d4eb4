// split/async.hpp and split/beast.hpp: the handlers and the session on an
// io_context with two threads — twenty refreshes with one refresh cookie
// make one backend refresh and all get the same tokens — and the Beast
// adapter's requests and responses.
#include <authpp/clock/manual_clock.hpp>
#include <authpp/split/beast.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/json/parse.hpp>

#include <catch2/catch.hpp>

#include <atomic>
#include <mutex>
#include <thread>

using namespace authpp;

namespace {

/// A Directus on the reactor: rotates refresh tokens, counts refreshes.
struct backend {
    using executor_type = boost::asio::io_context::executor_type;
    executor_type ex;
    std::shared_ptr<std::atomic<int>> refreshes = std::make_shared<std::atomic<int>>(0);

    executor_type get_executor() const noexcept { return ex; }
    http::response send(const http::request& r, error_code&) { return reply(r); }
    template <class Handler>
    void async_send(const http::request& r, Handler&& h) {
        boost::asio::post(ex, [r, h = std::forward<Handler>(h), this]() mutable {
            auto resp = reply(r);
            std::move(h)(error_code{}, std::move(resp));
        });
    }
    http::response reply(const http::request& r) {
        if (r.url.ends_with("/auth/refresh")) {
            const int n = ++*refreshes;
            return {200, {}, R"({"data":{"access_token":"acc-)" + std::to_string(n + 1) +
                                 R"(","expires":900000,"refresh_token":"ref-)" + std::to_string(n + 1) + R"("}})"};
        }
        if (r.url.ends_with("/auth/logout")) return {204, {}, ""};
        return {401, {}, "{}"};
    }
};

using config = split::basic_split_config<backend, manual_clock, memory_store>;

config make(backend b) {
    split::split_options o;
    o.secrets = {"split-async-test-secret"};
    return config(o, split::directus_handlers("http://directus.test"), b, manual_clock{});
}

template <class Start>
void run_all(boost::asio::io_context& ioc, int n, Start start) {
    for (int i = 0; i < n; ++i) start();
    std::thread t([&] { ioc.run(); });
    ioc.run();
    t.join();
    ioc.restart();
}

} // namespace

TEST_CASE("split async: twenty refreshes with one cookie make one backend refresh") {
    boost::asio::io_context ioc;
    backend b{ioc.get_executor()};
    auto c = make(b);
    std::mutex m;
    std::vector<split::reply> out;
    run_all(ioc, 20, [&] {
        split::owned_handler_request req;
        req.target = "/api/auth/refresh";
        req.cookie = "refresh_token=ref-1";
        split::async_handle(c, std::move(req), [&](split::reply r) {
            std::lock_guard l(m);
            out.push_back(std::move(r));
        });
    });
    REQUIRE(out.size() == 20);
    for (const auto& r : out) {
        CHECK(r.status == 200);
        CHECK(boost::json::parse(r.body).at("accessToken") == "acc-2");
        REQUIRE(r.set_cookies.size() == 3);
        CHECK(r.set_cookies[1].starts_with("refresh_token=ref-2;"));
    }
    CHECK(*b.refreshes == 1);
}

TEST_CASE("split async: twenty due sessions with one cookie make one backend refresh") {
    boost::asio::io_context ioc;
    backend b{ioc.get_executor()};
    auto c = make(b);
    std::mutex m;
    std::vector<split::session_state> out;
    run_all(ioc, 20, [&] {
        split::async_session(c, "refresh_token=ref-1", [&](split::session_state s) {
            std::lock_guard l(m);
            out.push_back(std::move(s));
        });
    });
    REQUIRE(out.size() == 20);
    for (const auto& s : out) {
        CHECK(s.has_session);
        CHECK(s.access_token == "acc-2");
    }
    CHECK(*b.refreshes == 1);
}

TEST_CASE("split beast: a request read, a reply and a redirect written") {
    namespace bhttp = boost::beast::http;
    bhttp::request<bhttp::string_body> req{bhttp::verb::post, "/api/auth/login?x=1", 11};
    req.set(bhttp::field::content_type, "application/json");
    req.insert(bhttp::field::cookie, "a=1");
    req.insert(bhttp::field::cookie, "refresh_token=r");
    req.body() = R"({"email":"e","password":"p"})";
    const auto in = split::beast::read_request(req);
    CHECK(in.method == "POST");
    CHECK(in.target == "/api/auth/login?x=1");
    CHECK(in.cookie == "a=1; refresh_token=r");
    CHECK(in.content_type == "application/json");
    CHECK(in.body == req.body());
    CHECK(split::beast::cookies_of(req) == "a=1; refresh_token=r");

    split::reply r{401, R"({"message":"Not authorized"})", {"a=; Max-Age=0", "b=; Max-Age=0"}, true};
    const auto res = split::beast::to_response(r, 11, true);
    CHECK(res.result_int() == 401);
    CHECK(res[bhttp::field::content_type] == "application/json");
    CHECK(res[bhttp::field::cache_control] == "no-store");
    CHECK(res["Clear-Site-Data"] == "\"cookies\"");
    CHECK(std::distance(res.equal_range(bhttp::field::set_cookie).first,
                        res.equal_range(bhttp::field::set_cookie).second) == 2);
    CHECK(res.body() == r.body);

    split::session_state s;
    s.set_cookies = {"access_token=x; Path=/"};
    const auto to = split::beast::redirect("/login?returnTo=%2Fapp", s, 11, false);
    CHECK(to.result_int() == 307);
    CHECK(to[bhttp::field::location] == "/login?returnTo=%2Fapp");
    CHECK(to[bhttp::field::set_cookie] == "access_token=x; Path=/");
    CHECK_FALSE(to.keep_alive());

    // A page that carries cookies is never kept by a shared cache.
    bhttp::response<bhttp::string_body> page{bhttp::status::ok, 11};
    split::beast::apply_session(s, page);
    CHECK(page[bhttp::field::cache_control] == "private, no-store");
    bhttp::response<bhttp::string_body> plain{bhttp::status::ok, 11};
    split::beast::apply_session(split::session_state{}, plain);
    CHECK(plain[bhttp::field::cache_control].empty());
    req.set("Sec-Fetch-Site", "cross-site");
    CHECK(split::beast::read_request(req).fetch_site == "cross-site");
}
