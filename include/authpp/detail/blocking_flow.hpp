// authpp/detail/blocking_flow.hpp — the blocking driver of the flow protocol
// (<authpp/flow/step.hpp>): performs each step with blocking calls until the
// flow is done. A host (basic_auth_config, nal::basic_nal_config) provides
// transport(), store(), now_ms(), refresh_coordinator() and
// shared_exchanges(); the asynchronous driver is detail::flow_op.
#pragma once

#include <authpp/error.hpp>
#include <authpp/flow/single_flight.hpp>
#include <authpp/flow/step.hpp>
#include <authpp/http/message.hpp>
#include <authpp/oauth/refresh.hpp>
#include <authpp/refresh/coordinator.hpp>

#include <boost/system/errc.hpp>

#include <string>
#include <string_view>

namespace authpp::detail {

/// A refresh step, blocking: through the refresh coordinator (this thread
/// redeems the token for every request that needs it, or waits for the one
/// that does), or straight when coordination is off.
template <class Host>
oauth::refresh_result blocking_redeem(Host& h, const http::request& req, std::string_view refresh_token,
                                      const flow::refresh_reader& read) {
    auto& c = h.refresh_coordinator();
    if (c.enabled())
        return c.run_blocking(
            h.store(), refresh_token, [&](error_code& ec) { return h.transport().send(req, ec); },
            [&h] { return h.now_ms(); }, read);
    error_code ec;
    http::response resp = h.transport().send(req, ec);
    return read(ec, resp, refresh_token, h.now_ms());
}

/// A shared step, blocking: this thread performs the exchange for every flow
/// asking with the key (and settles it), or waits (on the Clock, up to the
/// refresh coordination's wait_timeout) for the one that does.
template <class Host>
flow::shared_answer blocking_share(Host& h, const http::request& req, std::string_view key,
                                   const flow::shared_settle& settle = {}) {
    using boost::system::errc::make_error_code;
    using table = flow::single_flight<flow::shared_answer>;
    table& flights = h.shared_exchanges();
    auto j = flights.join(std::string(key));
    if (!j.leader)
        return flights.wait(*j.f, h.refresh_coordinator().opts().wait_timeout,
                            {make_error_code(boost::system::errc::timed_out), {}});
    struct completer { // waiters are released even if the transport throws
        table& t;
        const table::joined& flight;
        bool armed = true;
        ~completer() {
            if (armed) t.complete(flight, {make_error_code(boost::system::errc::operation_canceled), {}});
        }
    } guard{flights, j};
    flow::shared_answer a;
    a.response = h.transport().send(req, a.ec);
    settle(key, a, h.now_ms()); // before anyone can ask again
    guard.armed = false;
    flights.complete(j, a);
    return a;
}

/// Runs `f` to its end with blocking calls.
template <class Host, flow::Flow F>
void drive_blocking(Host& h, F& f) {
    for (;;) {
        const flow::step s = f.next();
        switch (s.what) {
        case flow::step::kind::done: return;
        case flow::step::kind::exchange: {
            error_code ec;
            http::response resp = h.transport().send(*s.request, ec);
            f.on_response(ec, resp);
            break;
        }
        case flow::step::kind::store: f.on_store(flow::perform(h.store(), *s.store)); break;
        case flow::step::kind::refresh: f.on_refresh(blocking_redeem(h, *s.request, s.refresh_token, s.reader)); break;
        case flow::step::kind::shared: {
            const auto a = blocking_share(h, *s.request, s.key, s.settle);
            f.on_response(a.ec, a.response);
            break;
        }
        }
    }
}

} // namespace authpp::detail
