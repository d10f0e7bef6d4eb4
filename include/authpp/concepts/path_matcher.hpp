// authpp/concepts/path_matcher.hpp — deciding which request paths a rule
// (protected, public) covers.
//
// | expression          | type   | meaning                                        |
// |---------------------|--------|------------------------------------------------|
// | `M(patterns)`       | —      | built from the configured patterns             |
// | `m.matches(path)`   | `bool` | whether any pattern covers `path`              |
// | `m.empty()`         | `bool` | no patterns configured                         |
//
// `patterns` is a `const std::vector<std::string>&`, `path` a
// `std::string_view` (the request path, without query). Models shipped:
// `prefix_matcher` (<authpp/match/prefix_matcher.hpp>); `regex_matcher` and
// `mixed_matcher` (<authpp/match/regex_matcher.hpp>, link authpp::regex).
//
// `PathMatcher<M>` is the contract; `check_path_matcher<M>()` states it
// member by member, one sentence per missing member.
#pragma once

#include <concepts>
#include <string>
#include <string_view>
#include <vector>

namespace authpp {

namespace concept_checks {
template <class M>
concept matcher_from_patterns = std::constructible_from<M, const std::vector<std::string>&>;
template <class M>
concept matcher_matches = requires(const M& m, std::string_view path) {
    { m.matches(path) } -> std::same_as<bool>;
};
template <class M>
concept matcher_empty = requires(const M& m) {
    { m.empty() } -> std::same_as<bool>;
};
} // namespace concept_checks

template <class M>
concept PathMatcher = concept_checks::matcher_from_patterns<M> && concept_checks::matcher_matches<M> &&
                      concept_checks::matcher_empty<M>;

template <class M>
consteval bool check_path_matcher() {
    static_assert(concept_checks::matcher_from_patterns<M>,
                  "authpp: the PathMatcher policy must be constructible from the patterns (const std::vector<std::string>&)");
    static_assert(concept_checks::matcher_matches<M>,
                  "authpp: the PathMatcher policy needs `bool matches(std::string_view path) const`");
    static_assert(concept_checks::matcher_empty<M>, "authpp: the PathMatcher policy needs `bool empty() const`");
    return true;
}

} // namespace authpp
