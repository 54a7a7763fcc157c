// libclang function finder; see function_finder.hpp.
//
// The insert point is the expansion location of the start of the definition's extent, moved past a
// template head (`template <typename T>`, repeated for members of class templates) and standard
// attributes (`[[nodiscard]]`), since C++ accepts a GNU attribute only after those. For a definition
// that begins with a macro (`STATIC_INLINE int f(void)`) that is the macro's name, in front of which an
// attribute is still valid. A definition whose head comes out of a macro but whose body is written in
// the file (gtest's `TEST(Suite, Name) { … }`) takes a push/pop pragma pair around the invocation and
// the body instead. A C definition produced entirely by one macro invocation shares its insert point
// with the invocation (an attribute there applies to the first declaration the macro produces); a C++
// one is left out and listed, since the macro may begin with anything (`static_assert`, a class).
//
// Lambdas: GCC takes `[](int x) mutable __attribute__((…)) -> int {…}` (after the specifiers, before
// the trailing return type), Clang takes it right after the parameter list; both take `[]() attr {…}`.
//
// Header definitions are kept when they are in a project header (not a system one, and under one of
// the TU's search directories) and something outside system headers refers to them: the inline
// functions and templates the TU actually uses.
#include "source/function_finder.hpp"

#include <clang-c/Index.h>

#include <algorithm>
#include <set>
#include <tuple>

#include <fmt/format.h>

namespace ccbisect {
namespace {

// The options libclang needs to see the same code: include paths, macros, language standard.
std::vector<std::string> front_end_arguments(const CompileEntry& entry) {
  std::vector<std::string> args;
  const std::vector<std::string>& in = entry.arguments;
  bool has_standard = false;
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
        has_standard = has_standard || arg.rfind("-std=", 0) == 0;
        break;
      }
    }
  }
  if (entry.is_cxx) {
    args.insert(args.begin(), {"-x", "c++"});
    if (!has_standard) {
      args.emplace_back("-std=gnu++17");  // GCC 11+'s default; libclang 14's is C++14
    }
  }
  return args;
}

std::string text_of(CXString string) {
  const char* chars = clang_getCString(string);
  std::string out = chars != nullptr ? chars : "";
  clang_disposeString(string);
  return out;
}

bool is_function_kind(CXCursorKind kind) {
  return kind == CXCursor_FunctionDecl || kind == CXCursor_CXXMethod || kind == CXCursor_Constructor ||
         kind == CXCursor_Destructor || kind == CXCursor_FunctionTemplate ||
         kind == CXCursor_ConversionFunction;
}

bool is_scope_kind(CXCursorKind kind) {
  return kind == CXCursor_Namespace || kind == CXCursor_ClassDecl || kind == CXCursor_StructDecl ||
         kind == CXCursor_UnionDecl || kind == CXCursor_ClassTemplate ||
         kind == CXCursor_ClassTemplatePartialSpecialization;
}

struct Spot {
  CXFile file = nullptr;
  unsigned line = 0;
  unsigned offset = 0;
};

Spot expansion_of(CXSourceLocation location) {
  Spot spot;
  clang_getExpansionLocation(location, &spot.file, &spot.line, nullptr, &spot.offset);
  return spot;
}

struct Token {
  std::string spelling;
  unsigned offset = 0;
  unsigned end = 0;
};

std::vector<Token> tokens_of(CXTranslationUnit unit, CXSourceRange range) {
  CXToken* tokens = nullptr;
  unsigned count = 0;
  clang_tokenize(unit, range, &tokens, &count);
  std::vector<Token> out;
  for (unsigned i = 0; i < count; ++i) {
    Token token;
    token.spelling = text_of(clang_getTokenSpelling(unit, tokens[i]));
    CXSourceRange extent = clang_getTokenExtent(unit, tokens[i]);
    token.offset = expansion_of(clang_getRangeStart(extent)).offset;
    token.end = expansion_of(clang_getRangeEnd(extent)).offset;
    out.push_back(token);
  }
  clang_disposeTokens(unit, tokens, count);
  return out;
}

