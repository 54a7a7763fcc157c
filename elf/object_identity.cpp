// Comparing two objects section by section with the ELF model of elf/elf_object; see
// object_identity.hpp. Symbols are compared by name, kind and place, relocations by the name of their
// target, so the comparison does not depend on symbol-table order.
#include "elf/object_identity.hpp"

#include <algorithm>
#include <tuple>

#include "bisector/errors.hpp"
#include "elf/elf_object.hpp"

namespace ccbisect {
namespace {

bool ignored(const ElfSection& section) { return section.name == ".comment"; }

std::vector<const ElfSection*> compared_sections(const ElfObject& object) {
  std::vector<const ElfSection*> sections;
  for (std::size_t i = 1; i < object.sections.size(); ++i) {
    const ElfSection& section = object.sections[i];
    if (!ignored(section) && section.type != SHT_SYMTAB && section.type != SHT_STRTAB &&
        section.type != SHT_RELA) {
      sections.push_back(&section);
    }
  }
  return sections;
}

std::string target_name(const ElfObject& object, std::uint32_t symbol) {
  const ElfSymbol& s = object.symbols[symbol];
  if (!s.name.empty() || !s.in_section()) {
    return s.name;
  }
  return "section:" + object.sections[s.section].name;  // a section symbol
}

}  // namespace

bool same_code(const std::filesystem::path& good, const std::filesystem::path& bad) {
  ElfObject a;
  ElfObject b;
  try {
    a = read_elf_object(good);
    b = read_elf_object(bad);
  } catch (const UserError&) {
    return false;
  }
  auto left = compared_sections(a);
  auto right = compared_sections(b);
  if (left.size() != right.size()) {
    return false;
  }
  for (std::size_t i = 0; i < left.size(); ++i) {
    const ElfSection& x = *left[i];
    const ElfSection& y = *right[i];
    if (x.name != y.name || x.type != y.type || x.flags != y.flags || x.size != y.size ||
        x.bytes != y.bytes) {
      return false;
    }
    const auto& rx = x.relocated_by ? a.sections[x.relocated_by].relocations : std::vector<ElfRelocation>{};
    const auto& ry = y.relocated_by ? b.sections[y.relocated_by].relocations : std::vector<ElfRelocation>{};
    if (rx.size() != ry.size()) {
      return false;
    }
    for (std::size_t r = 0; r < rx.size(); ++r) {
      if (rx[r].offset != ry[r].offset || rx[r].type != ry[r].type || rx[r].addend != ry[r].addend ||
          target_name(a, rx[r].symbol) != target_name(b, ry[r].symbol)) {
        return false;
      }
    }
  }
  // Defined symbols: same names, kinds, bindings, places.
  auto defined = [](const ElfObject& object) {
    std::vector<std::tuple<std::string, int, int, std::string, std::uint64_t, std::uint64_t>> out;
    for (const ElfSymbol& s : object.symbols) {
      if (s.in_section() && !s.name.empty()) {
        out.emplace_back(s.name, s.type, s.binding, object.sections[s.section].name, s.value, s.size);
      }
    }
    std::sort(out.begin(), out.end());
    return out;
  };
  return defined(a) == defined(b);
}

}  // namespace ccbisect
