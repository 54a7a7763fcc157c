// Splicing two builds of a TU by rewriting their symbols and relocations; see elf_splice.hpp.
//
// The result is `ld -r` of two rewritten objects:
//  * good', which is good with the moved functions' extern symbols turned into undefined references
//    (so every call, by name, reaches bad's copy), its references to a moved function by section
//    (gas writes a call to a static function as one to its section) pointed at bad's copy, and hidden
//    global aliases of the static variables and functions that moved code needs;
//  * bad', a new object holding only the moved functions' sections, the private data they reach
//    (elf_object.hpp's is_private_data), their FDEs cut out of .eh_frame, and the COMDAT groups they
//    call that good does not define. Its references to anything else become undefined names: an
//    extern by its own name, a static through good's alias, so the program's state exists once.
// Static variables are matched by name ("counter"), across compilers by a common key (gcc's "calls.0"
// and clang's "name.calls"), or, when a reference only names a shared section (no -fdata-sections),
// by the section itself if both builds lay it out identically. A reference that cannot be matched
// ends the splice with a reason, which the caller records as unresolved.
// Finally objcopy makes the alias symbols local, so two spliced objects can be linked together.
//
// Good's copy of a moved function is left in place, unreachable, rather than removed: removing
// sections would renumber everything (groups, .eh_frame, debug info). ld -r puts it in the same output
// section as bad's copy (same name), which costs only space. Renaming bad's sections would keep them
// apart, but would break linker scripts that place sections by name (the kernel's .init.text).
#include "elf/elf_splice.hpp"

#include <algorithm>
#include <cstring>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>

#include <fmt/format.h>

#include "bisector/errors.hpp"
#include "sys/process.hpp"
#include "sys/temp_file.hpp"

namespace ccbisect {
namespace {

constexpr const char* k_good_alias_prefix = "__ccbisect_good.";
constexpr const char* k_bad_alias_prefix = "__ccbisect_bad.";
constexpr double k_tool_timeout_seconds = 120;

// A splice that cannot be made (as opposed to an unusable object, which is a UserError).
class SpliceError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

bool is_data_symbol(const ElfSymbol& symbol) {
  return symbol.in_section() && (symbol.type == STT_OBJECT || symbol.type == STT_NOTYPE ||
                                 symbol.type == STT_TLS || symbol.type == STT_COMMON);
}

std::uint32_t read32(const std::vector<unsigned char>& bytes, std::uint64_t offset) {
  std::uint32_t value = 0;
  std::memcpy(&value, bytes.data() + offset, sizeof value);
  return value;
}

void write32(std::vector<unsigned char>& bytes, std::uint64_t offset, std::uint32_t value) {
  std::memcpy(bytes.data() + offset, &value, sizeof value);
}

// What `map` holds for `key`. A missing entry means the objects are inconsistent in a way the
// structure checks did not foresee: the splice ends with a reason, never with std::out_of_range.
template <class Map>
typename Map::mapped_type mapped(const Map& map, const typename Map::key_type& key, const char* what) {
  auto found = map.find(key);
  if (found == map.end()) {
    throw SpliceError(fmt::format("inconsistent objects: no {} for {}", what, key));
  }
  return found->second;
}

// The indices the splicer follows without further checks: every defined symbol's section, and each
// COMDAT group's signature symbol and members. read_elf_object checked the relocations' symbols.
void check_structure(const ElfObject& object) {
  auto malformed = [&](const std::string& what) {
    return SpliceError(fmt::format("{}: malformed object: {}", object.path.string(), what));
  };
  for (const ElfSymbol& symbol : object.symbols) {
    if (symbol.in_section() && symbol.section >= object.sections.size()) {
      throw malformed(fmt::format("symbol {} is in section {}, past the end of the section table",
                                  symbol.name, symbol.section));
    }
  }
  for (const ElfSection& section : object.sections) {
    if (section.type != SHT_GROUP) {
      continue;
    }
    if (section.bytes.size() < 4 || section.bytes.size() % 4 != 0 || section.info >= object.symbols.size()) {
      throw malformed(fmt::format("the group section {} is truncated or names no signature", section.name));
    }
    for (std::uint64_t offset = 4; offset < section.bytes.size(); offset += 4) {
      std::uint32_t member = read32(section.bytes, offset);
      if (member == 0 || member >= object.sections.size()) {
        throw malformed(
            fmt::format("the group section {} lists section {}, which does not exist", section.name, member));
      }
    }
  }
}

// A symbol of bad' while it is being built: locals and globals are numbered separately, because ELF
// wants every local before the first global and we learn of both in any order.
struct SymbolRef {
  bool global = false;
  std::uint32_t position = 0;
};

struct PendingRelocation {
  std::uint64_t offset = 0;
  std::uint32_t type = 0;
  SymbolRef symbol;
  std::int64_t addend = 0;
};

// One .eh_frame record (CIE or FDE), as it is in bad.
struct FrameRecord {
  std::uint64_t offset = 0;
  std::uint64_t size = 0;
  bool is_cie = false;
  std::uint64_t cie = 0;  // an FDE's CIE, by offset
};

class Splicer {
 public:
  Splicer(ElfObject good, ElfObject bad, std::set<std::string> moved)
      : m_good(std::move(good)),
        m_bad(std::move(bad)),
        m_moved(std::move(moved)),
        m_good_by_section(m_good.symbols_by_section()),
        m_bad_by_section(m_bad.symbols_by_section()) {}

  // Rewrites good into good' and builds bad'. Throws SpliceError if the splice cannot be made.
  void run() {
    check_structure(m_good);
    check_structure(m_bad);
    index_groups();
    find_moved_sections();
    redirect_good_references();
    build_bad_part();
    add_good_aliases();
  }
  const ElfObject& good_part() const { return m_good; }
  const ElfObject& bad_part() const { return m_part; }

