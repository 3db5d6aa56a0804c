// Recursive-descent parser producing the AST of ast.h.
#include "script/parser.h"

#include <cstring>
#include <string>
#include <unordered_set>

#include "script/lexer.h"
#include "script/modules.h"
#include "script/opcodes.h"

namespace edgeflow::script {

namespace {

bool IsKeyword(const std::string& s) {
  static const char* const kw[] = {
      "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class",
      "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global",
      "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return",
      "try", "while", "with", "yield", nullptr};
  for (int i = 0; kw[i]; ++i) {
    if (s == kw[i]) return true;
  }
  return false;
}

bool IsSyntaxError(const CompileError& e) { return std::strcmp(e.type, "SyntaxError") == 0; }

class Parser {
 public:
  // `depth`: the nesting already used by the parser of the enclosing f-string.
  Parser(std::vector<Token> toks, Ast* ast, int depth = 0)
      : t_(std::move(toks)), ast_(ast), depth_(depth) {}

  Node* ParseModule() {
    Node* m = ast_->New(NK::kModule, 1, 0);
    while (!AtKind(TokKind::kEnd)) {
      if (AtKind(TokKind::kNewline)) {
        ++p_;
        continue;
      }
      ParseStatement(&m->a);
    }
    return m;
  }

  Node* ParseFragmentExpr() {
    Node* e = ParseStarExpressions(true);
    if (!AtKind(TokKind::kEnd)) Fail("f-string: invalid syntax");
    return e;
  }

 private:
  // ---- token helpers ----
  const Token& Cur() const { return t_[p_]; }
  const Token& Peek(int k = 1) const { return t_[std::min(p_ + k, t_.size() - 1)]; }
  bool AtKind(TokKind k) const { return Cur().kind == k; }
  bool AtOp(const char* op) const { return Cur().kind == TokKind::kOp && Cur().text == op; }
  bool AtKw(const char* kw) const { return Cur().kind == TokKind::kName && Cur().text == kw; }
  bool AcceptOp(const char* op) {
    if (!AtOp(op)) return false;
    ++p_;
    return true;
  }
  bool AcceptKw(const char* kw) {
    if (!AtKw(kw)) return false;
    ++p_;
    return true;
  }
  [[noreturn]] void Fail(const std::string& msg) { FailAt(msg, Cur()); }
  [[noreturn]] void FailAt(const std::string& msg, const Token& t) {
    throw CompileError{msg, t.line, t.col};
  }
  [[noreturn]] void Invalid() {
    if (AtKind(TokKind::kIndent)) Fail("unexpected indent");
    if (AtKind(TokKind::kEnd)) Fail("unexpected EOF while parsing");
    Fail("invalid syntax");
  }
  void ExpectOp(const char* op) {
    if (!AcceptOp(op)) {
      if (std::strcmp(op, ":") == 0) Fail("expected ':'");
      Invalid();
    }
  }
  std::string ExpectName() {
    if (!AtKind(TokKind::kName) || IsKeyword(Cur().text)) Invalid();
    return t_[p_++].text;
  }
  void ExpectNewline() {
    if (AtKind(TokKind::kNewline)) {
      ++p_;
      return;
    }
    if (AtKind(TokKind::kEnd)) return;
    Invalid();
  }
  Node* New(NK k, const Token& at) { return ast_->New(k, at.line, at.col); }

  // One level of the rules that recurse without consuming a bracket (unary
  // operators, `not`, `**`, conditional and lambda expressions, elif chains,
  // blocks): bracket nesting alone is bounded by the lexer.
  struct Nest : NestingLevel {
    explicit Nest(Parser* p) : NestingLevel(&p->depth_, p->Cur().line, p->Cur().col) {}
  };

  // ---- statements ----
  void ParseStatement(std::vector<Node*>* out) {
    Nest nest(this);
    const Token& t = Cur();
    if (t.kind == TokKind::kIndent) Fail("unexpected indent");
    if (t.kind == TokKind::kOp && t.text == "@") {
      std::vector<Node*> decorators;
      while (AcceptOp("@")) {
        decorators.push_back(ParseNamedExpr());
        ExpectNewline();
      }
      Node* def;
      if (AtKw("def")) def = ParseFunctionDef();
      else if (AtKw("class")) def = ParseClassDef();
      else Invalid();
      def->b = std::move(decorators);
      out->push_back(def);
      return;
    }
    if (t.kind == TokKind::kName) {
      const std::string& k = t.text;
      if (k == "if") return out->push_back(ParseIf());
      if (k == "while") return out->push_back(ParseWhile());
      if (k == "for") return out->push_back(ParseFor());
      if (k == "try") return out->push_back(ParseTry());
      if (k == "def") return out->push_back(ParseFunctionDef());
      if (k == "class") return out->push_back(ParseClassDef());
      if (k == "with") return out->push_back(ParseWith());
    }
    ParseSimpleStatements(out);
  }

  void ParseSimpleStatements(std::vector<Node*>* out) {
    while (true) {
      out->push_back(ParseSimple());
      if (!AcceptOp(";")) break;
      if (AtKind(TokKind::kNewline) || AtKind(TokKind::kEnd)) break;
    }
    ExpectNewline();
  }

