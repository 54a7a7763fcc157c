// Grouping a TU's functions into splice units; see symbol_graph.hpp for why functions are grouped.
//
// Each function name of either build is one vertex, so a static helper that good and bad both define
// is one vertex joined to its callers from both builds. Edges come from the relocations of each
// function's section: a reference to a local function (the call to a clone, the jump to a .cold part,
// a static callback passed to qsort), a jump into another function's body (a .cold part jumping
// back), and the local functions named by read-only data the function refers to (a static table of
// handlers). Functions that share a section are joined too (aliases, explicit section attributes):
// sections are what the splicer moves, and so do the functions of one COMDAT group (a C++ inline
// function or template instance, with its clones and constructor variants), which moves whole.
// Boost's connected_components then gives the units, named by their demangled extern functions.
#include "elf/symbol_graph.hpp"

#include <cxxabi.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <map>
#include <set>
#include <tuple>

#include <fmt/format.h>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/connected_components.hpp>

namespace ccbisect {
namespace {

using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS>;

// How many names a unit's name lists before "+N more".
constexpr std::size_t k_names_shown = 4;

// A function the splicer can move: defined in code (a COMDAT group's code moves with its group).
bool is_movable_function(const ElfObject& object, const ElfSymbol& symbol) {
  return symbol.is_function() && symbol.section < object.sections.size() &&
         object.sections[symbol.section].is_code();
}

// For a C++ name, its demangled form ("FpToString<float>(float)"); any other name as it is.
std::string demangled(const std::string& name) {
  if (name.rfind("_Z", 0) != 0) {
    return name;  // a C name: "a" would demangle as the type "signed char"
  }
  int status = 0;
  char* text = abi::__cxa_demangle(name.c_str(), nullptr, nullptr, &status);
  std::string out = status == 0 && text != nullptr ? text : name;
  std::free(text);  // NOLINT(cppcoreguidelines-no-malloc): __cxa_demangle's buffer
  return out;
}

// The vertices: one per function name, whichever build defines it.
class Vertices {
 public:
  std::size_t of(const std::string& name) {
    auto [it, inserted] = m_index.emplace(name, m_names.size());
    if (inserted) {
      m_names.push_back(name);
    }
    return it->second;
  }
  const std::vector<std::string>& names() const { return m_names; }

