// Finding the function definitions of a translation unit precisely, with libclang (C API): where each
// definition starts in the file as written (so an attribute can be put where the language accepts
// it), also when the definition starts with a macro, is static or inline, or is an old K&R definition;
// and for C++, function templates, members defined in a class body, lambdas, and the inline functions
// and templates of the project's own headers that the TU uses.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "capture/compdb.hpp"

namespace ccbisect {

// How a definition takes the "compile this one like good" switch.
enum class Placement {
  attribute,  // an attribute at insert_offset (or clang_insert_offset)
  pragma,     // its head comes out of a macro (gtest's TEST(...)) and its body is written in the file:
              // a push/pop pragma pair around [insert_offset, end_offset), on the same lines
};

struct FunctionDefinition {
  // C: the identifier. C++: the qualified signature as written (`ns::Box<T>::get() const`,
  // `twice<T>(T)`, `run(int)::lambda(int)`), which tells overloads, members and lambdas apart.
  std::string name;
  std::filesystem::path file;  // where it is written: the TU, or a project header the TU includes
  unsigned line = 0;
  std::size_t insert_offset = 0;        // where the attribute goes: after any template head and [[...]]
                                        // (for a lambda, GCC's place: before `->` or the body)
  std::size_t clang_insert_offset = 0;  // equal to insert_offset except for lambdas: Clang wants the
                                        // attribute right after the parameter list
  std::size_t end_offset = 0;           // just past the closing brace (the pragma form)
  bool lambda_needs_parens = false;     // a lambda written `[] {…}`: "()" goes in front of the attribute
  bool is_static = false;
  bool is_inline = false;
  bool is_lambda = false;
  bool from_macro = false;  // the whole definition comes out of one macro invocation
  Placement placement = Placement::attribute;
};

struct FunctionScan {
  // In file order, the TU's definitions first, then those of the project's headers (non-system) that
  // some code of the TU or of those headers refers to.
  std::vector<FunctionDefinition> functions;
  // C++ definitions written entirely inside a macro expansion, which no attribute or pragma can reach
  // without also covering code that is not theirs: not items ("name (file:line)").
  std::vector<std::string> skipped;
  std::string error;  // set when libclang could not parse the TU
};

// Parses `entry`'s source with its own include paths and macros (other options are dropped: libclang
// is a front end, not the user's compiler). Never throws: a TU that cannot be parsed comes back with
// `error` set and no functions, and the caller falls back to another mechanism.
FunctionScan find_function_definitions(const CompileEntry& entry);

// What `annotate_source` inserts: the attribute, and the pragma pair for Placement::pragma.
struct Annotation {
  std::string attribute;     // e.g. __attribute__((optimize("O1")))
  std::string pragma_begin;  // e.g. _Pragma("GCC push_options") _Pragma("GCC optimize(\"O1\")")
  std::string pragma_end;    // e.g. _Pragma("GCC pop_options")
  bool clang = false;        // lambdas take the attribute at clang_insert_offset
};

// The source with `annotation` applied to every function in `functions` (all written in this source),
// on the same lines so that line numbers, and with them diagnostics and debug info, stay as in the
// original.
std::string annotate_source(const std::string& source, const std::vector<FunctionDefinition>& functions,
                            const Annotation& annotation);

// The directories a compile of `entry` searches for a header, in order: the source's own folder, then
// -iquote, then -I (absolute). A header copy must be found where the original was, so the function
// level mirrors it under each of these that contains it.
std::vector<std::filesystem::path> include_search_order(const CompileEntry& entry);

}  // namespace ccbisect
