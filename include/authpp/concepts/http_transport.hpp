// authpp/concepts/http_transport.hpp — what the session core needs to reach
// the identity provider.
//
// The core never performs I/O itself: when a refresh or a userinfo check is
// due it hands the transport one http::request and waits for the answer.
//
// HttpTransport (every config):
// | expression                  | type             | meaning                                          |
// |-----------------------------|------------------|--------------------------------------------------|
// | `t.send(req, ec)`           | `http::response` | performs `req`; a network failure or time-out     |
// |                             |                  | sets `ec` (any HTTP status is a response)         |
//
// AsyncHttpTransport (the asynchronous drivers: async_resolve,
// async_middleware, async_handle_auth_request, …), in addition:
// | expression                  | type             | meaning                                          |
// |-----------------------------|------------------|--------------------------------------------------|
// | `t.get_executor()`          | an executor      | where completions run                            |
// | `t.async_send(req, h)`      | —                | performs `req`, then calls                       |
// |                             |                  | `h(error_code, http::response)` on the executor  |
//
// `t` is a `T&`, `req` a `const http::request&`, `ec` a `boost::system::error_code&`.
// Models shipped: `blocking_transport` (<authpp/blocking.hpp>) and
// `asio_transport` (<authpp/asio.hpp>, also an AsyncHttpTransport);
// tests use `scripted_transport`.
//
// The concepts are the contract; check_http_transport<T>() and
// check_async_http_transport<T>() state it member by member, one sentence
// per missing member.
#pragma once

#include <authpp/http/message.hpp>

#include <boost/system/error_code.hpp>

#include <concepts>

namespace authpp {

namespace concept_checks {
template <class T>
concept transport_send = requires(T& t, const http::request& req, boost::system::error_code& ec) {
    { t.send(req, ec) } -> std::same_as<http::response>;
};
template <class T>
concept transport_executor = requires(T& t) { t.get_executor(); };
template <class T>
concept transport_async_send = requires(T& t, const http::request& req) {
    t.async_send(req, [](boost::system::error_code, http::response) {});
};
} // namespace concept_checks

template <class T>
concept HttpTransport = concept_checks::transport_send<T>;

template <class T>
concept AsyncHttpTransport = concept_checks::transport_executor<T> && concept_checks::transport_async_send<T>;

template <class T>
consteval bool check_http_transport() {
    static_assert(concept_checks::transport_send<T>,
                  "authpp: the HttpTransport policy needs a member `http::response send(const http::request&, "
                  "error_code&)`");
    return true;
}

template <class T>
consteval bool check_async_http_transport() {
    static_assert(concept_checks::transport_executor<T>,
                  "authpp: an asynchronous operation needs a transport with `get_executor()` (asio_transport has it)");
    static_assert(concept_checks::transport_async_send<T>,
                  "authpp: an asynchronous operation needs a transport with `async_send(const http::request&, "
                  "handler)`, the handler called as void(error_code, http::response) (asio_transport has it)");
    return true;
}

} // namespace authpp
