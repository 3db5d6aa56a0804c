// Scope analysis (CPython symtable rules: assignment makes a name local unless
// declared global/nonlocal; free names resolve to the nearest enclosing function
// scope that binds them, skipping class scopes; comprehensions are functions).
#include "script/symtable.h"

#include <algorithm>

#include "script/lexer.h"

namespace edgeflow::script {

NameKind Scope::KindOf(const std::string& n) const {
  auto it = kinds.find(n);
  if (it != kinds.end()) return it->second;
  return kind == ScopeKind::kClass ? NameKind::kClassName : NameKind::kGlobal;
}

int Scope::LocalIndex(const std::string& n) const {
  auto it = std::find(locals.begin(), locals.end(), n);
  return it == locals.end() ? -1 : static_cast<int>(it - locals.begin());
}

int Scope::CellIndex(const std::string& n) const {
  auto it = std::find(cellvars.begin(), cellvars.end(), n);
  if (it != cellvars.end()) return static_cast<int>(it - cellvars.begin());
  auto jt = std::find(freevars.begin(), freevars.end(), n);
  if (jt != freevars.end()) return static_cast<int>(cellvars.size() + (jt - freevars.begin()));
  return -1;
}

namespace {

class Collector {
 public:
  std::unique_ptr<Scope> Run(Node* module) {
    auto s = std::make_unique<Scope>();
    s->kind = ScopeKind::kModule;
    s->node = module;
    s->name = "<module>";
    cur_ = s.get();
    Stmts(module->a);
    return s;
  }

 private:
  void Bind(const std::string& name, Node* at) {
    int& f = cur_->flags[name];
    if ((f & kDeclGlobal) == 0 && (f & kDeclNonlocal) == 0 && (f & (kAssigned | kParam)) == 0 &&
        cur_->kind != ScopeKind::kModule && cur_->kind != ScopeKind::kClass) {
      cur_->locals.push_back(name);
    }
    (void)at;
    f |= kAssigned;
  }
  void Use(const std::string& name) {
    cur_->flags[name] |= kUsed;
    if (name == "super" && cur_->kind != ScopeKind::kClass) cur_->uses_super = true;
    if (name == "__class__") cur_->uses_super = true;
  }

  Scope* Push(ScopeKind kind, Node* node, const std::string& name) {
    auto s = std::make_unique<Scope>();
    s->kind = kind;
    s->node = node;
    s->parent = cur_;
    s->name = name;
    Scope* raw = s.get();
    cur_->children.push_back(std::move(s));
    cur_ = raw;
    return raw;
  }
  void Pop() { cur_ = cur_->parent; }

  void Params(Arguments* args) {
    auto add = [&](const std::string& n) {
      cur_->flags[n] |= kParam | kAssigned;
      cur_->params.push_back(n);
      cur_->locals.push_back(n);
    };
    for (const Param& p : args->args) add(p.name);
    for (const Param& p : args->kwonly) add(p.name);
    if (!args->vararg.empty()) add(args->vararg);
    if (!args->kwarg.empty()) add(args->kwarg);
  }
  void Defaults(Arguments* args) {
    for (const Param& p : args->args) if (p.default_value) Expr(p.default_value);
    for (const Param& p : args->kwonly) if (p.default_value) Expr(p.default_value);
  }

  void Stmts(const std::vector<Node*>& v) {
    for (Node* n : v) Stmt(n);
  }

  void Target(Node* t) {
    switch (t->kind) {
      case NK::kName: Bind(t->s, t); break;
      case NK::kTuple:
      case NK::kList:
        for (Node* e : t->a) Target(e);
        break;
      case NK::kStarred: Target(t->x); break;
      case NK::kAttribute: Expr(t->x); break;
      case NK::kSubscript:
        Expr(t->x);
        Expr(t->y);
        break;
      default: Expr(t);
    }
  }

  // One level of the tree. Left-associative chains (a + b + ..., a.b.c, f()())
  // are built by loops in the parser, so this pass, the first over the whole
  // tree, is where its depth is bounded for code generation too.
  struct Nest : NestingLevel {
    Nest(Collector* c, Node* n) : NestingLevel(&c->depth_, n->line, n->col) {}
  };