// From `open` (an opening bracket or `<`), the index just past its matching close; `>>` closes two
// angles; inside an angle list, brackets nest (`template <int N = (1 > 0)>`).
std::size_t skip_balanced(const std::vector<Token>& tokens, std::size_t open) {
  bool angle = tokens[open].spelling == "<";
  int angles = 0;
  int brackets = 0;
  for (std::size_t i = open; i < tokens.size(); ++i) {
    const std::string& t = tokens[i].spelling;
    if (t == "(" || t == "[" || t == "{") {
      ++brackets;
    } else if (t == ")" || t == "]" || t == "}") {
      --brackets;
    } else if (angle && brackets == 0 && t == "<") {
      ++angles;
    } else if (angle && brackets == 0 && (t == ">" || t == ">>")) {
      angles -= static_cast<int>(t.size());
    }
    if (angle ? (brackets == 0 && angles <= 0) : brackets <= 0) {
      return i + 1;
    }
  }
  return tokens.size();
}

// The index of the first token after the template heads and standard attributes of a definition.
std::size_t past_template_heads(const std::vector<Token>& tokens) {
  std::size_t i = 0;
  while (i < tokens.size()) {
    const std::string& t = tokens[i].spelling;
    const std::string next = i + 1 < tokens.size() ? tokens[i + 1].spelling : "";
    bool head = (t == "template" && next == "<") || (t == "alignas" && next == "(");  // skip from `next`
    if (head || (t == "[" && next == "[")) {
      i = skip_balanced(tokens, head ? i + 1 : i);
    } else {
      break;
    }
  }
  return i;
}

// The definition's body (a compound statement or a function-try-block), or a null cursor.
CXCursor body_of(CXCursor function) {
  CXCursor body = clang_getNullCursor();
  clang_visitChildren(
      function,
      [](CXCursor child, CXCursor, CXClientData data) {
        CXCursorKind kind = clang_getCursorKind(child);
        if (kind == CXCursor_CompoundStmt || kind == CXCursor_CXXTryStmt) {
          *static_cast<CXCursor*>(data) = child;
        }
        return CXChildVisit_Continue;
      },
      &body);
  return body;
}

std::string qualified_name(CXCursor cursor) {
  std::string name = text_of(clang_getCursorDisplayName(cursor));
  if (clang_getCursorKind(cursor) == CXCursor_FunctionTemplate) {
    // libclang's display name of a template leaves out its parameters: twice(T) -> twice<T>(T)
    std::vector<std::string> parameters;
    clang_visitChildren(
        cursor,
        [](CXCursor child, CXCursor, CXClientData data) {
          CXCursorKind kind = clang_getCursorKind(child);
          if (kind == CXCursor_TemplateTypeParameter || kind == CXCursor_NonTypeTemplateParameter ||
              kind == CXCursor_TemplateTemplateParameter) {
            static_cast<std::vector<std::string>*>(data)->push_back(text_of(clang_getCursorSpelling(child)));
          }
          return CXChildVisit_Continue;
        },
        &parameters);
    std::string spelling = text_of(clang_getCursorSpelling(cursor));
    if (!parameters.empty() && name.rfind(spelling, 0) == 0) {
      name = fmt::format("{}<{}>{}", spelling, fmt::join(parameters, ", "), name.substr(spelling.size()));
    }
  }
  if (clang_CXXMethod_isConst(cursor) != 0) {
    name += " const";
  }
  for (CXCursor scope = clang_getCursorSemanticParent(cursor); is_scope_kind(clang_getCursorKind(scope));
       scope = clang_getCursorSemanticParent(scope)) {
    std::string part = text_of(clang_getCursorDisplayName(scope));
    name = (part.empty() ? std::string("(anonymous)") : part) + "::" + name;
  }
  return name;
}

struct VisitState {
  CXTranslationUnit unit = nullptr;
  CXFile main = nullptr;
  bool cxx = false;
  std::vector<std::filesystem::path> search;
  std::filesystem::path directory;   // the TU's: relative file names are relative to it
  std::set<std::string> referenced;  // USRs of the functions some non-system code refers to
  std::vector<FunctionDefinition> in_main;
  std::vector<FunctionDefinition> in_headers;
  std::vector<std::string> skipped;
  std::string enclosing;  // while looking for lambdas: the name of the function they are in
};

bool in_system_header(CXCursor cursor) {
  return clang_Location_isInSystemHeader(clang_getCursorLocation(cursor)) != 0;
}

