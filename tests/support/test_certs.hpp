// The test PKI (tests/integration/make_certs.sh): made once per test process
// in a temp dir at run time, never committed, removed when the process ends.
#pragma once

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <system_error>

namespace authpp::test {

/// The directory holding the certificates; `make_certs` is the script's path.
inline const std::string& test_cert_dir(const std::string& make_certs) {
    static const std::string dir = [&] {
        auto d = std::filesystem::temp_directory_path() / ("authpp-certs-" + std::to_string(::getpid()));
        const std::string cmd = "bash '" + make_certs + "' '" + d.string() + "'";
        if (std::system(cmd.c_str()) != 0) throw std::runtime_error("make_certs.sh failed (is openssl installed?)");
        static struct cleanup {
            std::filesystem::path p;
            ~cleanup() {
                std::error_code ec;
                std::filesystem::remove_all(p, ec);
            }
        } c{d};
        return d.string();
    }();
    return dir;
}

} // namespace authpp::test
