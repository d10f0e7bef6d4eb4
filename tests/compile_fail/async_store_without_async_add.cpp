// Must NOT compile: any_store (the run-time Store the asynchronous drivers
// use) over a store that may block and whose asynchronous form lacks
// async_add. CTest checks that the compiler's output names the missing
// member in authpp's own words.
#include <authpp/store/any_store.hpp>

#include "../support/forwarding_store.hpp"

struct almost_async_store : authpp::test::forwarding_store { // stands in for a networked store
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
