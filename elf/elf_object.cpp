// Reading and writing relocatable x86-64 ELF objects with libelf; see elf_object.hpp.
//
// The reader keeps every section's bytes as they are in the file and parses only the symbol table and
// the relocations, which is what splicing rewrites. The writer regenerates those two and the string
// tables from the model and copies everything else, so an object read and written unchanged links
// exactly like the original. Keeping the section order is what lets a rewrite leave group sections,
// SHF_LINK_ORDER links and .llvm_addrsig's symbol indices valid: splicing only appends symbols and
// edits relocations, it never renumbers.
#include "elf/elf_object.hpp"

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <deque>
#include <map>
#include <set>

#include <fmt/format.h>

#include "bisector/errors.hpp"

namespace ccbisect {
namespace {

// The file descriptor and libelf handle of one object, released together.
class ElfHandle {
 public:
  ElfHandle(const std::filesystem::path& path, bool writing) : m_path(path) {
    if (elf_version(EV_CURRENT) == EV_NONE) {
      throw UserError(fmt::format("libelf is too old to read {}: {}", path.string(), elf_errmsg(-1)));
    }
    m_fd = writing ? ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)
                   : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (m_fd < 0) {
      throw UserError(
          fmt::format("cannot {} {}: {}", writing ? "write" : "read", path.string(), std::strerror(errno)));
    }
    m_elf = elf_begin(m_fd, writing ? ELF_C_WRITE : ELF_C_READ, nullptr);
    if (m_elf == nullptr) {
      ::close(m_fd);
      throw UserError(fmt::format("libelf cannot open {}: {}", path.string(), elf_errmsg(-1)));
    }
  }
  ~ElfHandle() {
    elf_end(m_elf);
    ::close(m_fd);
  }
  ElfHandle(const ElfHandle&) = delete;
  ElfHandle& operator=(const ElfHandle&) = delete;
  Elf* get() const { return m_elf; }
  [[noreturn]] void fail(const std::string& what) const {
    throw UserError(fmt::format("{}: {}", m_path.string(), what));
  }
  [[noreturn]] void fail_libelf(const std::string& what) const { fail(what + ": " + elf_errmsg(-1)); }

 private:
  std::filesystem::path m_path;
  int m_fd = -1;
  Elf* m_elf = nullptr;
};

// One string table for section and symbol names, each name stored once.
class StringTable {
 public:
  StringTable() { m_bytes.push_back('\0'); }
  std::uint32_t add(const std::string& text) {
    if (text.empty()) {
      return 0;
    }
    auto [it, inserted] = m_offsets.emplace(text, static_cast<std::uint32_t>(m_bytes.size()));
    if (inserted) {
      m_bytes.insert(m_bytes.end(), text.begin(), text.end());
      m_bytes.push_back('\0');
    }
    return it->second;
  }
  const std::vector<unsigned char>& bytes() const { return m_bytes; }

 private:
  std::vector<unsigned char> m_bytes;
  std::map<std::string, std::uint32_t> m_offsets;
};

const std::vector<ElfRelocation> k_no_relocations;

}  // namespace

const std::vector<ElfRelocation>& ElfObject::relocations_of(std::uint32_t section) const {
  if (section >= sections.size() || sections[section].relocated_by == 0) {
    return k_no_relocations;
  }
  return sections[sections[section].relocated_by].relocations;
}

std::vector<std::vector<std::uint32_t>> ElfObject::symbols_by_section() const {
  std::vector<std::vector<std::uint32_t>> by_section(sections.size());
  for (std::uint32_t i = 1; i < symbols.size(); ++i) {
    const ElfSymbol& symbol = symbols[i];
    if (symbol.in_section() && symbol.section < sections.size() && symbol.type != STT_SECTION &&
        symbol.type != STT_FILE) {
      by_section[symbol.section].push_back(i);
    }
  }
  return by_section;
}