 private:
  void index_groups() {
    for (std::uint32_t s = 1; s < m_bad.sections.size(); ++s) {
      if (m_bad.sections[s].type == SHT_GROUP) {
        for (std::uint32_t member : group_members(s)) {
          m_group_of[member] = s;
        }
      }
    }
  }

  // Which sections move: bad's sections holding moved functions (a COMDAT group's with every member
  // of the group), and good's copies of them.
  void find_moved_sections() {
    for (const std::string& name : m_moved) {
      bool anywhere = std::any_of(m_good.symbols.begin(), m_good.symbols.end(),
                                  [&](const ElfSymbol& s) { return s.is_function() && s.name == name; }) ||
                      std::any_of(m_bad.symbols.begin(), m_bad.symbols.end(),
                                  [&](const ElfSymbol& s) { return s.is_function() && s.name == name; });
      if (!anywhere) {
        throw SpliceError(fmt::format(
            "function {} is in neither object (were they rebuilt since the units were listed?)", name));
      }
    }
    for (std::uint32_t i = 1; i < m_bad.symbols.size(); ++i) {
      const ElfSymbol& symbol = m_bad.symbols[i];
      if (symbol.is_function() && m_moved.count(symbol.name) != 0) {
        if (!m_bad.sections[symbol.section].is_code()) {
          throw SpliceError(fmt::format("{} is not in code; it cannot be moved", symbol.name));
        }
        m_moved_code.insert(symbol.section);
        if (auto group = m_group_of.find(symbol.section); group != m_group_of.end()) {
          m_moved_groups.insert(group->second);
        }
        m_from_bad.insert(symbol.name);
      }
    }
    // A section moves whole, so every function in it must be in the chosen units; the grouping
    // guarantees it for units from splice_units on these objects.
    for (std::uint32_t section : m_moved_code) {
      require_all_moved(m_bad, m_bad_by_section, section);
    }
    // good's copy of a moved function goes dead with everything in its section (the units hold
    // good's aliases such as gcc's f.localalias, even though bad may not define them).
    for (std::uint32_t s = 1; s < m_good.sections.size(); ++s) {
      bool moving =
          std::any_of(m_good_by_section[s].begin(), m_good_by_section[s].end(), [&](std::uint32_t index) {
            return m_good.symbols[index].is_function() && m_from_bad.count(m_good.symbols[index].name) != 0;
          });
      if (moving) {
        require_all_moved(m_good, m_good_by_section, s);
        m_dead.insert(s);
      }
    }
  }

  void require_all_moved(const ElfObject& object, const std::vector<std::vector<std::uint32_t>>& by_section,
                         std::uint32_t section) const {
    std::string moved;
    std::string stays;
    for (std::uint32_t index : by_section[section]) {
      const ElfSymbol& symbol = object.symbols[index];
      if (symbol.is_function()) {
        (m_moved.count(symbol.name) != 0 ? moved : stays) = symbol.name;
      }
    }
    if (!stays.empty()) {
      throw SpliceError(fmt::format("in {}, {} shares the section {} with {}, which is not moved; {}",
                                    object.path.string(), moved, object.sections[section].name, stays,
                                    k_function_sections_advice));
    }
  }

  // Points good's live references to moved functions at bad's copies, then makes the moved extern
  // names undefined in good. References from .eh_frame, debug info and SHF_LINK_ORDER metadata stay:
  // they describe good's dead copy, not a caller. A reference into a dead body (a jump-table slot in
  // good's own table) stays too: only good's dead copy reads it.
  void redirect_good_references() {
    for (ElfSection& rela : m_good.sections) {
      if (rela.type != SHT_RELA || rela.info == 0 || rela.info >= m_good.sections.size()) {
        continue;
      }
      const ElfSection& target = m_good.sections[rela.info];
      if (m_dead.count(rela.info) != 0 || !target.is_alloc() || target.is_eh_frame() ||
          (target.flags & SHF_LINK_ORDER) != 0) {
        continue;
      }
      for (ElfRelocation& relocation : rela.relocations) {
        const ElfSymbol& symbol = m_good.symbols[relocation.symbol];
        if (!symbol.in_section() || m_dead.count(symbol.section) == 0) {
          continue;
        }
        std::optional<std::uint32_t> entry = function_entry(m_good, m_good_by_section, relocation);
        if (!entry) {
          continue;
        }
        const ElfSymbol& function = m_good.symbols[*entry];
        std::int64_t addend = relocation.addend + static_cast<std::int64_t>(symbol.value) -
                              static_cast<std::int64_t>(function.value);
        if (function.is_local()) {
          relocation.symbol = good_import_of_bad(function.name);
        } else {
          relocation.symbol = *entry;
        }
        relocation.addend = addend;
      }
    }
    for (ElfSymbol& symbol : m_good.symbols) {
      if (!symbol.is_local() && symbol.in_section() && m_dead.count(symbol.section) != 0) {
        symbol.section = SHN_UNDEF;
        symbol.binding = STB_GLOBAL;  // a COMDAT copy was weak; bad's now defines it
        symbol.value = 0;
        symbol.size = 0;
        symbol.type = STT_NOTYPE;
      }
    }
  }

  // The undefined hidden symbol through which good reaches bad's copy of a moved static function.
  std::uint32_t good_import_of_bad(std::string name) {  // by value: it may name one of good's symbols
    auto found = m_bad_exports.find(name);
    if (found != m_bad_exports.end()) {
      return found->second;
    }
    ElfSymbol import;
    import.name = k_bad_alias_prefix + name;
    import.binding = STB_GLOBAL;
    import.other = STV_HIDDEN;
    m_good.symbols.push_back(import);
    auto index = static_cast<std::uint32_t>(m_good.symbols.size() - 1);
    m_bad_exports.emplace(name, index);
    return index;
  }