  std::vector<Node*> ParseBlock() {
    ExpectOp(":");
    std::vector<Node*> body;
    if (AtKind(TokKind::kNewline)) {
      ++p_;
      if (!AtKind(TokKind::kIndent)) Fail("expected an indented block");
      ++p_;
      while (!AtKind(TokKind::kDedent) && !AtKind(TokKind::kEnd)) {
        if (AtKind(TokKind::kNewline)) {
          ++p_;
          continue;
        }
        ParseStatement(&body);
      }
      if (AtKind(TokKind::kDedent)) ++p_;
    } else {
      ParseSimpleStatements(&body);
    }
    return body;
  }

  Node* ParseSimple() {
    const Token& t = Cur();
    if (t.kind == TokKind::kName) {
      const std::string& k = t.text;
      if (k == "pass") { ++p_; return New(NK::kPass, t); }
      if (k == "break") { ++p_; return New(NK::kBreak, t); }
      if (k == "continue") { ++p_; return New(NK::kContinue, t); }
      if (k == "return") {
        Node* n = New(NK::kReturn, t);
        ++p_;
        if (!AtEndOfSimple()) n->x = ParseStarExpressions(true);
        return n;
      }
      if (k == "raise") {
        Node* n = New(NK::kRaise, t);
        ++p_;
        if (!AtEndOfSimple()) {
          n->x = ParseExpression();
          if (AcceptKw("from")) n->y = ParseExpression();
        }
        return n;
      }
      if (k == "global" || k == "nonlocal") {
        Node* n = New(k == "global" ? NK::kGlobal : NK::kNonlocal, t);
        ++p_;
        do n->names.push_back(ExpectName());
        while (AcceptOp(","));
        return n;
      }
      if (k == "del") {
        Node* n = New(NK::kDelete, t);
        ++p_;
        do {
          if (AtEndOfSimple()) break;
          n->a.push_back(ParseBitOr());
        } while (AcceptOp(","));
        return n;
      }
      if (k == "assert") {
        Node* n = New(NK::kAssert, t);
        ++p_;
        n->x = ParseExpression();
        if (AcceptOp(",")) n->y = ParseExpression();
        return n;
      }
      if (k == "import") {
        Node* n = New(NK::kImport, t);
        ++p_;
        do {
          std::string name = ParseDottedName();
          std::string as;
          if (AcceptKw("as")) as = ExpectName();
          n->names.push_back(name);
          n->asnames.push_back(as);
        } while (AcceptOp(","));
        return n;
      }
      if (k == "from") {
        Node* n = New(NK::kImportFrom, t);
        ++p_;
        if (AtOp(".")) Fail("relative imports are not supported");
        n->s = ParseDottedName();
        if (!AcceptKw("import")) Invalid();
        if (AtOp("*")) {
          // Library modules are known at compile time: `import *` becomes an
          // import of each public name, so every name still has a global slot.
          if (!ModuleExists(n->s)) Fail("'from " + n->s + " import *': no library module named '" + n->s + "'");
          AcceptOp("*");
          for (const std::string& name : LibraryModuleNames(n->s)) {
            n->names.push_back(name);
            n->asnames.push_back("");
          }
          return n;
        }
        bool paren = AcceptOp("(");
        do {
          if (paren && AtOp(")")) break;
          n->names.push_back(ExpectName());
          n->asnames.push_back(AcceptKw("as") ? ExpectName() : "");
        } while (AcceptOp(","));
        if (paren) ExpectOp(")");
        return n;
      }
    }
    // expression statement / assignment
    Node* first = AtKw("yield") ? ParseYield() : ParseStarExpressions(true);
    if (AtOp("=")) {
      Node* n = New(NK::kAssign, t);
      n->a.push_back(first);
      Node* value = nullptr;
      while (AcceptOp("=")) {
        value = AtKw("yield") ? ParseYield() : ParseStarExpressions(true);
        if (AtOp("=")) n->a.push_back(value);
      }
      for (Node* target : n->a) CheckTarget(target, false);
      n->x = value;
      return n;
    }
    if (Cur().kind == TokKind::kOp && Cur().text.size() >= 2 && Cur().text.back() == '=' &&
        Cur().text != "==" && Cur().text != "<=" && Cur().text != ">=" && Cur().text != "!=") {
      std::string op = Cur().text.substr(0, Cur().text.size() - 1);
      Node* n = New(NK::kAugAssign, Cur());
      ++p_;
      if (first->kind != NK::kName && first->kind != NK::kAttribute &&
          first->kind != NK::kSubscript) {
        throw CompileError{"'" + Describe(first) + "' is an illegal expression for augmented "
                           "assignment", first->line, first->col};
      }
      n->op = BinOpOf(op);
      n->x = first;
      n->y = AtKw("yield") ? ParseYield() : ParseStarExpressions(true);
      return n;
    }
    if (AtOp(":")) {
      Node* n = New(NK::kAnnAssign, Cur());
      ++p_;
      CheckTarget(first, false);
      if (first->kind == NK::kTuple) {
        throw CompileError{"only single target (not tuple) can be annotated", first->line,
                           first->col};
      }
      ParseExpression();  // the annotation is evaluated by CPython only at module level; ignored
      n->x = first;
      if (AcceptOp("=")) n->y = ParseStarExpressions(true);
      return n;
    }
    Node* e = New(NK::kExpr, t);
    e->x = first;
    return e;
  }

  bool AtEndOfSimple() const {
    return AtKind(TokKind::kNewline) || AtKind(TokKind::kEnd) || AtOp(";");
  }

  std::string ParseDottedName() {
    std::string name = ExpectName();
    while (AcceptOp(".")) name += "." + ExpectName();
    return name;
  }

