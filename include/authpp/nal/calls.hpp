// authpp/nal/calls.hpp — the three backend requests of mode nal (sans I/O):
//   validate  GET  {base}auth/me       Authorization: Bearer <token>
//   refresh   POST {base}auth/refresh  Authorization: Bearer <old token>
//   guest     POST {base}auth/guest    {"username":…,"password":…}
// Each asks for JSON. The answers are read by nal/classify.hpp.
#pragma once

#include <authpp/http/message.hpp>
#include <authpp/nal/options.hpp>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <string>
#include <string_view>
#include <utility>

namespace authpp::nal {

namespace detail {
inline http::request bearer_request(std::string method, std::string url, std::string_view token) {
    http::request r;
    r.method = std::move(method);
    r.url = std::move(url);
    r.headers = {{"Authorization", "Bearer " + std::string(token)}, {"Accept", "application/json"}};
    return r;
}
} // namespace detail

inline http::request validate_request(const nal_options& o, std::string_view token) {
    return detail::bearer_request("GET", o.url_of(o.endpoints.validate), token);
}

inline http::request refresh_request(const nal_options& o, std::string_view token) {
    return detail::bearer_request("POST", o.url_of(o.endpoints.refresh), token);
}

/// The guest request; `o.guest` must be set.
inline http::request guest_request(const nal_options& o) {
    http::request r;
    r.method = "POST";
    r.url = o.url_of(o.endpoints.guest);
    r.headers = {{"Content-Type", "application/json"}, {"Accept", "application/json"}};
    boost::json::object body;
    body["username"] = o.guest ? o.guest->username : std::string();
    body["password"] = o.guest ? o.guest->password : std::string();
    r.body = boost::json::serialize(body);
    return r;
}

} // namespace authpp::nal
