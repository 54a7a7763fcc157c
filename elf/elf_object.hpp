// A relocatable x86-64 ELF object held in memory: its sections, symbols and relocations, read and
// written with libelf. The function level reads both builds of a TU into this model, groups their
// functions (symbol_graph.hpp) and rewrites them into one spliced object (elf_splice.hpp).
//
// Only what splicing needs is modelled: ELFCLASS64, little-endian, EM_X86_64, ET_REL, RELA
// relocations, fewer than 65280 sections. Anything else is refused with a UserError naming the file.
#pragma once

#include <elf.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace ccbisect {

struct ElfSymbol {
  std::string name;                   // empty for section symbols
  unsigned char type = STT_NOTYPE;    // STT_*
  unsigned char binding = STB_LOCAL;  // STB_*
  unsigned char other = STV_DEFAULT;  // st_other: the visibility
  std::uint32_t section = SHN_UNDEF;  // a section index, or SHN_UNDEF / SHN_ABS / SHN_COMMON
  std::uint64_t value = 0;
  std::uint64_t size = 0;

  bool is_local() const { return binding == STB_LOCAL; }
  // Defined in one of the object's sections (not undefined, absolute or common).
  bool in_section() const { return section != SHN_UNDEF && section < SHN_LORESERVE; }
  bool is_function() const { return in_section() && (type == STT_FUNC || type == STT_GNU_IFUNC); }
};

struct ElfRelocation {
  std::uint64_t offset = 0;  // in the section the relocation applies to
  std::uint32_t type = 0;    // R_X86_64_*
  std::uint32_t symbol = 0;  // index into ElfObject::symbols
  std::int64_t addend = 0;
};

struct ElfSection {
  std::string name;
  std::uint32_t type = SHT_NULL;
  std::uint64_t flags = 0;
  std::uint64_t size = 0;  // bytes.size(), except for SHT_NOBITS
  std::uint32_t link = 0;
  std::uint32_t info = 0;
  std::uint64_t alignment = 1;
  std::uint64_t entry_size = 0;
  std::vector<unsigned char> bytes;        // file contents; unused for SHT_SYMTAB, SHT_RELA and string tables
  std::vector<ElfRelocation> relocations;  // SHT_RELA only: the entries (they apply to section `info`)
  std::uint32_t relocated_by = 0;          // the SHT_RELA section applying to this one, 0 if none

  bool is_alloc() const { return (flags & SHF_ALLOC) != 0; }
  bool is_code() const { return is_alloc() && (flags & SHF_EXECINSTR) != 0; }
  bool is_writable() const { return (flags & SHF_WRITE) != 0; }
  bool is_tls() const { return (flags & SHF_TLS) != 0; }
  bool in_group() const { return (flags & SHF_GROUP) != 0; }
  bool is_eh_frame() const { return name == ".eh_frame"; }
};

struct ElfObject {
  std::filesystem::path path;  // where it was read from (for messages)
  unsigned char os_abi = ELFOSABI_NONE;
  unsigned char abi_version = 0;
  std::uint32_t flags = 0;           // e_flags
  std::vector<ElfSection> sections;  // [0] is the null section
  std::vector<ElfSymbol> symbols;    // [0] is the null symbol; locals first, as ELF requires
  std::uint32_t symbol_table = 0;    // index of the SHT_SYMTAB section, 0 if none
  std::uint32_t section_names = 0;   // e_shstrndx

  // The relocations that apply to `section` (empty if none).
  const std::vector<ElfRelocation>& relocations_of(std::uint32_t section) const;
  // The symbols defined in each section, by section index, in symbol-table order (section and file
  // symbols excluded).
  std::vector<std::vector<std::uint32_t>> symbols_by_section() const;
};

// Reads a relocatable x86-64 ELF object. Throws UserError naming the file if it cannot be read or is
// not one (an archive, another machine, SHT_REL relocations, extended section numbering).
ElfObject read_elf_object(const std::filesystem::path& path);

// Writes `object` to `path`, sections in their order. The symbol table, the relocation sections and
// the string tables are generated from the model (one string table serves both section and symbol
// names); every other section is written byte for byte. Throws UserError if the file cannot be
// written or the model is inconsistent (a local symbol after a global one).
void write_elf_object(const ElfObject& object, const std::filesystem::path& path);

// The advice given whenever functions share a section.
inline constexpr const char* k_function_sections_advice =
    "rebuild it with -ffunction-sections -fdata-sections so that each function has its own section";

// Throws UserError naming the file unless `object` can be spliced function by function: it must
// hold machine code (not gcc's -flto GIMPLE) and have been built with -ffunction-sections, i.e. none
// of the default code sections (.text, .text.unlikely, .text.hot, .text.startup, .text.exit) holds
// functions at two or more addresses (the message then gives k_function_sections_advice).
void require_spliceable(const ElfObject& object);

// The function a relocation points at when it names a function's entry: its target lies at the
// function's address or 4 bytes before it (the form a PC-relative call, jump or address-of takes).
// A global name is preferred to a local alias at the same address. Nothing if the target is not in
// code or lies inside a function body (a jump-table entry, a label address, a jump back from a
// .cold part).
std::optional<std::uint32_t> function_entry(const ElfObject& object,
                                            const std::vector<std::vector<std::uint32_t>>& by_section,
                                            const ElfRelocation& relocation);

// The function whose body contains the relocation's target (or whose entry it names), if any.
std::optional<std::uint32_t> function_containing(const ElfObject& object,
                                                 const std::vector<std::vector<std::uint32_t>>& by_section,
                                                 const ElfRelocation& relocation);

// Whether `section` holds data that belongs to the code referring to it rather than to the program's
// state: read-only data (string literals, constant and jump tables, .data.rel.ro), or writable data holding
// absolute addresses inside function bodies (computed-goto label tables). Such data moves with its
// code; all other data (writable or thread-local) is the program's state and always comes from good.
bool is_private_data(const ElfObject& object, const std::vector<std::vector<std::uint32_t>>& by_section,
                     std::uint32_t section);

// The name a local data symbol goes by across compilers: gcc numbers function-local statics
// ("calls.0"), clang prefixes them with their function ("name.calls"); both become "calls". ABI tags
// in C++ names ("B5cxx11"), which the two compilers put in different places, are dropped.
std::string local_data_key(const ElfObject& object, const ElfSymbol& symbol);

}  // namespace ccbisect