ElfObject read_elf_object(const std::filesystem::path& path) {
  ElfHandle handle(path, false);
  Elf* elf = handle.get();
  if (elf_kind(elf) != ELF_K_ELF) {
    handle.fail("not an ELF object (an archive or another kind of file)");
  }
  GElf_Ehdr header;
  if (gelf_getehdr(elf, &header) == nullptr) {
    handle.fail_libelf("cannot read the ELF header");
  }
  if (header.e_ident[EI_CLASS] != ELFCLASS64 || header.e_ident[EI_DATA] != ELFDATA2LSB ||
      header.e_machine != EM_X86_64) {
    handle.fail("not an x86-64 object; function splicing supports x86-64 ELF only");
  }
  if (header.e_type != ET_REL) {
    handle.fail("not a relocatable object (.o); function splicing works on compiler output");
  }
  ElfObject object;
  object.path = path;
  object.os_abi = header.e_ident[EI_OSABI];
  object.abi_version = header.e_ident[EI_ABIVERSION];
  object.flags = header.e_flags;
  std::size_t count = 0;
  std::size_t names = 0;
  if (elf_getshdrnum(elf, &count) != 0 || elf_getshdrstrndx(elf, &names) != 0) {
    handle.fail_libelf("cannot count the sections");
  }
  if (count >= SHN_LORESERVE) {
    handle.fail(fmt::format("{} sections; objects with {} or more are not supported", count, SHN_LORESERVE));
  }
  object.section_names = static_cast<std::uint32_t>(names);
  object.sections.resize(count);
  for (std::size_t i = 1; i < count; ++i) {
    Elf_Scn* scn = elf_getscn(elf, i);
    GElf_Shdr shdr;
    if (scn == nullptr || gelf_getshdr(scn, &shdr) == nullptr) {
      handle.fail_libelf(fmt::format("cannot read section {}", i));
    }
    ElfSection& section = object.sections[i];
    const char* name = elf_strptr(elf, names, shdr.sh_name);
    section.name = name != nullptr ? name : "";
    section.type = shdr.sh_type;
    section.flags = shdr.sh_flags;
    section.size = shdr.sh_size;
    section.link = shdr.sh_link;
    section.info = shdr.sh_info;
    section.alignment = std::max<std::uint64_t>(shdr.sh_addralign, 1);
    section.entry_size = shdr.sh_entsize;
    if (shdr.sh_type == SHT_REL) {
      handle.fail(
          fmt::format("section {} holds REL relocations; only RELA (x86-64) is supported", section.name));
    }
    if (shdr.sh_type == SHT_SYMTAB_SHNDX) {
      handle.fail("extended section indices (SHT_SYMTAB_SHNDX) are not supported");
    }
    if (shdr.sh_type == SHT_RELA) {
      Elf_Data* data = elf_getdata(scn, nullptr);
      std::size_t entries = shdr.sh_entsize != 0 ? shdr.sh_size / shdr.sh_entsize : 0;
      for (std::size_t k = 0; k < entries; ++k) {
        GElf_Rela rela;
        if (gelf_getrela(data, static_cast<int>(k), &rela) == nullptr) {
          handle.fail_libelf(fmt::format("cannot read relocation {} of {}", k, section.name));
        }
        section.relocations.push_back({rela.r_offset, static_cast<std::uint32_t>(GELF_R_TYPE(rela.r_info)),
                                       static_cast<std::uint32_t>(GELF_R_SYM(rela.r_info)), rela.r_addend});
      }
    } else if (shdr.sh_type == SHT_SYMTAB) {
      if (object.symbol_table != 0) {
        handle.fail("more than one symbol table");
      }
      object.symbol_table = static_cast<std::uint32_t>(i);
    } else if (shdr.sh_type != SHT_NOBITS && shdr.sh_size != 0) {
      Elf_Data* data = elf_rawdata(scn, nullptr);
      if (data == nullptr || data->d_size != shdr.sh_size) {
        handle.fail_libelf(fmt::format("cannot read section {}", section.name));
      }
      const auto* bytes = static_cast<const unsigned char*>(data->d_buf);
      section.bytes.assign(bytes, bytes + data->d_size);
    }
  }
  for (std::size_t i = 1; i < count; ++i) {
    ElfSection& section = object.sections[i];
    if (section.type == SHT_RELA && section.info != 0 && section.info < count &&
        section.link == object.symbol_table) {
      object.sections[section.info].relocated_by = static_cast<std::uint32_t>(i);
    }
  }
  if (object.symbol_table == 0) {
    handle.fail("no symbol table (was it stripped?)");
  }
  Elf_Scn* symtab = elf_getscn(elf, object.symbol_table);
  GElf_Shdr symtab_header;
  gelf_getshdr(symtab, &symtab_header);
  Elf_Data* data = elf_getdata(symtab, nullptr);
  std::size_t entries = symtab_header.sh_entsize != 0 ? symtab_header.sh_size / symtab_header.sh_entsize : 0;
  object.symbols.reserve(entries);
  for (std::size_t k = 0; k < entries; ++k) {
    GElf_Sym sym;
    if (gelf_getsym(data, static_cast<int>(k), &sym) == nullptr) {
      handle.fail_libelf(fmt::format("cannot read symbol {}", k));
    }
    ElfSymbol symbol;
    const char* name = elf_strptr(elf, symtab_header.sh_link, sym.st_name);
    symbol.name = name != nullptr ? name : "";
    symbol.type = GELF_ST_TYPE(sym.st_info);
    symbol.binding = GELF_ST_BIND(sym.st_info);
    symbol.other = sym.st_other;
    symbol.section = sym.st_shndx;
    symbol.value = sym.st_value;
    symbol.size = sym.st_size;
    object.symbols.push_back(std::move(symbol));
  }
  for (const ElfSection& section : object.sections) {
    for (const ElfRelocation& relocation : section.relocations) {
      if (relocation.symbol >= object.symbols.size()) {
        handle.fail(fmt::format("a relocation in {} names symbol {}, past the end of the table", section.name,
                                relocation.symbol));
      }
    }
  }
  return object;
}

