// `ccbisect reset`: put the user's own objects back in the tree, as its build left them before the
// first trial (trials/originals.hpp), the way `git bisect reset` returns to the original branch.
// `ccbisect reset --side good|bad` places every object as that side compiled it instead (the
// captured objects; the user's own are still kept aside for a plain `reset`), for looking at one
// side's build by hand. `ccbisect run` restores the user's objects itself at the end unless
// --keep-mix; `objects` and the other levels leave the minimal failing mix in place, and say so.
#include <fmt/format.h>

#include <memory>

#include <CLI/CLI.hpp>

#include "app/commands.hpp"
#include "app/console.hpp"
#include "app/object_level.hpp"
#include "bisector/errors.hpp"
#include "capture/build_kinds.hpp"
#include "config/config.hpp"
#include "trials/originals.hpp"

namespace ccbisect {

namespace {

int reset_to_users_build(Config config) {
  complete_build_config(config);  // kbuild: the relink line
  Originals originals(config.workdir_path() / "original");
  if (!originals.pending()) {
    console().note("reset: the tree already holds the user's own objects (nothing was placed since)");
    return k_exit_found;
  }
  std::vector<std::filesystem::path> restored = originals.restore();
  std::string relink = relink_restored(restored, config.link, config.project_dir, config.link_timeout);
  console().note(fmt::format("reset: {} object(s) put back as the user's build left them, and relinked",
                             restored.size()));
  if (!relink.empty()) {
    console().warn("reset: " + relink);
  }
  return k_exit_found;
}

// Every object from `side` (the capture is recorded, so this compiles nothing that was compiled).
int reset_to_side(const CommonOptions& options, const std::string& side) {
  ObjectLevel level = prepare_object_level(options.config, "reset --side " + side, options.jobs);
  Workspace workspace(level.items, level.fixed, Originals(level.config.workdir_path() / "original"));
  Subset subset;
  if (side == "bad") {
    for (std::size_t i = 0; i < level.items.size(); ++i) {
      subset.push_back(i);
    }
  }
  std::size_t written = workspace.materialize(subset);
  console().note(fmt::format(
      "reset: the tree holds every object as the {} toolchain compiled it ({} object(s) written); the "
      "next build relinks them; `ccbisect reset` puts the user's own objects back",
      side, written));
  return k_exit_found;
}

}  // namespace

CommandRunner reset_options(CLI::App& app) {
  auto side = std::make_shared<std::string>();
  app.add_option("--side", *side, "place every object as this side compiled it instead of the user's own")
      ->check(CLI::IsMember({"good", "bad"}));
  return [side](const CommonOptions& options) {
    return side->empty() ? reset_to_users_build(load_config(options.config)) : reset_to_side(options, *side);
  };
}

}  // namespace ccbisect