  void Stmt(Node* n) {
    Nest nest(this, n);
    switch (n->kind) {
      case NK::kExpr: Expr(n->x); break;
      case NK::kAssign:
        Expr(n->x);
        for (Node* t : n->a) Target(t);
        break;
      case NK::kAugAssign:
        Expr(n->y);
        if (n->x->kind == NK::kName) {
          Use(n->x->s);
          Bind(n->x->s, n->x);
        } else {
          Target(n->x);
        }
        break;
      case NK::kAnnAssign:
        if (n->y) {
          Expr(n->y);
          Target(n->x);
        } else if (n->x->kind == NK::kName) {
          Bind(n->x->s, n->x);
        }
        break;
      case NK::kIf:
      case NK::kWhile:
        Expr(n->x);
        Stmts(n->a);
        Stmts(n->b);
        break;
      case NK::kFor:
        Expr(n->y);
        Target(n->x);
        Stmts(n->a);
        Stmts(n->b);
        break;
      case NK::kReturn:
        if (cur_->kind == ScopeKind::kModule || cur_->kind == ScopeKind::kClass) {
          throw CompileError{"'return' outside function", n->line, n->col};
        }
        if (n->x) Expr(n->x);
        break;
      case NK::kFunctionDef: {
        for (Node* d : n->b) Expr(d);
        Defaults(n->args);
        Bind(n->s, n);
        Push(ScopeKind::kFunction, n, n->s);
        Params(n->args);
        Stmts(n->a);
        Pop();
        break;
      }
      case NK::kClassDef: {
        for (Node* d : n->b) Expr(d);
        for (Node* b : n->c) Expr(b->kind == NK::kKeyword ? b->x : b);
        Bind(n->s, n);
        Push(ScopeKind::kClass, n, n->s);
        Stmts(n->a);
        Pop();
        break;
      }
      case NK::kTry:
        Stmts(n->a);
        for (Node* h : n->b) {
          if (h->x) Expr(h->x);
          if (!h->s.empty()) Bind(h->s, h);
          Stmts(h->a);
        }
        Stmts(n->c);
        Stmts(n->d);
        break;
      case NK::kRaise:
        if (n->x) Expr(n->x);
        if (n->y) Expr(n->y);
        break;
      case NK::kAssert:
        Expr(n->x);
        if (n->y) Expr(n->y);
        break;
      case NK::kDelete:
        for (Node* t : n->a) Target(t);
        break;
      case NK::kGlobal:
      case NK::kNonlocal: {
        bool global = n->kind == NK::kGlobal;
        if (!global && cur_->kind == ScopeKind::kModule) {
          throw CompileError{"nonlocal declaration not allowed at module level", n->line, n->col};
        }
        for (const std::string& name : n->names) {
          int& f = cur_->flags[name];
          if (f & kParam) {
            throw CompileError{"name '" + name + "' is parameter and " +
                                   (global ? "global" : "nonlocal"), n->line, n->col};
          }
          if (f & (kAssigned | kUsed)) {
            throw CompileError{"name '" + name + "' is " +
                                   ((f & kAssigned) ? "assigned to" : "used") +
                                   " before " + (global ? "global" : "nonlocal") + " declaration",
                               n->line, n->col};
          }
          if (f & (global ? kDeclNonlocal : kDeclGlobal)) {
            // CPython reports it at the name's first declaration.
            Node* first = FirstDeclaration(name);
            throw CompileError{"name '" + name + "' is nonlocal and global", first->line,
                               first->col};
          }
          f |= global ? kDeclGlobal : kDeclNonlocal;
          cur_->declarations.push_back({name, n});
        }
        break;
      }
      case NK::kImport:
        for (size_t i = 0; i < n->names.size(); ++i) {
          std::string bound = n->asnames[i];
          if (bound.empty()) bound = n->names[i].substr(0, n->names[i].find('.'));
          Bind(bound, n);
        }
        break;
      case NK::kImportFrom:
        for (size_t i = 0; i < n->names.size(); ++i) {
          Bind(n->asnames[i].empty() ? n->names[i] : n->asnames[i], n);
        }
        break;
      case NK::kWith:
        for (Node* item : n->b) {
          Expr(item->x);
          if (item->y) Target(item->y);
        }
        Stmts(n->a);
        break;
      default: break;
    }
  }

