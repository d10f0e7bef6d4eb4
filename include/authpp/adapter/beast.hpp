// authpp/adapter/beast.hpp — Boost.Beast requests and responses as the core
// sees them (http::server_request / http::server_response).
//
//   std::string cookies;                                  // lives as long as `in`
//   auto in = authpp::adapter::beast::to_server_request(req, cookies);
//   http::server_response out = authpp::handle_auth_request(cfg, in);
//   authpp::adapter::beast::apply_response(out, res);     // status, headers, body, prepare_payload
//
// Thin on purpose: everything here is copying fields, so an adapter for
// another server is the same dozen lines against its own types (see
// examples/other_adapter/).
#pragma once

#include <authpp/http/server_message.hpp>

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <iterator>
#include <string>
#include <string_view>
#include <vector>

namespace authpp::adapter::beast {

namespace bhttp = boost::beast::http;

namespace detail {

inline std::string_view view(boost::beast::string_view s) noexcept { return {s.data(), s.size()}; }

/// The body as text when the body type holds it contiguously
/// (string_body, vector_body<char>, …); empty for other body types, whose
/// requests the Auth.js actions would refuse anyway.
template <class Body, class Fields>
std::string_view body_of(const bhttp::request<Body, Fields>& req) noexcept {
    if constexpr (requires { std::string_view(req.body().data(), req.body().size()); })
        return std::string_view(req.body().data(), req.body().size());
    else
        return {};
}

} // namespace detail

/// The core's view of a Beast request. Every field is a view into `req`,
/// except the Cookie header when the request carries several (HTTP/2
/// proxies split it): those are joined with "; " into `cookie_storage`,
/// which must live as long as the result.
template <class Body, class Fields>
http::server_request to_server_request(const bhttp::request<Body, Fields>& req, std::string& cookie_storage) {
    http::server_request out;
    out.method = detail::view(req.method_string());
    out.target = detail::view(req.target());
    const auto cookies = req.equal_range(bhttp::field::cookie);
    if (cookies.first != cookies.second && std::next(cookies.first) == cookies.second) {
        out.cookie = detail::view(cookies.first->value());
    } else if (cookies.first != cookies.second) {
        cookie_storage.clear();
        for (auto it = cookies.first; it != cookies.second; ++it) {
            if (!cookie_storage.empty()) cookie_storage += "; ";
            cookie_storage.append(it->value().data(), it->value().size());
        }
        out.cookie = cookie_storage;
    }
    out.host = detail::view(req[bhttp::field::host]);
    out.content_type = detail::view(req[bhttp::field::content_type]);
    out.origin = detail::view(req[bhttp::field::origin]);
    out.x_auth_return_redirect = detail::view(req["X-Auth-Return-Redirect"]);
    out.body = detail::body_of(req);
    return out;
}

/// Appends each value as its own Set-Cookie header (folding Set-Cookie
/// values into one line would break cookies whose Expires has a comma).
template <class Fields>
void add_set_cookies(bhttp::header<false, Fields>& res, const std::vector<std::string>& set_cookies) {
    for (const auto& c : set_cookies) res.insert(bhttp::field::set_cookie, c);
}

/// Writes a server_response into a Beast response: status, every header in
/// order (several Set-Cookie stay several), body, and Content-Length.
/// Headers `res` already had are kept, except those the response sets.
template <class Fields>
void apply_response(const http::server_response& in, bhttp::response<bhttp::string_body, Fields>& res) {
    res.result(static_cast<unsigned>(in.status));
    for (const auto& h : in.headers)
        if (!http::iequals(h.first, "Set-Cookie")) res.erase(h.first);
    for (const auto& [name, value] : in.headers) res.insert(name, value);
    res.body() = in.body;
    res.prepare_payload();
}

/// A middleware decision (authpp::middleware_result: allowed, status,
/// location, set_cookies) on the response: the Set-Cookie values always, so
/// a refreshed token travels with the page it let through; when refused,
/// also the status and Location, with an empty body. Returns `allowed`.
template <class Decision, class Fields>
bool apply_decision(const Decision& d, bhttp::response<bhttp::string_body, Fields>& res) {
    add_set_cookies(res, d.set_cookies);
    if (d.allowed) return true;
    res.result(static_cast<unsigned>(d.status));
    if (!d.location.empty()) res.set(bhttp::field::location, d.location);
    res.body().clear();
    res.prepare_payload();
    return false;
}

} // namespace authpp::adapter::beast
