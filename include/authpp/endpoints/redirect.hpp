// authpp/endpoints/redirect.hpp — where a callbackUrl / returnTo may send
// the browser.
//
// Auth.js's built-in redirect callback allows a path (made absolute on the
// base URL) and an absolute URL of the base URL's origin, and falls back to
// the base URL otherwise. Ours is stricter about what counts as a path:
// browsers read `//evil.com`, `/\evil.com` and `/<TAB>/evil.com` as another
// host, and a later decoding step (a framework, a proxy) can turn
// `%2F%2Fevil.com` into one, so any such form is refused outright.
#pragma once

#include <authpp/options.hpp>
#include <authpp/url/form.hpp>
#include <authpp/url/url.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace authpp::endpoints {

namespace detail {

// Characters a browser drops or re-reads inside a URL (C0 controls, space,
// DEL, backslash): a URL that holds any is not one we hand back.
// A decoded space is harmless; a literal one means the URL was not encoded.
constexpr bool has_unsafe_char(std::string_view s, bool decoded = false) noexcept {
    for (unsigned char c : s)
        if (c < 0x20 || (c == 0x20 && !decoded) || c == 0x7f || c == '\\') return true;
    return false;
}

constexpr bool looks_protocol_relative(std::string_view s) noexcept {
    return s.size() >= 2 && s[0] == '/' && (s[1] == '/' || s[1] == '\\');
}

} // namespace detail

/// The built-in redirect callback: the absolute URL to send the browser to,
/// or nullopt when `url` leaves `base_url`'s origin (or might, to a browser).
inline std::optional<std::string> same_origin_redirect(std::string_view url, std::string_view base_url) {
    if (url.empty() || detail::has_unsafe_char(url)) return std::nullopt;
    // Whatever a later decoding (once or twice) makes of it must still be safe.
    std::string decoded(url);
    for (int round = 0; round < 3; ++round) {
        if (detail::looks_protocol_relative(decoded) || detail::has_unsafe_char(decoded, round > 0))
            return std::nullopt;
        auto next = url::form_decode(decoded);
        if (next == decoded) break;
        decoded = std::move(next);
    }
    if (detail::looks_protocol_relative(decoded) || detail::has_unsafe_char(decoded, true)) return std::nullopt;
    while (!base_url.empty() && base_url.back() == '/') base_url.remove_suffix(1);
    if (url.front() == '/') return std::string(base_url) + std::string(url);
    const auto mine = url::origin_of(base_url);
    const auto theirs = url::origin_of(url);
    if (mine && theirs && *mine == *theirs) return std::string(url);
    return std::nullopt;
}

/// What a callbackUrl resolves to: the user's redirect callback when one is
/// configured (it may allow more origins), else the built-in one; a refusal
/// falls back to the base URL, as Auth.js does.
inline std::string resolve_redirect(const auth_options& o, std::string_view url, std::string_view base_url) {
    auto r = o.callbacks.redirect ? o.callbacks.redirect(url, base_url) : same_origin_redirect(url, base_url);
    return r ? std::move(*r) : std::string(base_url);
}

} // namespace authpp::endpoints
