// authpp/nal/beast.hpp — mode nal on Boost.Beast: the request as the
// decision reads it, and the decision applied.
//
//   nal::owned_request in = nal::beast::read_request(req);
//   nal::decision d = cfg.decide(in.view());          // or co_await async_decide
//   if (!nal::beast::apply_to_request(d, req)) {       // refused: answer it
//       auto res = nal::beast::refusal(d, req.version(), req.keep_alive());
//       …write res…
//   } else {
//       auto res = handler(req);                       // sees x-auth-user, …
//       nal::beast::apply_to_response(d, res);         // Set-Cookie, x-refreshed-token
//   }
#pragma once

#include <authpp/adapter/beast.hpp>
#include <authpp/http/message.hpp>
#include <authpp/http/server_message.hpp>
#include <authpp/nal/async.hpp>
#include <authpp/nal/audit.hpp>
#include <authpp/nal/decision.hpp>
#include <authpp/nal/identity.hpp>
#include <authpp/url/path.hpp>

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <string>
#include <string_view>

namespace authpp::nal::beast {

namespace bhttp = boost::beast::http;

/// What the decision reads of `req`: the method, the normalised path without
/// the query, the Cookie headers (several joined with "; ", as the adapter of
/// the Auth.js mode joins them), Authorization, and the client's address
/// (X-Forwarded-For, X-Real-IP) for the audit log.
template <class Body, class Fields>
owned_request read_request(const bhttp::request<Body, Fields>& req, const url::path_leniencies& pm = {}) {
    using authpp::adapter::beast::detail::view;
    std::string cookies;
    const http::server_request in = authpp::adapter::beast::to_server_request(req, cookies);
    owned_request out;
    out.method = std::string(in.method);
    auto target = in.target;
    target = target.substr(0, target.find_first_of("?#"));
    std::string scratch;
    out.path = std::string(url::normalize_request_path(target, scratch, pm));
    out.cookie = std::string(in.cookie);
    out.authorization = std::string(view(req[bhttp::field::authorization]));
    out.ip = client_ip({{"X-Forwarded-For", std::string(view(req["X-Forwarded-For"]))},
                        {"X-Real-IP", std::string(view(req["X-Real-IP"]))}});
    return out;
}

/// Removes every client-sent identity header from `req` and, when the
/// decision lets the request through, adds the ones it made. Returns
/// whether the request goes on to the handler.
template <class Body, class Fields>
bool apply_to_request(const decision& d, bhttp::request<Body, Fields>& req) {
    for (const auto name : {user_header, token_type_header, refreshed_token_header})
        req.erase(boost::beast::string_view(name.data(), name.size()));
    if (!d.pass) return false;
    for (const auto& [name, value] : d.request_headers) req.insert(name, value);
    return true;
}

/// The Set-Cookie values and response headers of the decision on the
/// handler's response (or on a refusal).
template <class Body, class Fields>
void apply_to_response(const decision& d, bhttp::response<Body, Fields>& res) {
    for (const auto& c : d.set_cookies) res.insert(bhttp::field::set_cookie, c);
    for (const auto& [name, value] : d.response_headers) res.set(name, value);
}

/// The answer to a refused request: status, Location, body and its type,
/// Set-Cookie.
inline bhttp::response<bhttp::string_body> refusal(const decision& d, unsigned version, bool keep_alive) {
    bhttp::response<bhttp::string_body> res{static_cast<bhttp::status>(d.status), version};
    if (!d.location.empty()) res.set(bhttp::field::location, d.location);
    if (!d.content_type.empty()) res.set(bhttp::field::content_type, d.content_type);
    res.set(bhttp::field::cache_control, "no-store");
    res.body() = d.body;
    apply_to_response(d, res);
    res.keep_alive(keep_alive);
    res.prepare_payload();
    return res;
}

} // namespace authpp::nal::beast
