// authpp/transport/detail/connection.hpp — one kept-alive HTTP/1.1
// connection (plain or TLS) and the per-origin pool of idle ones.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#if !defined(_WIN32)
#include <sys/socket.h>
#endif

#include <cerrno>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace authpp::transport::detail {

namespace net = boost::asio;
namespace beast = boost::beast;

/// Whether an idle kept-alive socket may still carry a request: the peer
/// has not closed it (a zero-byte read), reset it, or sent anything (on an
/// idle HTTP/1.1 connection any byte — a TLS close_notify, a stray answer —
/// makes it unusable). Checked before writing, so that a request is never
/// written on a connection already known to be dead.
inline bool idle_socket_usable(net::ip::tcp::socket& s) noexcept {
    if (!s.is_open()) return false;
#if defined(_WIN32)
    return true; // no cheap non-blocking peek there: the exchange's retry rules still hold
#else
    char c;
    for (;;) {
        const auto n = ::recv(s.native_handle(), &c, 1, MSG_PEEK | MSG_DONTWAIT);
        if (n >= 0) return false;
        if (errno == EINTR) continue;
        return errno == EAGAIN || errno == EWOULDBLOCK;
    }
#endif
}

struct connection {
    /// Set for the blocking transport: the io_context only the thread holding
    /// this connection runs. Declared first, so the streams die before it.
    std::shared_ptr<net::io_context> own_context;
    net::any_io_executor executor;
    std::string origin;
    net::ssl::context* ssl = nullptr;
    std::optional<beast::tcp_stream> plain;
    std::optional<beast::ssl_stream<beast::tcp_stream>> tls;
    std::chrono::steady_clock::time_point idle_since{};
    unsigned requests = 0; ///< exchanges completed on this connection

    connection(net::any_io_executor ex, std::string origin_, net::ssl::context* ctx,
               std::shared_ptr<net::io_context> own = nullptr)
        : own_context(std::move(own)), executor(std::move(ex)), origin(std::move(origin_)), ssl(ctx) {
        open_streams();
    }
    connection(const connection&) = delete;
    connection& operator=(const connection&) = delete;
    ~connection() { close(); }

    beast::tcp_stream& lowest() { return tls ? beast::get_lowest_layer(*tls) : *plain; }

    /// Closes the socket and starts over with fresh streams on the same executor.
    void reset() {
        close();
        tls.reset();
        plain.reset();
        requests = 0;
        open_streams();
    }

    void close() noexcept {
        if (!tls && !plain) return;
        beast::error_code ignored;
        auto& s = lowest().socket();
        if (s.is_open()) {
            s.shutdown(net::ip::tcp::socket::shutdown_both, ignored);
            s.close(ignored);
        }
    }

private:
    void open_streams() {
        if (ssl) tls.emplace(executor, *ssl);
        else plain.emplace(executor);
    }
};

/// Idle connections by origin. Thread-safe; connections are handed out whole
/// (one request at a time on each, as HTTP/1.1 without pipelining needs).
class connection_pool {
public:
    std::unique_ptr<connection> take(const std::string& origin, std::chrono::seconds max_idle) {
        std::vector<std::unique_ptr<connection>> stale; // closed outside the lock
        std::unique_ptr<connection> found;
        {
            std::lock_guard lock(mutex_);
            auto it = idle_.find(origin);
            if (it == idle_.end()) return nullptr;
            auto& list = it->second;
            while (!list.empty() && !found) {
                auto c = std::move(list.back());
                list.pop_back();
                if (std::chrono::steady_clock::now() - c->idle_since < max_idle && idle_socket_usable(c->lowest().socket()))
                    found = std::move(c);
                else
                    stale.push_back(std::move(c));
            }
        }
        return found;
    }

    void give(std::unique_ptr<connection> c, std::size_t max_per_origin) {
        c->idle_since = std::chrono::steady_clock::now();
        std::lock_guard lock(mutex_);
        auto& list = idle_[c->origin];
        if (list.size() >= max_per_origin) return; // c closes as it goes out of scope
        list.push_back(std::move(c));
    }

    void clear() {
        std::unordered_map<std::string, std::vector<std::unique_ptr<connection>>> old;
        std::lock_guard lock(mutex_);
        old.swap(idle_);
    }

    std::size_t idle_count() const {
        std::lock_guard lock(mutex_);
        std::size_t n = 0;
        for (const auto& [_, list] : idle_) n += list.size();
        return n;
    }

private:
    mutable std::mutex mutex_;
    std::unordered_map<std::string, std::vector<std::unique_ptr<connection>>> idle_;
};

} // namespace authpp::transport::detail