  static int BinOpOf(const std::string& op) {
    if (op == "+") return kAdd;
    if (op == "-") return kSub;
    if (op == "*") return kMul;
    if (op == "/") return kTrueDiv;
    if (op == "//") return kFloorDiv;
    if (op == "%") return kMod;
    if (op == "**") return kPow;
    if (op == "<<") return kLShift;
    if (op == ">>") return kRShift;
    if (op == "&") return kBitAnd;
    if (op == "|") return kBitOr;
    if (op == "^") return kBitXor;
    if (op == "@") return kMatMul;
    return -1;
  }

  static std::string Describe(Node* n) {
    switch (n->kind) {
      case NK::kCall: return "function call";
      case NK::kInt:
      case NK::kFloat:
      case NK::kStr:
      case NK::kConst: return "literal";
      case NK::kCompare: return "comparison";
      case NK::kBinOp:
      case NK::kUnaryOp: return "expression";
      case NK::kTuple: return "tuple";
      case NK::kList: return "list";
      case NK::kLambda: return "lambda";
      case NK::kDict: return "dict literal";
      case NK::kSet: return "set display";
      case NK::kJoinedStr: return "f-string expression";
      case NK::kBoolOp: return "expression";
      case NK::kIfExp: return "conditional expression";
      case NK::kListComp: return "list comprehension";
      case NK::kGenExp: return "generator expression";
      default: return "expression";
    }
  }

  void CheckTarget(Node* n, bool in_del) {
    switch (n->kind) {
      case NK::kName:
      case NK::kAttribute:
      case NK::kSubscript: return;
      case NK::kTuple:
      case NK::kList: {
        bool starred = false;
        for (Node* e : n->a) {
          if (e->kind == NK::kStarred) {
            if (starred) throw CompileError{"multiple starred expressions in assignment", e->line, e->col};
            starred = true;
            CheckTarget(e->x, in_del);
          } else {
            CheckTarget(e, in_del);
          }
        }
        return;
      }
      case NK::kStarred:
        throw CompileError{"starred assignment target must be in a list or tuple", n->line, n->col};
      default: {
        std::string what = Describe(n);
        if (n->kind == NK::kConst && n->i <= 2) {
          what = n->i == 0 ? "None" : n->i == 1 ? "True" : "False";
        }
        throw CompileError{"cannot assign to " + what + ((n->kind == NK::kCall || (n->kind == NK::kConst && n->i > 2)) ? " here. Maybe you meant '==' instead of '='?" : ""), n->line, n->col};
      }
    }
  }

  Node* ParseIf() {
    Nest nest(this);
    Node* n = New(NK::kIf, Cur());
    ++p_;  // if / elif
    n->x = ParseNamedExpr();
    n->a = ParseBlock();
    if (AtKw("elif")) {
      n->b.push_back(ParseIf());
    } else if (AcceptKw("else")) {
      n->b = ParseBlock();
    }
    return n;
  }

  Node* ParseWhile() {
    Node* n = New(NK::kWhile, Cur());
    ++p_;
    n->x = ParseNamedExpr();
    n->a = ParseBlock();
    if (AcceptKw("else")) n->b = ParseBlock();
    return n;
  }

  Node* ParseFor() {
    Node* n = New(NK::kFor, Cur());
    ++p_;
    n->x = ParseTargets();
    if (!AcceptKw("in")) Invalid();
    n->y = ParseStarExpressions(false);
    n->a = ParseBlock();
    if (AcceptKw("else")) n->b = ParseBlock();
    return n;
  }

  Node* ParseTargets() {
    const Token& start = Cur();
    std::vector<Node*> items;
    bool comma = false;
    while (true) {
      if (AtOp("*")) {
        Node* s = New(NK::kStarred, Cur());
        ++p_;
        s->x = ParseBitOr();
        items.push_back(s);
      } else {
        items.push_back(ParseBitOr());
      }
      if (!AcceptOp(",")) break;
      comma = true;
      if (AtKw("in") || AtOp("=")) break;
    }
    Node* target = items[0];
    if (comma || items.size() > 1) {
      target = New(NK::kTuple, start);
      target->a = std::move(items);
    }
    CheckTarget(target, false);
    return target;
  }

  Node* ParseTry() {
    Node* n = New(NK::kTry, Cur());
    ++p_;
    n->a = ParseBlock();
    while (AtKw("except")) {
      Node* h = New(NK::kExceptHandler, Cur());
      ++p_;
      if (AtOp("*")) Fail("except* is not supported");
      if (!AtOp(":")) {
        h->x = ParseExpression();
        if (AtOp(",")) {
          Node* tup = New(NK::kTuple, Cur());
          tup->a.push_back(h->x);
          while (AcceptOp(",")) {
            if (AtOp(":") || AtKw("as")) break;
            tup->a.push_back(ParseExpression());
          }
          FailAt("multiple exception types must be parenthesized", t_[p_]);
        }
        if (AcceptKw("as")) h->s = ExpectName();
      }
      h->a = ParseBlock();
      n->b.push_back(h);
    }
    if (AcceptKw("else")) {
      if (n->b.empty()) Invalid();
      n->c = ParseBlock();
    }
    if (AcceptKw("finally")) n->d = ParseBlock();
    if (n->b.empty() && n->d.empty()) Fail("expected 'except' or 'finally' block");
    return n;
  }

  Node* ParseWith() {
    Node* n = New(NK::kWith, Cur());
    ++p_;
    do {
      Node* item = New(NK::kWithItem, Cur());
      item->x = ParseExpression();
      if (AcceptKw("as")) {
        item->y = ParseTargets();
      }
      n->b.push_back(item);
    } while (AcceptOp(","));
    n->a = ParseBlock();
    return n;
  }

