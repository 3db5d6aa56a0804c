// Regular expressions with the syntax, error messages and matching behaviour of CPython 3.11's
// re module (the sre engine), over code points. A Pattern is compiled once and is then immutable
// and safe to share between threads; each Exec call keeps its own backtracking state on the heap
// (never on the C++ stack) and polls a callback so that the VM can bound or cancel a match.
//
// Only str patterns exist here (no bytes patterns, so no LOCALE). What is and is not supported
// is listed in regex.cc's opening comment.
#ifndef EDGEFLOW_SCRIPT_REGEX_H_
#define EDGEFLOW_SCRIPT_REGEX_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace edgeflow::script::regex {

// re module flag values, as CPython defines them.
enum Flag : int {
  kTemplate = 1,  // re.T (deprecated): repeats are rejected
  kIgnoreCase = 2,
  kLocale = 4,  // rejected for str patterns, as in CPython
  kMultiline = 8,
  kDotAll = 16,
  kUnicode = 32,  // the default for str patterns; Pattern::flags() reports it
  kVerbose = 64,
  kDebug = 128,  // accepted, but nothing is printed
  kAscii = 256,
};

// The Python exception a failure maps to.
enum class ErrorKind {
  kReError,         // re.error(message, pos)
  kOverflowError,   // "the repetition number is too large"
  kValueError,      // incompatible flags ("ASCII and UNICODE flags are incompatible")
  kIndexError,      // template "unknown group name 'x'"
  kRecursionError,  // nesting deeper than CPython's parser can recurse
  kUnsupported,     // valid in CPython but not here (\N{...} needs the Unicode name database)
};

struct CompileError {
  ErrorKind kind = ErrorKind::kReError;
  std::string message;  // UTF-8 exception text; for re.error its msg, without " at position N"
  int64_t pos = -1;     // re.error.pos: code point offset into the pattern or template; -1: None
};

enum class Mode { kMatch, kSearch, kFullMatch };  // Pattern.match / .search / .fullmatch

enum class ExecResult {
  kMatch,
  kNoMatch,
  kAborted,      // the poll callback returned false
  kOutOfMemory,  // the backtracking state outgrew ExecOptions::max_state_bytes (MemoryError)
};

struct ExecOptions {
  // Rejects a match that is empty and starts at `pos`: re.finditer, re.sub and re.split set
  // this after an empty match so that the next one makes progress, exactly as CPython does.
  bool must_advance = false;
  // Called every few thousand matching steps; returning false stops with kAborted. May be empty.
  std::function<bool()> poll;
  // Bound on the heap memory of the backtracking state (CPython would raise MemoryError only
  // when malloc fails; a device cannot wait for that).
  size_t max_state_bytes = size_t{256} << 20;
};

struct Match {
  // 2 * (groups() + 1) entries: start and end of the whole match, then of each group, in code
  // points from the start of `text`; -1, -1 for a group that did not participate.
  std::vector<int64_t> spans;
  int lastindex = -1;  // Match.lastindex; -1 stands for None
};

class Pattern {
 public:
  // Compiles `pattern` with re flags as re.compile does. On failure returns nullptr and fills
  // *error with the exception CPython would raise (message text and position included).
  static std::unique_ptr<Pattern> Compile(std::u32string_view pattern, int flags,
                                          CompileError* error);

  ~Pattern();
  Pattern(const Pattern&) = delete;
  Pattern& operator=(const Pattern&) = delete;

  // Pattern.groups: the number of capturing groups.
  int groups() const { return groups_; }
  // Pattern.groupindex: group name (UTF-8) to group number, in definition order.
  const std::vector<std::pair<std::string, int>>& group_index() const { return group_index_; }
  // Pattern.flags: the flags given, the global inline flags, and kUnicode unless kAscii.
  int flags() const { return flags_; }

  // Pattern.match/search/fullmatch(text, pos, endpos): matches against text[0, endpos) starting
  // at `pos` (kSearch: at pos or later). `text` is the whole string: `^`, \b and lookbehind
  // see the text before pos; nothing at or after endpos is visible. pos and endpos are clamped
  // to [0, text.size()] as CPython clamps them, and pos > endpos is allowed (match() can then
  // still find an empty match at pos; search() finds nothing). On kMatch fills *match;
  // otherwise leaves it unspecified. Reentrant: `options.poll` may itself run other matches.
  ExecResult Exec(std::u32string_view text, int64_t pos, int64_t endpos, Mode mode,
                  const ExecOptions& options, Match* match) const;

 private:
  struct Program;  // the compiled code; defined in regex.cc

  Pattern();

  int groups_ = 0;
  int flags_ = 0;
  std::vector<std::pair<std::string, int>> group_index_;
  std::unique_ptr<Program> program_;
};

// A parsed re.sub / Match.expand replacement template. Parse it once per sub() call (CPython
// reports template errors before matching anything) and expand it for every match.
class Template {
 public:
  // Parses `repl` for pattern `p`: \1 \g<1> \g<name> \g<0>, octal escapes, the letter escapes
  // \a \b \f \n \r \t \v and \\ ; other backslashed non-letters stay as written (two characters).
  // Returns nullptr with *error set for what CPython rejects ("invalid group reference 5",
  // "bad escape \q", "missing >, unterminated name"; "unknown group name 'x'" is an IndexError).
  static std::unique_ptr<Template> Parse(const Pattern& p, std::u32string_view repl,
                                         CompileError* error);

  // Appends the expansion for `match`, a kMatch result of Exec on `text` by the pattern this
  // template was parsed for; groups that did not participate expand to nothing.
  void Expand(std::u32string_view text, const Match& match, std::u32string* out) const;

  // True when the template has no group references, so every expansion is the same text.
  bool is_literal() const;

 private:
  struct Piece {
    std::u32string literal;
    int group = -1;  // >= 0: a group reference instead of literal text
  };
  std::vector<Piece> pieces_;
};

// Parses `repl` and expands it for one match: Template::Parse followed by Template::Expand.
bool ExpandTemplate(const Pattern& p, std::u32string_view repl, std::u32string_view text,
                    const Match& match, std::u32string* out, CompileError* error);

// re.escape: backslashes every character of ()[]{}?*+-|^$\.&~# and ASCII whitespace.
std::u32string Escape(std::u32string_view s);

}  // namespace edgeflow::script::regex

#endif  // EDGEFLOW_SCRIPT_REGEX_H_
