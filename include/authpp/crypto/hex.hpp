// authpp/crypto/hex.hpp — bytes as lower-case hex, the one hex table.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace authpp::crypto {

/// Appends `bytes` to `out` as lower-case hex (two characters a byte).
inline void append_hex(std::string& out, std::span<const std::uint8_t> bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    for (const std::uint8_t b : bytes) {
        out += digits[b >> 4];
        out += digits[b & 15];
    }
}

/// `bytes` as lower-case hex.
inline std::string hex(std::span<const std::uint8_t> bytes) {
    std::string out;
    out.reserve(2 * bytes.size());
    append_hex(out, bytes);
    return out;
}

} // namespace authpp::crypto
