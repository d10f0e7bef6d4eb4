// authpp/endpoints/form.hpp — query strings and
// application/x-www-form-urlencoded bodies, read the way Auth.js reads them
// (URLSearchParams, then Object.fromEntries: a repeated name keeps its last
// value). Like URLSearchParams the parse never fails on content
// (<authpp/url/form.hpp>: '+' is a space, a malformed %-escape stays as
// written). It fails only on size, so a hostile body costs bounded work.
#pragma once

#include <authpp/error.hpp>
#include <authpp/url/form.hpp>

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

/// The decoded fields of a form or query, in order.
class form_fields {
public:
    using entry = url::form_field;

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

/// Parses `a=1&b=2` (no leading '?'; url::parse_form_fields). Errors:
/// oversized (more than limits.max_size bytes or limits.max_fields fields).
inline result<form_fields> parse_form(std::string_view in, const form_limits& limits = {}) {
    if (in.size() > limits.max_size) return error::oversized;
    auto fields = url::parse_form_fields(in, limits.max_fields);
    if (!fields) return error::oversized;
    return form_fields(std::move(*fields));
}

} // namespace authpp::endpoints
