// authpp/url/form.hpp — application/x-www-form-urlencoded, as the WHATWG
// URL standard and URLSearchParams have it: the coding of one component,
// query strings and form bodies read into their fields and written from
// them.
//
// Reading never fails on content: '+' is a space, a malformed %-escape
// stays as written. What a repeated name means is the reader's business
// (<authpp/endpoints/form.hpp>: the last value wins, as Auth.js reads it).
#pragma once

#include <authpp/url/percent.hpp>

#include <cstddef>
#include <initializer_list>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace authpp::url {

/// Decodes one component (the inverse of form_encode): '+' → ' ', %XX →
/// the byte; a '%' not followed by two hex digits is kept literally (the
/// WHATWG rule URLSearchParams follows).
inline std::string form_decode(std::string_view in) {
    std::string out;
    out.reserve(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
        const char c = in[i];
        if (c == '+') {
            out += ' ';
        } else if (const int b = escaped_byte(in, i); b >= 0) {
            out += static_cast<char>(b);
            i += 2;
        } else {
            out += c;
        }
    }
    return out;
}

/// The bytes the form encoding keeps as they are: ALPHA DIGIT - . _ *
constexpr bool is_form_unescaped(unsigned char c) noexcept {
    return is_alnum(c) || c == '-' || c == '.' || c == '_' || c == '*';
}

/// Appends one component, encoded: is_form_unescaped() bytes stay, space
/// becomes '+', everything else %XX.
inline void form_encode(std::string& out, std::string_view s) {
    for (;;) {
        const auto space = s.find(' ');
        percent_encode(out, s.substr(0, space), is_form_unescaped);
        if (space == std::string_view::npos) return;
        out += '+';
        s.remove_prefix(space + 1);
    }
}

/// Appends name=value, both encoded (no separator before it).
inline void append_form_field(std::string& out, std::string_view name, std::string_view value) {
    form_encode(out, name);
    out += '=';
    form_encode(out, value);
}

/// name=value&… form body, as URLSearchParams writes it.
inline std::string form_body(std::initializer_list<std::pair<std::string_view, std::string_view>> fields) {
    std::string out;
    for (const auto& [k, v] : fields) {
        if (!out.empty()) out += '&';
        append_form_field(out, k, v);
    }
    return out;
}

/// One decoded field: name, value.
using form_field = std::pair<std::string, std::string>;

/// The decoded fields of a query string or form body (no leading '?'), in
/// order: pieces between '&', empty ones skipped; a piece without '=' is a
/// name with an empty value, a piece with several splits at the first.
/// nullopt when there are more than `max_fields`: the parse stops there.
inline std::optional<std::vector<form_field>>
parse_form_fields(std::string_view in, std::size_t max_fields = std::numeric_limits<std::size_t>::max()) {
    std::vector<form_field> out;
    while (!in.empty()) {
        const auto amp = in.find('&');
        const std::string_view piece = in.substr(0, amp);
        in = amp == std::string_view::npos ? std::string_view{} : in.substr(amp + 1);
        if (piece.empty()) continue;
        if (out.size() == max_fields) return std::nullopt;
        const auto eq = piece.find('=');
        if (eq == std::string_view::npos)
            out.emplace_back(form_decode(piece), std::string{});
        else
            out.emplace_back(form_decode(piece.substr(0, eq)), form_decode(piece.substr(eq + 1)));
    }
    return out;
}

/// URLSearchParams.set: the first field named `name` takes the value, later
/// ones go; without one, the field is appended.
inline void set_form_field(std::vector<form_field>& fields, std::string_view name, std::string_view value) {
    bool found = false;
    for (auto it = fields.begin(); it != fields.end();) {
        if (it->first != name) {
            ++it;
        } else if (!found) {
            it->second = value;
            found = true;
            ++it;
        } else {
            it = fields.erase(it);
        }
    }
    if (!found) fields.emplace_back(name, value);
}

} // namespace authpp::url
