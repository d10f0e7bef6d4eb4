// Secrets from the environment, in Auth.js's order.
#include <authpp/codec/secrets.hpp>

#include <catch2/catch.hpp>

#include <cstdlib>
#include <map>
#include <string>

using namespace authpp;

namespace {
auto env_of(std::map<std::string, std::string> m) {
    return [m = std::move(m)](const char* n) -> const char* {
        auto it = m.find(n);
        return it == m.end() ? nullptr : it->second.c_str();
    };
}
using V = std::vector<std::string>;
} // namespace

TEST_CASE("AUTH_SECRET_3, _2, _1, then AUTH_SECRET; unset or empty ones skipped") {
    CHECK(secrets_from_env(env_of({{"AUTH_SECRET", "s"}})) == V{"s"});
    CHECK(secrets_from_env(env_of({{"AUTH_SECRET", "s"}, {"AUTH_SECRET_1", "one"}, {"AUTH_SECRET_3", "three"},
                                   {"AUTH_SECRET_2", ""}})) == V{"three", "one", "s"});
    CHECK(secrets_from_env(env_of({{"AUTH_SECRET_1", "one"}})) == V{"one"});
    CHECK(secrets_from_env(env_of({{"NEXTAUTH_SECRET", "legacy"}})).empty());
    CHECK(secrets_from_env(env_of({})).empty());
}

TEST_CASE("the real environment") {
    setenv("AUTH_SECRET", "from-env", 1);
    setenv("AUTH_SECRET_2", "two", 1);
    unsetenv("AUTH_SECRET_1");
    unsetenv("AUTH_SECRET_3");
    CHECK(secrets_from_env() == V{"two", "from-env"});
    unsetenv("AUTH_SECRET");
    unsetenv("AUTH_SECRET_2");
    CHECK(secrets_from_env().empty());
}