  // bad': the moved code with what it needs from bad, and the symbols that join it to good'.
  void build_bad_part() {
    select_bad_sections();
    lay_out_bad_part();
    add_bad_part_symbols();
    // Mapping relocations may add undefined symbols, so indices are final only after all of them.
    std::vector<std::pair<std::uint32_t, std::vector<PendingRelocation>>> pending;
    for (std::uint32_t s : m_included) {
      std::vector<PendingRelocation> rows;
      for (const ElfRelocation& relocation : m_bad.relocations_of(s)) {
        rows.push_back(map_relocation(relocation, relocation.offset, s));
      }
      if (!rows.empty()) {
        pending.emplace_back(mapped(m_rela_index, s, "relocation section"), std::move(rows));
      }
    }
    if (m_part_eh_frame != 0) {
      std::vector<PendingRelocation> rows;
      for (const ElfRelocation& relocation : m_bad.relocations_of(m_eh_frame)) {
        for (const FrameRecord& record : m_kept_frames) {
          if (relocation.offset >= record.offset && relocation.offset < record.offset + record.size) {
            rows.push_back(map_relocation(
                relocation,
                relocation.offset - record.offset + mapped(m_frame_offsets, record.offset, "frame record"),
                m_eh_frame));
          }
        }
      }
      if (!rows.empty()) {
        pending.emplace_back(mapped(m_rela_index, m_eh_frame, "relocation section"), std::move(rows));
      }
    }
    m_part.symbols.push_back(ElfSymbol{});
    m_part.symbols.insert(m_part.symbols.end(), m_locals.begin(), m_locals.end());
    m_part.symbols.insert(m_part.symbols.end(), m_globals.begin(), m_globals.end());
    for (auto& [rela, rows] : pending) {
      for (const PendingRelocation& row : rows) {
        m_part.sections[rela].relocations.push_back({row.offset, row.type, index_of(row.symbol), row.addend});
      }
    }
    fill_groups();
  }

  std::uint32_t index_of(SymbolRef ref) const {
    return ref.global ? static_cast<std::uint32_t>(m_locals.size()) + ref.position : ref.position;
  }

  // The sections of a group (its first word is the flags).
  std::vector<std::uint32_t> group_members(std::uint32_t group) const {
    const std::vector<unsigned char>& bytes = m_bad.sections[group].bytes;
    std::vector<std::uint32_t> members;
    for (std::uint64_t offset = 4; offset + 4 <= bytes.size(); offset += 4) {
      members.push_back(read32(bytes, offset));
    }
    return members;
  }

  // What bad' takes from bad: the moved code; the private data it reaches (directly, through other
  // private data, or through its FDEs' exception tables); and each COMDAT group (an inline function
  // or template instance) that it calls but good does not define, because good inlined it or never
  // needed it. A group comes whole, and the linker keeps one copy of it program-wide.
  void select_bad_sections() {
    for (std::uint32_t s = 1; s < m_bad.sections.size(); ++s) {
      if (m_bad.sections[s].is_eh_frame()) {
        m_eh_frame = s;
      }
    }
    parse_frame_records();
    std::set<std::string> good_defines;
    for (const ElfSymbol& symbol : m_good.symbols) {
      if (!symbol.is_local() && (symbol.in_section() || symbol.section == SHN_COMMON)) {
        good_defines.insert(symbol.name);
      }
    }
    std::vector<std::uint32_t> work;
    auto include = [&](std::uint32_t section) {
      auto group = m_group_of.find(section);
      if (group == m_group_of.end() || m_moved_groups.count(group->second) != 0) {
        // A moved group comes as plain sections (no group), so the link cannot pick another copy.
        std::vector<std::uint32_t> sections{section};
        if (group != m_group_of.end()) {
          sections = group_members(group->second);
        }
        for (std::uint32_t member : sections) {
          if (member < m_bad.sections.size() && m_bad.sections[member].type != SHT_RELA &&
              m_included.insert(member).second) {
            work.push_back(member);
          }
        }
        return;
      }
      if (!m_groups.insert(group->second).second) {
        return;
      }
      for (std::uint32_t member : group_members(group->second)) {
        if (member < m_bad.sections.size() && m_bad.sections[member].type != SHT_RELA &&
            m_included.insert(member).second) {
          work.push_back(member);
        }
      }
    };
    auto reach = [&](const ElfRelocation& relocation) {
      const ElfSymbol& target = m_bad.symbols[relocation.symbol];
      if (!target.in_section() || target.section >= m_bad.sections.size() ||
          m_included.count(target.section) != 0) {
        return;
      }
      bool in_group = m_group_of.count(target.section) != 0;
      if (target.is_local() || target.type == STT_SECTION) {
        // Private data, and static variables only bad has (the program's state that good's code
        // never touches: it moves with its users, once per spliced object).
        if (in_group || is_private_data(m_bad, m_bad_by_section, target.section) ||
            (!m_bad.sections[target.section].is_code() && !good_has_counterpart(relocation))) {
          include(target.section);
        }
      } else if (in_group && good_defines.count(target.name) == 0) {
        include(target.section);
      }
    };
    for (std::uint32_t section : m_moved_code) {
      include(section);
    }
    do {
      while (!work.empty()) {
        std::uint32_t section = work.back();
        work.pop_back();
        for (const ElfRelocation& relocation : m_bad.relocations_of(section)) {
          reach(relocation);
        }
      }
      select_frame_records();
      for (const FrameRecord& record : m_kept_frames) {
        for (const ElfRelocation& relocation : m_bad.relocations_of(m_eh_frame)) {
          if (relocation.offset >= record.offset && relocation.offset < record.offset + record.size) {
            reach(relocation);
          }
        }
      }
    } while (!work.empty());
  }

