// Placing objects into the project tree; see workspace.hpp for why copy + rename.
#include "trials/workspace.hpp"

#include <unistd.h>

#include <algorithm>

#include <fmt/format.h>

#include "bisector/errors.hpp"

namespace ccbisect {

Workspace::Workspace(std::vector<PlacedObject> items, std::vector<PlacedObject> fixed)
    : m_items(std::move(items)), m_fixed(std::move(fixed)), m_current(m_items.size(), Side::unknown) {}

void place_object(const std::filesystem::path& from, const std::filesystem::path& to) {
  std::error_code error;
  std::filesystem::create_directories(to.parent_path(), error);
  std::filesystem::path temp = to;
  temp += fmt::format(".ccbisect-{}.tmp", ::getpid());
  std::filesystem::copy_file(from, temp, std::filesystem::copy_options::overwrite_existing, error);
  if (!error) {
    std::filesystem::rename(temp, to, error);
  }
  if (error) {
    throw UserError(fmt::format("cannot place {} at {}: {}; check that the project tree is writable",
                                from.string(), to.string(), error.message()));
  }
}

void Workspace::forget_placement() { std::fill(m_current.begin(), m_current.end(), Side::unknown); }

std::size_t Workspace::materialize(const Subset& subset) {
  std::size_t written = 0;
  if (!m_fixed_placed) {
    for (const PlacedObject& object : m_fixed) {
      place_object(object.good.empty() ? object.bad : object.good, object.output);
      ++written;
    }
    m_fixed_placed = true;
  }
  std::size_t next = 0;  // walks the sorted subset alongside the items
  for (std::size_t i = 0; i < m_items.size(); ++i) {
    bool bad = next < subset.size() && subset[next] == i;
    if (bad) {
      ++next;
    }
    Side wanted = bad ? Side::bad : Side::good;
    if (m_current[i] != wanted) {
      place_object(bad ? m_items[i].bad : m_items[i].good, m_items[i].output);
      m_current[i] = wanted;
      ++written;
    }
  }
  return written;
}

}  // namespace ccbisect
