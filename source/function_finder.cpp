// libclang function finder; see function_finder.hpp.
//
// The insert point is the expansion location of the start of the definition's extent: for a
// definition that begins with a macro (`STATIC_INLINE int f(void)`) that is the macro's name, in front
// of which an attribute is still valid. A definition produced entirely by one macro invocation shares
// its insert point with the invocation; such functions are marked `from_macro` (an attribute there
// applies to the first declaration the macro produces).
#include "source/function_finder.hpp"

#include <clang-c/Index.h>

#include <algorithm>
#include <map>

#include <fmt/format.h>

namespace ccbisect {
namespace {

// The options libclang needs to see the same code: include paths, macros, language standard.
std::vector<std::string> front_end_arguments(const CompileEntry& entry) {
  std::vector<std::string> args;
  const std::vector<std::string>& in = entry.arguments;
  for (std::size_t i = 1; i < in.size(); ++i) {
    const std::string& arg = in[i];
    bool takes_value = arg == "-I" || arg == "-D" || arg == "-U" || arg == "-include" || arg == "-isystem" ||
                       arg == "-iquote" || arg == "-idirafter";
    if (takes_value && i + 1 < in.size()) {
      args.push_back(arg);
      args.push_back(in[++i]);
      continue;
    }
    for (const char* kept : {"-I", "-D", "-U", "-std=", "-isystem", "-iquote", "-idirafter", "-include"}) {
      if (arg.rfind(kept, 0) == 0 && arg.size() > std::string(kept).size()) {
        args.push_back(arg);
        break;
      }
    }
  }
  if (entry.is_cxx) {
    args.insert(args.begin(), {"-x", "c++"});
  }
  return args;
}

struct VisitState {
  CXFile main;
  std::vector<FunctionDefinition>* out;
};

CXChildVisitResult visit(CXCursor cursor, CXCursor /*parent*/, CXClientData data) {
  auto* state = static_cast<VisitState*>(data);
  CXCursorKind kind = clang_getCursorKind(cursor);
  if (kind == CXCursor_Namespace || kind == CXCursor_LinkageSpec) {
    return CXChildVisit_Recurse;  // C++: functions inside namespaces and extern "C" blocks
  }
  bool function = kind == CXCursor_FunctionDecl || kind == CXCursor_CXXMethod ||
                  kind == CXCursor_Constructor || kind == CXCursor_Destructor ||
                  kind == CXCursor_FunctionTemplate;
  if (!function || !clang_isCursorDefinition(cursor)) {
    return CXChildVisit_Continue;
  }
  CXSourceRange extent = clang_getCursorExtent(cursor);
  CXSourceLocation start = clang_getRangeStart(extent);
  CXFile file;
  unsigned line = 0;
  unsigned column = 0;
  unsigned offset = 0;
  clang_getExpansionLocation(start, &file, &line, &column, &offset);
  // Where the definition is written as the user sees it: the expansion's file must be the TU itself
  // (a definition starting with a macro from a header is still written here).
  if (file == nullptr || clang_File_isEqual(file, state->main) == 0) {
    return CXChildVisit_Continue;
  }
  FunctionDefinition definition;
  CXString name = clang_getCursorSpelling(cursor);
  definition.name = clang_getCString(name);
  clang_disposeString(name);
  definition.insert_offset = offset;
  definition.line = line;
  definition.is_static = clang_Cursor_getStorageClass(cursor) == CX_SC_Static;
  definition.is_inline = clang_Cursor_isFunctionInlined(cursor) != 0;
  // From a macro when even the function's name is not written in the file: its expansion location
  // is then the macro invocation, where the definition starts too.
  unsigned name_offset = 0;
  clang_getExpansionLocation(clang_getCursorLocation(cursor), nullptr, nullptr, nullptr, &name_offset);
  definition.from_macro = name_offset == offset;
  state->out->push_back(definition);
  return CXChildVisit_Continue;
}

}  // namespace

FunctionScan find_function_definitions(const CompileEntry& entry) {
  FunctionScan scan;
  std::vector<std::string> args = front_end_arguments(entry);
  std::vector<const char*> argv;
  for (const std::string& arg : args) {
    argv.push_back(arg.c_str());
  }
  CXIndex index = clang_createIndex(0, 0);
  CXTranslationUnit unit = nullptr;
  std::string source = entry.source.string();
  // Parse from the TU's directory, as the compiler would (relative -I paths).
  std::filesystem::path saved = std::filesystem::current_path();
  std::error_code ignored;
  std::filesystem::current_path(entry.directory, ignored);
  CXErrorCode code =
      clang_parseTranslationUnit2(index, source.c_str(), argv.data(), static_cast<int>(argv.size()), nullptr,
                                  0, CXTranslationUnit_KeepGoing, &unit);
  std::filesystem::current_path(saved, ignored);
  if (code != CXError_Success || unit == nullptr) {
    scan.error = fmt::format("libclang could not parse {} (error {})", source, static_cast<int>(code));
    clang_disposeIndex(index);
    return scan;
  }
  // Errors (not warnings) mean the extents cannot be trusted.
  for (unsigned i = 0; i < clang_getNumDiagnostics(unit); ++i) {
    CXDiagnostic diagnostic = clang_getDiagnostic(unit, i);
    if (clang_getDiagnosticSeverity(diagnostic) >= CXDiagnostic_Error && scan.error.empty()) {
      CXString text = clang_formatDiagnostic(diagnostic, clang_defaultDiagnosticDisplayOptions());
      scan.error = fmt::format("libclang could not parse {}: {}", source, clang_getCString(text));
      clang_disposeString(text);
    }
    clang_disposeDiagnostic(diagnostic);
  }
  if (scan.error.empty()) {
    VisitState state{clang_getFile(unit, source.c_str()), &scan.functions};
    clang_visitChildren(clang_getTranslationUnitCursor(unit), visit, &state);
  }
  clang_disposeTranslationUnit(unit);
  clang_disposeIndex(index);
  return scan;
}

std::string annotate_source(const std::string& source, const std::vector<FunctionDefinition>& functions,
                            const std::string& prefix) {
  std::vector<std::size_t> offsets;
  for (const FunctionDefinition& function : functions) {
    offsets.push_back(function.insert_offset);
  }
  std::sort(offsets.begin(), offsets.end());
  offsets.erase(std::unique(offsets.begin(), offsets.end()), offsets.end());
  std::string out;
  std::size_t done = 0;
  for (std::size_t offset : offsets) {
    out.append(source, done, offset - done);
    out += prefix;
    out += ' ';
    done = offset;
  }
  out.append(source, done, std::string::npos);
  return out;
}

}  // namespace ccbisect
