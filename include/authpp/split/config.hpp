// authpp/split/config.hpp — mode split's configuration object: the options
// and the backend's handlers (the flows' context), and the policies the
// drivers use — an HttpTransport to the backend, the Clock, and the Store
// through which refreshes are coordinated across processes. Copies share
// the context and the refresh coordinator; it is safe to use from any
// number of threads, and must outlive the operations it started.
//
//   split::basic_split_config<authpp::blocking_transport> cfg(options, split::directus_handlers(url));
//   split::reply r = cfg.handle(request);            // POST {base}/login, …
//   split::session_state s = cfg.session(cookie);    // refreshes when due
//   auto r = cfg.check(cookie, target, cfg.auth_restriction()); // r.redirect: 307 there
//   split::async_handle(cfg, request, token);        // <authpp/split/async.hpp>
#pragma once

#include <authpp/clock/system_clock.hpp>
#include <authpp/detail/blocking_flow.hpp>
#include <authpp/detail/mode_host.hpp>
#include <authpp/options.hpp>
#include <authpp/split/context.hpp>
#include <authpp/split/handler.hpp>
#include <authpp/split/options.hpp>
#include <authpp/split/session.hpp>
#include <authpp/store/memory_store.hpp>

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

namespace authpp::split {

/// A session and where a restriction sends the request (nullopt: through).
struct restriction_result {
    session_state session;
    std::optional<std::string> redirect;
};

template <class T, class K = system_clock, class S = memory_store>
class basic_split_config : public authpp::detail::mode_host<T, K, S> {
    using host = authpp::detail::mode_host<T, K, S>;

public:
    /// Throws std::invalid_argument naming the wrong option (never its
    /// value), or when a handler is missing.
    basic_split_config(split_options options, handlers backend, T transport = T{}, K clock = K{}, S store = S{})
        : host(authpp::detail::coordination_options(options.refresh_coordination, options.secrets),
               std::move(transport), std::move(clock), std::move(store)),
          cx_(std::make_shared<const context>(checked(std::move(options)), checked(std::move(backend)))) {}

    const context& ctx() const noexcept { return *cx_; }
    const split_options& options() const noexcept { return cx_->options; }

    /// The flows: drive them (handle() and session() do, blocking).
    handler_flow begin_handler(const handler_request& req) const { return handler_flow(*cx_, req, this->now_ms()); }
    session_flow begin_session(std::string_view cookie_header) const {
        return session_flow(*cx_, cookie_header, this->now_ms());
    }

    /// A request under the base path, answered with blocking calls.
    reply handle(const handler_request& req) {
        auto f = begin_handler(req);
        authpp::detail::drive_blocking(*this, f);
        return std::move(f).result();
    }

    /// The request's session, refreshed first when due (refresh-if-due).
    session_state session(std::string_view cookie_header) {
        auto f = begin_session(cookie_header);
        authpp::detail::drive_blocking(*this, f);
        return std::move(f).result();
    }

    /// The session, and where `r` sends a request for `target`.
    restriction_result check(std::string_view cookie_header, std::string_view target, const restriction& r) {
        restriction_result out{session(cookie_header), std::nullopt};
        out.redirect = redirect_for(r, out.session.has_session, target);
        return out;
    }

    /// The ready-made restrictions, to the configured URLs.
    restriction auth_restriction() const { return split::auth_restriction(cx_->options.login_url); }
    restriction guest_restriction() const { return split::guest_restriction(cx_->options.app_url); }

private:
    static split_options checked(split_options o) {
        if (auto p = o.validate()) throw std::invalid_argument("authpp split option " + p->option + ": " + p->why);
        return o;
    }
    static handlers checked(handlers h) {
        if (!h.complete()) throw std::invalid_argument("authpp split handlers: every request and parser must be set");
        return h;
    }

    std::shared_ptr<const context> cx_;
};

} // namespace authpp::split
