// authpp::error: its category, messages and comparison with error_code.
#include <authpp/error.hpp>

#include <catch2/catch.hpp>

#include <set>
#include <string>

using namespace authpp;

TEST_CASE("every error has its own message in the authpp category") {
    std::set<std::string> messages;
    for (int e = static_cast<int>(error::bad_base64url); e <= static_cast<int>(last_error); ++e) {
        const error_code ec = static_cast<error>(e);
        INFO(e);
        CHECK(ec);
        CHECK(ec.category() == error_category());
        CHECK(std::string(ec.category().name()) == "authpp");
        const auto m = ec.message();
        CHECK_FALSE(m.empty());
        CHECK(m != "unknown authpp error");
        messages.insert(m);
    }
    CHECK(messages.size() == static_cast<std::size_t>(last_error));
    CHECK(error_code(static_cast<error>(9999)).message() == "unknown authpp error");
    CHECK(error_code(static_cast<error>(0)).message() == "unknown authpp error");
}

TEST_CASE("the char-buffer message overload agrees with the string one") {
    char buf[8];
    for (auto e : {error::bad_tag, error::expired, error::unauthorized}) {
        const error_code ec = e;
        CHECK(std::string(ec.category().message(ec.value(), buf, sizeof buf)) == ec.message());
    }
}

TEST_CASE("error values compare with error_code and convert implicitly") {
    error_code ec = error::expired;
    CHECK(ec == error::expired);
    CHECK(ec != error::bad_tag);
    CHECK(error_code{} != error::expired);
    result<int> r = error::unknown_kid;
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error() == error::unknown_kid);
    // Another category's code with the same value is not an authpp error.
    CHECK(error_code(static_cast<int>(error::expired), boost::system::generic_category()) != error::expired);
}
