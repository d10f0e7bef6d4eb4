// authpp/transport/transport_options.hpp — what both transports let a user tune.
// Defaults are the safe ones: certificates and host names verified against
// the system trust store, bounded time and size.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace authpp::transport {

struct transport_options {
    std::chrono::milliseconds connect_timeout{5'000};  ///< resolve + TCP connect + TLS handshake
    std::chrono::milliseconds request_timeout{10'000}; ///< the whole exchange, connect included
    std::chrono::seconds idle_timeout{30};             ///< pooled connections older than this are not reused
    std::size_t max_response_bytes = 1 << 20;          ///< header + body; larger answers are an error
    std::size_t max_idle_per_origin = 8;               ///< kept-alive connections per scheme/host/port
    std::string ca_file;                               ///< PEM bundle; empty: the system trust store
    bool verify_peer = true;                           ///< never turn off outside a test
    std::string user_agent = "authpp/0.1";
};

} // namespace authpp::transport
