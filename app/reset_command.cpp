// `ccbisect reset`: put the user's own objects back in the tree, as its build left them before the
// first trial (trials/originals.hpp), the way `git bisect reset` returns to the original branch.
// `ccbisect run` does this itself at the end unless --keep-mix; `objects` and the other levels
// leave the minimal failing mix in place for the user to look at, and say so.
#include <fmt/format.h>

#include <CLI/CLI.hpp>

#include "app/commands.hpp"
#include "app/console.hpp"
#include "bisector/errors.hpp"
#include "config/config.hpp"
#include "trials/originals.hpp"

namespace ccbisect {

int reset_command(const CommonOptions& options) {
  Config config = load_config(options.config);
  Originals originals(config.workdir_path() / "original");
  if (!originals.pending()) {
    console().note("reset: the tree already holds the user's own objects (nothing was placed since)");
    return k_exit_found;
  }
  std::size_t restored = originals.restore();
  console().note(fmt::format(
      "reset: {} object(s) put back as the user's build left them; the next build relinks them", restored));
  return k_exit_found;
}

CommandRunner reset_options(CLI::App&) {
  return [](const CommonOptions& options) { return reset_command(options); };
}

}  // namespace ccbisect
