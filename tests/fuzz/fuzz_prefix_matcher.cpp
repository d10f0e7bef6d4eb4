// The indexed prefix_matcher against match_path_prefix over every pattern,
// and the middleware's path normalisation (with and without the router
// leniencies), on arbitrary bytes.
//
// Input: lines separated by '\n'; the last line is the request path, the
// others are the patterns (any bytes, empty ones and duplicates included).
#include "fuzz_common.hpp"

#include <authpp/match/prefix_matcher.hpp>
#include <authpp/middleware.hpp>

#include <string>
#include <string_view>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace authpp;
    std::string_view in = authpp_fuzz::as_view(data, size);
    std::vector<std::string> patterns;
    for (auto nl = in.find('\n'); nl != std::string_view::npos; nl = in.find('\n')) {
        patterns.emplace_back(in.substr(0, nl));
        in.remove_prefix(nl + 1);
    }
    const std::string_view path = in;

    auto naive = [&](std::string_view p) {
        for (const auto& pat : patterns)
            if (match_path_prefix(p, pat)) return true;
        return false;
    };
    const prefix_matcher m(patterns);
    FUZZ_CHECK(m.empty() == patterns.empty());
    FUZZ_CHECK(m.matches(path) == naive(path));
    // Every pattern covers itself and whatever lies below it.
    for (const auto& pat : patterns) {
        FUZZ_CHECK(m.matches(pat));
        FUZZ_CHECK(m.matches(pat + "/" + std::string(path)));
    }

    // Normalisation: always absolute, a fixed point, no dot segment or '\'
    // left, and the matchers agree on the normalised path as well.
    std::string scratch, again;
    const std::string_view n = normalize_request_path(path, scratch);
    FUZZ_CHECK(!n.empty() && n[0] == '/');
    FUZZ_CHECK(normalize_request_path(n, again) == n);
    FUZZ_CHECK(n.find('\\') == std::string_view::npos);
    FUZZ_CHECK(n.find("/./") == std::string_view::npos && n.find("/../") == std::string_view::npos);
    FUZZ_CHECK(!n.ends_with("/.") && !n.ends_with("/.."));
    FUZZ_CHECK(m.matches(n) == naive(n));

    // The router leniencies (merge_slashes, ignore_case): still a fixed point,
    // and what they promise holds.
    for (const bool merge : {false, true})
        for (const bool lower : {false, true}) {
            const auth_options::path_matching_options pm{merge, lower};
            std::string s1, s2;
            const std::string_view l = normalize_request_path(path, s1, pm);
            FUZZ_CHECK(!l.empty() && l[0] == '/');
            FUZZ_CHECK(normalize_request_path(l, s2, pm) == l);
            if (merge) FUZZ_CHECK(l.find("//") == std::string_view::npos);
            if (lower)
                for (char c : l) FUZZ_CHECK(!(c >= 'A' && c <= 'Z'));
            FUZZ_CHECK(l.find("/./") == std::string_view::npos && l.find("/../") == std::string_view::npos);
        }
    return 0;
}