  Node* ParseFunctionDef() {
    Node* n = New(NK::kFunctionDef, Cur());
    ++p_;
    n->s = ExpectName();
    ExpectOp("(");
    n->args = ParseParams(")");
    ExpectOp(")");
    if (AcceptOp("->")) ParseExpression();
    n->a = ParseBlock();
    return n;
  }

  Arguments* ParseParams(const char* close) {
    ast_->arguments.push_back(std::make_unique<Arguments>());
    Arguments* args = ast_->arguments.back().get();
    bool lambda = std::strcmp(close, ":") == 0;
    bool kwonly = false;
    bool seen_default = false;
    std::unordered_set<std::string> names;  // of args and kwonly, so long lists stay linear
    while (!AtOp(close)) {
      if (AcceptOp("/")) {
        if (kwonly || args->args.empty()) Invalid();
        args->posonly = static_cast<int>(args->args.size());
      } else if (AcceptOp("**")) {
        args->kwarg = ExpectName();
        if (!lambda && AcceptOp(":")) ParseExpression();
        AcceptOp(",");
        if (!AtOp(close)) Fail("arguments cannot follow var-keyword argument");
        break;
      } else if (AcceptOp("*")) {
        if (kwonly) Fail("* argument may appear only once");
        kwonly = true;
        if (!AtOp(",") && !AtOp(close)) {
          args->vararg = ExpectName();
          if (!lambda && AcceptOp(":")) ParseExpression();
        } else if (AtOp(close) || (AtOp(",") && Peek().kind == TokKind::kOp &&
                                   Peek().text == std::string(close))) {
          Fail("named arguments must follow bare *");
        }
      } else {
        Param p;
        p.line = Cur().line;
        p.col = Cur().col;
        p.name = ExpectName();
        if (!lambda && AcceptOp(":")) ParseExpression();
        if (AcceptOp("=")) {
          p.default_value = ParseExpression();
          if (!kwonly) seen_default = true;
        } else if (!kwonly && seen_default) {
          Fail("non-default argument follows default argument");
        }
        if (!names.insert(p.name).second) {
          Fail("duplicate argument '" + p.name + "' in function definition");
        }
        (kwonly ? args->kwonly : args->args).push_back(p);
      }
      if (!AcceptOp(",")) break;
    }
    return args;
  }

  Node* ParseClassDef() {
    Node* n = New(NK::kClassDef, Cur());
    ++p_;
    n->s = ExpectName();
    if (AcceptOp("(")) {
      while (!AtOp(")")) {
        if (AtKind(TokKind::kName) && Peek().kind == TokKind::kOp && Peek().text == "=") {
          Node* kw = New(NK::kKeyword, Cur());
          kw->s = t_[p_].text;
          p_ += 2;
          kw->x = ParseExpression();
          n->c.push_back(kw);
        } else {
          n->c.push_back(ParseExpression());
        }
        if (!AcceptOp(",")) break;
      }
      ExpectOp(")");
    }
    n->a = ParseBlock();
    return n;
  }

  // ---- expressions ----
  Node* ParseStarExpressions(bool allow_star) {
    const Token& start = Cur();
    Node* first = ParseStarExpr(allow_star);
    if (!AtOp(",")) return first;
    Node* tup = New(NK::kTuple, start);
    tup->a.push_back(first);
    while (AcceptOp(",")) {
      if (AtEndOfExprList()) break;
      tup->a.push_back(ParseStarExpr(allow_star));
    }
    return tup;
  }
  bool AtEndOfExprList() const {
    return AtKind(TokKind::kNewline) || AtKind(TokKind::kEnd) || AtOp("=") || AtOp(")") ||
           AtOp(";") || AtOp(":") || AtOp("]") || AtOp("}") ||
           (Cur().kind == TokKind::kOp && Cur().text.size() >= 2 && Cur().text.back() == '=' &&
            Cur().text != "==" && Cur().text != "<=" && Cur().text != ">=" && Cur().text != "!=");
  }
  Node* ParseStarExpr(bool allow_star) {
    if (AtOp("*")) {
      Node* s = New(NK::kStarred, Cur());
      ++p_;
      s->x = ParseBitOr();
      (void)allow_star;
      return s;
    }
    return ParseExpression();
  }

  Node* ParseYield() {
    Node* n = New(NK::kYield, Cur());
    ++p_;
    if (AcceptKw("from")) {
      n->kind = NK::kYieldFrom;
      n->x = ParseExpression();
      return n;
    }
    if (!AtEndOfExprList() && !AtOp(")")) n->x = ParseStarExpressions(true);
    return n;
  }

  Node* ParseNamedExpr() {
    if (AtKind(TokKind::kName) && Peek().kind == TokKind::kOp && Peek().text == ":=") {
      Node* n = New(NK::kNamedExpr, Cur());
      Node* target = New(NK::kName, Cur());
      target->s = ExpectName();
      ++p_;
      n->x = target;
      n->y = ParseExpression();
      return n;
    }
    return ParseExpression();
  }

  Node* ParseExpression() {
    Nest nest(this);
    if (AtKw("lambda")) return ParseLambda();
    Node* body = ParseOr();
    if (AtKw("if")) {
      Node* n = New(NK::kIfExp, Cur());
      ++p_;
      n->x = ParseOr();
      if (!AcceptKw("else")) Fail("expected 'else' after 'if' expression");
      n->y = body;
      n->z = ParseExpression();
      return n;
    }
    return body;
  }