void write_elf_object(const ElfObject& object, const std::filesystem::path& path) {
  if (object.symbol_table == 0 || object.symbol_table >= object.sections.size()) {
    throw UserError(fmt::format("internal error writing {}: no symbol table", path.string()));
  }
  // One string table for everything, written into both the symbol table's and the header's.
  StringTable strings;
  std::vector<std::uint32_t> section_name_offsets;
  for (const ElfSection& section : object.sections) {
    section_name_offsets.push_back(strings.add(section.name));
  }
  std::vector<Elf64_Sym> symbols(object.symbols.size());
  std::uint32_t first_global = static_cast<std::uint32_t>(object.symbols.size());
  for (std::size_t i = 0; i < object.symbols.size(); ++i) {
    const ElfSymbol& symbol = object.symbols[i];
    if (symbol.is_local() && i > first_global) {
      throw UserError(fmt::format("internal error writing {}: local symbol {} after a global one",
                                  path.string(), symbol.name));
    }
    if (!symbol.is_local() && i < first_global) {
      first_global = static_cast<std::uint32_t>(i);
    }
    Elf64_Sym& out = symbols[i];
    out.st_name = i == 0 ? 0 : strings.add(symbol.name);
    out.st_info = static_cast<unsigned char>(ELF64_ST_INFO(symbol.binding, symbol.type));
    out.st_other = symbol.other;
    out.st_shndx = static_cast<Elf64_Section>(symbol.section);
    out.st_value = symbol.value;
    out.st_size = symbol.size;
  }
  const std::uint32_t string_table = object.sections[object.symbol_table].link;

  ElfHandle handle(path, true);
  Elf* elf = handle.get();
  if (gelf_newehdr(elf, ELFCLASS64) == nullptr) {
    handle.fail_libelf("cannot create the ELF header");
  }
  GElf_Ehdr header;
  gelf_getehdr(elf, &header);
  header.e_ident[EI_DATA] = ELFDATA2LSB;
  header.e_ident[EI_OSABI] = object.os_abi;
  header.e_ident[EI_ABIVERSION] = object.abi_version;
  header.e_machine = EM_X86_64;
  header.e_type = ET_REL;
  header.e_version = EV_CURRENT;
  header.e_flags = object.flags;
  header.e_shstrndx = static_cast<Elf64_Half>(object.section_names);
  if (gelf_update_ehdr(elf, &header) == 0) {
    handle.fail_libelf("cannot write the ELF header");
  }
  // libelf reads the buffers only in elf_update, so they live until then.
  std::deque<std::vector<Elf64_Rela>> relocation_buffers;
  for (std::size_t i = 1; i < object.sections.size(); ++i) {
    const ElfSection& section = object.sections[i];
    Elf_Scn* scn = elf_newscn(elf);
    if (scn == nullptr) {
      handle.fail_libelf("cannot add a section");
    }
    Elf_Data* data = elf_newdata(scn);
    data->d_version = EV_CURRENT;
    data->d_align = section.alignment;
    data->d_type = ELF_T_BYTE;
    std::uint32_t link = section.link;
    std::uint32_t info = section.info;
    std::uint64_t entry_size = section.entry_size;
    if (i == object.symbol_table) {
      data->d_type = ELF_T_SYM;
      data->d_buf = symbols.data();
      data->d_size = symbols.size() * sizeof(Elf64_Sym);
      data->d_align = 8;
      info = first_global;
      entry_size = sizeof(Elf64_Sym);
    } else if (i == string_table || i == object.section_names) {
      data->d_buf = const_cast<unsigned char*>(strings.bytes().data());
      data->d_size = strings.bytes().size();
    } else if (section.type == SHT_RELA) {
      std::vector<Elf64_Rela>& rows = relocation_buffers.emplace_back();
      for (const ElfRelocation& relocation : section.relocations) {
        rows.push_back(
            {relocation.offset, ELF64_R_INFO(relocation.symbol, relocation.type), relocation.addend});
      }
      data->d_type = ELF_T_RELA;
      data->d_buf = rows.data();
      data->d_size = rows.size() * sizeof(Elf64_Rela);
      data->d_align = 8;
      link = object.symbol_table;
      entry_size = sizeof(Elf64_Rela);
    } else if (section.type == SHT_NOBITS) {
      data->d_buf = nullptr;
      data->d_size = section.size;
    } else {
      data->d_buf = const_cast<unsigned char*>(section.bytes.data());
      data->d_size = section.bytes.size();
    }
    GElf_Shdr shdr;
    gelf_getshdr(scn, &shdr);
    shdr.sh_name = section_name_offsets[i];
    shdr.sh_type = section.type;
    shdr.sh_flags = section.flags;
    shdr.sh_addr = 0;
    shdr.sh_size = data->d_size;
    shdr.sh_link = link;
    shdr.sh_info = info;
    shdr.sh_addralign = data->d_align;
    shdr.sh_entsize = entry_size;
    if (gelf_update_shdr(scn, &shdr) == 0) {
      handle.fail_libelf(fmt::format("cannot write the header of section {}", section.name));
    }
  }
  if (elf_update(elf, ELF_C_WRITE) < 0) {
    handle.fail_libelf("cannot write the object");
  }
}

