// authpp/store/detail/redis_slot.hpp — the Redis Cluster slot of a key
// (CRC16 of the key, or of its {hash tag}, mod 16384), as every cluster
// node computes it.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace authpp::detail {

inline constexpr int redis_slot_count = 16384;

namespace redis_crc {
/// CRC-16/XMODEM (polynomial 0x1021, initial value 0), as Redis Cluster
/// hashes keys.
constexpr std::array<std::uint16_t, 256> make_table() {
    std::array<std::uint16_t, 256> t{};
    for (unsigned i = 0; i < 256; ++i) {
        unsigned crc = i << 8;
        for (int b = 0; b < 8; ++b) crc = (crc & 0x8000u) ? (crc << 1) ^ 0x1021u : crc << 1;
        t[i] = static_cast<std::uint16_t>(crc);
    }
    return t;
}
inline constexpr auto table = make_table();

constexpr std::uint16_t crc16(std::string_view s) noexcept {
    std::uint16_t crc = 0;
    for (unsigned char c : s) crc = static_cast<std::uint16_t>((crc << 8) ^ table[((crc >> 8) ^ c) & 0xffu]);
    return crc;
}
} // namespace redis_crc

/// The cluster slot of `key`: CRC16 of the key mod 16384, or of its hash tag
/// — what lies between the first '{' and the first '}' after it, when that
/// is not empty — so that keys with one tag share a slot.
constexpr std::uint16_t redis_key_slot(std::string_view key) noexcept {
    if (const auto open = key.find('{'); open != std::string_view::npos) {
        const auto close = key.find('}', open + 1);
        if (close != std::string_view::npos && close > open + 1) key = key.substr(open + 1, close - open - 1);
    }
    return static_cast<std::uint16_t>(redis_crc::crc16(key) % redis_slot_count);
}

static_assert(redis_crc::crc16("123456789") == 0x31c3); // the CRC's check value

} // namespace authpp::detail
