// detail/async_flow.hpp (and basic_auth_config::drive): the flow protocol's
// shared step and refresh readers under both drivers. Forty flows asking
// with one key make one exchange and all get its answer, blocking threads
// and asynchronous operations alike; another key is another exchange; a
// refresh step's answer is read by the flow's reader.
#include <authpp/clock/manual_clock.hpp>
#include <authpp/codec/authjs_codec.hpp>
#include <authpp/config.hpp>
#include <authpp/detail/async_flow.hpp>
#include <authpp/match/prefix_matcher.hpp>
#include <authpp/store/memory_store.hpp>

#include <boost/asio/compose.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <catch2/catch.hpp>

#include <atomic>
#include <condition_variable>
#include <future>
#include <map>
#include <mutex>
#include <set>
#include <thread>

using namespace authpp;
using namespace std::chrono_literals;

namespace {

/// Answers every request with 200 and a body naming the URL and a serial;
/// blocking sends wait at a gate the test opens.
struct endpoint_state {
    std::mutex m;
    std::condition_variable cv;
    bool open = false;
    std::atomic<int> sends{0};
    http::response answer(const http::request& r) {
        const int n = ++sends;
        return {200, {}, r.url + "#" + std::to_string(n)};
    }
};

struct endpoint {
    using executor_type = boost::asio::io_context::executor_type;
    std::optional<executor_type> ex;
    std::shared_ptr<endpoint_state> s = std::make_shared<endpoint_state>();

    executor_type get_executor() const noexcept { return *ex; }
    http::response send(const http::request& r, error_code&) {
        std::unique_lock l(s->m);
        s->cv.wait(l, [&] { return s->open; });
        l.unlock();
        return s->answer(r);
    }
    template <class Handler>
    void async_send(const http::request& r, Handler&& h) {
        boost::asio::post(*ex, [s = s, r, h = std::forward<Handler>(h)]() mutable {
            auto resp = s->answer(r);
            std::move(h)(error_code{}, std::move(resp));
        });
    }
};

using config = basic_auth_config<endpoint, authjs_codec, manual_clock, memory_store, prefix_matcher>;

auth_options options() {
    auto o = sandbox_options();
    o.secrets = {"async-flow-test-secret"};
    o.token_endpoint = "http://127.0.0.1:1/oauth/token";
    return o;
}

/// What the settling of shared exchanges saw: how often it ran, and whether
/// any flow had resumed with the answer before it (none may).
struct settle_log {
    std::atomic<int> settles{0};
    std::atomic<int> resumed{0};
    std::atomic<int> resumed_before_settle{0};
    std::string last_body;

    static void settle(const void* ctx, std::string_view, const flow::shared_answer& a, std::int64_t) {
        auto& log = *static_cast<settle_log*>(const_cast<void*>(ctx));
        log.resumed_before_settle += log.resumed.load();
        log.last_body = a.response.body;
        ++log.settles;
    }
};

/// A flow of one shared step, then (optionally) one refresh step read by a
/// reader of its own.
struct probe_flow {
    http::request req;
    std::string key;
    settle_log* log = nullptr;
    bool with_refresh = false;
    std::optional<std::string> body;
    std::optional<oauth::refresh_result> refreshed;

    static oauth::refresh_result read(const void* ctx, const error_code&, const http::response& r,
                                      std::string_view redeemed, std::int64_t) {
        oauth::refresh_result out;
        out.tokens = oauth::refreshed_tokens{};
        out.tokens->access_token = *static_cast<const std::string*>(ctx) + ":" + r.body;
        out.tokens->refresh_token = std::string(redeemed);
        return out;
    }
    std::string tag = "probe";

    flow::step next() const {
        if (!body) return flow::step::share(req, key, log ? flow::shared_settle{&settle_log::settle, log} : flow::shared_settle{});
        if (with_refresh && !refreshed) return flow::step::redeem(req, "rt", {&probe_flow::read, &tag});
        return flow::step::finished();
    }
    void on_response(const error_code& ec, const http::response& r) {
        body = ec ? "error" : r.body;
        if (log) ++log->resumed;
    }
    void on_store(flow::store_answer) {}
    void on_refresh(const oauth::refresh_result& r) { refreshed = r; }
};
static_assert(flow::Flow<probe_flow>);

struct probe_job {
    using flow_type = probe_flow;
    config& cfg;
    probe_flow first;
    flow_type start() { return std::move(first); }
    template <class Self>
    void complete(Self& self, flow_type&& f) {
        self.complete(std::move(f));
    }
};

template <class Token>
auto async_probe(config& c, probe_flow f, Token&& token) {
    return boost::asio::async_compose<Token, void(probe_flow)>(
        detail::flow_op<endpoint, probe_job>(c.transport(), probe_job{c, std::move(f)}), token,
        c.transport().get_executor());
}

probe_flow probe(std::string url, std::string key, settle_log* log = nullptr) {
    probe_flow f;
    f.req.url = std::move(url);
    f.key = std::move(key);
    f.log = log;
    return f;
}

} // namespace

