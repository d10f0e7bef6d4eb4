// authpp/nal/audit.hpp — the audit log of mode nal: one event per decision
// that matters (a token accepted or refused, a refresh, a guest token, an
// access denied, a backend error), handed to a user's sink. Off unless a
// sink is given. An event never holds a token, a cookie or a query string;
// a sink that throws is contained (the request goes on).
#pragma once

#include <authpp/http/message.hpp>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace authpp::nal {

enum class audit_type { auth_success, auth_fail, auth_refresh, auth_guest, access_denied, error };

constexpr std::string_view to_string(audit_type t) noexcept {
    switch (t) {
    case audit_type::auth_success: return "auth:success";
    case audit_type::auth_fail: return "auth:fail";
    case audit_type::auth_refresh: return "auth:refresh";
    case audit_type::auth_guest: return "auth:guest";
    case audit_type::access_denied: return "access:denied";
    case audit_type::error: return "error";
    }
    return "error";
}

struct audit_event {
    audit_type type = audit_type::error;
    std::int64_t time_ms = 0;          ///< Unix ms, from the config's clock
    std::optional<std::string> ip;     ///< first X-Forwarded-For entry, else X-Real-IP
    std::optional<std::string> user_id;
    std::string path;                  ///< without the query
    std::string method;
    bool success = false;
    boost::json::object metadata;      ///< e.g. {"reason":"invalid-token"}, {"tokenType":"admin"}
};

using audit_sink = std::function<void(const audit_event&)>;

/// The client's address as the proxies in front of us report it: the first
/// X-Forwarded-For entry, else X-Real-IP; nullopt when neither says.
inline std::optional<std::string> client_ip(const http::header_list& headers) {
    auto trim = [](std::string_view s) {
        while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
        while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
        return s;
    };
    auto first = trim(http::find_header(headers, "x-forwarded-for"));
    first = trim(first.substr(0, first.find(',')));
    if (first.empty()) first = trim(http::find_header(headers, "x-real-ip"));
    if (first.empty()) return std::nullopt;
    return std::string(first);
}

/// The user's id in a backend's user object: `id` (a string or a number),
/// else `sub`.
inline std::optional<std::string> user_id_of(const boost::json::value& user) {
    if (!user.is_object()) return std::nullopt;
    for (const char* k : {"id", "sub"}) {
        const auto* v = user.get_object().if_contains(k);
        if (!v) continue;
        if (v->is_string() && !v->get_string().empty()) return std::string(v->get_string());
        if (v->is_int64()) return std::to_string(v->get_int64());
        if (v->is_uint64()) return std::to_string(v->get_uint64());
    }
    return std::nullopt;
}

/// The event as one JSON object: {type, time (Unix ms), ip, userId,
/// path, method, success, metadata}.
inline std::string to_json(const audit_event& e) {
    boost::json::object o;
    o["type"] = to_string(e.type);
    o["time"] = e.time_ms;
    o["ip"] = e.ip ? boost::json::value(*e.ip) : boost::json::value(nullptr);
    o["userId"] = e.user_id ? boost::json::value(*e.user_id) : boost::json::value(nullptr);
    o["path"] = e.path;
    o["method"] = e.method;
    o["success"] = e.success;
    o["metadata"] = e.metadata;
    return boost::json::serialize(o);
}

/// Hands `e` to `sink` (if any); whatever the sink throws stays here.
inline void emit(const audit_sink& sink, const audit_event& e) noexcept {
    if (!sink) return;
    try {
        sink(e);
    } catch (...) {
    }
}

} // namespace authpp::nal