  Node* ParseLambda() {
    Node* n = New(NK::kLambda, Cur());
    ++p_;
    n->args = ParseParams(":");
    ExpectOp(":");
    n->x = ParseExpression();
    return n;
  }

  Node* ParseOr() {
    Node* first = ParseAnd();
    if (!AtKw("or")) return first;
    Node* n = New(NK::kBoolOp, Cur());
    n->op = 1;
    n->a.push_back(first);
    while (AcceptKw("or")) n->a.push_back(ParseAnd());
    n->line = first->line;
    n->col = first->col;
    return n;
  }
  Node* ParseAnd() {
    Node* first = ParseNot();
    if (!AtKw("and")) return first;
    Node* n = New(NK::kBoolOp, Cur());
    n->op = 0;
    n->a.push_back(first);
    while (AcceptKw("and")) n->a.push_back(ParseNot());
    n->line = first->line;
    n->col = first->col;
    return n;
  }
  Node* ParseNot() {
    Nest nest(this);
    if (AtKw("not")) {
      Node* n = New(NK::kUnaryOp, Cur());
      ++p_;
      n->op = 2;
      n->x = ParseNot();
      return n;
    }
    return ParseComparison();
  }
  Node* ParseComparison() {
    Node* left = ParseBitOr();
    Node* n = nullptr;
    while (true) {
      int op = -1;
      if (Cur().kind == TokKind::kOp) {
        const std::string& s = Cur().text;
        if (s == "<") op = kLt;
        else if (s == "<=") op = kLe;
        else if (s == "==") op = kEq;
        else if (s == "!=") op = kNe;
        else if (s == ">") op = kGt;
        else if (s == ">=") op = kGe;
        if (op >= 0) ++p_;
      } else if (AtKw("in")) {
        op = 10;
        ++p_;
      } else if (AtKw("not") && Peek().kind == TokKind::kName && Peek().text == "in") {
        op = 11;
        p_ += 2;
      } else if (AtKw("is")) {
        ++p_;
        op = AcceptKw("not") ? 13 : 12;
      }
      if (op < 0) break;
      if (n == nullptr) {
        n = ast_->New(NK::kCompare, left->line, left->col);
        n->x = left;
      }
      n->ops.push_back(op);
      n->a.push_back(ParseBitOr());
    }
    return n ? n : left;
  }

  Node* Bin(Node* l, int op, Node* r) {
    Node* n = ast_->New(NK::kBinOp, l->line, l->col);
    n->op = op;
    n->x = l;
    n->y = r;
    return n;
  }
  Node* ParseBitOr() {
    Node* l = ParseBitXor();
    while (AcceptOp("|")) l = Bin(l, kBitOr, ParseBitXor());
    return l;
  }
  Node* ParseBitXor() {
    Node* l = ParseBitAnd();
    while (AcceptOp("^")) l = Bin(l, kBitXor, ParseBitAnd());
    return l;
  }
  Node* ParseBitAnd() {
    Node* l = ParseShift();
    while (AcceptOp("&")) l = Bin(l, kBitAnd, ParseShift());
    return l;
  }
  Node* ParseShift() {
    Node* l = ParseSum();
    while (true) {
      if (AcceptOp("<<")) l = Bin(l, kLShift, ParseSum());
      else if (AcceptOp(">>")) l = Bin(l, kRShift, ParseSum());
      else return l;
    }
  }
  Node* ParseSum() {
    Node* l = ParseTerm();
    while (true) {
      if (AcceptOp("+")) l = Bin(l, kAdd, ParseTerm());
      else if (AcceptOp("-")) l = Bin(l, kSub, ParseTerm());
      else return l;
    }
  }
  Node* ParseTerm() {
    Node* l = ParseFactor();
    while (true) {
      if (AcceptOp("*")) l = Bin(l, kMul, ParseFactor());
      else if (AcceptOp("/")) l = Bin(l, kTrueDiv, ParseFactor());
      else if (AcceptOp("//")) l = Bin(l, kFloorDiv, ParseFactor());
      else if (AcceptOp("%")) l = Bin(l, kMod, ParseFactor());
      else if (AcceptOp("@")) l = Bin(l, kMatMul, ParseFactor());
      else return l;
    }
  }
  Node* ParseFactor() {
    Nest nest(this);
    int op = -1;
    if (AtOp("-")) op = 0;
    else if (AtOp("+")) op = 1;
    else if (AtOp("~")) op = 3;
    if (op >= 0) {
      Node* n = New(NK::kUnaryOp, Cur());
      ++p_;
      n->op = op;
      n->x = ParseFactor();
      // Fold negative literals so that -9223372036854775808 stays representable.
      return n;
    }
    return ParsePower();
  }
  Node* ParsePower() {
    Node* base = ParsePrimary();
    if (AcceptOp("**")) return Bin(base, kPow, ParseFactor());
    return base;
  }

  Node* ParsePrimary() {
    Node* e = ParseAtom();
    while (true) {
      if (AtOp(".")) {
        ++p_;
        Node* n = ast_->New(NK::kAttribute, e->line, e->col);
        n->x = e;
        n->s = ExpectName();
        e = n;
      } else if (AtOp("(")) {
        Node* n = ast_->New(NK::kCall, e->line, e->col);
        ++p_;
        n->x = e;
        ParseCallArgs(n);
        ExpectOp(")");
        e = n;
      } else if (AtOp("[")) {
        Node* n = ast_->New(NK::kSubscript, e->line, e->col);
        ++p_;
        n->x = e;
        n->y = ParseSlices();
        ExpectOp("]");
        e = n;
      } else {
        return e;
      }
    }
  }