  void parse_frame_records() {
    if (m_eh_frame == 0) {
      return;
    }
    const std::vector<unsigned char>& bytes = m_bad.sections[m_eh_frame].bytes;
    for (std::uint64_t offset = 0; offset + 8 <= bytes.size();) {
      std::uint32_t length = read32(bytes, offset);
      if (length == 0) {
        break;  // terminator
      }
      // A record holds at least its CIE id (an FDE its CIE pointer, which lay_out_bad_part rewrites).
      if (length == 0xffffffffu || length < 4 || offset + 4 + length > bytes.size()) {
        throw SpliceError(
            fmt::format("{}: unsupported or malformed .eh_frame record at {}", m_bad.path.string(), offset));
      }
      std::uint32_t id = read32(bytes, offset + 4);
      if (id > offset + 4) {
        throw SpliceError(fmt::format("{}: malformed .eh_frame: the FDE at {} points before the section",
                                      m_bad.path.string(), offset));
      }
      m_frame_records.push_back(
          {offset, 4 + std::uint64_t{length}, id == 0, id == 0 ? offset : offset + 4 - id});
      offset += 4 + std::uint64_t{length};
    }
    std::set<std::uint64_t> cies;
    for (const FrameRecord& record : m_frame_records) {
      if (record.is_cie) {
        cies.insert(record.offset);
      } else if (cies.count(record.cie) == 0) {
        throw SpliceError(fmt::format("{}: malformed .eh_frame: the FDE at {} names no earlier CIE",
                                      m_bad.path.string(), record.offset));
      }
    }
  }

  // The .eh_frame records of the code bad' holds, and the CIEs they use, in their order.
  void select_frame_records() {
    std::map<std::uint64_t, const ElfRelocation*> at_offset;
    for (const ElfRelocation& relocation : m_bad.relocations_of(m_eh_frame)) {
      at_offset[relocation.offset] = &relocation;
    }
    std::set<std::uint64_t> kept_fdes;
    std::set<std::uint64_t> kept_cies;
    for (const FrameRecord& record : m_frame_records) {
      auto pc_begin = at_offset.find(record.offset + 8);
      if (record.is_cie || pc_begin == at_offset.end()) {
        continue;
      }
      const ElfSymbol& target = m_bad.symbols[pc_begin->second->symbol];
      if (target.in_section() && m_included.count(target.section) != 0 &&
          m_bad.sections[target.section].is_code()) {
        kept_fdes.insert(record.offset);
        kept_cies.insert(record.cie);
      }
    }
    m_kept_frames.clear();
    for (const FrameRecord& record : m_frame_records) {
      if (record.is_cie ? kept_cies.count(record.offset) != 0 : kept_fdes.count(record.offset) != 0) {
        m_kept_frames.push_back(record);
      }
    }
  }

  // bad's sections in bad', in this order (a group must precede its members): groups, the taken
  // sections, .eh_frame cut down to the kept records, the notes, the relocations, the symbols.
  void lay_out_bad_part() {
    m_part.path = m_bad.path;
    m_part.os_abi = m_bad.os_abi;
    m_part.abi_version = m_bad.abi_version;
    m_part.flags = m_bad.flags;
    m_part.sections.resize(1);
    auto add = [&](ElfSection section) {
      m_part.sections.push_back(std::move(section));
      return static_cast<std::uint32_t>(m_part.sections.size() - 1);
    };
    for (std::uint32_t group : m_groups) {
      ElfSection copy;
      copy.name = ".group";
      copy.type = SHT_GROUP;
      copy.alignment = 4;
      copy.entry_size = 4;
      m_new_index[group] = add(std::move(copy));
    }
    for (std::uint32_t s : m_included) {
      ElfSection copy = m_bad.sections[s];
      copy.flags &= ~static_cast<std::uint64_t>(SHF_LINK_ORDER);
      if (!in_copied_group(s)) {
        copy.flags &= ~static_cast<std::uint64_t>(SHF_GROUP);
      }
      copy.link = 0;
      copy.info = 0;
      copy.relocations.clear();
      copy.relocated_by = 0;
      m_new_index[s] = add(std::move(copy));
    }
    if (!m_kept_frames.empty()) {
      const ElfSection& original = m_bad.sections[m_eh_frame];
      ElfSection frames = original;
      frames.flags &= ~static_cast<std::uint64_t>(SHF_GROUP);
      frames.bytes.clear();
      frames.relocations.clear();
      frames.relocated_by = 0;
      frames.link = 0;
      frames.info = 0;
      for (const FrameRecord& record : m_kept_frames) {
        std::uint64_t here = frames.bytes.size();
        m_frame_offsets[record.offset] = here;
        frames.bytes.insert(
            frames.bytes.end(), original.bytes.begin() + static_cast<std::ptrdiff_t>(record.offset),
            original.bytes.begin() + static_cast<std::ptrdiff_t>(record.offset + record.size));
        if (!record.is_cie) {
          // The CIE pointer is the distance back from this field to the record's CIE.
          write32(frames.bytes, here + 4,
                  static_cast<std::uint32_t>(here + 4 - mapped(m_frame_offsets, record.cie, "CIE")));
        }
      }
      frames.size = frames.bytes.size();
      m_part_eh_frame = add(std::move(frames));
      m_new_index[m_eh_frame] = m_part_eh_frame;
    }
    for (std::uint32_t s = 1; s < m_bad.sections.size(); ++s) {
      const ElfSection& section = m_bad.sections[s];
      if (section.name == ".note.GNU-stack" || section.name == ".note.gnu.property") {
        ElfSection copy = section;
        copy.flags &= ~static_cast<std::uint64_t>(SHF_GROUP);
        add(std::move(copy));
      }
    }
    std::vector<std::uint32_t> relocated(m_included.begin(), m_included.end());
    if (m_part_eh_frame != 0) {
      relocated.push_back(m_eh_frame);
    }
    for (std::uint32_t s : relocated) {
      if (m_bad.relocations_of(s).empty()) {
        continue;
      }
      ElfSection rela;
      rela.name = ".rela" + m_bad.sections[s].name;
      rela.type = SHT_RELA;
      rela.flags = SHF_INFO_LINK | (in_copied_group(s) ? SHF_GROUP : 0);
      rela.info = mapped(m_new_index, s, "section");
      rela.alignment = 8;
      rela.entry_size = sizeof(Elf64_Rela);
      m_rela_index[s] = add(std::move(rela));
    }
    ElfSection symtab;
    symtab.name = ".symtab";
    symtab.type = SHT_SYMTAB;
    symtab.alignment = 8;
    m_part.symbol_table = add(std::move(symtab));
    ElfSection strtab;
    strtab.name = ".strtab";
    strtab.type = SHT_STRTAB;
    m_part.section_names = add(std::move(strtab));
    m_part.sections[m_part.symbol_table].link = m_part.section_names;
  }

