// any_store: a Store picked at run time behaves as the store it wraps, and
// copies share it.
#include <authpp/store/any_store.hpp>

#include <boost/asio/deferred.hpp>
#include <boost/asio/io_context.hpp>

#include <catch2/catch.hpp>

using namespace authpp;
using namespace std::chrono_literals;

namespace {
// Counts calls, to show each one reaches the wrapped store.
struct counting_store {
    static constexpr bool completes_immediately = true; // it wraps a memory_store
    memory_store inner;
    std::shared_ptr<int> calls = std::make_shared<int>(0);
    std::optional<std::string> get(std::string_view k) { return ++*calls, inner.get(k); }
    bool set(std::string_view k, std::string_view v, std::chrono::milliseconds t) { return ++*calls, inner.set(k, v, t); }
    bool erase(std::string_view k) { return ++*calls, inner.erase(k); }
    bool add(std::string_view k, std::string_view v, std::chrono::milliseconds t) { return ++*calls, inner.add(k, v, t); }
    bool expire_if(std::string_view k, std::string_view v, std::chrono::milliseconds t) {
        return ++*calls, inner.expire_if(k, v, t);
    }
    bool erase_if(std::string_view k, std::string_view v) { return ++*calls, inner.erase_if(k, v); }
};
// A Store that may block (it says nothing about completing immediately).
struct redis_like_store : counting_store {
    static constexpr bool completes_immediately = false;
};
} // namespace

TEST_CASE("any_store forwards every member to the store it wraps") {
    counting_store counted;
    any_store s(counted);
    CHECK_FALSE(s.get("k"));
    CHECK(s.set("k", "v", 1min));
    CHECK(s.get("k") == "v");
    CHECK_FALSE(s.add("k", "w", 1min));
    CHECK(s.add("lock", "me", 1min));
    CHECK_FALSE(s.expire_if("lock", "you", 1min));
    CHECK(s.expire_if("lock", "me", 1min));
    CHECK_FALSE(s.erase_if("lock", "you"));
    CHECK(s.erase_if("lock", "me"));
    CHECK(s.erase("k"));
    CHECK_FALSE(s.erase("k"));
    CHECK(*counted.calls == 11);
}

TEST_CASE("copies of an any_store share one store; a default one is a fresh memory_store") {
    any_store a;
    any_store b = a;
    CHECK(a.set("k", "v", 1min));
    CHECK(b.get("k") == "v");
    any_store c;
    CHECK_FALSE(c.get("k"));
    any_store moved = std::move(b);
    CHECK(moved.get("k") == "v");
}

static_assert(ImmediateStore<memory_store>);
static_assert(ImmediateStore<counting_store>);
static_assert(!ImmediateStore<redis_like_store>);
// A store that may block and is not asynchronous cannot be wrapped:
// tests/compile_fail/async_store_without_async_add.cpp.

TEST_CASE("any_store's asynchronous members answer an immediate store through the executor") {
    boost::asio::io_context io;
    counting_store counted;
    any_store s(counted);
    std::vector<std::string> log;
    auto ex = io.get_executor();
    s.async_set(ex, "k", "v", 1min, [&](error_code ec, bool ok) { log.push_back("set " + std::to_string(!ec && ok)); });
    {
        std::string key = "k"; // gone before the operation runs: any_store keeps its own copy
        s.async_get(ex, key, [&](error_code ec, std::optional<std::string> v) {
            log.push_back("get " + (ec ? std::string("error") : v.value_or("none")));
        });
    }
    s.async_add(ex, "lock", "me", 1min, [&](error_code, bool ok) { log.push_back("add " + std::to_string(ok)); });
    s.async_add(ex, "lock", "you", 1min, [&](error_code, bool ok) { log.push_back("add " + std::to_string(ok)); });
    s.async_expire_if(ex, "lock", "me", 1min,
                      [&](error_code, bool ok) { log.push_back("expire_if " + std::to_string(ok)); });
    s.async_erase_if(ex, "lock", "you",
                     [&](error_code, bool ok) { log.push_back("erase_if " + std::to_string(ok)); });
    s.async_erase(ex, "k", [&](error_code, bool ok) { log.push_back("erase " + std::to_string(ok)); });
    CHECK(log.empty()); // never inside the initiating call
    io.run();
    CHECK(log == std::vector<std::string>{"set 1", "get v", "add 1", "add 0", "expire_if 1", "erase_if 0", "erase 1"});
    CHECK(*counted.calls == 7);

    // Any completion token: a deferred operation runs when it is started.
    io.restart();
    auto op = s.async_get(ex, "lock", boost::asio::deferred);
    std::optional<std::string> got;
    std::move(op)([&](error_code, std::optional<std::string> v) { got = std::move(v); });
    io.run();
    CHECK(got == "me");
}

namespace {
/// A ReportingStore that cannot be reached.
struct unreachable_store : counting_store {
    static void down(error_code& ec) { ec = make_error_code(boost::system::errc::connection_refused); }
    std::optional<std::string> get(std::string_view, error_code& ec) { return down(ec), std::nullopt; }
    bool set(std::string_view, std::string_view, std::chrono::milliseconds, error_code& ec) { return down(ec), false; }
    bool erase(std::string_view, error_code& ec) { return down(ec), false; }
    bool add(std::string_view, std::string_view, std::chrono::milliseconds, error_code& ec) { return down(ec), false; }
    bool expire_if(std::string_view, std::string_view, std::chrono::milliseconds, error_code& ec) {
        return down(ec), false;
    }
    bool erase_if(std::string_view, std::string_view, error_code& ec) { return down(ec), false; }
    using counting_store::add, counting_store::erase, counting_store::erase_if, counting_store::expire_if,
        counting_store::get, counting_store::set;
};
} // namespace

TEST_CASE("any_store tells 'could not ask' from 'absent' when the store it wraps does") {
    static_assert(ReportingStore<unreachable_store>);
    any_store down(unreachable_store{});
    error_code ec;
    CHECK_FALSE(down.get("k", ec));
    CHECK(ec == boost::system::errc::connection_refused);
    CHECK_FALSE(down.add("k", "v", 1min, ec));
    CHECK(ec == boost::system::errc::connection_refused);
    CHECK_FALSE(flow::perform(down, flow::get("k")).value);
    CHECK(flow::perform(down, flow::get("k")).ec == boost::system::errc::connection_refused);

    any_store up(counting_store{}); // answers: ec cleared, "absent" is an answer
    ec = make_error_code(boost::system::errc::connection_refused);
    CHECK_FALSE(up.get("k", ec));
    CHECK_FALSE(ec);
    CHECK(up.set("k", "v", 1min, ec));
    CHECK_FALSE(ec);
    CHECK_FALSE(flow::perform(up, flow::get("absent")).ec);
}
