// authpp/nal/config.hpp — mode nal's configuration object: the options, the
// response mapper and the audit sink (the decision's context, with its
// validation cache), and the policies the drivers use — an HttpTransport to
// the backend, the Clock, and the Store through which refreshes are
// coordinated across processes. Copies share the context, the refresh
// coordinator and the single-flight of validations (like basic_auth_config's
// copies); it is safe to use from any number of threads.
//
//   nal::blocking_nal cfg(options);            // <authpp/nal/blocking.hpp>
//   auto d = cfg.decide(view);                  // blocking
//   nal::async_decide(cfg, view, token);        // <authpp/nal/asio.hpp>
#pragma once

#include <authpp/clock/system_clock.hpp>
#include <authpp/detail/blocking_flow.hpp>
#include <authpp/detail/mode_host.hpp>
#include <authpp/nal/decision.hpp>
#include <authpp/nal/options.hpp>
#include <authpp/options.hpp>
#include <authpp/store/memory_store.hpp>

#include <memory>
#include <stdexcept>
#include <utility>

namespace authpp::nal {

template <class T, class K = system_clock, class S = memory_store>
class basic_nal_config : public authpp::detail::mode_host<T, K, S> {
    using host = authpp::detail::mode_host<T, K, S>;

public:
    using flow_type = decision_flow;

    /// Throws std::invalid_argument naming the wrong option (never its value).
    explicit basic_nal_config(nal_options options, response_mapper mapper = {}, audit_sink audit = {},
                              T transport = T{}, K clock = K{}, S store = S{})
        : host(coordination(options), std::move(transport), std::move(clock), std::move(store)),
          cx_(std::make_shared<const context>(checked(std::move(options)), std::move(mapper), std::move(audit))) {}

    const context& ctx() const noexcept { return *cx_; }
    const nal_options& options() const noexcept { return cx_->options; }

    /// The decision's flow for a request: drive it (decide() does, blocking).
    decision_flow begin(request_view req) const { return decision_flow(*cx_, std::move(req), this->now_ms()); }

    /// The decision for a request, with blocking calls to the backend.
    decision decide(request_view req) {
        auto f = begin(std::move(req));
        authpp::detail::drive_blocking(*this, f);
        return std::move(f).result();
    }

private:
    static nal_options checked(nal_options o) {
        if (auto p = o.validate()) throw std::invalid_argument("authpp nal option " + p->option + ": " + p->why);
        return o;
    }
    static auth_options coordination(const nal_options& o) {
        return authpp::detail::coordination_options(o.refresh_coordination, o.secrets);
    }

    std::shared_ptr<const context> cx_;
};

} // namespace authpp::nal