void require_spliceable(const ElfObject& object) {
  for (const ElfSection& section : object.sections) {
    if (section.name.rfind(".gnu.lto_", 0) == 0) {
      throw UserError(
          fmt::format("{}: an LTO object (GIMPLE, no machine code per function); rebuild it "
                      "without -flto to splice functions",
                      object.path.string()));
    }
  }
  static const std::set<std::string> k_shared_names = {".text", ".text.unlikely", ".text.hot",
                                                       ".text.startup", ".text.exit"};
  std::vector<std::vector<std::uint32_t>> by_section = object.symbols_by_section();
  for (std::uint32_t s = 1; s < object.sections.size(); ++s) {
    if (!object.sections[s].is_code() || k_shared_names.count(object.sections[s].name) == 0) {
      continue;
    }
    std::set<std::uint64_t> addresses;
    std::vector<std::string> names;
    for (std::uint32_t index : by_section[s]) {
      const ElfSymbol& symbol = object.symbols[index];
      if (symbol.is_function() && addresses.insert(symbol.value).second) {
        names.push_back(symbol.name);
      }
    }
    if (names.size() >= 2) {
      throw UserError(fmt::format("{}: functions {} and {} share the section {}; {}", object.path.string(),
                                  names[0], names[1], object.sections[s].name, k_function_sections_advice));
    }
  }
}

namespace {

// The address inside its section that a relocation refers to, before the PC-relative bias.
std::uint64_t target_offset(const ElfObject& object, const ElfRelocation& relocation) {
  return object.symbols[relocation.symbol].value + static_cast<std::uint64_t>(relocation.addend);
}

}  // namespace

std::optional<std::uint32_t> function_entry(const ElfObject& object,
                                            const std::vector<std::vector<std::uint32_t>>& by_section,
                                            const ElfRelocation& relocation) {
  const ElfSymbol& target = object.symbols[relocation.symbol];
  if (!target.in_section() || target.section >= object.sections.size() ||
      !object.sections[target.section].is_code()) {
    return std::nullopt;
  }
  std::uint64_t offset = target_offset(object, relocation);
  std::optional<std::uint32_t> found;
  for (std::uint32_t index : by_section[target.section]) {
    const ElfSymbol& symbol = object.symbols[index];
    if (symbol.is_function() && (symbol.value == offset || symbol.value == offset + 4)) {
      if (!found || (object.symbols[*found].is_local() && !symbol.is_local())) {
        found = index;
      }
    }
  }
  return found;
}

