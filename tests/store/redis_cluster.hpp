// A Redis Cluster of the test's own on loopback: cluster-enabled
// redis-servers on free ports (client and cluster-bus port both chosen
// here), no persistence, their configuration, logs and pid files in a
// private temp dir, joined by `redis-cli --cluster create`; optionally with
// one replica per master, a password (--requirepass + --masterauth on every
// node) and TLS (--port 0: TLS only, the cluster bus and replication over
// TLS as well). The constructor returns once every node says
// cluster_state:ok and all agree on the slot map and the replicas; the
// destructor stops every process and removes the directory, however the
// test ends.
//
// The nodes are driven with hiredis (with redis-cli over TLS, where hiredis
// 0.14 has no TLS, and for --cluster create): the slot map is read from
// CLUSTER NODES, a slot is migrated in the steps a resharding takes
// (SETSLOT IMPORTING/MIGRATING, MIGRATE of its keys, SETSLOT NODE on every
// master), a node can be killed (SIGKILL) and restarted, and a master
// killed and its replica's promotion waited for.
#pragma once

#include "../support/child_process.hpp"
#include "redis_server.hpp"

#include <fcntl.h>
#include <hiredis/hiredis.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace authpp::test {

/// What a program printed and how it ended (its exit status, or
/// -1 if it did not exit normally).
struct program_output {
    int status = -1;
    std::string out;
};

