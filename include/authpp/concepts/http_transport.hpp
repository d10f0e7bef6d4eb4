// authpp/concepts/http_transport.hpp — what the session core needs to reach
// the identity provider.
//
// The core never performs I/O itself: when a refresh or a userinfo check is
// due it hands the transport one http::request and waits for the answer.
//
// | expression                  | type             | meaning                                          |
// |-----------------------------|------------------|--------------------------------------------------|
// | `t.send(req, ec)`           | `http::response` | performs `req`; a network failure or time-out     |
// |                             |                  | sets `ec` (any HTTP status is a response)         |
//
// `t` is a `T&`, `req` a `const http::request&`, `ec` a `boost::system::error_code&`.
// Models shipped: `blocking_transport` (<authpp/blocking.hpp>) and
// `asio_transport` (<authpp/asio.hpp>, which also has `async_send`);
// tests use `scripted_transport`.
#pragma once

#include <authpp/http/message.hpp>

#include <boost/system/error_code.hpp>

#include <concepts>

namespace authpp {

template <class T>
concept HttpTransport = requires(T& t, const http::request& req, boost::system::error_code& ec) {
    { t.send(req, ec) } -> std::same_as<http::response>;
};

} // namespace authpp