// The file's absolute path: libclang names a header as it was found (relative to the TU's directory
// for a relative -I).
std::filesystem::path path_of(CXFile file, const std::filesystem::path& directory) {
  std::filesystem::path path(text_of(clang_getFileName(file)));
  return (path.is_absolute() ? path : directory / path).lexically_normal();
}

// Whether a header at `path` is the project's: under one of the TU's search directories.
bool is_project_header(const VisitState& state, const std::filesystem::path& path) {
  for (const std::filesystem::path& dir : state.search) {
    std::filesystem::path relative = path.lexically_relative(dir);
    if (!relative.empty() && *relative.begin() != "..") {
      return true;
    }
  }
  return false;
}

void record(VisitState& state, FunctionDefinition definition, CXFile file) {
  definition.file = path_of(file, state.directory);
  (clang_File_isEqual(file, state.main) != 0 ? state.in_main : state.in_headers)
      .push_back(std::move(definition));
}

std::string parameter_list(CXCursor lambda) {
  std::vector<std::string> types;
  clang_visitChildren(
      lambda,
      [](CXCursor child, CXCursor, CXClientData data) {
        if (clang_getCursorKind(child) == CXCursor_ParmDecl) {
          static_cast<std::vector<std::string>*>(data)->push_back(
              text_of(clang_getTypeSpelling(clang_getCursorType(child))));
        }
        return CXChildVisit_Continue;
      },
      &types);
  return fmt::format("({})", fmt::join(types, ", "));
}

CXChildVisitResult find_lambdas(CXCursor cursor, CXCursor /*parent*/, CXClientData data);

// A lambda: its two insert points (GCC's and Clang's) from its tokens.
void record_lambda(VisitState& state, CXCursor lambda) {
  Spot start = expansion_of(clang_getRangeStart(clang_getCursorExtent(lambda)));
  CXCursor body = body_of(lambda);
  if (clang_Cursor_isNull(body) != 0 || start.file == nullptr) {
    return;
  }
  Spot body_start = expansion_of(clang_getRangeStart(clang_getCursorExtent(body)));
  std::vector<Token> tokens = tokens_of(state.unit, clang_getCursorExtent(lambda));
  if (tokens.empty() || tokens[0].spelling != "[" || body_start.offset == start.offset) {
    return;  // written by a macro
  }
  FunctionDefinition definition;
  definition.name = fmt::format("{}::lambda{}", state.enclosing, parameter_list(lambda));
  definition.line = start.line;
  definition.is_lambda = true;
  definition.end_offset = expansion_of(clang_getRangeEnd(clang_getCursorExtent(lambda))).offset;
  std::size_t i = skip_balanced(tokens, 0);  // past the captures
  if (i < tokens.size() && tokens[i].spelling == "<") {
    i = skip_balanced(tokens, i);  // C++20 template parameters
  }
  if (i < tokens.size() && tokens[i].spelling == "(") {
    std::size_t after = skip_balanced(tokens, i);
    definition.clang_insert_offset = tokens[after - 1].end;
    definition.insert_offset = body_start.offset;
    for (std::size_t k = after; k < tokens.size() && tokens[k].offset < body_start.offset; ++k) {
      if (tokens[k].spelling == "->") {
        definition.insert_offset = tokens[k].offset;
        break;
      }
    }
  } else {
    definition.lambda_needs_parens = true;
    definition.insert_offset = tokens[i - 1].end;
    definition.clang_insert_offset = definition.insert_offset;
  }
  record(state, std::move(definition), start.file);
}

CXChildVisitResult find_lambdas(CXCursor cursor, CXCursor /*parent*/, CXClientData data) {
  auto* state = static_cast<VisitState*>(data);
  if (clang_getCursorKind(cursor) == CXCursor_LambdaExpr) {
    record_lambda(*state, cursor);
    std::string saved = state->enclosing;
    state->enclosing = state->enclosing + "::lambda";
    clang_visitChildren(cursor, find_lambdas, state);
    state->enclosing = saved;
    return CXChildVisit_Continue;
  }
  return CXChildVisit_Recurse;
}

