// authpp/detail/mode_host.hpp — what the drivers need of a mode's
// configuration object (nal::basic_nal_config, split::basic_split_config):
// the HttpTransport, the Clock, the Store, the refresh coordinator and the
// single-flight of shared exchanges. Copies share the coordinator and the
// single-flight, so every copy coordinates with every other.
#pragma once

#include <authpp/clock/wait_clock.hpp>
#include <authpp/concepts/clock.hpp>
#include <authpp/concepts/http_transport.hpp>
#include <authpp/concepts/store.hpp>
#include <authpp/crypto/random.hpp>
#include <authpp/flow/single_flight.hpp>
#include <authpp/flow/step.hpp>
#include <authpp/options.hpp>
#include <authpp/refresh/coordinator.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace authpp::detail {

/// The refresh coordinator's options for a mode: its coordination and
/// secrets, or a random secret of this process when none is given (adoption
/// of successor records then stays in the process).
inline auth_options coordination_options(const auth_options::refresh_coordination_options& rc,
                                         const std::vector<std::string>& secrets) {
    auth_options a;
    a.refresh_coordination = rc;
    a.secrets = secrets;
    if (a.secrets.empty()) {
        auto s = crypto::random_base64url(32);
        if (!s) throw std::runtime_error("authpp: no random bytes for the refresh records' key");
        a.secrets.push_back(std::move(*s));
    }
    return a;
}

template <class T, class K, class S>
class mode_host {
    static_assert(check_http_transport<T>());
    static_assert(check_clock<K>());
    static_assert(check_store<S>());

public:
    using transport_type = T;
    using clock_type = K;
    using store_type = S;

    T& transport() noexcept { return transport_; }
    S& store() noexcept { return store_; }
    const K& clock() const noexcept { return clock_; }
    std::int64_t now_ms() const {
        return std::chrono::duration_cast<std::chrono::milliseconds>(clock_.now().time_since_epoch()).count();
    }
    refresh::coordinator& refresh_coordinator() const noexcept { return *refresh_; }
    flow::single_flight<flow::shared_answer>& shared_exchanges() const noexcept { return *shared_; }

protected:
    mode_host(const auth_options& coordination, T transport, K clock, S store)
        : transport_(std::move(transport)), clock_(std::move(clock)), store_(std::move(store)),
          refresh_(std::make_shared<refresh::coordinator>(coordination, wait_clock::of(clock_))),
          shared_(std::make_shared<flow::single_flight<flow::shared_answer>>(wait_clock::of(clock_))) {}

private:
    T transport_;
    K clock_;
    S store_;
    std::shared_ptr<refresh::coordinator> refresh_;
    std::shared_ptr<flow::single_flight<flow::shared_answer>> shared_;
};

} // namespace authpp::detail
