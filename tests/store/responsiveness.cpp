// A slow Redis must not stall the thread that waits on it. One io_context
// thread serves three configs: database sessions in a Redis behind a proxy
// that holds every reply 200 ms, JWT sessions of another config, and a
// refresh whose lock protocol goes through the same slow Redis. While 20
// requests wait on the Store, the other requests (a public route, a JWT
// session) are answered in well under 50 ms.
#include <authpp/asio.hpp>
#include <authpp/codec/database_codec.hpp>
#include <authpp/store/redis_store.hpp>

#include "redis_server.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

#include <catch2/catch.hpp>

#include <atomic>
#include <deque>
#include <functional>
#include <memory>
#include <thread>

using namespace std::chrono_literals;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using steady = std::chrono::steady_clock;
using authpp::error_code;

namespace {

constexpr auto reply_delay = 200ms;

/// A TCP proxy on its own thread: requests pass at once, every chunk of the
/// server's replies is held `reply_delay` and passed on in order.
class delaying_proxy {
public:
    explicit delaying_proxy(std::uint16_t upstream) : upstream_(upstream), acceptor_(io_, {asio::ip::address_v4::loopback(), 0}) {
        accept();
        thread_ = std::thread([this] { io_.run(); });
    }
    ~delaying_proxy() {
        io_.stop();
        thread_.join();
    }
    std::uint16_t port() const { return acceptor_.local_endpoint().port(); }

private:
    struct pipe : std::enable_shared_from_this<pipe> {
        explicit pipe(asio::io_context& io) : client(io), server(io), timer(io) {}
        tcp::socket client, server;
        asio::steady_timer timer;
        std::array<char, 16384> up{}, down{};
        std::deque<std::pair<steady::time_point, std::string>> held;
        bool sending = false;

        void start(std::uint16_t port) {
            server.async_connect({asio::ip::address_v4::loopback(), port}, [self = shared_from_this()](error_code ec) {
                if (ec) return self->close();
                self->forward_up();
                self->read_down();
            });
        }
        void forward_up() {
            client.async_read_some(asio::buffer(up), [self = shared_from_this()](error_code ec, std::size_t n) {
                if (ec) return self->close();
                asio::async_write(self->server, asio::buffer(self->up, n), [self](error_code ec, std::size_t) {
                    if (ec) return self->close();
                    self->forward_up();
                });
            });
        }
        void read_down() {
            server.async_read_some(asio::buffer(down), [self = shared_from_this()](error_code ec, std::size_t n) {
                if (ec) return self->close();
                self->held.emplace_back(steady::now() + reply_delay, std::string(self->down.data(), n));
                self->send_down();
                self->read_down();
            });
        }
        void send_down() {
            if (sending || held.empty()) return;
            sending = true;
            timer.expires_at(held.front().first);
            timer.async_wait([self = shared_from_this()](error_code) {
                asio::async_write(self->client, asio::buffer(self->held.front().second),
                                  [self](error_code ec, std::size_t) {
                                      self->held.pop_front();
                                      self->sending = false;
                                      if (ec) return self->close();
                                      self->send_down();
                                  });
            });
        }
        void close() {
            error_code ignored;
            client.close(ignored);
            server.close(ignored);
        }
    };

    void accept() {
        auto p = std::make_shared<pipe>(io_);
        acceptor_.async_accept(p->client, [this, p](error_code ec) {
            if (!ec) p->start(upstream_);
            accept();
        });
    }

    std::uint16_t upstream_;
    asio::io_context io_;
    tcp::acceptor acceptor_;
    std::thread thread_;
};

/// A token endpoint on the io_context: answers every refresh 100 ms later,
/// with rotated tokens; counts the requests.
struct token_endpoint {
    using executor_type = asio::io_context::executor_type;
    executor_type ex;
    std::shared_ptr<std::atomic<int>> sends = std::make_shared<std::atomic<int>>(0);

    executor_type get_executor() const noexcept { return ex; }
    authpp::http::response send(const authpp::http::request&, error_code& ec) {
        ec = make_error_code(boost::system::errc::not_supported);
        return {};
    }
    template <class H>
    void async_send(const authpp::http::request&, H&& h) {
        ++*sends;
        auto t = std::make_shared<asio::steady_timer>(ex, 100ms);
        t->async_wait([t, h = std::forward<H>(h)](error_code) mutable {
            std::move(h)(error_code{},
                         authpp::http::response{200,
                                                {{"Content-Type", "application/json"}},
                                                R"({"access_token":"at-2","refresh_token":"rt-2","expires_in":3600})"});
        });
    }
};

template <class Store>
using config_on = authpp::basic_auth_config<token_endpoint, authpp::authjs_codec, authpp::system_clock, Store,
                                            authpp::prefix_matcher>;
using db_config = authpp::basic_auth_config<token_endpoint, authpp::database_codec<authpp::redis_store>,
                                            authpp::system_clock, authpp::redis_store, authpp::prefix_matcher>;

authpp::auth_options options() {
    auto o = authpp::sandbox_options();
    o.secrets = {"responsiveness-test-secret"};
    o.token_endpoint = "http://127.0.0.1:1/oauth/token";
    o.protected_paths = {"/dashboard"};
    return o;
}

authpp::redis_store store_at(std::uint16_t port) {
    authpp::redis_store_options ro;
    ro.url = "redis://127.0.0.1:" + std::to_string(port) + "/6";
    ro.command_timeout = 5s; // longer than the proxy's delay
    return *authpp::redis_store::create(ro);
}

/// Signs in (blocking) and returns the browser's Cookie header.
template <class Config>
std::string signed_in(Config& c, std::int64_t access_expires_in_ms) {
    authpp::signed_in_user u;
    u.sub = "user-1";
    u.access_token = "at-1";
    u.refresh_token = "rt-1";
    u.access_token_expires = c.now_ms() + access_expires_in_ms;
    authpp::core::flow_options fo;
    fo.event = {authpp::jwt_trigger::sign_in, &u, nullptr};
    auto r = c.resolve("", fo);
    REQUIRE(r.session);
    std::string cookie;
    for (const auto& sc : r.set_cookies) {
        if (!cookie.empty()) cookie += "; ";
        cookie += sc.substr(0, sc.find(';'));
    }
    return cookie;
}

/// While `slow` requests run, other requests every 25 ms: the worst latency.
struct probe {
    probe(asio::io_context& io, std::function<void(std::function<void()>)> other)
        : io(io), other(std::move(other)), timer(io) {}
    asio::io_context& io;
    std::function<void(std::function<void()>)> other; // starts one request, calls back when answered
    asio::steady_timer timer;
    std::vector<steady::duration> latencies;
    bool stop = false;

