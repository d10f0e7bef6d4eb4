// Must NOT compile: any_store (the run-time Store the asynchronous drivers
// use) over a store that may block and whose asynchronous form lacks
// async_add. CTest checks that the compiler's output names the missing
// member in authpp's own words.
#include <authpp/store/any_store.hpp>

#include <authpp/store/memory_store.hpp>

struct almost_async_store {
    authpp::memory_store inner; // stands in for a networked store
    std::optional<std::string> get(std::string_view k) { return inner.get(k); }
    bool set(std::string_view k, std::string_view v, std::chrono::milliseconds t) { return inner.set(k, v, t); }
    bool erase(std::string_view k) { return inner.erase(k); }
    bool add(std::string_view k, std::string_view v, std::chrono::milliseconds t) { return inner.add(k, v, t); }
    bool expire_if(std::string_view k, std::string_view v, std::chrono::milliseconds t) {
        return inner.expire_if(k, v, t);
    }
    bool erase_if(std::string_view k, std::string_view v) { return inner.erase_if(k, v); }

    template <class Ex, class H>
    void async_get(const Ex&, std::string_view, H&&) {}
    template <class Ex, class H>
    void async_set(const Ex&, std::string_view, std::string_view, std::chrono::milliseconds, H&&) {}
    template <class Ex, class H>
    void async_erase(const Ex&, std::string_view, H&&) {}
    // no async_add
    template <class Ex, class H>
    void async_expire_if(const Ex&, std::string_view, std::string_view, std::chrono::milliseconds, H&&) {}
    template <class Ex, class H>
    void async_erase_if(const Ex&, std::string_view, std::string_view, H&&) {}
};

int main() {
    authpp::any_store s{almost_async_store{}};
    (void)s;
}
