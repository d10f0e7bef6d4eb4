// authpp/clock/system_clock.hpp — the Clock model for production: wall-clock time.
#pragma once

#include <chrono>

namespace authpp {

struct system_clock {
    std::chrono::system_clock::time_point now() const noexcept { return std::chrono::system_clock::now(); }
};

} // namespace authpp