  // A section symbol per taken section, then what those sections define: every local, the moved
  // code's extern names and the COMDAT groups' names. An extern object in shared read-only data is not
  // defined again: good's stays the only one.
  void add_bad_part_symbols() {
    for (std::uint32_t s : m_included) {
      ElfSymbol section_symbol;
      section_symbol.type = STT_SECTION;
      section_symbol.section = m_new_index[s];
      m_section_symbol[s] = add_local(section_symbol);
    }
    for (std::uint32_t i = 1; i < m_bad.symbols.size(); ++i) {
      const ElfSymbol& symbol = m_bad.symbols[i];
      // gcc's group signatures (a C5/D5 name for a constructor's or destructor's variants) are
      // defined in the group section itself.
      bool taken = m_included.count(symbol.section) != 0 || m_groups.count(symbol.section) != 0;
      if (!symbol.in_section() || !taken || symbol.type == STT_SECTION || symbol.type == STT_FILE) {
        continue;
      }
      ElfSymbol copy = symbol;
      copy.section = m_new_index[symbol.section];
      if (!symbol.is_local() && m_group_of.count(symbol.section) != 0 && !in_copied_group(symbol.section)) {
        // A moved group's weak definitions become strong: they win over the copies that other
        // objects of the program (and good's half of this one) keep in their groups.
        copy.binding = STB_GLOBAL;
      }
      if (symbol.is_local()) {
        m_copied[i] = add_local(copy);
      } else if (m_moved_code.count(symbol.section) != 0 || m_group_of.count(symbol.section) != 0) {
        m_copied[i] = add_global(copy);
      }
    }
    for (const auto& [name, unused] : m_bad_exports) {
      std::optional<std::uint32_t> found;
      for (std::uint32_t s : m_moved_code) {
        for (std::uint32_t index : m_bad_by_section[s]) {
          if (m_bad.symbols[index].is_function() && m_bad.symbols[index].name == name) {
            found = index;
          }
        }
      }
      if (!found) {
        throw SpliceError(fmt::format("good refers to {}, which bad does not define", name));
      }
      ElfSymbol alias = m_bad.symbols[*found];
      alias.name = k_bad_alias_prefix + name;
      alias.binding = STB_GLOBAL;
      alias.other = STV_HIDDEN;
      alias.section = m_new_index[alias.section];
      add_global(alias);
    }
  }

  // The group sections' member lists and signatures, in bad' numbering.
  void fill_groups() {
    for (std::uint32_t group : m_groups) {
      const ElfSection& original = m_bad.sections[group];
      ElfSection& copy = m_part.sections[mapped(m_new_index, group, "group section")];
      copy.bytes.assign(original.bytes.begin(), original.bytes.begin() + 4);  // the flags (GRP_COMDAT)
      for (std::uint32_t member : group_members(group)) {
        bool is_rela = member < m_bad.sections.size() && m_bad.sections[member].type == SHT_RELA;
        std::uint32_t index = is_rela
                                  ? mapped(m_rela_index, m_bad.sections[member].info, "relocation section")
                                  : mapped(m_new_index, member, "section");
        copy.bytes.resize(copy.bytes.size() + 4);
        write32(copy.bytes, copy.bytes.size() - 4, index);
      }
      copy.size = copy.bytes.size();
      copy.link = m_part.symbol_table;
      auto signature = m_copied.find(original.info);
      if (signature == m_copied.end()) {
        throw SpliceError(fmt::format("the COMDAT group {} has no signature symbol bad' can define",
                                      m_bad.symbols[original.info].name));
      }
      copy.info = index_of(signature->second);
    }
  }

  bool in_copied_group(std::uint32_t section) const {
    auto group = m_group_of.find(section);
    return group != m_group_of.end() && m_groups.count(group->second) != 0;
  }

  // Whether good has a static variable matching the one bad's `relocation` refers to (by name or by
  // key, as good_counterpart_data matches them); a reference by section counts when the section holds
  // one variable.
  bool good_has_counterpart(const ElfRelocation& relocation) const {
    const ElfSymbol& symbol = m_bad.symbols[relocation.symbol];
    std::uint32_t variable = relocation.symbol;
    if (symbol.type == STT_SECTION) {
      std::set<std::uint64_t> addresses;
      for (std::uint32_t index : m_bad_by_section[symbol.section]) {
        if (is_data_symbol(m_bad.symbols[index])) {
          addresses.insert(m_bad.symbols[index].value);
          variable = index;
        }
      }
      if (addresses.size() != 1) {
        return true;  // several (or none): matched by section layout, as before
      }
    }
    const ElfSymbol& wanted = m_bad.symbols[variable];
    std::string key = local_data_key(m_bad, wanted);
    for (std::uint32_t i = 1; i < m_good.symbols.size(); ++i) {
      const ElfSymbol& candidate = m_good.symbols[i];
      if (candidate.is_local() && is_data_symbol(candidate) && candidate.section < m_good.sections.size() &&
          !m_good.sections[candidate.section].is_code() &&
          (candidate.name == wanted.name || local_data_key(m_good, candidate) == key)) {
        return true;
      }
    }
    return false;
  }

  SymbolRef add_local(const ElfSymbol& symbol) {
    m_locals.push_back(symbol);
    return {false, static_cast<std::uint32_t>(m_locals.size())};  // after the null symbol
  }

