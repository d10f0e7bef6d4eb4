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
#include <authpp/clock/wait_clock.hpp>
#include <authpp/concepts/clock.hpp>
#include <authpp/concepts/http_transport.hpp>
#include <authpp/concepts/store.hpp>
#include <authpp/crypto/random.hpp>
#include <authpp/detail/blocking_flow.hpp>
#include <authpp/flow/single_flight.hpp>
#include <authpp/flow/step.hpp>
#include <authpp/nal/decision.hpp>
#include <authpp/nal/options.hpp>
#include <authpp/options.hpp>
#include <authpp/refresh/coordinator.hpp>
#include <authpp/store/memory_store.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>

namespace authpp::nal {

template <class T, class K = system_clock, class S = memory_store>
class basic_nal_config {
    static_assert(check_http_transport<T>());
    static_assert(check_clock<K>());
    static_assert(check_store<S>());

public:
    using transport_type = T;
    using clock_type = K;
    using store_type = S;
    using flow_type = decision_flow;

    /// Throws std::invalid_argument naming the wrong option (never its value).
    explicit basic_nal_config(nal_options options, response_mapper mapper = {}, audit_sink audit = {},
                              T transport = T{}, K clock = K{}, S store = S{})
        : cx_(std::make_shared<const context>(checked(std::move(options)), std::move(mapper), std::move(audit))),
          transport_(std::move(transport)), clock_(std::move(clock)), store_(std::move(store)),
          refresh_(std::make_shared<refresh::coordinator>(coordination(cx_->options), wait_clock::of(clock_))),
          shared_(std::make_shared<flow::single_flight<flow::shared_answer>>(wait_clock::of(clock_))) {}

    const context& ctx() const noexcept { return *cx_; }
    const nal_options& options() const noexcept { return cx_->options; }
    T& transport() noexcept { return transport_; }
    S& store() noexcept { return store_; }
    const K& clock() const noexcept { return clock_; }
    std::int64_t now_ms() const {
        return std::chrono::duration_cast<std::chrono::milliseconds>(clock_.now().time_since_epoch()).count();
    }
    refresh::coordinator& refresh_coordinator() const noexcept { return *refresh_; }
    flow::single_flight<flow::shared_answer>& shared_exchanges() const noexcept { return *shared_; }

    /// The decision's flow for a request: drive it (decide() does, blocking).
    decision_flow begin(request_view req) const { return decision_flow(*cx_, std::move(req), now_ms()); }

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

    // The refresh coordinator's options: nal's coordination and secrets, or a
    // random secret of this process when none is given.
    static auth_options coordination(const nal_options& o) {
        auth_options a;
        a.refresh_coordination = o.refresh_coordination;
        a.secrets = o.secrets;
        if (a.secrets.empty()) {
            auto s = crypto::random_base64url(32);
            if (!s) throw std::runtime_error("authpp: no random bytes for the refresh records' key");
            a.secrets.push_back(std::move(*s));
        }
        return a;
    }

    std::shared_ptr<const context> cx_;
    T transport_;
    K clock_;
    S store_;
    std::shared_ptr<refresh::coordinator> refresh_;
    std::shared_ptr<flow::single_flight<flow::shared_answer>> shared_;
};

} // namespace authpp::nal
