// The syntax tree the parser builds and the compiler walks. One Node type with a
// kind and a few generic fields; the comment on each kind says which it uses.
#ifndef EDGEFLOW_SCRIPT_AST_H_
#define EDGEFLOW_SCRIPT_AST_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace edgeflow::script {

enum class NK {
  // ---- expressions ----
  kName,          // s
  kInt,           // i
  kFloat,         // f
  kStr,           // s (decoded UTF-8)
  kConst,         // i: 0 None, 1 True, 2 False, 3 Ellipsis
  kJoinedStr,     // a: parts (kStr / kFormatted)
  kFormatted,     // x: value, i: conversion (0 none, 's', 'r', 'a'), y: spec (kJoinedStr) or null
  kTuple,         // a: elements
  kList,          // a
  kSet,           // a
  kDict,          // a: keys (null for **m), b: values
  kBinOp,         // op (BinOp), x, y
  kUnaryOp,       // op: 0 neg, 1 pos, 2 not, 3 invert; x
  kBoolOp,        // op: 0 and, 1 or; a: operands
  kCompare,       // x: left; ops: CmpOp or 10 in, 11 not in, 12 is, 13 is not; a: comparators
  kCall,          // x: func; a: positional (kStarred for *a); b: kKeyword
  kKeyword,       // s: name ("" for **m); x: value
  kAttribute,     // x: value; s: attribute
  kSubscript,     // x: value; y: index
  kSlice,         // x, y, z: lower, upper, step (each may be null)
  kLambda,        // args; x: body
  kIfExp,         // x: test; y: body; z: orelse
  kListComp,      // x: element; a: kComprehension
  kSetComp,       // x
  kGenExp,        // x
  kDictComp,      // x: key; y: value
  kComprehension, // x: target; y: iter; a: conditions
  kStarred,       // x
  kNamedExpr,     // x: target name; y: value
  kYield,         // x: value or null
  kYieldFrom,     // x
  // ---- statements ----
  kExpr,          // x
  kAssign,        // a: targets; x: value
  kAugAssign,     // op; x: target; y: value
  kAnnAssign,     // x: target; y: value or null
  kIf,            // x: test; a: body; b: orelse
  kWhile,         // x; a; b
  kFor,           // x: target; y: iter; a: body; b: orelse
  kBreak,
  kContinue,
  kPass,
  kReturn,        // x or null
  kFunctionDef,   // s: name; args; a: body; b: decorators
  kClassDef,      // s: name; a: body; b: decorators; c: bases (kKeyword for keywords)
  kTry,           // a: body; b: handlers (kExceptHandler); c: orelse; d: finalbody
  kExceptHandler, // x: type or null; s: name; a: body
  kRaise,         // x: exc or null; y: cause or null
  kAssert,        // x: test; y: msg or null
  kDelete,        // a: targets
  kGlobal,        // names
  kNonlocal,      // names
  kImport,        // names: module names; asnames
  kImportFrom,    // s: module; names; asnames
  kWith,          // a: body; b: items (kWithItem)
  kWithItem,      // x: context expr; y: target or null
  kModule,        // a: body
};

struct Node;

struct Param {
  std::string name;
  Node* default_value = nullptr;
  int line = 0, col = 0;
};

struct Arguments {
  std::vector<Param> args;  // positional (the first posonly of them are positional-only)
  int posonly = 0;
  std::vector<Param> kwonly;
  std::string vararg;  // "" when none
  std::string kwarg;
};

struct Node {
  NK kind;
  int line = 0;
  int col = 0;  // 0-based, in code points
  int op = 0;
  int64_t i = 0;
  double f = 0;
  std::string s;
  Node* x = nullptr;
  Node* y = nullptr;
  Node* z = nullptr;
  std::vector<Node*> a, b, c, d;
  std::vector<int> ops;
  std::vector<std::string> names, asnames;
  Arguments* args = nullptr;
};

// Owns all nodes of one parse.
struct Ast {
  Node* root = nullptr;
  std::vector<std::unique_ptr<Node>> nodes;
  std::vector<std::unique_ptr<Arguments>> arguments;
  Node* New(NK kind, int line, int col) {
    nodes.push_back(std::make_unique<Node>());
    Node* n = nodes.back().get();
    n->kind = kind;
    n->line = line;
    n->col = col;
    return n;
  }
};

}  // namespace edgeflow::script

#endif  // EDGEFLOW_SCRIPT_AST_H_