  Node* FirstDeclaration(const std::string& name) const {
    for (const auto& [declared, stmt] : cur_->declarations) {
      if (declared == name) return stmt;
    }
    return nullptr;
  }

  void Comprehension(Node* n, const std::vector<Node*>& elts) {
    // The first iterable is evaluated in the enclosing scope.
    Expr(n->a[0]->y);
    Push(ScopeKind::kComprehension, n, n->kind == NK::kGenExp ? "<genexpr>" : n->kind == NK::kListComp ? "<listcomp>" : n->kind == NK::kSetComp ? "<setcomp>" : "<dictcomp>");
    cur_->flags[".0"] |= kParam | kAssigned;
    cur_->params.push_back(".0");
    cur_->locals.push_back(".0");
    if (n->kind == NK::kGenExp) cur_->generator = true;
    for (size_t i = 0; i < n->a.size(); ++i) {
      Node* c = n->a[i];
      if (i > 0) Expr(c->y);
      Target(c->x);
      for (Node* cond : c->a) Expr(cond);
    }
    for (Node* e : elts) Expr(e);
    Pop();
  }

  void Expr(Node* n) {
    if (n == nullptr) return;
    Nest nest(this, n);
    switch (n->kind) {
      case NK::kName: Use(n->s); break;
      case NK::kLambda:
        Defaults(n->args);
        Push(ScopeKind::kFunction, n, "<lambda>");
        Params(n->args);
        Expr(n->x);
        Pop();
        break;
      case NK::kListComp:
      case NK::kSetComp:
      case NK::kGenExp: Comprehension(n, {n->x}); break;
      case NK::kDictComp: Comprehension(n, {n->x, n->y}); break;
      case NK::kYield:
      case NK::kYieldFrom:
        if (cur_->kind == ScopeKind::kModule || cur_->kind == ScopeKind::kClass) {
          throw CompileError{"'yield' outside function", n->line, n->col};
        }
        if (cur_->kind == ScopeKind::kComprehension) {
          throw CompileError{"'yield' inside " + std::string(cur_->node->kind == NK::kGenExp ? "generator expression" : "list comprehension"), n->line, n->col};
        }
        cur_->generator = true;
        Expr(n->x);
        break;
      case NK::kNamedExpr: {
        Expr(n->y);
        // Binds in the nearest non-comprehension scope.
        Scope* s = cur_;
        while (s->kind == ScopeKind::kComprehension) s = s->parent;
        if (s != cur_) {
          Scope* save = cur_;
          cur_ = s;
          Bind(n->x->s, n->x);
          cur_ = save;
          for (Scope* c = cur_; c != s; c = c->parent) c->flags[n->x->s] |= kUsed;
          walrus_.push_back({cur_, n->x->s});
        } else {
          Bind(n->x->s, n->x);
        }
        break;
      }
      default:
        Expr(n->x);
        Expr(n->y);
        Expr(n->z);
        for (Node* c : n->a) Expr(c);
        for (Node* c : n->b) Expr(c);
        break;
    }
  }

  Scope* cur_ = nullptr;
  int depth_ = 0;  // Nest levels entered

