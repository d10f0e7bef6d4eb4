// One translation unit of the CMake target authpp::separate (<authpp/src.hpp>):
// asio_auth and blocking_auth, their flows and asynchronous operations (the
// transports are src/separate_transport_*.cpp). AUTHPP_SEPARATE_COMPILATION
// comes with the target.
#include <authpp/separate/asio_src.hpp>
#include <authpp/separate/blocking_src.hpp>
