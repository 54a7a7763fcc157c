// ccbisect's entry point: either the compiler wrapper (when invoked as ccbisect-cc / ccbisect-c++)
// or the command line.
#include "app/commands.hpp"
#include "capture/capture.hpp"

int main(int argc, char** argv) {
  if (argc > 0 && ccbisect::is_wrapper_invocation(argv[0])) {
    return ccbisect::run_compiler_wrapper(argc, argv);
  }
  return ccbisect::run_cli(argc, argv);
}
