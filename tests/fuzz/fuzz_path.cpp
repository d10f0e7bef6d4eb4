// url/path.hpp on arbitrary bytes: the normalised request path, with and
// without the router leniencies, is absolute, a fixed point, and holds no
// '\', no dot segment (spelt plainly or with %2e) and no encoded unreserved
// character; a path already normal is handed back without a copy.
//
// Input: the request target's path (any bytes).
#include "fuzz_common.hpp"

#include <authpp/url/path.hpp>
#include <authpp/url/percent.hpp>

#include <algorithm>
#include <string>
#include <string_view>

namespace {

// No segment of `n` (which starts with '/') is a dot segment.
bool no_dot_segment(std::string_view n) {
    for (std::size_t seg = 1; seg <= n.size();) {
        const auto end = std::min(n.find('/', seg), n.size());
        if (authpp::url::detail::is_dot_segment(n.substr(seg, end - seg))) return false;
        seg = end + 1;
    }
    return true;
}

// When every '%' starts an escape, none of them stands for an unreserved
// character (those are decoded).
bool no_encoded_unreserved(std::string_view n) {
    if (!authpp::url::escapes_well_formed(n)) return true;
    for (std::size_t i = 0; i < n.size(); ++i) {
        const int b = authpp::url::escaped_byte(n, i);
        if (b >= 0 && authpp::url::is_unreserved(static_cast<unsigned char>(b))) return false;
    }
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace authpp;
    const std::string_view path = authpp_fuzz::as_view(data, size);

    for (const bool merge : {false, true})
        for (const bool lower : {false, true}) {
            const url::path_leniencies pm{merge, lower};
            std::string s1, s2;
            const std::string_view n = url::normalize_request_path(path, s1, pm);
            FUZZ_CHECK(!n.empty() && n[0] == '/');
            FUZZ_CHECK(url::normalize_request_path(n, s2, pm) == n);
            FUZZ_CHECK(url::detail::path_is_normal(n, pm));
            if (url::detail::path_is_normal(path, pm)) FUZZ_CHECK(n.data() == path.data() && n.size() == path.size());
            FUZZ_CHECK(n.find('\\') == std::string_view::npos);
            FUZZ_CHECK(n.find("/./") == std::string_view::npos && n.find("/../") == std::string_view::npos);
            FUZZ_CHECK(!n.ends_with("/.") && !n.ends_with("/.."));
            FUZZ_CHECK(no_dot_segment(n));
            FUZZ_CHECK(no_encoded_unreserved(n));
            if (merge) FUZZ_CHECK(n.find("//") == std::string_view::npos);
            if (lower)
                for (char c : n) FUZZ_CHECK(!(c >= 'A' && c <= 'Z'));
        }
    return 0;
}
