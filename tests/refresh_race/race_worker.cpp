// race_worker — one "server process" of the multi-process refresh race
// tests: resolves N copies of one session cookie concurrently, sharing
// refresh coordination with the other workers through Redis.
//
//   race_worker ISSUER REDIS_URL N LEASE_MS [blocking|async]
//
// stdin:  the Cookie header (one line), then "go" (one line)
// stdout: "READY <lock owner prefix> <pid>" once configured, "GO" when it
//         starts, then one line per request — "OK <token_key(access token)>" or
//         "BAD <what>" (race::outcome_line) — and "DONE".
#include "race_fixture.hpp"

#include <authpp/asio.hpp>
#include <authpp/blocking.hpp>
#include <authpp/store/redis_store.hpp>

#include <boost/asio/io_context.hpp>

#include <iostream>

using namespace authpp;

namespace {

using blocking_redis_auth = basic_auth_config<blocking_transport, authjs_codec, system_clock, redis_store, prefix_matcher>;
using asio_redis_auth = basic_auth_config<asio_transport, authjs_codec, system_clock, redis_store, prefix_matcher>;

template <class Config, class Resolve>
int run(Config& auth, int n, Resolve&& resolve_all) {
    std::cout << "READY " << auth.refresh_coordinator().owner_prefix() << ' ' << ::getpid() << std::endl;
    std::string cookie, go;
    if (!std::getline(std::cin, cookie) || !std::getline(std::cin, go) || go != "go") return 2;
    std::cout << "GO" << std::endl;
    for (const auto& line : resolve_all(auth, cookie, n)) std::cout << line << '\n';
    std::cout << "DONE" << std::endl;
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 5) {
        std::cerr << "usage: race_worker ISSUER REDIS_URL N LEASE_MS [blocking|async]\n";
        return 2;
    }
    const std::string issuer = argv[1], mode = argc > 5 ? argv[5] : "blocking";
    const int n = std::stoi(argv[3]);
    const auto options = race::provider_options(issuer, std::chrono::milliseconds(std::stoi(argv[4])));
    auto store = redis_store::create({.url = argv[2]});
    if (!store) {
        std::cerr << "race_worker: " << store.error().message() << '\n';
        return 2;
    }
    if (mode == "async") {
        boost::asio::io_context ioc;
        asio_redis_auth auth(options, asio_transport(ioc.get_executor()), system_clock{}, *store);
        return run(auth, n, [&](asio_redis_auth& a, const std::string& cookie, int count) {
            return race::resolve_async(a, ioc, cookie, count);
        });
    }
    blocking_redis_auth auth(options, blocking_transport(), system_clock{}, *store);
    return run(auth, n, [](blocking_redis_auth& a, const std::string& cookie, int count) {
        return race::resolve_on_threads(a, cookie, count);
    });
}