    void start() {
        timer.expires_after(25ms);
        timer.async_wait([this](error_code) {
            if (stop) return;
            const auto t0 = steady::now();
            other([this, t0] { latencies.push_back(steady::now() - t0); });
            start();
        });
    }
    steady::duration worst() const {
        steady::duration w{};
        for (auto d : latencies) w = std::max(w, d);
        return w;
    }
};

} // namespace

TEST_CASE("a slow Redis does not stall the thread: database sessions and a refresh in flight") {
    authpp::test::redis_server redis(AUTHPP_REDIS_SERVER);
    delaying_proxy proxy(redis.port());
    asio::io_context io; // the one server thread

    db_config direct(options(), token_endpoint{io.get_executor()}, {}, store_at(redis.port()));
    db_config db(options(), token_endpoint{io.get_executor()}, {}, store_at(proxy.port()));
    config_on<authpp::memory_store> jwt(options(), token_endpoint{io.get_executor()});
    const auto db_cookie = signed_in(direct, 3'600'000); // written straight to Redis: the slow one reads it
    const auto jwt_cookie = signed_in(jwt, 3'600'000);

    // The other requests: a public route of the database config, and a JWT
    // session of another config.
    auto others = [&](std::function<void()> done) {
        auto left = std::make_shared<int>(2);
        auto one = [left, done] {
            if (--*left == 0) done();
        };
        authpp::http::server_request pub;
        pub.target = "/";
        pub.cookie = db_cookie;
        authpp::async_middleware(db, pub, [one](authpp::middleware_result r) {
            CHECK(r.allowed);
            one();
        });
        authpp::async_resolve(jwt, jwt_cookie, [one](authpp::core::session_result r) {
            CHECK(r.session);
            one();
        });
    };

    SECTION("20 database-session requests wait on the Store") {
        int resolved = 0;
        steady::duration slowest{};
        const auto t0 = steady::now();
        probe p{io, others};
        for (int i = 0; i < 20; ++i)
            authpp::async_resolve(db, db_cookie, [&](authpp::core::session_result r) {
                if (r.session && r.session->user.sub == "user-1") ++resolved;
                slowest = steady::now() - t0;
                if (resolved == 20) p.stop = true;
            });
        p.start();
        io.run();
        CHECK(resolved == 20);
        CHECK(slowest >= 2 * reply_delay - 20ms); // record + generation, each a delayed round trip
        REQUIRE(p.latencies.size() >= 10);
        WARN("worst latency of the other requests: "
             << std::chrono::duration_cast<std::chrono::microseconds>(p.worst()).count() << " µs over "
             << p.latencies.size() << " probes; slowest store-bound request "
             << std::chrono::duration_cast<std::chrono::milliseconds>(slowest).count() << " ms");
        CHECK(p.worst() < 50ms);
    }

    SECTION("a refresh whose lock protocol goes through the slow Redis") {
        config_on<authpp::redis_store> refreshing(options(), token_endpoint{io.get_executor()}, {},
                                                  store_at(proxy.port()));
        const auto expired = signed_in(refreshing, -1000);
        int refreshed = 0;
        steady::duration slowest{};
        const auto t0 = steady::now();
        probe p{io, others};
        for (int i = 0; i < 20; ++i)
            authpp::async_resolve(refreshing, expired, [&](authpp::core::session_result r) {
                if (r.session && r.session->access_token == "at-2" && !r.session->error) ++refreshed;
                slowest = steady::now() - t0;
                if (refreshed == 20) p.stop = true;
            });
        p.start();
        io.run();
        CHECK(refreshed == 20);
        CHECK(*refreshing.transport().sends == 1); // one redemption for all
        // successor look-up, lock, look-up again, exchange, record, release
        CHECK(slowest >= 3 * reply_delay);
        REQUIRE(p.latencies.size() >= 10);
        WARN("worst latency of the other requests: "
             << std::chrono::duration_cast<std::chrono::microseconds>(p.worst()).count() << " µs over "
             << p.latencies.size() << " probes; the refresh took "
             << std::chrono::duration_cast<std::chrono::milliseconds>(slowest).count() << " ms");
        CHECK(p.worst() < 50ms);
    }
}
