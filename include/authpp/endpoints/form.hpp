// authpp/endpoints/form.hpp — query strings and
// application/x-www-form-urlencoded bodies, read the way Auth.js reads them
// (URLSearchParams, then Object.fromEntries: a repeated name keeps its last
// value). Like URLSearchParams the parse never fails on content: '+' is a
// space, a malformed %-escape stays as written. It fails only on size, so a
// hostile body costs bounded work.
#pragma once

#include <authpp/error.hpp>
#include <authpp/http/message.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace authpp::endpoints {

struct form_limits {
    std::size_t max_size = 64 * 1024; ///< bytes of encoded input
    std::size_t max_fields = 64;
};

using http::form_decode;

/// The decoded fields of a form or query, in order.
class form_fields {
public:
    using entry = std::pair<std::string, std::string>;

    form_fields() = default;
    explicit form_fields(std::vector<entry> entries) : entries_(std::move(entries)) {}

    /// The value of the last field named `name` (Object.fromEntries keeps the last).
    std::optional<std::string_view> get(std::string_view name) const noexcept {
        for (auto it = entries_.rbegin(); it != entries_.rend(); ++it)
            if (it->first == name) return std::string_view(it->second);
        return std::nullopt;
    }
    bool contains(std::string_view name) const noexcept { return get(name).has_value(); }
    const std::vector<entry>& entries() const noexcept { return entries_; }
    std::size_t size() const noexcept { return entries_.size(); }
    void set(std::string name, std::string value) { entries_.emplace_back(std::move(name), std::move(value)); }

private:
    std::vector<entry> entries_;
};

/// Parses `a=1&b=2` (no leading '?'). Empty pieces between '&' are skipped;
/// a piece without '=' is a name with an empty value. Errors: oversized.
inline result<form_fields> parse_form(std::string_view in, const form_limits& limits = {}) {
    if (in.size() > limits.max_size) return error::oversized;
    std::vector<form_fields::entry> out;
    while (!in.empty()) {
        const auto amp = in.find('&');
        const std::string_view piece = in.substr(0, amp);
        in = amp == std::string_view::npos ? std::string_view{} : in.substr(amp + 1);
        if (piece.empty()) continue;
        if (out.size() == limits.max_fields) return error::oversized;
        const auto eq = piece.find('=');
        if (eq == std::string_view::npos)
            out.emplace_back(form_decode(piece), std::string{});
        else
            out.emplace_back(form_decode(piece.substr(0, eq)), form_decode(piece.substr(eq + 1)));
    }
    return form_fields(std::move(out));
}

} // namespace authpp::endpoints