/// Runs argv[0] (looked up in PATH), stdin from /dev/null, stdout and
/// stderr both captured; killed if it takes longer than `timeout`.
inline program_output run_program(const std::vector<std::string>& argv,
                                  std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
    // Everything the child needs is made before fork: other threads (a
    // store's, an io_context's) may hold the allocator's lock at that moment.
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    int out[2];
    if (::pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("run_program: pipe failed");
    const int null = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("run_program: fork failed");
    if (pid == 0) {
        ::dup2(out[1], 1);
        ::dup2(out[1], 2);
        if (null >= 0) ::dup2(null, 0);
        ::execvp(args[0], args.data());
        ::_exit(127);
    }
    ::close(out[1]);
    if (null >= 0) ::close(null);
    program_output r;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    bool timed_out = false;
    for (;;) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            timed_out = true;
            break;
        }
        pollfd p{out[0], POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
        char buf[4096];
        const auto n = ::read(out[0], buf, sizeof buf);
        if (n <= 0) break;
        r.out.append(buf, static_cast<std::size_t>(n));
    }
    ::close(out[0]);
    if (timed_out) ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (timed_out) throw std::runtime_error("run_program: " + argv[0] + " took too long");
    r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

struct redis_cluster_options {
    int masters = 3;
    int replicas = 0;       ///< per master
    std::string password{}; ///< empty: none
    std::string tls_dir{};  ///< make_certs.sh's directory: TLS only (--port 0); empty: plain
    std::string server = "redis-server";
    std::string cli = "redis-cli";
    std::chrono::milliseconds node_timeout{1000}; ///< --cluster-node-timeout
};

class redis_cluster {
public:
    /// A line of CLUSTER NODES: one node as one node sees it.
    struct node_view {
        std::string id;
        std::uint16_t port = 0;                 ///< the client port it is announced with (the TLS port over TLS)
        std::set<std::string> flags;            ///< myself, master, slave, fail?, fail, handshake, noaddr, …
        std::string master_id;                  ///< a replica's master
        std::vector<std::pair<int, int>> slots; ///< ranges owned (first, last), migration markers left out
        bool master() const { return flags.count("master") > 0; }
        bool failed() const { return flags.count("fail") > 0 || flags.count("fail?") > 0; }
    };

    explicit redis_cluster(redis_cluster_options o = {}) : o_(std::move(o)) {
        static int serial = 0;
        dir_ = std::filesystem::temp_directory_path() /
               ("authpp-cluster-" + std::to_string(::getpid()) + "-" + std::to_string(serial++));
        std::filesystem::remove_all(dir_);
        std::filesystem::create_directories(dir_);
        try {
            const int n = o_.masters * (1 + o_.replicas);
            for (int i = 0; i < n; ++i) nodes_.push_back(start_node(i));
            for (auto& node : nodes_) wait_ready(node);
            std::vector<std::string> create{o_.cli};
            add_connection_options(create);
            create.push_back("--cluster");
            create.push_back("create");
            for (auto& node : nodes_) create.push_back("127.0.0.1:" + std::to_string(node.port));
            create.insert(create.end(), {"--cluster-replicas", std::to_string(o_.replicas), "--cluster-yes"});
            const auto r = run_program(create, std::chrono::seconds(60));
            if (r.status != 0) throw std::runtime_error("redis-cli --cluster create failed:\n" + r.out);
            for (auto& node : nodes_) node.id = trimmed(command(index_of(node), {"CLUSTER", "MYID"}));
            wait_until_stable(std::chrono::seconds(20));
            if (o_.replicas > 0) wait_replicas_in_sync(std::chrono::seconds(20));
        } catch (...) {
            stop_all();
            throw;
        }
    }
    redis_cluster(const redis_cluster&) = delete;
    redis_cluster& operator=(const redis_cluster&) = delete;
    ~redis_cluster() { stop_all(); }

    std::size_t size() const noexcept { return nodes_.size(); }
    std::uint16_t port(std::size_t i) const { return nodes_.at(i).port; }
    const std::string& id(std::size_t i) const { return nodes_.at(i).id; }
    bool running(std::size_t i) const { return nodes_.at(i).proc != nullptr; }
    const std::filesystem::path& dir() const noexcept { return dir_; }
    const redis_cluster_options& options() const noexcept { return o_; }

    /// The index of the node with this ID.
    std::size_t index_of_id(std::string_view node_id) const {
        for (std::size_t i = 0; i < nodes_.size(); ++i)
            if (nodes_[i].id == node_id) return i;
        throw std::runtime_error("redis_cluster: no node " + std::string(node_id));
    }

    /// "127.0.0.1:p0,127.0.0.1:p1,…" for the given nodes (all by default).
    std::string seeds(std::vector<std::size_t> which = {}) const {
        if (which.empty())
            for (std::size_t i = 0; i < nodes_.size(); ++i) which.push_back(i);
        std::string s;
        for (auto i : which) s += (s.empty() ? "" : ",") + ("127.0.0.1:" + std::to_string(port(i)));
        return s;
    }

    /// redis-cluster:// (rediss-cluster:// over TLS) with the password and
    /// `seeds` ("host:port,…"; all nodes if empty).
    std::string url(std::string seed_list = {}) const {
        if (seed_list.empty()) seed_list = seeds();
        return std::string(o_.tls_dir.empty() ? "redis-cluster://" : "rediss-cluster://") +
               (o_.password.empty() ? "" : ":" + o_.password + "@") + seed_list;
    }

    /// One command on node `i`, its answer as redis-cli prints it raw (a
    /// nil as "", an array one element a line), without the trailing
    /// newline. Throws on an error reply (or no connection) unless `error`
    /// is given, which then tells whether the answer was an error. Plain
    /// nodes are asked with hiredis (a connection per command: the fixture
    /// is used from more than one thread), TLS nodes through redis-cli.
    std::string command(std::size_t i, const std::vector<std::string>& args, bool* error = nullptr) const {
        bool failed = false;
        std::string out =
            o_.tls_dir.empty() ? hiredis_command(port(i), args, failed) : cli_command(port(i), args, failed);
        if (error)
            *error = failed;
        else if (failed)
            throw std::runtime_error("redis_cluster: node " + std::to_string(i) + ": " + join(args) + ": " + out);
        return out;
    }

    /// The slot of `key`, as the server computes it (CLUSTER KEYSLOT).
    int key_slot(const std::string& key) const {
        return std::stoi(command(first_running(), {"CLUSTER", "KEYSLOT", key}));
    }

    /// Node `i`'s CLUSTER NODES.
    std::vector<node_view> nodes_seen_by(std::size_t i) const {
        std::vector<node_view> v;
        std::istringstream in(command(i, {"CLUSTER", "NODES"}));
        for (std::string line; std::getline(in, line);) {
            std::istringstream f(line);
            node_view n;
            std::string addr, flags, master, ping, pong, epoch, link, slot;
            if (!(f >> n.id >> addr >> flags >> master >> ping >> pong >> epoch >> link)) continue;
            const auto colon = addr.rfind(':', addr.find('@'));
            n.port = static_cast<std::uint16_t>(std::stoi(addr.substr(colon + 1)));
            for (std::size_t b = 0, e; b <= flags.size(); b = e + 1) {
                e = std::min(flags.find(',', b), flags.size());
                n.flags.insert(flags.substr(b, e - b));
            }
            if (master != "-") n.master_id = master;
            while (f >> slot) {
                if (slot.starts_with("[")) continue; // [slot->-id] / [slot-<-id]: a migration under way
                const auto dash = slot.find('-');
                const int first = std::stoi(slot.substr(0, dash));
                n.slots.emplace_back(first, dash == std::string::npos ? first : std::stoi(slot.substr(dash + 1)));
            }
            v.push_back(std::move(n));
        }
        return v;
    }

    /// The node owning `slot` (as the first running master sees it).
    std::size_t owner(int slot) const {
        for (const auto& n : nodes_seen_by(first_running_master()))
            for (auto [first, last] : n.slots)
                if (first <= slot && slot <= last) return index_of_id(n.id);
        throw std::runtime_error("redis_cluster: nobody owns slot " + std::to_string(slot));
    }

    /// The node owning `key`'s slot.
    std::size_t owner_of_key(const std::string& key) const { return owner(key_slot(key)); }

    /// The running masters (holding slots), in index order.
    std::vector<std::size_t> masters() const {
        std::vector<std::size_t> v;
        for (const auto& n : nodes_seen_by(first_running()))
            if (n.master() && !n.failed() && !n.slots.empty() && running(index_of_id(n.id)))
                v.push_back(index_of_id(n.id));
        std::sort(v.begin(), v.end());
        return v;
    }

    /// The replicas of master `i`, as `i`'s replicas themselves say.
    std::vector<std::size_t> replicas_of(std::size_t i) const {
        std::vector<std::size_t> v;
        for (const auto& n : nodes_seen_by(first_running()))
            if (n.master_id == id(i) && running(index_of_id(n.id))) v.push_back(index_of_id(n.id));
        return v;
    }

    /// A master other than `i`.
    std::size_t other_master(std::size_t i) const {
        for (auto m : masters())
            if (m != i) return m;
        throw std::runtime_error("redis_cluster: no other master");
    }

    // ---- a slot migration, step by step (as redis-cli --cluster reshard does it)

    /// Marks `slot` IMPORTING on `to` and MIGRATING on its owner; no key moves yet.
    void begin_migration(int slot, std::size_t to) {
        const auto from = owner(slot);
        if (from == to) throw std::runtime_error("redis_cluster: slot already on that node");
        migrations_[slot] = from;
        const auto s = std::to_string(slot);
        command(to, {"CLUSTER", "SETSLOT", s, "IMPORTING", id(from)});
        command(from, {"CLUSTER", "SETSLOT", s, "MIGRATING", id(to)});
    }

    /// Moves up to `count` keys of a migrating `slot` to `to` (MIGRATE); the number moved.
    std::size_t move_keys(int slot, std::size_t to, std::size_t count = 1'000'000) {
        const auto from = source_of(slot);
        std::vector<std::string> keys;
        std::istringstream in(command(from, {"CLUSTER", "GETKEYSINSLOT", std::to_string(slot), std::to_string(count)}));
        for (std::string k; std::getline(in, k);)
            if (!k.empty()) keys.push_back(k);
        migrate(from, to, keys);
        return keys.size();
    }

    /// Moves these keys (of a migrating slot, each still on its source) to `to`.
    void move_these_keys(int slot, std::size_t to, const std::vector<std::string>& keys) {
        migrate(source_of(slot), to, keys);
    }

    /// Assigns `slot` to `to` on `to`, on the source, then on every other
    /// running master; waits until all nodes agree.
    void finish_migration(int slot, std::size_t to) {
        const auto s = std::to_string(slot);
        std::optional<std::size_t> from;
        if (auto it = migrations_.find(slot); it != migrations_.end()) from = it->second;
        command(to, {"CLUSTER", "SETSLOT", s, "NODE", id(to)});
        if (from) command(*from, {"CLUSTER", "SETSLOT", s, "NODE", id(to)});
        for (auto m : masters())
            if (m != to && m != from) command(m, {"CLUSTER", "SETSLOT", s, "NODE", id(to)});
        migrations_.erase(slot);
        wait_until_stable(std::chrono::seconds(10));
    }

    /// The whole migration of `slot` (and its keys) to `to`.
    void move_slot(int slot, std::size_t to) {
        begin_migration(slot, to);
        while (move_keys(slot, to, 100) > 0) {
        }
        finish_migration(slot, to);
    }

    /// Waits until every replica of master `i` has what `i` has (replication offsets equal).
    void wait_replicated(std::size_t i, std::chrono::milliseconds timeout = std::chrono::seconds(5)) const {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        for (;;) {
            const auto info = command(i, {"INFO", "replication"});
            const auto at = info.find("master_repl_offset:");
            const auto offset = at == std::string::npos
                                    ? std::string("?")
                                    : info.substr(at + 19, info.find_first_of("\r\n", at) - at - 19);
            bool all = info.find("connected_slaves:0") == std::string::npos;
            for (std::size_t p = info.find("slave0:"); p != std::string::npos; p = info.find("\nslave", p + 1)) {
                const auto o = info.find("offset=", p);
                all = all && info.substr(o + 7, info.find(',', o) - o - 7) == offset;
            }
            if (all) return;
            if (std::chrono::steady_clock::now() > deadline)
                throw std::runtime_error("redis_cluster: replicas of " + std::to_string(i) + " behind");
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    }

    /// GET `key` on the node owning its slot (a stable slot: no ASKING).
    std::string get(const std::string& key) const { return command(owner_of_key(key), {"GET", key}); }

    // ---- node failure

    /// Kills node `i` with SIGKILL (no shutdown, no goodbye); returns at once.
    void kill(std::size_t i) {
        auto& n = nodes_.at(i);
        if (!n.proc) return;
        if (n.pid > 0) ::kill(n.pid, SIGKILL);
        n.proc.reset(); // reaps it
    }

    /// Kills node `i` (SIGKILL) if it runs and starts it again on the same
    /// ports with its cluster configuration (nodes.conf: the same ID and
    /// slots), without its data; returns once it accepts connections. A
    /// master that was down answers CLUSTERDOWN for a while (2 s after it
    /// starts), then takes its slots back.
    void restart(std::size_t i) {
        kill(i);
        auto& n = nodes_.at(i);
        std::filesystem::remove(n.dir / "redis.log");
        std::filesystem::remove(n.dir / "redis.pid");
        n.proc = std::make_unique<child_process>(n.argv);
        wait_ready(n);
    }

    /// Kills master `i` and waits until one of its replicas has taken over
    /// its slots and the cluster is stable again: the promoted node.
    std::size_t kill_master(std::size_t i, std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
        const auto replicas = replicas_of(i);
        if (replicas.empty())
            throw std::runtime_error("redis_cluster: master " + std::to_string(i) + " has no replica");
        kill(i);
        wait_until_stable(timeout);
        for (auto r : replicas)
            for (const auto& n : nodes_seen_by(r))
                if (n.id == id(r) && n.master() && !n.slots.empty()) return r;
        throw std::runtime_error("redis_cluster: no replica of " + std::to_string(i) + " was promoted");
    }

    /// Whether every running node says cluster_state:ok and all of them see
    /// the same running masters owning the same slots (all 16384 covered),
    /// none of them failing, and the same running replicas of the same
    /// masters. `why` says what is not so yet.
    bool stable(std::string* why = nullptr) const {
        // Appended, not `"…" + std::to_string(…)`: GCC 12 at -O2 warns (-Wrestrict) on that falsely.
        const auto says = [why](std::size_t i, std::string_view what) {
            if (!why) return false;
            why->assign("node ").append(std::to_string(i)).append(" ").append(what);
            return false;
        };
        std::optional<std::string> first;
        for (std::size_t i = 0; i < nodes_.size(); ++i) {
            if (!running(i)) continue;
            bool err = false;
            const auto info = command(i, {"CLUSTER", "INFO"}, &err);
            if (err || info.find("cluster_state:ok") == std::string::npos)
                return says(i, "is not ok: " + info.substr(0, 40));
            std::map<std::string, std::vector<std::pair<int, int>>> map;
            std::set<std::string> replicas; // "replica master", for the running replicas
            std::size_t covered = 0;
            for (const auto& n : nodes_seen_by(i)) {
                if (n.flags.count("slave") && running(index_of_id(n.id))) replicas.insert(n.id + " " + n.master_id);
                if (n.slots.empty()) continue;
                if (n.failed() || !n.master() || !running(index_of_id(n.id)))
                    return says(i, "sees slots on a failing node");
                map[n.id] = n.slots;
                for (auto [a, b] : n.slots) covered += static_cast<std::size_t>(b - a + 1);
            }
            std::string canonical;
            for (const auto& [node_id, ranges] : map) {
                canonical += node_id;
                for (auto [a, b] : ranges)
                    canonical.append(" ").append(std::to_string(a)).append("-").append(std::to_string(b));
                canonical += "\n";
            }
            for (const auto& r : replicas) canonical.append("replica ").append(r).append("\n");
            if (covered != 16384) return says(i, "sees " + std::to_string(covered).append(" slots covered"));
            if (!first)
                first = canonical;
            else if (*first != canonical)
                return says(i, "sees another slot map or other replicas");
        }
        return true;
    }

    void wait_until_stable(std::chrono::milliseconds timeout) const {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        std::string why;
        while (!stable(&why)) {
            if (std::chrono::steady_clock::now() > deadline)
                throw std::runtime_error("redis_cluster: not stable in time: " + why);
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    }

private:
    struct node {
        std::uint16_t port = 0, bus_port = 0;
        std::filesystem::path dir;
        std::string id;
        std::vector<std::string> argv; ///< to start it again
        pid_t pid = -1;
        std::unique_ptr<child_process> proc;
    };

    static std::string trimmed(std::string s) {
        while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
        return s;
    }
    static std::string join(const std::vector<std::string>& v) {
        std::string s;
        for (auto& a : v) s += (s.empty() ? "" : " ") + a;
        return s;
    }

    std::size_t index_of(const node& n) const { return static_cast<std::size_t>(&n - nodes_.data()); }

    std::size_t first_running() const {
        for (std::size_t i = 0; i < nodes_.size(); ++i)
            if (running(i)) return i;
        throw std::runtime_error("redis_cluster: no node running");
    }

    std::size_t first_running_master() const {
        for (std::size_t i = 0; i < nodes_.size(); ++i) {
            if (!running(i)) continue;
            for (const auto& n : nodes_seen_by(i))
                if (n.id == id(i) && n.master() && !n.slots.empty()) return i;
        }
        throw std::runtime_error("redis_cluster: no master running");
    }

    std::size_t source_of(int slot) const {
        auto it = migrations_.find(slot);
        if (it == migrations_.end())
            throw std::runtime_error("redis_cluster: slot " + std::to_string(slot) + " is not migrating");
        return it->second;
    }

    void migrate(std::size_t from, std::size_t to, const std::vector<std::string>& keys) {
        if (keys.empty()) return;
        std::vector<std::string> args{"MIGRATE", "127.0.0.1", std::to_string(port(to)), "", "0", "5000"};
        if (!o_.password.empty()) args.insert(args.end(), {"AUTH", o_.password});
        args.push_back("KEYS");
        args.insert(args.end(), keys.begin(), keys.end());
        const auto r = command(from, args);
        if (r != "OK" && r != "NOKEY") throw std::runtime_error("redis_cluster: MIGRATE answered " + r);
    }

    std::string cli_command(std::uint16_t port, const std::vector<std::string>& args, bool& failed) const {
        std::vector<std::string> argv{o_.cli, "-e", "-p", std::to_string(port)};
        add_connection_options(argv);
        argv.insert(argv.end(), args.begin(), args.end());
        auto r = run_program(argv);
        if (!r.out.empty() && r.out.back() == '\n') r.out.pop_back();
        failed = r.status != 0;
        return r.out;
    }

    static void append_reply(const redisReply* r, std::string& out) {
        switch (r->type) {
        case REDIS_REPLY_STRING:
        case REDIS_REPLY_STATUS:
        case REDIS_REPLY_ERROR:
            out.append(r->str, r->len);
            break;
        case REDIS_REPLY_INTEGER:
            out += std::to_string(r->integer);
            break;
        case REDIS_REPLY_ARRAY:
            for (std::size_t e = 0; e < r->elements; ++e) {
                if (e > 0) out += '\n';
                append_reply(r->element[e], out);
            }
            break;
        default:
            break; // nil: nothing
        }
    }

    std::string hiredis_command(std::uint16_t port, const std::vector<std::string>& args, bool& failed) const {
        const timeval timeout{5, 0};
        std::unique_ptr<redisContext, void (*)(redisContext*)> c(redisConnectWithTimeout("127.0.0.1", port, timeout),
                                                                 redisFree);
        failed = true;
        if (!c || c->err) return "(cannot connect: " + std::string(c ? c->errstr : "no memory") + ")";
        redisSetTimeout(c.get(), timeout);
        auto run = [&](const std::vector<std::string>& a) {
            std::vector<const char*> argv;
            std::vector<std::size_t> lens;
            for (const auto& x : a) {
                argv.push_back(x.data());
                lens.push_back(x.size());
            }
            return std::unique_ptr<redisReply, void (*)(void*)>(
                static_cast<redisReply*>(
                    redisCommandArgv(c.get(), static_cast<int>(argv.size()), argv.data(), lens.data())),
                freeReplyObject);
        };
        if (!o_.password.empty()) {
            auto auth = run({"AUTH", o_.password});
            if (!auth || auth->type == REDIS_REPLY_ERROR) return "(AUTH refused)";
        }
        auto r = run(args);
        if (!r) return "(no answer: " + std::string(c->errstr) + ")";
        std::string out;
        append_reply(r.get(), out);
        failed = r->type == REDIS_REPLY_ERROR;
        return out;
    }

    void add_connection_options(std::vector<std::string>& argv) const {
        if (!o_.tls_dir.empty())
            argv.insert(argv.end(), {"--tls", "--cacert", o_.tls_dir + "/ca.pem", "--cert", o_.tls_dir + "/client.pem",
                                     "--key", o_.tls_dir + "/client.key"});
        if (!o_.password.empty()) argv.insert(argv.end(), {"-a", o_.password, "--no-auth-warning"});
    }

    node start_node(int i) {
        node n;
        // Two ports per node, none given twice (the nodes started before may not be listening yet).
        auto fresh_port = [this] {
            std::uint16_t p;
            do p = free_port();
            while (!ports_.insert(p).second);
            return p;
        };
        n.port = fresh_port();
        n.bus_port = fresh_port();
        n.dir = dir_ / ("node" + std::to_string(i));
        std::filesystem::create_directories(n.dir);
        auto& argv = n.argv;
        argv = {o_.server};
        auto option = [&argv](const std::string& name, std::string value) {
            argv.push_back("--" + name);
            argv.push_back(std::move(value));
        };
        option("bind", "127.0.0.1");
        option("dir", n.dir.string());
        option("logfile", (n.dir / "redis.log").string());
        option("pidfile", (n.dir / "redis.pid").string());
        option("daemonize", "no");
        option("save", "");
        option("appendonly", "no");
        option("cluster-enabled", "yes");
        option("cluster-config-file", (n.dir / "nodes.conf").string());
        option("cluster-port", std::to_string(n.bus_port));
        option("cluster-node-timeout", std::to_string(o_.node_timeout.count()));
        option("shutdown-timeout", "0");
        option("repl-diskless-sync", "yes");
        option("repl-diskless-sync-delay", "0");
        if (o_.tls_dir.empty()) {
            option("port", std::to_string(n.port));
        } else {
            const auto& d = o_.tls_dir;
            option("port", "0");
            option("tls-port", std::to_string(n.port));
            option("tls-cert-file", d + "/good.pem");
            option("tls-key-file", d + "/good.key");
            // For the cluster bus, replication and MIGRATE, which check the client's certificate.
            option("tls-client-cert-file", d + "/client.pem");
            option("tls-client-key-file", d + "/client.key");
            option("tls-ca-cert-file", d + "/ca.pem");
            option("tls-auth-clients", "no");
            option("tls-cluster", "yes");
            option("tls-replication", "yes");
        }
        if (!o_.password.empty()) {
            option("requirepass", o_.password);
            option("masterauth", o_.password);
        }
        n.proc = std::make_unique<child_process>(argv);
        return n;
    }

    /// Waits for the node's "Ready to accept connections" (its log is a
    /// file: a pipe nobody reads would stall a chatty node).
    void wait_ready(node& n) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        const auto log = n.dir / "redis.log";
        for (;;) {
            std::ifstream in(log);
            const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
            if (text.find("Ready to accept connections") != std::string::npos) break;
            if (std::chrono::steady_clock::now() > deadline)
                throw std::runtime_error("redis_cluster: a node did not start:\n" + text);
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        std::ifstream pid(n.dir / "redis.pid");
        pid >> n.pid;
    }

    void wait_replicas_in_sync(std::chrono::milliseconds timeout) const {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        for (std::size_t i = 0; i < nodes_.size(); ++i) {
            for (;;) {
                const auto info = command(i, {"INFO", "replication"});
                if (info.find("role:master") != std::string::npos ||
                    info.find("master_link_status:up") != std::string::npos)
                    break;
                if (std::chrono::steady_clock::now() > deadline)
                    throw std::runtime_error("redis_cluster: replica " + std::to_string(i) + " not in sync");
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
            }
        }
    }

    void stop_all() noexcept {
        // SIGKILL all first (no persistence: nothing to lose), then reap.
        for (auto& n : nodes_)
            if (n.proc && n.pid > 0) ::kill(n.pid, SIGKILL);
        for (auto& n : nodes_) n.proc.reset();
        std::error_code ignored;
        std::filesystem::remove_all(dir_, ignored);
    }

    redis_cluster_options o_;
    std::filesystem::path dir_;
    std::vector<node> nodes_;
    std::map<int, std::size_t> migrations_; ///< slot → its source, while migrating
    std::set<std::uint16_t> ports_;         ///< every port given to a node
};

} // namespace authpp::test
