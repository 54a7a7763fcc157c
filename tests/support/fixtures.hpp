// What the end-to-end tests share, written once: the C snippet whose answer is known by construction
// and the [good]/[bad] sides of ccbisect.toml.
#pragma once

#include <string>

namespace ccbisect::testing {

// tag_make patches the low half of a 32-bit word through a 16-bit view: undefined under strict
// aliasing. gcc-12 -O1 computes 0x10005, gcc-12 -O2 (-fstrict-aliasing) does not. Needs <stdint.h>.
inline const std::string k_tag_make_code =
    "/* patches the low half of a header word through a 16-bit view: UB under strict aliasing */\n"
    "uint32_t tag_make(uint32_t *slot, uint16_t kind, uint16_t len) {\n"
    "  *slot = (uint32_t)kind << 16;\n  uint16_t *half = (uint16_t *)slot;\n  half[0] = len;\n"
    "  return *slot;\n}\n";
inline const std::string k_tag_make_declaration = "uint32_t tag_make(uint32_t *, uint16_t, uint16_t);";
// The body of a main that exits 0 exactly when tag_make is compiled correctly.
inline const std::string k_tag_make_check = "uint32_t w; return tag_make(&w, 1, 5) == 0x10005u ? 0 : 1;";
// The TU and a main for it.
inline const std::string k_tag_make_tu = "#include <stdint.h>\n" + k_tag_make_code;
inline const std::string k_tag_make_main =
    "#include <stdint.h>\n" + k_tag_make_declaration + "\nint main(void) { " + k_tag_make_check + " }\n";

// A [good] or [bad] section of ccbisect.toml.
inline std::string toml_side(const std::string& side, const std::string& cc, const std::string& flags) {
  return "[" + side + "]\ncc = \"" + cc + "\"\nflags = \"" + flags + "\"";
}

// One compiler at two levels: the difference that exposes tag_make.
inline const std::string k_good_gcc12_o1 = toml_side("good", "gcc-12", "-O1");
inline const std::string k_bad_gcc12_o2 = toml_side("bad", "gcc-12", "-O2");
// The same, with -DSIDE=0/1 so that code can tell the sides apart deterministically.
inline const std::string k_good_side0 = toml_side("good", "gcc-12", "-O1 -DSIDE=0");
inline const std::string k_bad_side1 = toml_side("bad", "gcc-12", "-O2 -DSIDE=1");

}  // namespace ccbisect::testing
