// any_store: a Store picked at run time behaves as the store it wraps, and
// copies share it.
#include <authpp/store/any_store.hpp>

#include <catch2/catch.hpp>

using namespace authpp;
using namespace std::chrono_literals;

namespace {
// Counts calls, to show each one reaches the wrapped store.
struct counting_store {
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