 private:
  std::map<std::string, std::size_t> m_index;
  std::vector<std::string> m_names;
};

// Joins `from` to the local functions that the private data section `data` names, following
// private data that names other private data (a table of string tables).
void add_data_edges(const ElfObject& object, const std::vector<std::vector<std::uint32_t>>& by_section,
                    std::uint32_t data, std::size_t from, std::set<std::uint32_t>& visited,
                    Vertices& vertices, Graph& graph) {
  if (!visited.insert(data).second) {
    return;
  }
  for (const ElfRelocation& relocation : object.relocations_of(data)) {
    const ElfSymbol& target = object.symbols[relocation.symbol];
    if (!target.in_section() || target.section >= object.sections.size()) {
      continue;
    }
    if (object.sections[target.section].is_code()) {
      // Entries into a body are jump-table slots, used only by the function that owns the table.
      std::optional<std::uint32_t> entry = function_entry(object, by_section, relocation);
      if (entry && object.symbols[*entry].is_local() && is_movable_function(object, object.symbols[*entry])) {
        boost::add_edge(from, vertices.of(object.symbols[*entry].name), graph);
      }
    } else if ((target.is_local() || target.type == STT_SECTION) &&
               is_private_data(object, by_section, target.section)) {
      add_data_edges(object, by_section, target.section, from, visited, vertices, graph);
    }
  }
}

void add_edges(const ElfObject& object, Vertices& vertices, Graph& graph) {
  std::vector<std::vector<std::uint32_t>> by_section = object.symbols_by_section();
  // Section -> its COMDAT group, and each group's first function: a group moves whole.
  std::map<std::uint32_t, std::uint32_t> group_of;
  std::map<std::uint32_t, std::size_t> group_first;
  for (std::uint32_t s = 1; s < object.sections.size(); ++s) {
    const ElfSection& group = object.sections[s];
    if (group.type != SHT_GROUP) {
      continue;
    }
    for (std::size_t offset = 4; offset + 4 <= group.bytes.size(); offset += 4) {
      std::uint32_t member = 0;
      std::memcpy(&member, group.bytes.data() + offset, sizeof member);
      group_of[member] = s;
    }
  }
  for (std::uint32_t s = 1; s < object.sections.size(); ++s) {
    std::vector<std::size_t> functions;
    for (std::uint32_t index : by_section[s]) {
      if (is_movable_function(object, object.symbols[index])) {
        functions.push_back(vertices.of(object.symbols[index].name));
      }
    }
    if (functions.empty()) {
      continue;
    }
    for (std::size_t k = 1; k < functions.size(); ++k) {
      boost::add_edge(functions[0], functions[k], graph);
    }
    if (auto group = group_of.find(s); group != group_of.end()) {
      auto [first, inserted] = group_first.emplace(group->second, functions[0]);
      boost::add_edge(first->second, functions[0], graph);
    }
    std::size_t from = functions[0];
    std::set<std::uint32_t> visited;
    for (const ElfRelocation& relocation : object.relocations_of(s)) {
      const ElfSymbol& target = object.symbols[relocation.symbol];
      if (!target.in_section() || target.section >= object.sections.size()) {
        continue;  // an extern name: resolved by the linker, keeps the psABI
      }
      if (object.sections[target.section].is_code()) {
        std::optional<std::uint32_t> callee = function_entry(object, by_section, relocation);
        bool into_body = !callee;
        if (into_body) {
          callee = function_containing(object, by_section, relocation);
        }
        if (callee && is_movable_function(object, object.symbols[*callee]) &&
            (into_body || object.symbols[*callee].is_local())) {
          boost::add_edge(from, vertices.of(object.symbols[*callee].name), graph);
        }
      } else if ((target.is_local() || target.type == STT_SECTION) &&
                 is_private_data(object, by_section, target.section)) {
        add_data_edges(object, by_section, target.section, from, visited, vertices, graph);
      }
    }
  }
}

// What we know of one function name across the two builds.
struct FunctionFacts {
  bool in_good = false;
  bool in_bad = false;
  bool is_extern = false;
  std::tuple<int, std::uint32_t, std::uint64_t, std::uint32_t> rank{2, 0, 0,
                                                                    0};  // (build, section, value, index)
};

void collect_facts(const ElfObject& object, bool good, std::map<std::string, FunctionFacts>& facts) {
  for (std::uint32_t i = 1; i < object.symbols.size(); ++i) {
    const ElfSymbol& symbol = object.symbols[i];
    if (!is_movable_function(object, symbol)) {
      continue;
    }
    FunctionFacts& fact = facts[symbol.name];
    (good ? fact.in_good : fact.in_bad) = true;
    fact.is_extern = fact.is_extern || !symbol.is_local();
    fact.rank = std::min(fact.rank, std::make_tuple(good ? 0 : 1, symbol.section, symbol.value, i));
  }
}

}  // namespace

std::vector<SpliceUnit> splice_units(const std::filesystem::path& good, const std::filesystem::path& bad) {
  ElfObject good_object = read_elf_object(good);
  ElfObject bad_object = read_elf_object(bad);
  require_spliceable(good_object);
  require_spliceable(bad_object);
  return splice_units(good_object, bad_object);
}

std::vector<SpliceUnit> splice_units(const ElfObject& good, const ElfObject& bad) {
  std::map<std::string, FunctionFacts> facts;
  collect_facts(good, true, facts);
  collect_facts(bad, false, facts);

  Vertices vertices;
  for (const auto& [name, fact] : facts) {
    vertices.of(name);
  }
  Graph graph(vertices.names().size());
  add_edges(good, vertices, graph);
  add_edges(bad, vertices, graph);

  std::vector<int> component(boost::num_vertices(graph));
  int count = boost::connected_components(graph, component.data());
  std::vector<std::vector<std::string>> members(static_cast<std::size_t>(count));
  for (std::size_t v = 0; v < component.size(); ++v) {
    members[static_cast<std::size_t>(component[v])].push_back(vertices.names()[v]);
  }

  auto rank_of = [&](const std::string& name) { return facts.at(name).rank; };
  std::vector<SpliceUnit> units;
  for (std::vector<std::string>& names : members) {
    bool in_both = std::any_of(names.begin(), names.end(), [&](const std::string& name) {
      return facts.at(name).in_good && facts.at(name).in_bad;
    });
    if (!in_both) {
      continue;  // moving it would change nothing good's code can reach
    }
    std::sort(names.begin(), names.end(),
              [&](const std::string& a, const std::string& b) { return rank_of(a) < rank_of(b); });
    std::vector<std::string> entry_points;
    std::vector<std::string> all;
    for (const std::string& name : names) {
      std::string readable = demangled(name);
      if (facts.at(name).is_extern &&
          std::find(entry_points.begin(), entry_points.end(), readable) == entry_points.end()) {
        entry_points.push_back(readable);  // a constructor's C1 and C2 variants read alike
      }
      all.push_back(readable);
    }
    const std::vector<std::string>& shown = entry_points.empty() ? all : entry_points;
    SpliceUnit unit;
    if (shown.size() <= k_names_shown) {
      unit.name = fmt::format("{}", fmt::join(shown, "+"));
    } else {
      // A static helper shared by a whole file joins many functions; the list is in `symbols`.
      unit.name = fmt::format("{}+{} more", fmt::join(shown.begin(), shown.begin() + k_names_shown - 1, "+"),
                              shown.size() - (k_names_shown - 1));
    }
    // Many static functions behind the extern ones (a gtest-style file whose tests are all reached
    // from one static initializer, joined through a clone such as Finalize.part.0): say so, or the
    // name reads as if one function moved.
    auto locals = static_cast<std::size_t>(std::count_if(
        names.begin(), names.end(), [&](const std::string& name) { return !facts.at(name).is_extern; }));
    if (!entry_points.empty() && locals >= k_names_shown) {
      unit.name += fmt::format(" with {} static functions", locals);
    }
    unit.symbols = std::move(names);
    units.push_back(std::move(unit));
  }
  std::sort(units.begin(), units.end(), [&](const SpliceUnit& a, const SpliceUnit& b) {
    return rank_of(a.symbols.front()) < rank_of(b.symbols.front());
  });
  return units;
}

}  // namespace ccbisect