CXChildVisitResult visit(CXCursor cursor, CXCursor /*parent*/, CXClientData data) {
  auto* state = static_cast<VisitState*>(data);
  if (in_system_header(cursor)) {
    return CXChildVisit_Continue;
  }
  CXCursorKind kind = clang_getCursorKind(cursor);
  if (kind == CXCursor_LinkageSpec || is_scope_kind(kind)) {
    return CXChildVisit_Recurse;  // namespaces, extern "C" blocks, members defined in a class body
  }
  if (!is_function_kind(kind) || clang_isCursorDefinition(cursor) == 0) {
    return CXChildVisit_Continue;
  }
  CXCursor body = body_of(cursor);
  if (clang_Cursor_isNull(body) != 0) {
    return CXChildVisit_Continue;  // = default, = delete
  }
  CXSourceRange extent = clang_getCursorExtent(cursor);
  Spot start = expansion_of(clang_getRangeStart(extent));
  if (start.file == nullptr) {
    return CXChildVisit_Continue;
  }
  bool in_main = clang_File_isEqual(start.file, state->main) != 0;
  if (!in_main) {
    std::string usr = text_of(clang_getCursorUSR(cursor));
    bool is_virtual = clang_CXXMethod_isVirtual(cursor) != 0;
    if ((state->referenced.count(usr) == 0 && !is_virtual) ||
        !is_project_header(*state, path_of(start.file, state->directory))) {
      return CXChildVisit_Continue;
    }
  }
  FunctionDefinition definition;
  definition.name = state->cxx ? qualified_name(cursor) : text_of(clang_getCursorSpelling(cursor));
  definition.line = expansion_of(clang_getCursorLocation(cursor)).line;  // the name's line
  definition.insert_offset = start.offset;
  definition.end_offset = expansion_of(clang_getRangeEnd(extent)).offset;
  definition.is_static = clang_Cursor_getStorageClass(cursor) == CX_SC_Static;
  definition.is_inline = clang_Cursor_isFunctionInlined(cursor) != 0;
  // From a macro when the function's name is not written in the file: its expansion location is then
  // the macro invocation, where the definition starts too. A constructor's, destructor's or
  // conversion's name also starts its definition: there the first token is the name itself.
  unsigned name_offset = expansion_of(clang_getCursorLocation(cursor)).offset;
  Spot body_start = expansion_of(clang_getRangeStart(clang_getCursorExtent(body)));
  std::vector<Token> tokens = tokens_of(state->unit, extent);
  bool name_from_macro = name_offset == start.offset &&
                         (tokens.empty() || definition.name.empty() ||
                          text_of(clang_getCursorSpelling(cursor)).rfind(tokens.front().spelling, 0) != 0);
  if (name_from_macro) {
    if (body_start.offset != start.offset) {
      definition.placement = Placement::pragma;  // TEST(Suite, Name) { … }
    } else if (state->cxx) {
      state->skipped.push_back(fmt::format("{} ({}:{})", definition.name,
                                           path_of(start.file, state->directory).filename().string(),
                                           start.line));
      return CXChildVisit_Continue;
    } else {
      definition.from_macro = true;
    }
  } else {
    std::size_t first = past_template_heads(tokens);
    if (first < tokens.size()) {
      definition.insert_offset = tokens[first].offset;
    }
  }
  definition.clang_insert_offset = definition.insert_offset;
  std::string name = definition.name;
  record(*state, std::move(definition), start.file);
  if (state->cxx) {
    state->enclosing = name;
    clang_visitChildren(body, find_lambdas, state);
  }
  return CXChildVisit_Continue;
}

// Every function some code outside system headers refers to (calls, address-taking, members), by USR;
// a reference to a template's specialization counts for the template.
CXChildVisitResult collect_references(CXCursor cursor, CXCursor /*parent*/, CXClientData data) {
  if (in_system_header(cursor)) {
    return CXChildVisit_Continue;
  }
  CXCursorKind kind = clang_getCursorKind(cursor);
  if (kind == CXCursor_DeclRefExpr || kind == CXCursor_MemberRefExpr || kind == CXCursor_CallExpr ||
      kind == CXCursor_OverloadedDeclRef || kind == CXCursor_TemplateRef) {
    CXCursor target = clang_getCursorReferenced(cursor);
    if (clang_Cursor_isNull(target) == 0) {
      auto* referenced = static_cast<std::set<std::string>*>(data);
      referenced->insert(text_of(clang_getCursorUSR(target)));
      CXCursor from = clang_getSpecializedCursorTemplate(target);
      if (clang_Cursor_isNull(from) == 0) {
        referenced->insert(text_of(clang_getCursorUSR(from)));
      }
      for (unsigned i = 0; i < clang_getNumOverloadedDecls(cursor); ++i) {
        referenced->insert(text_of(clang_getCursorUSR(clang_getOverloadedDecl(cursor, i))));
      }
    }
  }
  return CXChildVisit_Recurse;
}

}  // namespace

