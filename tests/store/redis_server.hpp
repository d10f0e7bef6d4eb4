// A redis-server of the test's own on a free loopback port (and a unix
// socket), with no persistence; stopped however the test ends, and
// restartable on the same port to play a server restart.
#pragma once

#include "../support/child_process.hpp"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace authpp::test {

/// A loopback port nobody listens on right now.
inline std::uint16_t free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0)
        throw std::runtime_error("free_port: no loopback port");
    ::close(fd);
    return ntohs(a.sin_port);
}

/// A socket listening on a free loopback port: the descriptor (the caller
/// closes it) and the port.
inline std::pair<int, std::uint16_t> listen_on_loopback() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(fd, 8) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0)
        throw std::runtime_error("listen_on_loopback: no loopback port");
    return {fd, ntohs(a.sin_port)};
}

/// A listening loopback socket nobody accepts on: the kernel completes the
/// handshake, and no reply ever comes — a server that stopped answering.
class silent_server {
public:
    silent_server() { std::tie(fd_, port_) = listen_on_loopback(); }
    silent_server(const silent_server&) = delete;
    silent_server& operator=(const silent_server&) = delete;
    ~silent_server() { ::close(fd_); }
    std::uint16_t port() const noexcept { return port_; }

private:
    int fd_;
    std::uint16_t port_ = 0;
};

class redis_server {
public:
    /// `config`: further redis-server arguments ("--requirepass", "pw", …).
    explicit redis_server(std::string program, std::vector<std::string> config = {})
        : program_(std::move(program)), config_(std::move(config)), port_(free_port()),
          socket_((std::filesystem::temp_directory_path() /
                   ("authpp-redis-" + std::to_string(::getpid()) + "-" + std::to_string(port_) + ".sock"))
                      .string()) {
        start();
    }

    std::uint16_t port() const noexcept { return port_; }
    const std::string& socket_path() const noexcept { return socket_; }

    void start() {
        std::vector<std::string> argv{program_, "--port", std::to_string(port_), "--bind", "127.0.0.1",
                                      "--unixsocket", socket_, "--unixsocketperm", "700",
                                      "--save", "", "--appendonly", "no", "--daemonize", "no"};
        argv.insert(argv.end(), config_.begin(), config_.end());
        proc_ = std::make_unique<child_process>(argv);
        for (;;) {
            // "Ready to accept connections" ends the start-up log; anything
            // else that ends it (port taken, bad option) throws here.
            const auto line = proc_->read_line(std::chrono::seconds(10));
            if (line.find("Ready to accept connections") != std::string::npos) return;
        }
    }

    void stop() { proc_.reset(); }

private:
    std::string program_;
    std::vector<std::string> config_;
    std::uint16_t port_;
    std::string socket_;
    std::unique_ptr<child_process> proc_;
};

} // namespace authpp::test
