// authpp/match/regex_matcher.hpp — path patterns as regular expressions (the
// reference's RegExp entries), run by RE2. Link authpp::regex.
//
// Why RE2: the path is chosen by whoever sends the request, and a
// backtracking engine (JavaScript's, std::regex, PCRE) can be driven to
// exponential time by a path against an innocent-looking pattern such as
// `(a+)+$`. RE2 compiles to automata and runs in time linear in the path for
// every pattern; what it cannot do in linear time (backreferences,
// lookaround) it refuses to compile, which is reported at construction.
//
// Semantics: like JavaScript's `RegExp.prototype.test`, a pattern matches if
// it matches anywhere in the path (unanchored); use ^ and $ to anchor.
// Differences from JavaScript RegExp syntax:
//   - no backreferences (\1), no lookahead (?=…)(?!…), no lookbehind (?<=…)(?<!…);
//   - flags are written inline: (?i) instead of /…/i; there is no /g, /y, /m default;
//   - `[^]` is not accepted (use `(?s:.)` or `[\s\S]`);
//   - named groups are `(?P<name>…)`;
//   - the path is matched as UTF-8 bytes, not UTF-16 code units (only matters
//     for non-ASCII characters, which request paths carry percent-encoded).
// `\/`, `\d`, `\w`, `\s`, `\b`, character classes, `{m,n}`, `|`, `^` and `$`
// behave as in JavaScript for ASCII paths.
#pragma once

#include <authpp/error.hpp>
#include <authpp/match/prefix_matcher.hpp>

#include <boost/system/system_error.hpp>

#include <re2/re2.h>
#include <re2/set.h>

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace authpp {

namespace detail {

inline RE2::Options path_regex_options() {
    RE2::Options o;
    o.set_log_errors(false); // a bad pattern is reported once, by the exception
    o.set_encoding(RE2::Options::EncodingUTF8);
    return o;
}

/// Compiled patterns: one RE2::Set searched in a single pass, and each
/// pattern on its own for when the set's DFA gives up (out of its memory
/// budget): then every pattern runs on its own, still in linear time, so a
/// protected path is never waved through because the DFA was full.
class regex_set {
public:
    static result<std::shared_ptr<const regex_set>> compile(const std::vector<std::string>& patterns,
                                                            std::string* what = nullptr) {
        auto s = std::shared_ptr<regex_set>(new regex_set());
        s->each_.reserve(patterns.size());
        for (std::size_t i = 0; i < patterns.size(); ++i) {
            std::string err;
            auto re = std::make_unique<RE2>(patterns[i], path_regex_options());
            if (!re->ok() || s->set_.Add(patterns[i], &err) < 0) {
                if (what)
                    *what = "path pattern #" + std::to_string(i) + " (" + patterns[i] + "): " +
                            (re->ok() ? err : re->error());
                return error::invalid_path_pattern;
            }
            s->each_.push_back(std::move(re));
        }
        if (!patterns.empty() && !s->set_.Compile()) {
            if (what) *what = "path patterns: the regular expressions are too large to compile together";
            return error::invalid_path_pattern;
        }
        return std::shared_ptr<const regex_set>(std::move(s));
    }

    bool matches(std::string_view path) const {
        if (each_.empty()) return false;
        const re2::StringPiece text(path.data(), path.size());
        RE2::Set::ErrorInfo info{RE2::Set::kNoError};
        if (set_.Match(text, nullptr, &info)) return true;
        if (info.kind == RE2::Set::kNoError) return false;
        for (const auto& re : each_)
            if (RE2::PartialMatch(text, *re)) return true;
        return false;
    }

    bool empty() const noexcept { return each_.empty(); }

private:
    regex_set() : set_(path_regex_options(), RE2::UNANCHORED) {}

    RE2::Set set_;
    std::vector<std::unique_ptr<RE2>> each_;
};

[[noreturn]] inline void throw_invalid_pattern(error_code ec, const std::string& what) {
    throw boost::system::system_error(ec, what);
}

} // namespace detail

/// A PathMatcher: any of the regular expressions matches somewhere in the
/// path. Construction throws boost::system::system_error with
/// error::invalid_path_pattern (its what() names the pattern and RE2's
/// reason) for a pattern RE2 cannot compile; create() reports the same as a
/// value. Copies share the compiled patterns; matches() is safe on any
/// number of threads.
class regex_matcher {
public:
    regex_matcher() = default;

    explicit regex_matcher(const std::vector<std::string>& patterns) {
        std::string what;
        auto s = detail::regex_set::compile(patterns, &what);
        if (!s) detail::throw_invalid_pattern(s.error(), what);
        set_ = std::move(*s);
    }

    static result<regex_matcher> create(const std::vector<std::string>& patterns) {
        auto s = detail::regex_set::compile(patterns);
        if (!s) return s.error();
        regex_matcher m;
        m.set_ = std::move(*s);
        return m;
    }

    bool matches(std::string_view path) const { return set_ && set_->matches(path); }
    bool empty() const noexcept { return !set_ || set_->empty(); }

private:
    std::shared_ptr<const detail::regex_set> set_;
};

/// A PathMatcher for lists that mix both kinds, as the reference's
/// `(string | RegExp)[]` does: an entry spelled `re:<regex>` is a regular
/// expression (regex_matcher's rules), any other entry a path prefix
/// (prefix_matcher's rules). A prefix that itself starts with "re:" cannot be
/// written; request paths start with '/', so none is needed.
class mixed_matcher {
public:
    static constexpr std::string_view regex_tag = "re:";

    mixed_matcher() = default;

    explicit mixed_matcher(const std::vector<std::string>& patterns) {
        auto [prefixes, regexes] = split(patterns);
        prefixes_ = prefix_matcher(prefixes);
        regexes_ = regex_matcher(regexes);
    }

    static result<mixed_matcher> create(const std::vector<std::string>& patterns) {
        auto [prefixes, regexes] = split(patterns);
        auto r = regex_matcher::create(regexes);
        if (!r) return r.error();
        mixed_matcher m;
        m.prefixes_ = prefix_matcher(prefixes);
        m.regexes_ = std::move(*r);
        return m;
    }

    bool matches(std::string_view path) const { return prefixes_.matches(path) || regexes_.matches(path); }
    bool empty() const noexcept { return prefixes_.empty() && regexes_.empty(); }

private:
    static std::pair<std::vector<std::string>, std::vector<std::string>>
    split(const std::vector<std::string>& patterns) {
        std::pair<std::vector<std::string>, std::vector<std::string>> out;
        for (const auto& p : patterns) {
            if (std::string_view(p).starts_with(regex_tag))
                out.second.push_back(p.substr(regex_tag.size()));
            else
                out.first.push_back(p);
        }
        return out;
    }

    prefix_matcher prefixes_;
    regex_matcher regexes_;
};

} // namespace authpp
