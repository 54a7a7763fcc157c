// Placing objects into the project tree; see workspace.hpp for why copy + rename.
#include "trials/workspace.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "bisector/errors.hpp"
#include "sys/temp_file.hpp"

namespace ccbisect {

namespace {

std::vector<std::filesystem::path> outputs_of(const std::vector<PlacedObject>& items,
                                              const std::vector<PlacedObject>& fixed) {
  std::vector<std::filesystem::path> outputs;
  for (const auto* list : {&items, &fixed}) {
    for (const PlacedObject& object : *list) {
      outputs.push_back(object.output);
    }
  }
  return outputs;
}

}  // namespace

Workspace::Workspace(std::vector<PlacedObject> items, std::vector<PlacedObject> fixed,
                     std::optional<Originals> originals)
    : m_items(std::move(items)),
      m_fixed(std::move(fixed)),
      m_current(m_items.size(), Side::unknown),
      m_build_tool(outputs_of(m_items, m_fixed)),
      m_originals(std::move(originals)),
      m_stamps(m_items.size()),
      m_fixed_stamps(m_fixed.size()) {}

void place_object(const std::filesystem::path& from, const std::filesystem::path& to,
                  std::optional<std::filesystem::file_time_type> mtime) {
  std::error_code error;
  if (!copy_file_atomically(from, to, error, mtime)) {
    throw UserError(fmt::format("cannot place {} at {}: {}; check that the project tree is writable",
                                from.string(), to.string(), error.message()));
  }
}

void Workspace::forget_placement() { std::fill(m_current.begin(), m_current.end(), Side::unknown); }

void Workspace::place(const PlacedObject& object, const std::filesystem::path& from, Stamp& stamp) {
  place_object(from, object.output, m_build_tool.kept_mtime(object.output));
  std::error_code error;
  stamp.size = std::filesystem::file_size(object.output, error);
  stamp.mtime = std::filesystem::last_write_time(object.output, error);
  stamp.placed = !error;
}

std::vector<std::string> Workspace::rebuilt_objects() const {
  std::vector<std::string> rebuilt;
  auto check = [&](const PlacedObject& object, const Stamp& stamp) {
    if (!stamp.placed) {
      return;
    }
    std::error_code error;
    std::uintmax_t size = std::filesystem::file_size(object.output, error);
    std::filesystem::file_time_type mtime = std::filesystem::last_write_time(object.output, error);
    if (error || size != stamp.size || mtime != stamp.mtime) {
      rebuilt.push_back(object.name);
    }
  };
  for (std::size_t i = 0; i < m_items.size(); ++i) {
    check(m_items[i], m_stamps[i]);
  }
  for (std::size_t i = 0; i < m_fixed.size(); ++i) {
    check(m_fixed[i], m_fixed_stamps[i]);
  }
  return rebuilt;
}

std::size_t Workspace::materialize(const Subset& subset) {
  std::size_t written = 0;
  std::vector<std::filesystem::path> placed;
  if (!m_fixed_placed) {
    if (m_originals) {
      m_originals->save(outputs_of(m_items, m_fixed));
    }
    for (std::size_t i = 0; i < m_fixed.size(); ++i) {
      const PlacedObject& object = m_fixed[i];
      place(object, object.good.empty() ? object.bad : object.good, m_fixed_stamps[i]);
      placed.push_back(object.output);
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
      place(m_items[i], bad ? m_items[i].bad : m_items[i].good, m_stamps[i]);
      placed.push_back(m_items[i].output);
      m_current[i] = wanted;
      ++written;
    }
  }
  m_build_tool.age_consumers(placed);
  return written;
}

}  // namespace ccbisect
