// authpp/endpoints/action.hpp — which Auth.js action a request path names.
#pragma once

#include <optional>
#include <string_view>

namespace authpp::endpoints {

enum class action { providers, session, csrf, signin, signout, callback, verify_request, error, webauthn_options };

struct parsed_action {
    endpoints::action action;
    std::string_view provider; ///< empty when the path names none
};

/// True when `path` (a query is ignored) lies under `base_path`, on a
/// segment boundary: Auth.js's route handler answers everything there.
constexpr bool is_under_base_path(std::string_view path, std::string_view base_path) noexcept {
    path = path.substr(0, path.find('?'));
    while (base_path.size() > 1 && base_path.back() == '/') base_path.remove_suffix(1);
    if (!path.starts_with(base_path)) return false;
    return path.size() == base_path.size() || path[base_path.size()] == '/' || base_path == "/";
}

/// Auth.js's parseActionAndProviderId: `{base}/{action}[/{provider}]`,
/// empty segments ignored, a provider only for signin, callback and
/// webauthn-options. nullopt: not an action (Auth.js answers 400).
constexpr std::optional<parsed_action> parse_action(std::string_view path, std::string_view base_path) noexcept {
    path = path.substr(0, path.find('?'));
    while (base_path.size() > 1 && base_path.back() == '/') base_path.remove_suffix(1);
    if (!is_under_base_path(path, base_path)) return std::nullopt;
    std::string_view rest = path.substr(base_path == "/" ? 0 : base_path.size());
    std::string_view seg[2];
    int n = 0;
    while (!rest.empty()) {
        const auto slash = rest.find('/');
        const auto s = rest.substr(0, slash);
        rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
        if (s.empty()) continue;
        if (n == 2) return std::nullopt;
        seg[n++] = s;
    }
    if (n == 0) return std::nullopt;
    struct named {
        std::string_view name;
        endpoints::action a;
        bool takes_provider;
    };
    constexpr named table[] = {
        {"providers", action::providers, false},       {"session", action::session, false},
        {"csrf", action::csrf, false},                 {"signin", action::signin, true},
        {"signout", action::signout, false},           {"callback", action::callback, true},
        {"verify-request", action::verify_request, false}, {"error", action::error, false},
        {"webauthn-options", action::webauthn_options, true},
    };
    for (const auto& t : table) {
        if (t.name != seg[0]) continue;
        if (n == 2 && !t.takes_provider) return std::nullopt;
        // Auth.js reads the provider "undefined" as none.
        std::string_view provider = n == 2 && seg[1] != "undefined" ? seg[1] : std::string_view{};
        return parsed_action{t.a, provider};
    }
    return std::nullopt;
}

} // namespace authpp::endpoints
