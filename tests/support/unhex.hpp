// tests/support/unhex.hpp — test vectors written as hex, turned into bytes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace authpp_test {

/// The bytes that `h` (pairs of hex digits) spells, in a byte container.
template <class Bytes = std::vector<std::uint8_t>>
Bytes unhex(std::string_view h) {
    Bytes out;
    for (std::size_t i = 0; i + 1 < h.size(); i += 2)
        out.push_back(static_cast<typename Bytes::value_type>(std::stoi(std::string(h.substr(i, 2)), nullptr, 16)));
    return out;
}

} // namespace authpp_test