  SymbolRef add_global(const ElfSymbol& symbol) {
    m_globals.push_back(symbol);
    return {true, static_cast<std::uint32_t>(m_globals.size() - 1) + 1};  // +1: the null symbol
  }

  // An undefined global of bad', one per name.
  SymbolRef undefined(const std::string& name, unsigned char binding, unsigned char other,
                      unsigned char type) {
    auto found = m_undefined.find(name);
    if (found != m_undefined.end()) {
      return found->second;
    }
    ElfSymbol symbol;
    symbol.name = name;
    symbol.binding = binding;
    symbol.other = other;
    symbol.type = type;
    SymbolRef ref = add_global(symbol);
    m_undefined.emplace(name, ref);
    return ref;
  }

  // What one of bad's relocations becomes in bad' (`from` is the section it applies to in bad).
  PendingRelocation map_relocation(const ElfRelocation& relocation, std::uint64_t offset,
                                   std::uint32_t from) {
    PendingRelocation row{offset, relocation.type, {}, relocation.addend};
    const ElfSymbol& symbol = m_bad.symbols[relocation.symbol];
    bool included = symbol.in_section() && m_included.count(symbol.section) != 0;
    if (included && symbol.type == STT_SECTION) {
      row.symbol = mapped(m_section_symbol, symbol.section, "section symbol");
      return row;
    }
    if (!symbol.is_local()) {
      auto copied = m_copied.find(relocation.symbol);
      if (copied != m_copied.end()) {
        row.symbol = copied->second;
      } else {
        unsigned char binding = symbol.binding == STB_WEAK && !symbol.in_section() ? STB_WEAK : STB_GLOBAL;
        row.symbol =
            undefined(symbol.name, binding, symbol.other, symbol.type == STT_TLS ? STT_TLS : STT_NOTYPE);
      }
      return row;
    }
    if (included) {
      row.symbol = mapped(m_copied, relocation.symbol, "copied symbol");
      return row;
    }
    if (symbol.section == SHN_ABS) {
      ElfSymbol copy = symbol;
      row.symbol = add_local(copy);
      return row;
    }
    if (!symbol.in_section() || symbol.section >= m_bad.sections.size()) {
      throw SpliceError(fmt::format("a relocation in {} names an unsupported local symbol {}",
                                    m_bad.sections[from].name, symbol.name));
    }
    const ElfSection& target = m_bad.sections[symbol.section];
    if (target.is_code()) {
      return map_code_reference(relocation, row, from);
    }
    if (!target.is_alloc()) {
      throw SpliceError(
          fmt::format("{} refers to the non-allocated section {}", m_bad.sections[from].name, target.name));
    }
    return map_state_reference(relocation, row, from);
  }

  // A reference from moved code or its data to a function that stays.
  PendingRelocation map_code_reference(const ElfRelocation& relocation, PendingRelocation row,
                                       std::uint32_t from) {
    const ElfSymbol& symbol = m_bad.symbols[relocation.symbol];
    std::optional<std::uint32_t> entry = function_entry(m_bad, m_bad_by_section, relocation);
    if (!entry) {
      if (!m_bad.sections[from].is_code() && m_moved_code.count(from) == 0 &&
          !m_bad.sections[from].is_eh_frame()) {
        // A slot of another function's jump table in a shared read-only section: only that function,
        // which is not in this object, reads it. Any address that links will do.
        row.symbol = mapped(m_section_symbol, from, "section symbol");
        row.addend = 0;
        return row;
      }
      throw SpliceError(fmt::format("{} jumps into the body of {} in {}, which is not moved",
                                    m_bad.sections[from].name, describe_containing(relocation),
                                    m_bad.sections[symbol.section].name));
    }
    const ElfSymbol& function = m_bad.symbols[*entry];
    row.addend = relocation.addend + static_cast<std::int64_t>(symbol.value) -
                 static_cast<std::int64_t>(function.value);
    if (!function.is_local()) {
      row.symbol = undefined(function.name, STB_GLOBAL, function.other, STT_NOTYPE);
      return row;
    }
    std::uint32_t good_index = good_counterpart_function(function);
    row.symbol = undefined(good_alias_of(good_index), STB_GLOBAL, STV_HIDDEN, STT_NOTYPE);
    return row;
  }

  std::string describe_containing(const ElfRelocation& relocation) const {
    std::optional<std::uint32_t> function = function_containing(m_bad, m_bad_by_section, relocation);
    return function ? m_bad.symbols[*function].name : std::string("unnamed code");
  }

  // A reference from moved code to the program's state: a static variable (or a section of them),
  // resolved to good's single copy.
  PendingRelocation map_state_reference(const ElfRelocation& relocation, PendingRelocation row,
                                        std::uint32_t from) {
    const ElfSymbol& symbol = m_bad.symbols[relocation.symbol];
    const ElfSection& target = m_bad.sections[symbol.section];
    unsigned char type = target.is_tls() ? STT_TLS : STT_NOTYPE;
    if (symbol.type != STT_SECTION) {
      row.symbol = undefined(good_alias_of(good_counterpart_data(symbol.section, relocation.symbol)),
                             STB_GLOBAL, STV_HIDDEN, type);
      return row;
    }
    // A reference by section: to the variable if the section holds one, else to the whole section.
    std::vector<std::uint32_t> variables;
    std::set<std::uint64_t> addresses;
    for (std::uint32_t index : m_bad_by_section[symbol.section]) {
      if (is_data_symbol(m_bad.symbols[index])) {
        variables.push_back(index);
        addresses.insert(m_bad.symbols[index].value);
      }
    }
    if (addresses.size() == 1) {
      std::uint32_t variable = variables.front();
      for (std::uint32_t index : variables) {
        if (!m_bad.symbols[index].is_local()) {
          variable = index;  // an extern name for it, if there is one
        }
      }
      const ElfSymbol& chosen = m_bad.symbols[variable];
      row.addend = relocation.addend + static_cast<std::int64_t>(symbol.value) -
                   static_cast<std::int64_t>(chosen.value);
      if (!chosen.is_local()) {
        row.symbol = undefined(chosen.name, STB_GLOBAL, chosen.other, type);
      } else {
        row.symbol = undefined(good_alias_of(good_counterpart_data(symbol.section, variable)), STB_GLOBAL,
                               STV_HIDDEN, type);
      }
      return row;
    }
    row.symbol = undefined(good_section_anchor(symbol.section, from), STB_GLOBAL, STV_HIDDEN, type);
    return row;
  }