TEST_CASE("blocking: threads with one key share one exchange") {
    manual_clock clock;
    endpoint ep;
    config c(options(), ep, clock);
    settle_log log;
    std::vector<std::future<std::string>> out;
    for (int i = 0; i < 40; ++i)
        out.push_back(std::async(std::launch::async, [&] {
            auto f = probe("http://backend/validate", "key-1", &log);
            c.drive(f);
            return *f.body;
        }));
    // Every thread is in: one leads (at the gate), the others wait for it.
    while (c.shared_exchanges().waiting() < 39) std::this_thread::yield();
    {
        std::lock_guard l(ep.s->m);
        ep.s->open = true;
    }
    ep.s->cv.notify_all();
    for (auto& f : out) CHECK(f.get() == "http://backend/validate#1");
    CHECK(ep.s->sends == 1);
    // The one that performed it settled it once, before anyone resumed.
    CHECK(log.settles == 1);
    CHECK(log.resumed_before_settle == 0);
    CHECK(log.last_body == "http://backend/validate#1");
    CHECK(c.shared_exchanges().in_flight() == 0);

    // Later, and with another key: exchanges of their own.
    auto again = probe("http://backend/validate", "key-1");
    c.drive(again);
    CHECK(*again.body == "http://backend/validate#2");
    auto other = probe("http://backend/other", "key-2");
    c.drive(other);
    CHECK(*other.body == "http://backend/other#3");
}

TEST_CASE("async: operations with one key share one exchange") {
    manual_clock clock;
    boost::asio::io_context ioc;
    endpoint ep;
    ep.ex = ioc.get_executor();
    config c(options(), ep, clock);
    std::mutex m; // the completions run on both threads
    std::vector<probe_flow> done;
    const auto keep = [&](probe_flow f) {
        std::lock_guard l(m);
        done.push_back(std::move(f));
    };
    settle_log log;
    for (int i = 0; i < 40; ++i) async_probe(c, probe("http://backend/validate", "key-1", &log), keep);
    async_probe(c, probe("http://backend/other", "key-2"), keep);
    CHECK(c.shared_exchanges().waiting() == 41); // the leaders wait for their own flights too
    std::thread t([&] { ioc.run(); });
    ioc.run();
    t.join();
    REQUIRE(done.size() == 41);
    CHECK(ep.s->sends == 2);
    std::map<std::string, std::set<std::string>> bodies; // per key: every flow got the one answer
    for (const auto& f : done) bodies[f.key].insert(*f.body);
    REQUIRE(bodies.size() == 2);
    CHECK(bodies["key-1"].size() == 1);
    CHECK(bodies["key-1"].begin()->starts_with("http://backend/validate#"));
    CHECK(bodies["key-2"].size() == 1);
    CHECK(bodies["key-2"].begin()->starts_with("http://backend/other#"));
    CHECK(c.shared_exchanges().in_flight() == 0);
    CHECK(log.settles == 1);
    CHECK(log.resumed_before_settle == 0);
    CHECK(log.last_body == *bodies["key-1"].begin());
}

TEST_CASE("a refresh step's answer is read by its reader, under both drivers") {
    manual_clock clock;
    SECTION("blocking") {
        endpoint ep;
        ep.s->open = true;
        config c(options(), ep, clock);
        auto f = probe("http://backend/refresh", "k");
        f.with_refresh = true;
        c.drive(f);
        REQUIRE(f.refreshed);
        REQUIRE(f.refreshed->tokens);
        CHECK(f.refreshed->tokens->access_token == "probe:http://backend/refresh#2");
        CHECK(f.refreshed->tokens->refresh_token == "rt");
    }
    SECTION("async") {
        boost::asio::io_context ioc;
        endpoint ep;
        ep.ex = ioc.get_executor();
        config c(options(), ep, clock);
        auto f = probe("http://backend/refresh", "k");
        f.with_refresh = true;
        std::optional<probe_flow> got;
        async_probe(c, std::move(f), [&](probe_flow r) { got = std::move(r); });
        ioc.run();
        REQUIRE(got);
        REQUIRE(got->refreshed);
        REQUIRE(got->refreshed->tokens);
        CHECK(got->refreshed->tokens->access_token == "probe:http://backend/refresh#2");
    }
}
