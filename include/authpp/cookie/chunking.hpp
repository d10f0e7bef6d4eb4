// authpp/cookie/chunking.hpp — Auth.js's chunked session cookie.
//
// A session token longer than cookie_chunk_size is stored as `name.0`,
// `name.1`, … and joined in numeric order on the way in, whatever order the
// browser sends them in. Writing a new value expires every chunk the request
// carried that the new value does not overwrite, so a cookie that shrinks or
// is cleared leaves nothing stale behind.
#pragma once

#include <authpp/constants.hpp>
#include <authpp/cookie/cookie_header.hpp>
#include <authpp/cookie/set_cookie.hpp>
#include <authpp/error.hpp>
#include <authpp/url/percent.hpp>

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace authpp::cookie {

/// Most chunks accepted on the way in (64 × 3936 bytes ≈ 250 KB, far beyond
/// what any browser sends in one Cookie header).
inline constexpr std::size_t max_session_chunks = 64;

/// Largest Cookie header read_session_cookie() looks at.
inline constexpr std::size_t default_max_cookie_header = 64 * 1024;

/// No budget beyond max_session_chunks (write_session_cookie's default; the
/// session logic passes auth_options::max_session_cookie_bytes instead).
inline constexpr std::size_t no_cookie_budget = static_cast<std::size_t>(-1);

/// What a session cookie stored as `value` adds to every Cookie header the
/// browser sends back: `name=value` per chunk (chunk names included) and the
/// "; " between them.
inline std::size_t session_cookie_bytes(std::string_view name, std::size_t value_size) noexcept {
    if (value_size == 0) return 0;
    const std::size_t n = (value_size + cookie_chunk_size - 1) / cookie_chunk_size;
    if (n == 1) return name.size() + 1 + value_size;
    std::size_t names = 0;
    for (std::size_t i = 0; i < n; ++i) names += name.size() + 1 + (i < 10 ? 1 : i < 100 ? 2 : 3) + 1;
    return names + value_size + 2 * (n - 1);
}

/// If `cookie_name` is `name` itself, 0; if it is `name.<n>` with n a decimal
/// chunk index, n + 1; otherwise nullopt.
constexpr std::optional<std::size_t> session_cookie_slot(std::string_view cookie_name,
                                                         std::string_view name) noexcept {
    if (!cookie_name.starts_with(name)) return std::nullopt;
    cookie_name.remove_prefix(name.size());
    if (cookie_name.empty()) return 0;
    if (cookie_name.front() != '.' || cookie_name.size() < 2 || cookie_name.size() > 4) return std::nullopt;
    std::size_t n = 0;
    for (char c : cookie_name.substr(1)) {
        if (c < '0' || c > '9') return std::nullopt;
        n = n * 10 + static_cast<std::size_t>(c - '0');
    }
    return n + 1;
}

/// Finds the session cookie `name` in a Cookie header value and writes its
/// token to `out`, joining `name.0`, `name.1`, … when it is chunked (chunks
/// win over an unchunked cookie of the same name). Errors: no_session_cookie,
/// missing_chunk (a gap in the numbering), oversized.
inline error_code read_session_cookie(std::string_view cookie_header_value, std::string_view name,
                                      std::string& out,
                                      std::size_t max_header = default_max_cookie_header) {
    out.clear();
    if (cookie_header_value.size() > max_header) return error::oversized;
    std::array<std::string_view, max_session_chunks> chunks{};
    std::array<bool, max_session_chunks> seen{};
    std::optional<std::string_view> plain;
    std::size_t count = 0;
    for (const auto& c : cookie_header(cookie_header_value)) {
        const auto slot = session_cookie_slot(c.name, name);
        if (!slot) continue;
        if (*slot == 0) {
            if (!plain) plain = c.value;
            continue;
        }
        const std::size_t i = *slot - 1;
        if (i >= max_session_chunks) return error::oversized;
        if (seen[i]) continue; // first of a duplicated name wins
        seen[i] = true;
        chunks[i] = c.value;
        count = std::max(count, i + 1);
    }
    if (count == 0) {
        if (!plain || plain->empty()) return error::no_session_cookie;
        out.assign(*plain);
    } else {
        std::size_t total = 0;
        for (std::size_t i = 0; i < count; ++i) {
            if (!seen[i] || chunks[i].empty()) return error::missing_chunk;
            total += chunks[i].size();
        }
        out.reserve(total);
        for (std::size_t i = 0; i < count; ++i) out.append(chunks[i]);
    }
    if (out.find('%') != std::string::npos) out = url::percent_decode_or_keep(out);
    return {};
}

/// The Set-Cookie header values that store `value` as session cookie `name`:
/// one cookie when it fits in cookie_chunk_size, else `name.0`, `name.1`, …;
/// plus an expiring header for every session cookie or chunk in the incoming
/// request that the new ones do not overwrite. An empty `value` clears.
///
/// `max_bytes` is the budget of what the cookie adds to the browser's
/// Cookie header (session_cookie_bytes()): a value over it is refused with
/// error::session_too_large and nothing is written, so the caller keeps the
/// old cookie rather than issue one the server (or a proxy: 8 KB of headers
/// is common) would then refuse on every request, sign-out included.
inline result<std::vector<std::string>> write_session_cookie(std::string_view name, std::string_view value,
                                                             const cookie_options& options,
                                                             std::string_view incoming_cookie_header = {},
                                                             std::size_t max_bytes = no_cookie_budget) {
    std::vector<std::string> names;
    std::vector<std::string_view> values;
    if (!value.empty()) {
        const std::size_t n = (value.size() + cookie_chunk_size - 1) / cookie_chunk_size;
        if (session_cookie_bytes(name, value.size()) > max_bytes) return error::session_too_large;
        if (n > max_session_chunks) return error::oversized;
        if (n == 1) {
            names.emplace_back(name);
            values.push_back(value);
        } else {
            for (std::size_t i = 0; i < n; ++i) {
                names.push_back(std::string(name) + "." + std::to_string(i));
                values.push_back(value.substr(i * cookie_chunk_size, cookie_chunk_size));
            }
        }
    }

    std::vector<std::string> out;
    cookie_options expired = options;
    expired.max_age = 0;
    expired.expires.reset();
    std::vector<std::string_view> cleared;
    for (const auto& c : cookie_header(incoming_cookie_header)) {
        if (!session_cookie_slot(c.name, name)) continue;
        if (std::find(names.begin(), names.end(), c.name) != names.end()) continue;
        if (std::find(cleared.begin(), cleared.end(), c.name) != cleared.end()) continue;
        cleared.push_back(c.name);
        auto h = set_cookie_header(c.name, "", expired);
        if (!h) return h.error();
        out.push_back(std::move(*h));
    }
    for (std::size_t i = 0; i < names.size(); ++i) {
        auto h = set_cookie_header(names[i], values[i], options);
        if (!h) return h.error();
        out.push_back(std::move(*h));
    }
    return out;
}

/// Set-Cookie values that expire the session cookie `name` and every chunk
/// name it could have (`name.0` … `name.<max_session_chunks-1>`), without
/// reading a Cookie header: for an answer to a request whose headers were
/// too large to read (431), so the browser can get out of that state.
inline std::vector<std::string> clear_every_session_chunk(std::string_view name, const cookie_options& options) {
    cookie_options expired = options;
    expired.max_age = 0;
    expired.expires.reset();
    std::vector<std::string> out;
    out.reserve(max_session_chunks + 1);
    if (auto h = set_cookie_header(name, "", expired)) out.push_back(std::move(*h));
    for (std::size_t i = 0; i < max_session_chunks; ++i)
        if (auto h = set_cookie_header(std::string(name) + "." + std::to_string(i), "", expired)) out.push_back(std::move(*h));
    return out;
}

} // namespace authpp::cookie
