// authpp/store/detail/redis_cluster.hpp — redis_store on a Redis Cluster
// (redis-cluster://, rediss-cluster://): the channel that sends each command
// to the master serving its key's slot (detail/redis_slot.hpp), and the
// parsers of what the cluster tells it (CLUSTER SLOTS, MOVED and ASK).
//
// The slot map comes from CLUSTER SLOTS, asked of the seed nodes (then of
// every node learned) in turn until one answers; it is loaded before the
// first command and again, in the background and at most once per
// retry_after, whenever the cluster says it changed: a MOVED answer (the
// slot has a new owner for good: the map is updated at once and the command
// resent there), a CLUSTERDOWN, or a node that cannot be reached (a failover
// may be under way). An ASK answer (the slot is being migrated and this key
// has moved already) sends ASKING and the command to the node named, in one
// round trip, and leaves the map alone. More than five redirections of one
// command fail it (too_many_redirections).
//
// Every node is a redis_link of its own (TLS, AUTH, reconnects and
// time-outs as for one server), all on the cluster's strand, so the map and
// the links' queues need no lock. Commands of one slot go to one node on
// one connection and are answered in order while the slot stays put. When
// it moves, the commands already sent to the old owner are redirected one
// by one as their MOVED answers arrive, so a command issued after them can
// reach the new owner first; authpp's own callers (the codec, the refresh
// coordinator) wait for each answer before their next command, so none
// depends on the order across a move.
#pragma once

#include <authpp/store/detail/redis_link.hpp>
#include <authpp/store/detail/redis_slot.hpp>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace authpp::detail {

/// A range of slots and the master serving it.
struct redis_slot_range {
    std::uint16_t first = 0, last = 0;
    redis_endpoint master;
};

/// CLUSTER SLOTS's answer — [[first, last, [host, port, id, …], replicas…],
/// …] — as the ranges whose master has an address (one announced as "?", an
/// endpoint the node does not know, is left out: its slots count as
/// unserved); an empty or null host (Redis 7's "unknown-endpoint": the
/// nodes sit behind one address) means the node that answered
/// (`answering_host`).
/// nullopt when the answer is not of that shape, or serves no slot at all.
inline std::optional<std::vector<redis_slot_range>> parse_cluster_slots(const redisReply& r,
                                                                        std::string_view answering_host) {
    if (r.type != REDIS_REPLY_ARRAY) return std::nullopt;
    std::vector<redis_slot_range> out;
    for (std::size_t i = 0; i < r.elements; ++i) {
        const redisReply& range = *r.element[i];
        if (range.type != REDIS_REPLY_ARRAY || range.elements < 3) return std::nullopt;
        const redisReply &lo = *range.element[0], &hi = *range.element[1], &master = *range.element[2];
        if (lo.type != REDIS_REPLY_INTEGER || hi.type != REDIS_REPLY_INTEGER || lo.integer < 0 ||
            hi.integer < lo.integer || hi.integer >= redis_slot_count || master.type != REDIS_REPLY_ARRAY ||
            master.elements < 2 ||
            (master.element[0]->type != REDIS_REPLY_STRING && master.element[0]->type != REDIS_REPLY_NIL) ||
            master.element[1]->type != REDIS_REPLY_INTEGER)
            return std::nullopt;
        const std::string_view host = master.element[0]->type == REDIS_REPLY_STRING
                                          ? std::string_view(master.element[0]->str, master.element[0]->len)
                                          : std::string_view{};
        if (host == "?") continue;
        redis_slot_range served{static_cast<std::uint16_t>(lo.integer), static_cast<std::uint16_t>(hi.integer), {}};
        if (!parse_redis_endpoint(host.empty() ? answering_host : host, std::to_string(master.element[1]->integer),
                                  served.master))
            return std::nullopt;
        out.push_back(std::move(served));
    }
    if (out.empty()) return std::nullopt;
    return out;
}

/// What a MOVED or ASK answer asks for.
struct redis_redirect {
    bool ask = false; ///< ASK: this command only, once; MOVED: the slot's master from now on
    std::uint16_t slot = 0;
    redis_endpoint to;
};

/// "MOVED SLOT HOST:PORT" or "ASK SLOT HOST:PORT" (an empty host: the node
/// that answered, `answering_host`); nullopt for any other text.
inline std::optional<redis_redirect> parse_redirect(std::string_view text, std::string_view answering_host) {
    redis_redirect r;
    if (text.starts_with("MOVED ")) {
        text.remove_prefix(6);
    } else if (text.starts_with("ASK ")) {
        text.remove_prefix(4);
        r.ask = true;
    } else {
        return std::nullopt;
    }
    const auto space = text.find(' ');
    const auto colon = text.rfind(':');
    std::uint32_t slot = 0;
    if (space == std::string_view::npos || colon == std::string_view::npos || colon < space ||
        !redis_url_parse::parse_number(text.substr(0, space), redis_slot_count - 1, slot))
        return std::nullopt;
    const auto host = colon == space + 1 ? answering_host : text.substr(space + 1, colon - space - 1);
    if (!parse_redis_endpoint(host, text.substr(colon + 1), r.to)) return std::nullopt;
    r.slot = static_cast<std::uint16_t>(slot);
    return r;
}

