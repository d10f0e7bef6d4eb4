// The indexed prefix_matcher against match_path_prefix over every pattern,
// on arbitrary bytes and on the normalised path the middleware matches (the
// normalisation's own properties: fuzz_path).
//
// Input: lines separated by '\n'; the last line is the request path, the
// others are the patterns (any bytes, empty ones and duplicates included).
#include "fuzz_common.hpp"

#include <authpp/match/prefix_matcher.hpp>
#include <authpp/url/path.hpp>

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

    // The matchers agree on the normalised path as well.
    std::string scratch;
    const std::string_view n = url::normalize_request_path(path, scratch);
    FUZZ_CHECK(m.matches(n) == naive(n));
    return 0;
}