 public:
  std::vector<std::pair<Scope*, std::string>> walrus_;
};

void AddCell(Scope* s, const std::string& name) {
  if (std::find(s->cellvars.begin(), s->cellvars.end(), name) == s->cellvars.end()) {
    s->cellvars.push_back(name);
  }
  s->kinds[name] = NameKind::kCell;
}
void AddFree(Scope* s, const std::string& name) {
  if (std::find(s->freevars.begin(), s->freevars.end(), name) == s->freevars.end()) {
    s->freevars.push_back(name);
  }
  if (s->kind != ScopeKind::kClass || s->kinds.count(name) == 0) s->kinds[name] = NameKind::kFree;
}

bool BindsLocally(Scope* s, const std::string& name) {
  auto it = s->flags.find(name);
  if (it == s->flags.end()) return false;
  int f = it->second;
  return (f & (kAssigned | kParam)) && !(f & kDeclGlobal) && !(f & kDeclNonlocal);
}

// Resolves a free reference from `s`; returns true when found in an enclosing function.
bool ResolveFree(Scope* s, const std::string& name, bool nonlocal, Node* at) {
  std::vector<Scope*> path;
  for (Scope* p = s->parent; p != nullptr; p = p->parent) {
    if (p->kind == ScopeKind::kModule) break;
    if (p->kind == ScopeKind::kClass) {
      if (name == "__class__") {
        p->needs_class_cell = true;
        AddCell(p, "__class__");
        for (Scope* q : path) AddFree(q, name);
        AddFree(s, name);
        return true;
      }
      path.push_back(p);
      continue;
    }
    auto it = p->flags.find(name);
    if (it != p->flags.end() && (it->second & kDeclGlobal)) break;
    if (BindsLocally(p, name) || (it != p->flags.end() && (it->second & kDeclNonlocal))) {
      if (BindsLocally(p, name)) AddCell(p, name);
      for (Scope* q : path) AddFree(q, name);
      AddFree(s, name);
      return true;
    }
    path.push_back(p);
  }
  if (nonlocal) {
    throw CompileError{"no binding for nonlocal '" + name + "' found", at ? at->line : 0,
                       at ? at->col : 0};
  }
  return false;
}

void Resolve(Scope* s) {
  // Parents' own kinds first (locals), then references.
  for (auto& [name, f] : s->flags) {
    if (s->kind == ScopeKind::kModule) {
      s->kinds[name] = NameKind::kGlobal;
      continue;
    }
    if (f & kDeclGlobal) {
      s->kinds[name] = NameKind::kGlobal;
    } else if (f & kDeclNonlocal) {
      // resolved below
    } else if (f & (kAssigned | kParam)) {
      if (s->kinds.count(name) == 0 || s->kinds[name] != NameKind::kCell) {
        s->kinds[name] = s->kind == ScopeKind::kClass ? NameKind::kClassName : NameKind::kLocal;
      }
    }
  }
  for (auto& c : s->children) Resolve(c.get());
}

void ResolveRefs(Scope* s) {
  if (s->kind != ScopeKind::kModule) {
    if (s->uses_super && s->kind != ScopeKind::kClass) {
      // super() needs the enclosing class's __class__ cell.
      bool in_class = false;
      for (Scope* p = s->parent; p; p = p->parent) {
        if (p->kind == ScopeKind::kClass) {
          in_class = true;
          break;
        }
      }
      if (in_class) ResolveFree(s, "__class__", false, nullptr);
    }
    // Nonlocals first, in the order declared: CPython reports the first one
    // without a binding, at its statement.
    for (const auto& [name, stmt] : s->declarations) {
      if (s->flags[name] & kDeclNonlocal) ResolveFree(s, name, true, stmt);
    }
    for (auto& [name, f] : s->flags) {
      if (f & kDeclNonlocal) continue;
      if ((f & kUsed) && !(f & (kAssigned | kParam | kDeclGlobal))) {
        if (s->kinds.count(name) && s->kinds[name] == NameKind::kFree) continue;
        if (!ResolveFree(s, name, false, nullptr)) {
          s->kinds[name] = s->kind == ScopeKind::kClass ? NameKind::kClassName : NameKind::kGlobal;
        }
      }
    }
  }
  for (auto& c : s->children) ResolveRefs(c.get());
}

}  // namespace

std::unique_ptr<Scope> AnalyzeScopes(Node* module) {
  Collector c;
  std::unique_ptr<Scope> root = c.Run(module);
  Resolve(root.get());
  ResolveRefs(root.get());
  return root;
}

}  // namespace edgeflow::script