class redis_cluster final : public redis_channel, public std::enable_shared_from_this<redis_cluster> {
public:
    using clock = std::chrono::steady_clock;
    static constexpr int max_redirections = 5;

    redis_cluster(const boost::asio::any_io_executor& ex, std::shared_ptr<const redis_link_params> p)
        : strand_(boost::asio::make_strand(ex)), p_(std::move(p)), slots_(redis_slot_count, no_node) {
        for (const auto& seed : p_->url.cluster_nodes) node_at(seed);
    }

    void submit(std::string command, int slot, callback done) override {
        boost::asio::post(strand_, [self = shared_from_this(),
                                    r = request{std::move(command), slot, std::move(done)}]() mutable {
            self->route(std::move(r));
        });
    }

    void shutdown() noexcept override {
        stopped_ = true;
        waiting_.clear();
        for (auto& n : nodes_)
            if (n.link) n.link->shutdown();
    }

private:
    struct request {
        std::string command;
        int slot; // -1: any node
        callback done;
        int redirections = 0;
    };
    struct node {
        redis_endpoint at;
        std::shared_ptr<redis_link> link; // made on first use
    };
    using node_id = std::uint16_t;
    static constexpr node_id no_node = 0xffff;

    /// Whether a map was loaded (apply_map sets any_master_, a map being never empty).
    bool mapped() const noexcept { return any_master_ != no_node; }

    void route(request r) {
        if (stopped_) return;
        if (!mapped()) {
            if (clock::now() < down_until_) return r.done(down_reason_, nullptr);
            waiting_.push_back(std::move(r));
            return load_map();
        }
        const node_id n = r.slot < 0 ? any_master_ : slots_[static_cast<std::size_t>(r.slot)];
        if (n == no_node) {
            reload(no_node);
            return r.done(redis_error::cluster_down, nullptr);
        }
        send(n, std::move(r), false);
    }

    /// `asking`: ASKING goes first, on the same connection (an ASK redirection).
    void send(node_id n, request r, bool asking) {
        if (stopped_) return;
        auto& link = link_of(n);
        if (asking) link.dispatch(format_redis_command({"ASKING"}), [](error_code, redis_reply) {}, false);
        std::string command = r.command; // kept for a redirection
        link.dispatch(std::move(command), [self = shared_from_this(), r = std::move(r), n](error_code ec,
                                                                                            redis_reply reply) mutable {
            self->answered(std::move(r), n, ec, std::move(reply));
        });
    }

    void answered(request r, node_id from, error_code ec, redis_reply reply) {
        if (ec) {
            reload(from); // the node may be down for good: a failover changes the map
            return r.done(ec, nullptr);
        }
        if (reply->type == REDIS_REPLY_ERROR) {
            const std::string_view text(reply->str, reply->len);
            if (text.starts_with("MOVED ") || text.starts_with("ASK ")) {
                const auto to = parse_redirect(text, nodes_[from].at.host);
                if (to) return redirect(std::move(r), *to, from);
                // "?:port" (an endpoint the node does not know) or worse: the map may say more.
                reload(from);
                return r.done(redis_error::cluster_down, nullptr);
            }
            if (text.starts_with("CLUSTERDOWN")) {
                reload(from);
                return r.done(redis_error::cluster_down, nullptr);
            }
        }
        r.done({}, std::move(reply));
    }

    void redirect(request r, const redis_redirect& to, node_id from) {
        if (++r.redirections > max_redirections) return r.done(redis_error::too_many_redirections, nullptr);
        const node_id n = node_at(to.to);
        if (n == no_node) return r.done(redis_error::cluster_down, nullptr);
        if (!to.ask) {
            slots_[to.slot] = n; // for good: later commands of the slot go there at once
            reload(from);
        }
        // At once, not posted: a command of the slot queued on the strand
        // behind this one must not reach the new owner first. (This runs in a
        // link's reply loop, which a dispatch from inside it does not upset.)
        send(n, std::move(r), to.ask);
    }

    // -- the slot map ----------------------------------------------------------

    /// Reloads the map in the background, at most once per retry_after;
    /// `failed`, the node whose answer (or silence) prompted it, is asked last.
    void reload(node_id failed) {
        if (loading_ || clock::now() < reload_after_) return;
        load_map(failed);
    }

