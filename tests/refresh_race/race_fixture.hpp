// What the refresh race tests share: a config for the provider fixture's
// confidential client, a session cookie whose access token has expired, and
// a redis-server of their own.
#pragma once

#include <authpp/asio.hpp>
#include <authpp/config.hpp>
#include <authpp/refresh/key.hpp>

#include <boost/asio/io_context.hpp>

#include "../store/redis_server.hpp"

#include <chrono>
#include <future>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace authpp::race {

inline std::int64_t wall_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

/// The provider fixture's confidential client (client_secret_basic).
inline auth_options provider_options(const std::string& issuer, std::chrono::milliseconds lease) {
    auto o = sandbox_options();
    o.client_id = "authpp-confidential";
    o.client_secret = "authpp-confidential-secret";
    o.authentication_domain = issuer;
    o.token_endpoint = issuer + "/token";
    o.userinfo_endpoint = issuer + "/me";
    o.secrets = {"refresh-race-test-secret-of-enough-length"};
    o.refresh_buffer = std::chrono::seconds(0);
    o.refresh_coordination.lease = lease;
    o.refresh_coordination.wait_timeout = std::chrono::seconds(20);
    return o;
}

/// The Cookie header of a session holding these tokens, its access token
/// already expired: the next request must refresh.
template <class Config>
std::string expired_cookie(Config& c, const std::string& access_token, const std::string& refresh_token) {
    signed_in_user u;
    u.sub = "alice";
    u.access_token = access_token;
    u.refresh_token = refresh_token;
    u.access_token_expires = c.now_ms() - 1000;
    core::flow_options fo;
    fo.event = {jwt_trigger::sign_in, &u, nullptr};
    auto flow = c.begin("", fo);
    auto r = std::move(flow).result();
    if (!r.session) throw std::runtime_error("expired_cookie: sign-in gave no session");
    std::string h;
    for (const auto& sc : r.set_cookies) {
        if (sc.find("Max-Age=0") != std::string::npos) continue;
        if (!h.empty()) h += "; ";
        h += sc.substr(0, sc.find(';'));
    }
    return h;
}

/// One line per request outcome: "OK <token_key(access token)>" for a
/// signed-in session without error, "BAD <what>" otherwise.
inline std::string outcome_line(const core::session_result& r) {
    if (!r.session) return "BAD no-session " + r.refresh_error.message();
    if (r.session->error) return "BAD " + *r.session->error + " " + r.refresh_error.message();
    if (!r.session->access_token) return "BAD no-access-token";
    return "OK " + refresh::token_key(*r.session->access_token);
}

/// `n` requests with this Cookie header at once, one thread each, through
/// the blocking driver; their outcome_line()s.
template <class Config>
std::vector<std::string> resolve_on_threads(Config& auth, const std::string& cookie, int n) {
    std::vector<std::future<std::string>> fs;
    for (int i = 0; i < n; ++i)
        fs.push_back(std::async(std::launch::async, [&] { return outcome_line(auth.resolve(cookie)); }));
    std::vector<std::string> lines;
    for (auto& f : fs) lines.push_back(f.get());
    return lines;
}

/// The same as `n` async_resolve operations on `ioc`, run by two threads.
template <class Config>
std::vector<std::string> resolve_async(Config& auth, boost::asio::io_context& ioc, const std::string& cookie, int n) {
    std::mutex m;
    std::vector<std::string> lines;
    for (int i = 0; i < n; ++i)
        async_resolve(auth, cookie, [&](core::session_result r) {
            std::lock_guard l(m);
            lines.push_back(outcome_line(r));
        });
    std::thread other([&] { ioc.run(); });
    ioc.run();
    other.join();
    return lines;
}

/// redis-server (tests/store's fixture: free loopback port, no persistence).
struct redis : test::redis_server {
    redis() : test::redis_server("redis-server") {}
    std::string url() const { return "redis://127.0.0.1:" + std::to_string(port()) + "/0"; }
};

} // namespace authpp::race
