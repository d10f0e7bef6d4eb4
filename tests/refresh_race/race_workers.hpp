// A race_worker process as the multi-process refresh race tests drive it:
// configured with the provider, a Redis URL (one server, or a cluster's
// seeds), N requests, a lease and a mode; told the cookie, then "go"; its
// outcome lines read back.
#pragma once

#include "race_checks.hpp"

#include <sys/types.h>

#include <cstdlib>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace authpp::race {

inline std::string worker_path() {
    const char* p = std::getenv("AUTHPP_RACE_WORKER");
    if (!p) throw std::runtime_error("AUTHPP_RACE_WORKER is not set (run the tests through ctest)");
    return p;
}

struct worker {
    test::child_process proc;
    std::string owner_prefix;
    pid_t pid = -1;

    worker(const test::oidc_provider& p, const std::string& redis_url, int n, int lease_ms, const std::string& mode,
           const std::string& cookie)
        : proc({worker_path(), p.issuer, redis_url, std::to_string(n), std::to_string(lease_ms), mode}) {
        const auto line = proc.command(cookie);
        REQUIRE(line.starts_with("READY "));
        std::istringstream in(line.substr(6));
        in >> owner_prefix >> pid;
    }
    void go() { REQUIRE(proc.command("go") == "GO"); }
    std::vector<std::string> results(int n) {
        std::vector<std::string> lines;
        for (int i = 0; i < n; ++i) lines.push_back(proc.read_line(std::chrono::seconds(60)));
        CHECK(proc.read_line(std::chrono::seconds(10)) == "DONE");
        return lines;
    }
};

} // namespace authpp::race