std::vector<std::filesystem::path> include_search_order(const CompileEntry& entry) {
  std::vector<std::filesystem::path> quote{entry.source.parent_path()};
  std::vector<std::filesystem::path> angle;
  const std::vector<std::string>& in = entry.arguments;
  auto absolute = [&](const std::string& dir) { return (entry.directory / dir).lexically_normal(); };
  for (std::size_t i = 1; i < in.size(); ++i) {
    const std::string& arg = in[i];
    for (const char* option : {"-iquote", "-I"}) {
      std::string prefix = option;
      if (arg == prefix && i + 1 < in.size()) {
        (prefix == "-I" ? angle : quote).push_back(absolute(in[++i]));
      } else if (arg.rfind(prefix, 0) == 0 && arg.size() > prefix.size() &&
                 (prefix == "-I" || arg[1] == 'i')) {
        (prefix == "-I" ? angle : quote).push_back(absolute(arg.substr(prefix.size())));
      } else {
        continue;
      }
      break;
    }
  }
  quote.insert(quote.end(), angle.begin(), angle.end());
  return quote;
}

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
      scan.error =
          fmt::format("libclang could not parse {}: {}", source,
                      text_of(clang_formatDiagnostic(diagnostic, clang_defaultDiagnosticDisplayOptions())));
    }
    clang_disposeDiagnostic(diagnostic);
  }
  if (scan.error.empty()) {
    VisitState state;
    state.unit = unit;
    state.main = clang_getFile(unit, source.c_str());
    state.cxx = entry.is_cxx;
    state.search = include_search_order(entry);
    state.directory = entry.directory;
    CXCursor root = clang_getTranslationUnitCursor(unit);
    clang_visitChildren(root, collect_references, &state.referenced);
    clang_visitChildren(root, visit, &state);
    scan.functions = std::move(state.in_main);
    std::stable_sort(state.in_headers.begin(), state.in_headers.end(),
                     [](const FunctionDefinition& a, const FunctionDefinition& b) {
                       return std::tie(a.file, a.insert_offset) < std::tie(b.file, b.insert_offset);
                     });
    scan.functions.insert(scan.functions.end(), state.in_headers.begin(), state.in_headers.end());
    scan.skipped = std::move(state.skipped);
  }
  clang_disposeTranslationUnit(unit);
  clang_disposeIndex(index);
  return scan;
}

std::string annotate_source(const std::string& source, const std::vector<FunctionDefinition>& functions,
                            const Annotation& annotation) {
  // (offset, order, text): at one offset, a pragma pair's end comes before the next one's begin.
  std::vector<std::tuple<std::size_t, int, std::string>> inserts;
  for (const FunctionDefinition& function : functions) {
    if (function.placement == Placement::pragma && !annotation.pragma_begin.empty()) {
      inserts.emplace_back(function.insert_offset, 1, annotation.pragma_begin + " ");
      inserts.emplace_back(function.end_offset, 0, " " + annotation.pragma_end);
      continue;
    }
    std::size_t offset = annotation.clang ? function.clang_insert_offset : function.insert_offset;
    std::string text = annotation.attribute + " ";  // before the definition, `->` or the body
    if (function.lambda_needs_parens) {
      text = " () " + annotation.attribute;  // after the captures: `[] () attr {`
    } else if (function.is_lambda && annotation.clang) {
      text = " " + annotation.attribute;  // after the parameter list: `(int x) attr mutable`
    }
    inserts.emplace_back(offset, 1, text);
  }
  std::sort(inserts.begin(), inserts.end());
  inserts.erase(std::unique(inserts.begin(), inserts.end()), inserts.end());
  std::string out;
  std::size_t done = 0;
  for (const auto& [offset, order, text] : inserts) {
    if (offset > source.size() || offset < done) {
      continue;
    }
    out.append(source, done, offset - done);
    out += text;
    done = offset;
  }
  out.append(source, done, std::string::npos);
  return out;
}

}  // namespace ccbisect