  // good's copy of a static function that moved code refers to but that stays (through a table of
  // function pointers): the one with the same name.
  std::uint32_t good_counterpart_function(const ElfSymbol& function) const {
    std::vector<std::uint32_t> found;
    for (std::uint32_t i = 1; i < m_good.symbols.size(); ++i) {
      const ElfSymbol& candidate = m_good.symbols[i];
      if (candidate.is_function() && candidate.is_local() && candidate.name == function.name &&
          m_dead.count(candidate.section) == 0) {
        found.push_back(i);
      }
    }
    if (found.size() != 1) {
      throw SpliceError(
          fmt::format("moved code refers to the static function {}, which stays, and good has {} "
                      "functions of that name",
                      function.name, found.size()));
    }
    return found.front();
  }

  // good's copy of bad's static variable `variable` (defined in `section`): the one with the same
  // name, else the only one with the same key (local_data_key).
  std::uint32_t good_counterpart_data(std::uint32_t section, std::uint32_t variable) const {
    const ElfSymbol& wanted = m_bad.symbols[variable];
    bool tls = m_bad.sections[section].is_tls();
    auto compatible = [&](const ElfSymbol& candidate) {
      return candidate.is_local() && is_data_symbol(candidate) &&
             candidate.section < m_good.sections.size() &&
             m_good.sections[candidate.section].is_tls() == tls &&
             !m_good.sections[candidate.section].is_code();
    };
    std::vector<std::uint32_t> found;
    for (std::uint32_t i = 1; i < m_good.symbols.size(); ++i) {
      if (compatible(m_good.symbols[i]) && m_good.symbols[i].name == wanted.name) {
        found.push_back(i);
      }
    }
    if (found.empty()) {
      std::string key = local_data_key(m_bad, wanted);
      std::size_t in_bad = 0;
      for (const ElfSymbol& other : m_bad.symbols) {
        if (other.is_local() && is_data_symbol(other) && local_data_key(m_bad, other) == key) {
          ++in_bad;
        }
      }
      for (std::uint32_t i = 1; i < m_good.symbols.size(); ++i) {
        if (in_bad == 1 && compatible(m_good.symbols[i]) &&
            local_data_key(m_good, m_good.symbols[i]) == key) {
          found.push_back(i);
        }
      }
    }
    if (found.size() != 1) {
      throw SpliceError(fmt::format("moved code uses the static variable {}, and good has {} that match it{}",
                                    wanted.name, found.size(),
                                    found.empty() ? " (good may have optimized it away)" : ""));
    }
    const ElfSymbol& match = m_good.symbols[found.front()];
    if (match.size != wanted.size && match.size != 0 && wanted.size != 0) {
      throw SpliceError(fmt::format("the static variable {} has {} bytes in bad but good's {} has {}",
                                    wanted.name, wanted.size, match.name, match.size));
    }
    return found.front();
  }

  // An alias at the start of good's copy of a section of static variables, usable when bad refers to
  // the section rather than to one variable (no -fdata-sections): only if both builds lay the
  // section out identically, so that the same offset names the same variable.
  std::string good_section_anchor(std::uint32_t section, std::uint32_t from) {
    const ElfSection& wanted = m_bad.sections[section];
    auto layout = [](const ElfObject& object, const std::vector<std::uint32_t>& symbols) {
      std::set<std::tuple<std::uint64_t, std::uint64_t, std::string>> entries;
      for (std::uint32_t index : symbols) {
        const ElfSymbol& symbol = object.symbols[index];
        if (is_data_symbol(symbol)) {
          entries.emplace(symbol.value, symbol.size,
                          symbol.is_local() ? local_data_key(object, symbol) : symbol.name);
        }
      }
      return entries;
    };
    std::vector<std::uint32_t> same;
    for (std::uint32_t s = 1; s < m_good.sections.size(); ++s) {
      const ElfSection& candidate = m_good.sections[s];
      if (candidate.name == wanted.name && candidate.type == wanted.type && candidate.size == wanted.size &&
          layout(m_good, m_good_by_section[s]) == layout(m_bad, m_bad_by_section[section])) {
        same.push_back(s);
      }
    }
    if (same.size() != 1) {
      throw SpliceError(
          fmt::format("{} uses a static variable in {}, which holds several and is laid out "
                      "differently by the two builds; rebuild both with -fdata-sections",
                      describe_section(from), wanted.name));
    }
    std::uint32_t good_section = same.front();
    auto [it, inserted] = m_good_anchors.emplace(
        good_section, fmt::format("{}section.{}{}", k_good_alias_prefix, good_section, wanted.name));
    return it->second;
  }

  std::string describe_section(std::uint32_t section) const {
    for (std::uint32_t index : m_bad_by_section[section]) {
      if (m_bad.symbols[index].is_function()) {
        return m_bad.symbols[index].name;
      }
    }
    return m_bad.sections[section].name;
  }

  // The hidden global name under which good' exports its symbol `index` to bad'.
  std::string good_alias_of(std::uint32_t index) {
    auto [it, inserted] = m_good_aliases.emplace(
        index, fmt::format("{}{}.{}", k_good_alias_prefix, index, m_good.symbols[index].name));
    return it->second;
  }

