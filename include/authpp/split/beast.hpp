// authpp/split/beast.hpp — mode split on Boost.Beast: a request as the
// handlers read it, and the answers as Beast responses.
//
//   if (split::under_base(cfg.options(), target)) {
//       auto r = co_await split::async_handle(cfg, split::beast::read_request(req), asio::use_awaitable);
//       res = split::beast::to_response(r, req.version(), req.keep_alive());
//   } else {
//       auto s = co_await split::async_session(cfg, split::beast::cookies_of(req), asio::use_awaitable);
//       if (auto to = split::redirect_for(cfg.auth_restriction(), s.has_session, target))
//           res = split::beast::redirect(*to, s, req.version(), req.keep_alive());
//       else { …the page…; split::beast::apply_session(s, res); }
//   }
#pragma once

#include <authpp/adapter/beast.hpp>
#include <authpp/http/server_message.hpp>
#include <authpp/split/async.hpp>
#include <authpp/split/handler.hpp>
#include <authpp/split/session.hpp>

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <string>
#include <string_view>

namespace authpp::split::beast {

namespace bhttp = boost::beast::http;

/// The Cookie headers of `req`, several joined with "; ".
template <class Body, class Fields>
std::string cookies_of(const bhttp::request<Body, Fields>& req) {
    std::string cookies;
    const http::server_request in = authpp::adapter::beast::to_server_request(req, cookies);
    return std::string(in.cookie);
}

/// What the handlers read of `req` (its body as a string, Sec-Fetch-Site).
template <class Fields>
owned_handler_request read_request(const bhttp::request<bhttp::string_body, Fields>& req) {
    using authpp::adapter::beast::detail::view;
    std::string cookies;
    const http::server_request in = authpp::adapter::beast::to_server_request(req, cookies);
    return {std::string(in.method), std::string(in.target), std::string(in.cookie),
            std::string(view(req[bhttp::field::content_type])), req.body(), std::string(view(req["Sec-Fetch-Site"]))};
}

/// A session's Set-Cookie values (refreshed, or clearing) on `res`; with
/// any, `Cache-Control: private, no-store` (a shared cache must never keep
/// a response that carries a user's tokens).
template <class Body, class Fields>
void apply_session(const session_state& s, bhttp::response<Body, Fields>& res) {
    for (const auto& c : s.set_cookies) res.insert(bhttp::field::set_cookie, c);
    if (!s.set_cookies.empty()) res.set(bhttp::field::cache_control, "private, no-store");
}

/// A handler's reply as a response.
inline bhttp::response<bhttp::string_body> to_response(const reply& r, unsigned version, bool keep_alive) {
    bhttp::response<bhttp::string_body> res{static_cast<bhttp::status>(r.status), version};
    res.set(bhttp::field::content_type, "application/json");
    res.set(bhttp::field::cache_control, "no-store");
    for (const auto& c : r.set_cookies) res.insert(bhttp::field::set_cookie, c);
    if (r.clear_site_data) res.set("Clear-Site-Data", clear_site_data_value);
    res.body() = r.body;
    res.keep_alive(keep_alive);
    res.prepare_payload();
    return res;
}

/// A restriction's 307 to `location`, with the session's cookies.
inline bhttp::response<bhttp::string_body> redirect(const std::string& location, const session_state& s,
                                                    unsigned version, bool keep_alive) {
    bhttp::response<bhttp::string_body> res{bhttp::status::temporary_redirect, version};
    res.set(bhttp::field::location, location);
    res.set(bhttp::field::cache_control, "no-store");
    apply_session(s, res);
    res.keep_alive(keep_alive);
    res.prepare_payload();
    return res;
}

} // namespace authpp::split::beast
