// Checks the refresh race tests share (Catch2).
#pragma once

#include "race_fixture.hpp"

#include "../integration/fixtures.hpp"

#include <set>

namespace authpp::race {

/// The refresh_token grants the provider has handled so far.
inline int refresh_grants(test::oidc_provider& p) {
    const auto line = p.proc.command("count");
    REQUIRE(line.starts_with("OK "));
    return std::stoi(line.substr(3));
}

/// `n` outcomes, all a signed-in session with the same access token, and not
/// the old one.
inline void check_all_same(const std::vector<std::string>& lines, const std::string& old_access_token, std::size_t n) {
    REQUIRE(lines.size() == n);
    std::set<std::string> distinct(lines.begin(), lines.end());
    INFO(*distinct.begin());
    CHECK(distinct.size() == 1);
    CHECK(distinct.begin()->starts_with("OK "));
    CHECK(*distinct.begin() != "OK " + refresh::token_key(old_access_token));
}

} // namespace authpp::race
