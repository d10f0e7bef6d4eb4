// One translation unit of the CMake target authpp::separate (<authpp/src.hpp>);
// AUTHPP_SEPARATE_COMPILATION comes with the target.
#if !defined(AUTHPP_SEPARATE_COMPILATION)
#error "authpp: define AUTHPP_SEPARATE_COMPILATION for every translation unit (authpp::separate in CMake does)"
#endif
#include <authpp/transport/impl/blocking_transport.ipp>