    /// Asks, in turn: the node that gave the last map, the masters of the
    /// map, the seeds — not nodes that have left the map (an address of a
    /// node long gone would cost a connect time-out on every reload), and
    /// `failed` last (a node cut off from the others keeps its old map).
    void load_map(node_id failed = no_node) {
        if (loading_ || stopped_) return;
        loading_ = true;
        reload_after_ = clock::now() + p_->retry_after;
        load_error_ = redis_error::unreachable;
        std::vector<bool> listed(nodes_.size(), false);
        walk_.clear();
        const auto list = [&](node_id n) {
            if (n < nodes_.size() && !listed[n] && n != failed) {
                listed[n] = true;
                walk_.push_back(n);
            }
        };
        if (mapped()) list(answering_);
        for (auto n : slots_) list(n);
        for (std::size_t i = 0; i < p_->url.cluster_nodes.size(); ++i) list(static_cast<node_id>(i)); // the seeds
        if (failed < nodes_.size()) walk_.push_back(failed);
        ask_for_map(0);
    }

    void ask_for_map(std::size_t tried) {
        if (stopped_) return;
        if (tried == walk_.size()) return map_failed();
        const node_id n = walk_[tried];
        auto done = [self = shared_from_this(), n, tried](error_code ec, redis_reply r) {
            if (!ec && r->type == REDIS_REPLY_ERROR)
                ec = std::string_view(r->str, r->len).find("cluster support disabled") != std::string_view::npos
                         ? error_code(redis_error::not_cluster)
                         : redis_reply_error(*r);
            if (!ec && !self->apply_map(*r, n)) ec = redis_error::protocol_error;
            if (!ec) return self->map_loaded(n);
            // Report what tells most: anything but a node that cannot be reached.
            if (self->load_error_ == redis_error::unreachable) self->load_error_ = ec;
            self->ask_for_map(tried + 1);
        };
        link_of(n).dispatch(format_redis_command({"CLUSTER", "SLOTS"}), std::move(done));
    }

    /// Takes the map CLUSTER SLOTS answered; false (the map unchanged) when it is not one.
    bool apply_map(const redisReply& r, node_id from) {
        const auto ranges = parse_cluster_slots(r, nodes_[from].at.host);
        if (!ranges) return false;
        std::vector<node_id> fresh(redis_slot_count, no_node);
        for (const auto& range : *ranges) {
            const node_id n = node_at(range.master);
            if (n == no_node) return false;
            std::fill(fresh.begin() + range.first, fresh.begin() + range.last + 1, n);
        }
        slots_ = std::move(fresh);
        any_master_ = slots_[ranges->front().first];
        return true;
    }

    void map_loaded(node_id from) {
        loading_ = false;
        answering_ = from;
        // At once, in the order they came (a command submitted meanwhile is
        // still on the strand, behind them).
        auto w = std::move(waiting_);
        waiting_.clear();
        for (auto& r : w) route(std::move(r));
    }

    void map_failed() {
        loading_ = false;
        if (mapped()) return; // a reload: keep routing by the map there is
        down_until_ = clock::now() + p_->retry_after;
        down_reason_ = load_error_;
        auto w = std::move(waiting_);
        waiting_.clear();
        for (auto& r : w) r.done(load_error_, nullptr);
    }

    // -- the nodes ---------------------------------------------------------------

    /// The node at `at` (added when new); no_node once there are too many to number.
    node_id node_at(const redis_endpoint& at) {
        for (std::size_t i = 0; i < nodes_.size(); ++i)
            if (nodes_[i].at.port == at.port && nodes_[i].at.host == at.host) return static_cast<node_id>(i);
        if (nodes_.size() >= no_node) return no_node;
        nodes_.push_back({at, nullptr});
        return static_cast<node_id>(nodes_.size() - 1);
    }

    redis_link& link_of(node_id n) {
        auto& node = nodes_[n];
        if (!node.link) node.link = std::make_shared<redis_link>(strand_, p_, node.at);
        return *node.link;
    }

    redis_strand strand_;
    std::shared_ptr<const redis_link_params> p_;
    std::vector<node> nodes_;      // the seeds first, then the nodes learned; never reordered
    std::vector<node_id> slots_;   // slot → the master serving it, or no_node
    node_id any_master_ = no_node; // for commands without a key; no_node until the first map
    node_id answering_ = 0;        // the node that gave the last map: asked first
    std::vector<node_id> walk_;    // the nodes a map load asks, in turn
    std::vector<request> waiting_; // for the first map
    bool loading_ = false, stopped_ = false;
    clock::time_point reload_after_{}, down_until_{};
    error_code load_error_, down_reason_;
};

} // namespace authpp::detail