  void ParseCallArgs(Node* call) {
    bool seen_kw = false;
    while (!AtOp(")")) {
      if (AtOp("*")) {
        Node* s = New(NK::kStarred, Cur());
        ++p_;
        s->x = ParseExpression();
        call->a.push_back(s);
      } else if (AtOp("**")) {
        Node* kw = New(NK::kKeyword, Cur());
        ++p_;
        kw->x = ParseExpression();
        call->b.push_back(kw);
        seen_kw = true;
      } else if (AtKind(TokKind::kName) && Peek().kind == TokKind::kOp && Peek().text == "=") {
        Node* kw = New(NK::kKeyword, Cur());
        kw->s = Cur().text;
        if (IsKeyword(kw->s)) Invalid();
        p_ += 2;
        kw->x = ParseExpression();
        for (Node* other : call->b) {
          if (other->s == kw->s && !kw->s.empty()) {
            throw CompileError{"keyword argument repeated: " + kw->s, kw->line, kw->col};
          }
        }
        call->b.push_back(kw);
        seen_kw = true;
      } else {
        Node* arg = ParseNamedExpr();
        if (AtKw("for")) {
          Node* g = ast_->New(NK::kGenExp, arg->line, arg->col);
          g->x = arg;
          ParseComprehensionClauses(g);
          arg = g;
          if (!call->a.empty() || !call->b.empty() || AtOp(",")) {
            if (AtOp(",") && Peek().kind == TokKind::kOp && Peek().text == ")" &&
                call->a.empty() && call->b.empty()) {
              // f(x for x in y,) is allowed
            } else {
              throw CompileError{"Generator expression must be parenthesized", arg->line,
                                 arg->col};
            }
          }
        }
        if (seen_kw) {
          bool any_plain_kw = false;
          for (Node* k : call->b) any_plain_kw |= !k->s.empty();
          if (any_plain_kw) {
            throw CompileError{"positional argument follows keyword argument", arg->line,
                               arg->col};
          }
          throw CompileError{"positional argument follows keyword argument unpacking", arg->line,
                             arg->col};
        }
        call->a.push_back(arg);
      }
      if (!AcceptOp(",")) break;
    }
  }

  Node* ParseSlices() {
    const Token& start = Cur();
    Node* first = ParseSliceItem();
    if (!AtOp(",")) return first;
    Node* tup = New(NK::kTuple, start);
    tup->a.push_back(first);
    while (AcceptOp(",")) {
      if (AtOp("]")) break;
      tup->a.push_back(ParseSliceItem());
    }
    return tup;
  }
  Node* ParseSliceItem() {
    const Token& start = Cur();
    Node* lower = nullptr;
    if (!AtOp(":")) {
      lower = ParseNamedExpr();
      if (!AtOp(":")) return lower;
    }
    Node* s = New(NK::kSlice, start);
    s->x = lower;
    ExpectOp(":");
    if (!AtOp(":") && !AtOp("]") && !AtOp(",")) s->y = ParseExpression();
    if (AcceptOp(":")) {
      if (!AtOp("]") && !AtOp(",")) s->z = ParseExpression();
    }
    return s;
  }

  void ParseComprehensionClauses(Node* comp) {
    while (AtKw("for")) {
      Node* c = New(NK::kComprehension, Cur());
      ++p_;
      c->x = ParseTargets();
      if (!AcceptKw("in")) Invalid();
      c->y = ParseOr();
      while (AtKw("if")) {
        ++p_;
        c->a.push_back(ParseOrNoCond());
      }
      comp->a.push_back(c);
    }
  }
  Node* ParseOrNoCond() {
    if (AtKw("lambda")) return ParseLambda();
    return ParseOr();
  }

