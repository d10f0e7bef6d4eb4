// authpp/transport/blocking_transport.hpp — the HttpTransport for servers
// that handle a request on one thread from start to end.
//
// send() performs one HTTP/1.1 exchange on the calling thread and returns
// when it is done, failed, or ran out of time. It runs the same composed
// operation as asio_transport: every kept-alive connection owns a small
// io_context that only the thread holding the connection runs, so
// concurrent send() calls never share one.
//
// Copies share one connection pool and one TLS context; send() may run on
// any number of threads at once.
//
// With AUTHPP_SEPARATE_COMPILATION the members are compiled once, in
// <authpp/src.hpp>, and this header includes neither Beast nor OpenSSL.
#pragma once

#include <authpp/detail/separate.hpp>
#include <authpp/error.hpp>
#include <authpp/http/message.hpp>
#include <authpp/transport/transport_options.hpp>

#include <cstddef>
#include <memory>

namespace authpp {

namespace transport::detail {
struct shared_state; // <authpp/transport/detail/exchange.hpp>
}

class blocking_transport {
public:
    AUTHPP_DECL explicit blocking_transport(transport::transport_options o = {});

    /// Performs `req`. Network failures, time-outs, TLS verification
    /// failures and over-long answers set `ec`; any HTTP status is a response.
    AUTHPP_DECL http::response send(const http::request& req, error_code& ec);

    AUTHPP_DECL const transport::transport_options& options() const noexcept;
    /// Kept-alive connections waiting for the next request.
    AUTHPP_DECL std::size_t idle_connections() const;
    /// Closes every idle connection.
    AUTHPP_DECL void close_idle();

private:
    std::shared_ptr<transport::detail::shared_state> st_;
};

} // namespace authpp

#if !defined(AUTHPP_SEPARATE_COMPILATION)
#include <authpp/transport/impl/blocking_transport.ipp>
#endif
