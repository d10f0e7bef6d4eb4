// authpp/http/server_message.hpp — the request a server received and the
// response it should send, as the middleware and the Auth.js actions see
// them. Plain values with no server library in sight: an adapter (Beast:
// <authpp/adapter/beast.hpp>) fills a server_request from its own request
// type and applies a server_response to its own response type.
#pragma once

#include <authpp/http/message.hpp>

#include <string>
#include <string_view>

namespace authpp::http {

/// What the core reads of an incoming request. Views: they must outlive the
/// call that reads them (the adapter's request usually does).
struct server_request {
    std::string_view method;       ///< "GET", "POST", …
    std::string_view target;       ///< origin-form: /path?query (as on the request line)
    std::string_view cookie;       ///< the Cookie header; several joined with "; "
    std::string_view host;         ///< the Host header (used when base_url is not configured)
    std::string_view content_type; ///< the Content-Type header
    std::string_view origin;       ///< the Origin header, if any
    std::string_view body;
    /// The X-Auth-Return-Redirect header next-auth/react sends with its
    /// sign-in and sign-out POSTs: non-empty → answer a redirect with JSON
    /// {"url": …} instead of a 302.
    std::string_view x_auth_return_redirect;

    std::string_view path() const noexcept { return target.substr(0, target.find('?')); }
    /// The query without '?', or empty.
    std::string_view query() const noexcept {
        const auto q = target.find('?');
        return q == std::string_view::npos ? std::string_view{} : target.substr(q + 1);
    }
};

/// What to send back. `headers` may hold several Set-Cookie entries; an
/// adapter must append each as its own header line, never fold them.
struct server_response {
    int status = 200;
    header_list headers;
    std::string body;

    void add_header(std::string name, std::string value) { headers.emplace_back(std::move(name), std::move(value)); }
};

} // namespace authpp::http
