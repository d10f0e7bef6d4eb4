// authpp/endpoints/actions/pages.hpp — the GET pages: /signin (a redirect to
// the configured sign-in page with the callbackUrl), /signout (a small form
// that POSTs /signout with the CSRF token) and /error (a redirect to the
// configured error page, else a small page with Auth.js's status).
#pragma once

#include <authpp/endpoints/actions/context.hpp>

#include <string>
#include <string_view>
#include <utility>

namespace authpp::endpoints {

namespace detail {

// The status Auth.js's built-in error page answers with.
inline int error_page_status(std::string_view type) noexcept {
    if (type == "Configuration") return 500;
    if (type == "AccessDenied" || type == "Verification") return 403;
    return 200;
}

} // namespace detail

/// GET /signin (no provider).
template <class Config>
void sign_in_page_action(action_context<Config>& cx) {
    if (!cx.provider.empty() || cx.o.sign_in_page.empty()) return cx.fail("Configuration", "error");
    auto url = detail::with_query(cx.o.sign_in_page, "callbackUrl", cx.callback_url);
    if (const auto e = cx.query.get("error")) url = detail::with_query(std::move(url), "error", *e);
    cx.redirect(std::move(url));
}

/// GET /signout.
template <class Config>
void sign_out_page_action(action_context<Config>& cx) {
    std::string inner = "<div class=\"signout\"><h1>Signout</h1><p>Are you sure you want to sign out?</p>"
                        "<form action=\"";
    inner += cx.o.base_path + "/signout\" method=\"POST\"><input type=\"hidden\" name=\"csrfToken\" value=\"";
    inner += cx.csrf.token; // hex: nothing to escape
    inner += "\"/><button id=\"submitButton\" type=\"submit\">Sign out</button></form></div>";
    cx.html(200, "Sign Out", inner);
}

/// GET /error.
template <class Config>
void error_page_action(action_context<Config>& cx) {
    const auto e = cx.query.get("error");
    const std::string_view type = e && !e->empty() ? *e : std::string_view("default");
    if (!cx.o.error_page.empty()) return cx.redirect(detail::with_query(cx.o.error_page, "error", type));
    // The type only selects a message; it is never echoed into the page.
    const int status = detail::error_page_status(type);
    std::string_view heading = status == 500 ? "Server error" : status == 403 ? "Access Denied" : "Error";
    if (type == "Verification") heading = "Unable to sign in";
    std::string inner = "<div class=\"error\"><div class=\"card\"><h1>";
    inner.append(heading).append("</h1><div class=\"message\"><p><a class=\"button\" href=\"");
    inner.append(cx.o.base_path).append("/signin\">Sign in</a></p></div></div></div>");
    cx.html(status, "Error", inner);
}

} // namespace authpp::endpoints
