// Secrets from the environment, in Auth.js's order, and what that order means
// for a codec built from them: the first encodes, every one decodes.
#include <authpp/codec/secrets.hpp>

#include <authpp/codec/authjs_codec.hpp>

#include <boost/json/parse.hpp>

#include <catch2/catch.hpp>

#include <array>
#include <cstdlib>
#include <map>
#include <optional>
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

using env_vars = std::map<std::string, std::string>;
constexpr const char* secret_vars[] = {"AUTH_SECRET", "AUTH_SECRET_1", "AUTH_SECRET_2", "AUTH_SECRET_3"};

// Sets exactly the given AUTH_SECRET* variables for one test and puts the
// process environment back as it was afterwards.
class scoped_secrets {
public:
    scoped_secrets() : scoped_secrets(env_vars{}) {}
    scoped_secrets(const scoped_secrets&) = delete;
    scoped_secrets& operator=(const scoped_secrets&) = delete;
    explicit scoped_secrets(const env_vars& vars) {
        for (const char* n : secret_vars) {
            const char* v = std::getenv(n);
            saved_.emplace(n, v ? std::optional<std::string>(v) : std::nullopt);
            unsetenv(n);
        }
        set(vars);
    }
    void set(const env_vars& vars) {
        for (const auto& [n, v] : vars) setenv(n.c_str(), v.c_str(), 1);
    }
    ~scoped_secrets() {
        for (const auto& [n, v] : saved_) {
            if (v) setenv(n.c_str(), v->c_str(), 1);
            else unsetenv(n.c_str());
        }
    }

private:
    std::map<std::string, std::optional<std::string>> saved_;
};

constexpr std::int64_t now = 1'800'000'000;
const std::string salt{session_cookie_name};

std::string kid_of(const std::string& token) {
    auto h = boost::json::parse(crypto::base64url_decode(token.substr(0, token.find('.'))).value()).as_object();
    return std::string(h.at("kid").as_string());
}
std::string kid_from(const std::string& secret) {
    // A token this secret alone encodes carries its kid.
    return kid_of(authjs_codec({secret}).encode({}, salt, 60, now).value());
}
} // namespace

TEST_CASE("AUTH_SECRET_3, _2, _1, then AUTH_SECRET; unset or empty ones skipped") {
    CHECK(secrets_from_env(env_of({{"AUTH_SECRET", "s"}})) == V{"s"});
    CHECK(secrets_from_env(env_of({{"AUTH_SECRET", "s"}, {"AUTH_SECRET_1", "one"}, {"AUTH_SECRET_3", "three"},
                                   {"AUTH_SECRET_2", ""}})) == V{"three", "one", "s"});
    CHECK(secrets_from_env(env_of({{"AUTH_SECRET", "s"}, {"AUTH_SECRET_1", "one"}, {"AUTH_SECRET_2", "two"},
                                   {"AUTH_SECRET_3", "three"}})) == V{"three", "two", "one", "s"});
    CHECK(secrets_from_env(env_of({{"AUTH_SECRET_1", "one"}})) == V{"one"});
    CHECK(secrets_from_env(env_of({{"NEXTAUTH_SECRET", "legacy"}, {"AUTH_SECRET_4", "four"},
                                   {"AUTH_SECRET_0", "zero"}})).empty());
    CHECK(secrets_from_env(env_of({})).empty());
    // Values are taken verbatim: no trimming, any bytes.
    CHECK(secrets_from_env(env_of({{"AUTH_SECRET", " spaced =\xC3\xA9 "}})) == V{" spaced =\xC3\xA9 "});
}

TEST_CASE("the real environment") {
    scoped_secrets env(env_vars{{"AUTH_SECRET", "from-env"}, {"AUTH_SECRET_2", "two"}});
    CHECK(secrets_from_env() == V{"two", "from-env"});
    unsetenv("AUTH_SECRET");
    unsetenv("AUTH_SECRET_2");
    CHECK(secrets_from_env().empty());
    setenv("AUTH_SECRET", "", 1);
    CHECK(secrets_from_env().empty());
}

TEST_CASE("the first secret in that order encodes; every one decodes") {
    scoped_secrets env(env_vars{{"AUTH_SECRET", "base"}, {"AUTH_SECRET_1", "one"}, {"AUTH_SECRET_3", "three"}});
    const authjs_codec codec(secrets_from_env());
    REQUIRE(codec.secret_count() == 3);
    const auto token = codec.encode({{"sub", "u"}}, salt, 60, now).value();
    CHECK(kid_of(token) == kid_from("three"));
    for (const char* s : {"base", "one"}) {
        INFO(s);
        const auto t = authjs_codec({s}).encode({{"sub", s}}, salt, 60, now).value();
        auto c = codec.decode(t, salt, now);
        REQUIRE(c.has_value());
        CHECK(c->at("sub") == s);
    }
}

TEST_CASE("rotation through the environment keeps old cookies readable") {
    scoped_secrets env(env_vars{{"AUTH_SECRET", "old"}});
    const auto before = authjs_codec(secrets_from_env()).encode({{"sub", "u"}}, salt, 60, now).value();
    CHECK(kid_of(before) == kid_from("old"));

    // Rotate: the new secret goes in AUTH_SECRET_1, ahead of AUTH_SECRET.
    env.set({{"AUTH_SECRET_1", "new"}});
    const authjs_codec rotated(secrets_from_env());
    auto old_cookie = rotated.decode(before, salt, now);
    REQUIRE(old_cookie.has_value());
    CHECK(old_cookie->at("sub") == "u");
    const auto after = rotated.encode(*old_cookie, salt, 60, now).value();
    CHECK(kid_of(after) == kid_from("new"));

    // Retire the old secret: its cookies stop decoding, with a reason.
    unsetenv("AUTH_SECRET");
    const authjs_codec retired(secrets_from_env());
    auto r = retired.decode(before, salt, now);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error() == error::unknown_kid);
    CHECK(retired.decode(after, salt, now).has_value());
}

TEST_CASE("a token without kid is tried against each secret from the environment") {
    scoped_secrets env(env_vars{{"AUTH_SECRET", "third"}, {"AUTH_SECRET_1", "second"}, {"AUTH_SECRET_2", "first"}});
    const authjs_codec codec(secrets_from_env());
    for (const char* s : {"first", "second", "third", "none of them"}) {
        std::array<std::uint8_t, 64> key{};
        REQUIRE_FALSE(crypto::hkdf_sha256(s, salt, "Auth.js Generated Encryption Key (" + salt + ")", key));
        const auto kidless = jose::encrypt(R"({"alg":"dir","enc":"A256CBC-HS512"})", R"({"sub":"k"})",
                                           jose::content_encryption::a256cbc_hs512, key)
                                 .value();
        INFO(s);
        auto r = codec.decode(kidless, salt, now);
        if (std::string_view(s) == "none of them") {
            REQUIRE_FALSE(r.has_value());
            CHECK(r.error() == error::bad_tag);
        } else {
            REQUIRE(r.has_value());
            CHECK(r->at("sub") == "k");
        }
    }
}

TEST_CASE("no secret in the environment: nothing encodes or decodes") {
    scoped_secrets env;
    const authjs_codec codec(secrets_from_env());
    CHECK_FALSE(codec.has_secret());
    CHECK(codec.encode({}, salt, 60, now).error() == error::no_secret);
    const auto t = authjs_codec({"s"}).encode({}, salt, 60, now).value();
    CHECK(codec.decode(t, salt, now).error() == error::no_secret);
}
