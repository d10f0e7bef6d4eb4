// A test fixture's helper process (an OpenID provider, an HTTP server):
// started with pipes on stdin/stdout, stopped however the test ends — the
// destructor kills it, and PR_SET_PDEATHSIG kills it if the test process
// dies first.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

namespace authpp::test {

class child_process {
public:
    /// Runs argv[0] (looked up in PATH) in `dir` with `env` added.
    child_process(std::vector<std::string> argv, std::string dir = {},
                  std::vector<std::pair<std::string, std::string>> env = {}) {
        int in[2], out[2];
        if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
        const pid_t parent = getpid();
        pid_ = fork();
        if (pid_ < 0) throw std::runtime_error("fork failed");
        if (pid_ == 0) {
            prctl(PR_SET_PDEATHSIG, SIGKILL);
            if (getppid() != parent) _exit(127);
            dup2(in[0], 0);
            dup2(out[1], 1);
            if (!dir.empty() && chdir(dir.c_str()) != 0) _exit(126);
            for (auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
            std::vector<char*> args;
            for (auto& a : argv) args.push_back(a.data());
            args.push_back(nullptr);
            execvp(args[0], args.data());
            _exit(127);
        }
        close(in[0]);
        close(out[1]);
        stdin_ = in[1];
        stdout_ = out[0];
    }
    child_process(const child_process&) = delete;
    child_process& operator=(const child_process&) = delete;
    ~child_process() { stop(); }

    /// The next line the process prints, waiting at most `timeout`.
    std::string read_line(std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        for (;;) {
            if (auto nl = buffer_.find('\n'); nl != std::string::npos) {
                std::string line = buffer_.substr(0, nl);
                buffer_.erase(0, nl + 1);
                return line;
            }
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) throw std::runtime_error("helper process: no answer in time");
            pollfd p{stdout_, POLLIN, 0};
            if (poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
            char buf[4096];
            const auto n = ::read(stdout_, buf, sizeof buf);
            if (n <= 0) throw std::runtime_error("helper process ended: " + buffer_);
            buffer_.append(buf, static_cast<std::size_t>(n));
        }
    }

    /// Sends one command line and returns the answer line.
    std::string command(const std::string& line, std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
        const std::string l = line + "\n";
        if (::write(stdin_, l.data(), l.size()) != static_cast<ssize_t>(l.size()))
            throw std::runtime_error("helper process: write failed");
        return read_line(timeout);
    }

    void stop() noexcept {
        if (pid_ <= 0) return;
        close(stdin_);
        close(stdout_);
        kill(pid_, SIGTERM);
        for (int i = 0; i < 50; ++i) {
            if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
                pid_ = -1;
                return;
            }
            usleep(20'000);
        }
        kill(pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
        pid_ = -1;
    }

private:
    pid_t pid_ = -1;
    int stdin_ = -1, stdout_ = -1;
    std::string buffer_;
};

} // namespace authpp::test
