// Finding the function definitions of a translation unit precisely, with libclang (C API): where each
// definition starts in the file as written (so an attribute can be put in front of it), also when the
// definition starts with a macro, is static or inline, or is an old K&R definition.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "capture/compdb.hpp"

namespace ccbisect {

struct FunctionDefinition {
  std::string name;
  std::size_t insert_offset = 0;  // byte offset in the source where the definition begins as written
  unsigned line = 0;
  bool is_static = false;
  bool is_inline = false;
  bool from_macro = false;  // the whole definition comes out of a macro invocation
};

struct FunctionScan {
  std::vector<FunctionDefinition> functions;  // in file order, definitions in the main file only
  std::string error;                          // set when libclang could not parse the TU
};

// Parses `entry`'s source with its own include paths and macros (other options are dropped: libclang
// is a front end, not the user's compiler). Never throws: a TU that cannot be parsed comes back with
// `error` set and no functions, and the caller falls back to another mechanism.
FunctionScan find_function_definitions(const CompileEntry& entry);

// The source with `prefix` inserted before every function in `functions` (by insert_offset), on the
// same line so that line numbers, and with them diagnostics and debug info, stay as in the original.
std::string annotate_source(const std::string& source, const std::vector<FunctionDefinition>& functions,
                            const std::string& prefix);

}  // namespace ccbisect