std::optional<std::uint32_t> function_containing(const ElfObject& object,
                                                 const std::vector<std::vector<std::uint32_t>>& by_section,
                                                 const ElfRelocation& relocation) {
  if (std::optional<std::uint32_t> entry = function_entry(object, by_section, relocation)) {
    return entry;
  }
  const ElfSymbol& target = object.symbols[relocation.symbol];
  if (!target.in_section() || target.section >= object.sections.size()) {
    return std::nullopt;
  }
  std::uint64_t offset = target_offset(object, relocation);
  for (std::uint32_t index : by_section[target.section]) {
    const ElfSymbol& symbol = object.symbols[index];
    // A jump to the very end of a function (its last instruction falls through) still belongs to it.
    if (symbol.is_function() && offset >= symbol.value && offset <= symbol.value + symbol.size) {
      return index;
    }
  }
  return std::nullopt;
}

bool is_private_data(const ElfObject& object, const std::vector<std::vector<std::uint32_t>>& by_section,
                     std::uint32_t section) {
  const ElfSection& data = object.sections[section];
  if (!data.is_alloc() || data.is_code() || data.is_tls() || data.is_eh_frame()) {
    return false;
  }
  // .data.rel.ro is constant data that holds addresses: written by the dynamic linker only, then
  // made read-only (RELRO), e.g. a static const table of function pointers in a PIE.
  bool relro = data.name == ".data.rel.ro" || data.name.rfind(".data.rel.ro.", 0) == 0;
  if (!data.is_writable() || relro) {
    return true;
  }
  for (const ElfRelocation& relocation : object.relocations_of(section)) {
    bool absolute =
        relocation.type == R_X86_64_64 || relocation.type == R_X86_64_32 || relocation.type == R_X86_64_32S;
    const ElfSymbol& target = object.symbols[relocation.symbol];
    if (absolute && target.in_section() && target.section < object.sections.size() &&
        object.sections[target.section].is_code() && !function_entry(object, by_section, relocation)) {
      return true;
    }
  }
  return false;
}

std::string local_data_key(const ElfObject& object, const ElfSymbol& symbol) {
  std::string key = symbol.name;
  // C++: gcc and clang disagree on ABI tags in the names of internal variables
  // (_ZN7testing8internalL7g_argvsE against _ZN7testing8internalL7g_argvsB5cxx11E): drop "B<n><tag>".
  if (key.rfind("_Z", 0) == 0) {
    for (std::size_t at = key.find('B', 2); at != std::string::npos; at = key.find('B', at + 1)) {
      std::size_t digits = at + 1;
      std::size_t length = 0;
      while (digits < key.size() && key[digits] >= '0' && key[digits] <= '9') {
        length = length * 10 + static_cast<std::size_t>(key[digits] - '0');
        ++digits;
      }
      bool identifier = digits > at + 1 && length > 0 && digits + length <= key.size() &&
                        std::all_of(key.begin() + static_cast<std::ptrdiff_t>(digits),
                                    key.begin() + static_cast<std::ptrdiff_t>(digits + length), [](char c) {
                                      return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
                                    });
      if (identifier) {
        key.erase(at, digits + length - at);
        at = at == 0 ? 0 : at - 1;
      }
    }
  }
  // gcc: "calls.0", "buf.12"
  std::size_t dot = key.rfind('.');
  if (dot != std::string::npos && dot + 1 < key.size() &&
      std::all_of(key.begin() + static_cast<std::ptrdiff_t>(dot) + 1, key.end(),
                  [](char c) { return c >= '0' && c <= '9'; })) {
    key.erase(dot);
  }
  // clang: "name.calls", where "name" is a function of the same object
  for (std::size_t split = key.find('.'); split != std::string::npos; split = key.find('.', split + 1)) {
    std::string prefix = key.substr(0, split);
    bool is_function = std::any_of(object.symbols.begin(), object.symbols.end(), [&](const ElfSymbol& other) {
      return other.is_function() && other.name == prefix;
    });
    if (is_function) {
      return key.substr(split + 1);
    }
  }
  return key;
}

}  // namespace ccbisect
