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
#pragma once

#include <concepts>
#include <string>
#include <string_view>
#include <vector>

namespace authpp {

template <class M>
concept PathMatcher = std::constructible_from<M, const std::vector<std::string>&> &&
                      requires(const M& m, std::string_view path) {
                          { m.matches(path) } -> std::same_as<bool>;
                          { m.empty() } -> std::same_as<bool>;
                      };

} // namespace authpp