  Node* ParseAtom() {
    const Token& t = Cur();
    switch (t.kind) {
      case TokKind::kName: {
        if (t.text == "None" || t.text == "True" || t.text == "False") {
          Node* n = New(NK::kConst, t);
          n->i = t.text == "None" ? 0 : t.text == "True" ? 1 : 2;
          ++p_;
          return n;
        }
        if (t.text == "yield") Fail("'yield' outside of parentheses");
        if (IsKeyword(t.text)) Invalid();
        Node* n = New(NK::kName, t);
        n->s = t.text;
        ++p_;
        return n;
      }
      case TokKind::kInt: {
        Node* n = New(NK::kInt, t);
        n->i = t.ival;
        ++p_;
        return n;
      }
      case TokKind::kFloat: {
        Node* n = New(NK::kFloat, t);
        n->f = t.fval;
        ++p_;
        return n;
      }
      case TokKind::kString:
      case TokKind::kFString: return ParseStrings();
      case TokKind::kOp: break;
      default: Invalid();
    }
    if (t.text == "(") {
      ++p_;
      if (AcceptOp(")")) return New(NK::kTuple, t);
      if (AtKw("yield")) {
        Node* y = ParseYield();
        ExpectOp(")");
        return y;
      }
      Node* first = AtOp("*") ? ParseStarExpr(true) : ParseNamedExpr();
      if (AtKw("for")) {
        Node* g = New(NK::kGenExp, t);
        g->x = first;
        ParseComprehensionClauses(g);
        ExpectOp(")");
        return g;
      }
      if (AcceptOp(")")) {
        if (first->kind == NK::kStarred) {
          throw CompileError{"cannot use starred expression here", first->line, first->col};
        }
        return first;
      }
      Node* tup = New(NK::kTuple, t);
      tup->a.push_back(first);
      while (AcceptOp(",")) {
        if (AtOp(")")) break;
        tup->a.push_back(AtOp("*") ? ParseStarExpr(true) : ParseNamedExpr());
      }
      ExpectOp(")");
      return tup;
    }
    if (t.text == "[") {
      ++p_;
      Node* n = New(NK::kList, t);
      if (AcceptOp("]")) return n;
      Node* first = AtOp("*") ? ParseStarExpr(true) : ParseNamedExpr();
      if (AtKw("for")) {
        n->kind = NK::kListComp;
        n->x = first;
        ParseComprehensionClauses(n);
        ExpectOp("]");
        return n;
      }
      n->a.push_back(first);
      while (AcceptOp(",")) {
        if (AtOp("]")) break;
        n->a.push_back(AtOp("*") ? ParseStarExpr(true) : ParseNamedExpr());
      }
      ExpectOp("]");
      return n;
    }
    if (t.text == "{") {
      ++p_;
      Node* n = New(NK::kDict, t);
      if (AcceptOp("}")) return n;
      if (AcceptOp("**")) {
        n->a.push_back(nullptr);
        n->b.push_back(ParseBitOr());
      } else {
        Node* first = AtOp("*") ? ParseStarExpr(true) : ParseNamedExpr();
        if (AcceptOp(":")) {
          Node* value = ParseExpression();
          if (AtKw("for")) {
            n->kind = NK::kDictComp;
            n->x = first;
            n->y = value;
            ParseComprehensionClauses(n);
            ExpectOp("}");
            return n;
          }
          n->a.push_back(first);
          n->b.push_back(value);
        } else {
          n->kind = NK::kSet;
          if (AtKw("for")) {
            n->kind = NK::kSetComp;
            n->x = first;
            ParseComprehensionClauses(n);
            ExpectOp("}");
            return n;
          }
          n->a.push_back(first);
          while (AcceptOp(",")) {
            if (AtOp("}")) break;
            n->a.push_back(AtOp("*") ? ParseStarExpr(true) : ParseNamedExpr());
          }
          ExpectOp("}");
          return n;
        }
      }
      while (AcceptOp(",")) {
        if (AtOp("}")) break;
        if (AcceptOp("**")) {
          n->a.push_back(nullptr);
          n->b.push_back(ParseBitOr());
        } else {
          n->a.push_back(ParseExpression());
          ExpectOp(":");
          n->b.push_back(ParseExpression());
        }
      }
      ExpectOp("}");
      return n;
    }
    if (t.text == "...") {
      Node* n = New(NK::kConst, t);
      n->i = 3;
      ++p_;
      return n;
    }
    Invalid();
  }

  // Adjacent string literals concatenate; any f-string makes the result a kJoinedStr.
  Node* ParseStrings() {
    const Token& start = Cur();
    std::vector<Node*> parts;
    bool any_f = false;
    std::string pending;
    bool has_pending = false;
    while (AtKind(TokKind::kString) || AtKind(TokKind::kFString)) {
      const Token& t = Cur();
      if (t.kind == TokKind::kString) {
        pending += t.text;
        has_pending = true;
      } else {
        any_f = true;
        std::vector<Node*> fparts;
        ParseFString(t, t.text, t.raw, &fparts, 0);
        for (Node* part : fparts) {
          if (part->kind == NK::kStr) {
            pending += part->s;
            has_pending = true;
          } else {
            if (has_pending) {
              Node* s = New(NK::kStr, start);
              s->s = pending;
              parts.push_back(s);
              pending.clear();
              has_pending = false;
            }
            parts.push_back(part);
          }
        }
      }
      ++p_;
    }
    if (!any_f) {
      Node* s = New(NK::kStr, start);
      s->s = pending;
      return s;
    }
    if (has_pending && !pending.empty()) {
      Node* s = New(NK::kStr, start);
      s->s = pending;
      parts.push_back(s);
    }
    Node* j = New(NK::kJoinedStr, start);
    j->a = std::move(parts);
    return j;
  }