  // Appends to good the aliases bad' refers to (appending keeps every existing symbol index).
  void add_good_aliases() {
    for (const auto& [index, name] : m_good_aliases) {
      ElfSymbol alias = m_good.symbols[index];
      alias.name = name;
      alias.binding = STB_GLOBAL;
      alias.other = STV_HIDDEN;
      m_good.symbols.push_back(alias);
    }
    for (const auto& [section, name] : m_good_anchors) {
      ElfSymbol anchor;
      anchor.name = name;
      anchor.binding = STB_GLOBAL;
      anchor.other = STV_HIDDEN;
      anchor.type = m_good.sections[section].is_tls() ? STT_TLS : STT_OBJECT;
      anchor.section = section;
      m_good.symbols.push_back(anchor);
    }
  }

  ElfObject m_good;
  ElfObject m_bad;
  ElfObject m_part;               // bad'
  std::set<std::string> m_moved;  // every symbol of the chosen units
  std::vector<std::vector<std::uint32_t>> m_good_by_section;
  std::vector<std::vector<std::uint32_t>> m_bad_by_section;
  std::set<std::string> m_from_bad;                        // moved functions bad defines
  std::set<std::uint32_t> m_moved_code;                    // bad's sections of moved functions
  std::set<std::uint32_t> m_dead;                          // good's copies of them
  std::set<std::uint32_t> m_included;                      // bad's sections copied into bad'
  std::uint32_t m_eh_frame = 0;                            // bad's .eh_frame, 0 if none
  std::vector<FrameRecord> m_frame_records;                // all of bad's .eh_frame
  std::vector<FrameRecord> m_kept_frames;                  // those describing code bad' holds
  std::map<std::uint64_t, std::uint64_t> m_frame_offsets;  // kept record: bad offset -> bad' offset
  std::uint32_t m_part_eh_frame = 0;                       // bad' .eh_frame, 0 if none
  std::map<std::uint32_t, std::uint32_t> m_group_of;       // bad section -> its COMDAT group
  std::set<std::uint32_t> m_groups;                        // bad's groups copied into bad' as groups
  std::set<std::uint32_t> m_moved_groups;                  // bad's groups moved as plain sections
  std::map<std::uint32_t, std::uint32_t> m_rela_index;     // bad section -> bad' section of its relocations
  std::map<std::uint32_t, std::uint32_t> m_new_index;      // bad section -> bad' section
  std::map<std::uint32_t, SymbolRef> m_section_symbol;     // bad section -> its section symbol in bad'
  std::map<std::uint32_t, SymbolRef> m_copied;             // bad symbol -> its copy in bad'
  std::map<std::string, SymbolRef> m_undefined;            // name -> undefined symbol of bad'
  std::map<std::string, std::uint32_t> m_bad_exports;      // moved static function -> good's import
  std::map<std::uint32_t, std::string> m_good_aliases;     // good symbol -> alias name
  std::map<std::uint32_t, std::string> m_good_anchors;     // good section -> anchor name
  std::vector<ElfSymbol> m_locals;
  std::vector<ElfSymbol> m_globals;
};

void run_tool(const std::vector<std::string>& argv) {
  ProcessSpec spec;
  spec.argv = argv;
  spec.timeout_seconds = k_tool_timeout_seconds;
  ProcessResult result = run_process(spec);
  if (!result.started) {
    throw SpliceError(fmt::format("cannot run {}: {} (install binutils)", argv[0], result.error));
  }
  if (result.timed_out || result.exit_status != 0) {
    throw SpliceError(
        fmt::format("`{}` failed:\n{}", fmt::join(argv, " "), last_lines(result.output_tail, 10)));
  }
}

}  // namespace

SpliceResult splice_objects(const std::filesystem::path& good, const std::filesystem::path& bad,
                            const std::vector<SpliceUnit>& take_from_bad, const std::filesystem::path& out) {
  try {
    ElfObject good_object = read_elf_object(good);
    ElfObject bad_object = read_elf_object(bad);
    require_spliceable(good_object);
    require_spliceable(bad_object);
    std::set<std::string> moved;
    for (const SpliceUnit& unit : take_from_bad) {
      moved.insert(unit.symbols.begin(), unit.symbols.end());
    }
    Splicer splicer(std::move(good_object), std::move(bad_object), std::move(moved));
    splicer.run();

    std::filesystem::path target = std::filesystem::absolute(out);
    // Unique (O_EXCL, sys/temp_file.hpp) next to `out`, so that the final rename is atomic.
    TempDirectory scratch(target.parent_path(), "." + target.filename().string() + ".splice-");
    write_elf_object(splicer.good_part(), scratch / "good.o");
    write_elf_object(splicer.bad_part(), scratch / "bad.o");
    run_tool({"ld", "-r", "-o", (scratch / "joined.o").string(), (scratch / "good.o").string(),
              (scratch / "bad.o").string()});
    // The aliases only joined the two halves; local, they cannot clash with another spliced object.
    // .llvm_addrsig lists symbol indices that ld -r has renumbered, so it would mislead lld's ICF.
    run_tool({"objcopy", "--wildcard", fmt::format("--localize-symbol={}*", k_good_alias_prefix),
              fmt::format("--localize-symbol={}*", k_bad_alias_prefix), "--remove-section=.llvm_addrsig",
              (scratch / "joined.o").string(), (scratch / "spliced.o").string()});
    std::filesystem::rename(scratch / "spliced.o", target);
    return {true, ""};
  } catch (const UserError& error) {
    return {false, error.what()};
  } catch (const SpliceError& error) {
    return {false, fmt::format("cannot splice {} into {}: {}", bad.string(), good.string(), error.what())};
  } catch (const std::filesystem::filesystem_error& error) {
    return {false, error.what()};
  } catch (const std::exception& error) {
    // The promise is "never throws": whatever else goes wrong (memory) ends this splice only.
    return {false, fmt::format("cannot splice {} into {}: {}", bad.string(), good.string(), error.what())};
  } catch (...) {
    return {false, fmt::format("cannot splice {} into {}: unknown error", bad.string(), good.string())};
  }
}

}  // namespace ccbisect
