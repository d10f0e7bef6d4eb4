// authpp/detail/json_truthy.hpp — JavaScript's truthiness of a JSON value,
// for the places that read JSON the way the JavaScript originals test it
// (`if (res.success)`, `if (token.forceRefresh)`).
#pragma once

#include <boost/json/value.hpp>

namespace authpp::detail {

/// False for a missing value (nullptr), null, false, 0, NaN and ""; true for
/// anything else, empty objects and arrays included.
inline bool truthy(const boost::json::value* v) noexcept {
    if (!v) return false;
    switch (v->kind()) {
    case boost::json::kind::null: return false;
    case boost::json::kind::bool_: return v->get_bool();
    case boost::json::kind::int64: return v->get_int64() != 0;
    case boost::json::kind::uint64: return v->get_uint64() != 0;
    case boost::json::kind::double_: return v->get_double() != 0 && v->get_double() == v->get_double();
    case boost::json::kind::string: return !v->get_string().empty();
    default: return true;
    }
}

} // namespace authpp::detail