  void ParseFString(const Token& tok, std::string_view body, bool raw, std::vector<Node*>* out,
                    int nesting) {
    std::string lit;
    // CPython decodes the literal text between braces in chunks that a doubled
    // brace ends, after its first brace; only raw positions count from a chunk.
    size_t chunk = 0;
    auto check_chunk = [&]() {
      CheckLiteralUtf8(std::string_view(lit).substr(chunk), raw, tok.end_line, tok.end_col);
      chunk = lit.size();
    };
    auto flush = [&]() {
      if (lit.empty()) return;
      check_chunk();
      Node* s = New(NK::kStr, tok);
      s->s = raw ? lit : DecodeEscapes(lit, tok.line, tok.col);
      out->push_back(s);
      lit.clear();
      chunk = 0;
    };
    size_t i = 0;
    while (i < body.size()) {
      char c = body[i];
      if (c == '{') {
        if (i + 1 < body.size() && body[i + 1] == '{' ) {
          lit += '{';
          check_chunk();
          i += 2;
          continue;
        }
        flush();
        // Find the end of the expression: first top-level '!', ':', '=' (not part
        // of ==, !=, <=, >=) or '}'.
        size_t j = i + 1;
        int depth = 0;
        char quote = 0;
        while (j < body.size()) {
          char d = body[j];
          if (quote) {
            if (d == quote) quote = 0;
          } else if (d == '\'' || d == '"') {
            quote = d;
          } else if (d == '#') {
            // A comment would hide the rest of the expression from the lexer,
            // bytes that are not UTF-8 included (they would reach `{x=}` text).
            throw CompileError{"f-string expression part cannot include '#'", tok.line, tok.col};
          } else if (d == '(' || d == '[' || d == '{') {
            ++depth;
          } else if (d == ')' || d == ']' || d == '}') {
            if (depth == 0) break;
            --depth;
          } else if (depth == 0 && (d == ':' || d == '!')) {
            if (d == '!' && j + 1 < body.size() && body[j + 1] == '=') {
              ++j;
            } else {
              break;
            }
          } else if (depth == 0 && d == '=' && j + 1 < body.size() && body[j + 1] != '=' &&
                     j > 0 && std::strchr("=!<>", body[j - 1]) == nullptr) {
            break;
          } else if (d == '=' && j + 1 < body.size() && body[j + 1] == '=') {
            ++j;
          }
          ++j;
        }
        if (j >= body.size()) throw CompileError{"f-string: expecting '}'", tok.line, tok.col};
        std::string_view expr_text = body.substr(i + 1, j - i - 1);
        if (expr_text.find_first_not_of(" \t\n") == std::string_view::npos) {
          throw CompileError{"f-string: empty expression not allowed", tok.line, tok.col};
        }
        Node* fv = New(NK::kFormatted, tok);
        fv->x = ParseFragment(tok, expr_text);
        bool self_doc = false;
        if (body[j] == '=') {
          self_doc = true;
          Node* s = New(NK::kStr, tok);
          s->s = std::string(body.substr(i + 1, j - i));
          out->push_back(s);
          ++j;
          while (j < body.size() && body[j] == ' ') {
            out->back()->s += ' ';
            ++j;
          }
        }
        if (j < body.size() && body[j] == '!') {
          if (j + 1 >= body.size() || std::strchr("sra", body[j + 1]) == nullptr) {
            throw CompileError{"f-string: invalid conversion character: expected 's', 'r', or 'a'",
                               tok.line, tok.col};
          }
          fv->i = body[j + 1];
          j += 2;
        }
        if (j < body.size() && body[j] == ':') {
          // Format spec up to the matching '}' (may hold nested replacement fields).
          size_t k = j + 1;
          int d = 0;
          while (k < body.size()) {
            if (body[k] == '{') ++d;
            else if (body[k] == '}') {
              if (d == 0) break;
              --d;
            }
            ++k;
          }
          if (k >= body.size()) throw CompileError{"f-string: expecting '}'", tok.line, tok.col};
          if (nesting >= 1) {
            throw CompileError{"f-string: expressions nested too deeply", tok.line, tok.col};
          }
          Node* spec = New(NK::kJoinedStr, tok);
          ParseFString(tok, body.substr(j + 1, k - j - 1), raw, &spec->a, nesting + 1);
          fv->y = spec;
          j = k;
        }
        if (self_doc && fv->i == 0 && fv->y == nullptr) fv->i = 'r';
        if (j >= body.size() || body[j] != '}') {
          throw CompileError{"f-string: expecting '}'", tok.line, tok.col};
        }
        out->push_back(fv);
        i = j + 1;
        continue;
      }
      if (c == '}') {
        if (i + 1 < body.size() && body[i + 1] == '}') {
          lit += '}';
          check_chunk();
          i += 2;
          continue;
        }
        throw CompileError{"f-string: single '}' is not allowed", tok.line, tok.col};
      }
      if (c == '\\' && !raw && i + 1 < body.size()) {
        lit += c;
        lit += body[i + 1];
        i += 2;
        continue;
      }
      lit += c;
      ++i;
    }
    flush();
  }

  Node* ParseFragment(const Token& tok, std::string_view text) {
    std::string padded = "(" + std::string(text) + ")";
    try {
      std::vector<Token> toks = Tokenize(padded, tok.line - 1, tok.col, true);
      Parser sub(std::move(toks), ast_, depth_);
      return sub.ParseFragmentExpr();
    } catch (CompileError& e) {
      // CPython names every syntax error inside an f-string's expression so.
      if (IsSyntaxError(e) && e.msg.rfind("f-string: ", 0) != 0) e.msg = "f-string: " + e.msg;
      throw;
    }
  }

  std::vector<Token> t_;
  size_t p_ = 0;
  Ast* ast_;
  int depth_;  // Nest levels entered
};

}  // namespace

void Parse(std::string_view source, Ast* ast) {
  OpenBracket open;
  std::vector<Token> toks = Tokenize(source, 0, 0, false, &open);
  const Token end = toks.back();
  try {
    Parser parser(std::move(toks), ast);
    ast->root = parser.ParseModule();
  } catch (const CompileError& e) {
    // After a parser error CPython tokenizes the rest of the file; a bracket
    // left open at its end replaces the error when it was opened on an earlier
    // line, or when the error is the end of the file itself.
    bool at_end = e.line == end.line && e.col == end.col;
    if (open.c == 0 || !IsSyntaxError(e) || (e.line <= open.line && !at_end)) throw;
    throw NeverClosedError(open);
  }
  if (open.c != 0) throw NeverClosedError(open);  // the parser stops at the end of the file
}

}  // namespace edgeflow::script
