// The object level's setup, shared by `objects` and by the levels that start from its answer
// (flags, passes, probes): load the configuration, open a session, capture, and sort the units
// into searchable items and objects that are placed once.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "capture/capture.hpp"
#include "capture/object_store.hpp"
#include "config/config.hpp"
#include "db/store.hpp"
#include "trials/workspace.hpp"

namespace ccbisect {

struct ObjectLevel {
  Config config;
  std::unique_ptr<Store> store;
  std::unique_ptr<ObjectStore> objects;
  CaptureSummary capture;
  std::vector<PlacedObject> items;                 // objects that differ: the search's items
  std::vector<const TranslationUnit*> item_units;  // the unit of each item
  std::vector<PlacedObject> fixed;                 // identical, or compiled on one side only
  std::vector<std::string> names;                  // item names
  std::vector<std::string> failed;                 // units that failed to compile on a side
  std::size_t identical = 0;
  std::string configuration_key;  // toolchains, commands and every object hash
};

// Loads `config_path`, opens the store with a session for `command`, captures and classifies.
ObjectLevel prepare_object_level(const std::filesystem::path& config_path, const std::string& command,
                                 std::size_t jobs);

// Opens the store and starts a session recording the configuration and both toolchains.
std::unique_ptr<Store> open_session(const Config& config, const std::string& command);

// The culprit objects to start from: `object` if given (an item name or path), else the objects
// level's last answer in the store. Throws UserError saying to run `ccbisect objects` first.
std::vector<std::size_t> starting_culprits(const ObjectLevel& level, const std::string& object);

void note(const std::string& line);

}  // namespace ccbisect
