// Bytecode files (.pyc): the serialized form of a compiled Program that bundles
// carry to devices. Version 1 layout (little-endian):
//
//   offset  size  field
//   0       4     magic "EFPY"
//   4       4     u32 version (1; other versions are refused)
//   8       8     u64 file_bytes: the exact file size
//   16      8     u64 checksum of bytes [24, file_bytes) (FNV-1a 64)
//   24      ...   body: str filename, u32 n + str source lines, u32 n + str global
//                 names, u32 n + code records
//
// str = u32 byte length + UTF-8 bytes. A code record holds the Code fields in
// declaration order (see code.h); constants are tagged: 0 None, 1 False,
// 2 True, 3 int i64, 4 float f64, 5 str, 6 tuple (u32 n + constants),
// 7 code (u32 index into the program's codes, always after the referrer),
// 8 Ellipsis, 9 frozenset (u32 n + constants in insertion order).
//
// Loading checks every length against the bytes left, UTF-8 validity, nesting
// depth, and then verifies the whole program (verifier.h), so a truncated,
// corrupt or hostile file is an error and never reaches the interpreter.
#ifndef EDGEFLOW_SCRIPT_BYTECODE_H_
#define EDGEFLOW_SCRIPT_BYTECODE_H_

#include <memory>
#include <string>
#include <string_view>

#include "edgeflow/status.h"
#include "script/code.h"

namespace edgeflow::script {

constexpr uint32_t kBytecodeVersion = 1;

std::string SaveBytecode(const Program& program);
// `name` is used in error messages ("prog.pyc: truncated at byte 812").
Result<std::shared_ptr<Program>> LoadBytecode(std::string_view data, const std::string& name);
bool LooksLikeBytecode(std::string_view data);
// A frozenset constant owned by `prog`, built by adding `items` in order (as
// CPython's compiler builds the constant of a set display).
SetObj* StaticFrozenset(Program* prog, const std::vector<Value>& items);

}  // namespace edgeflow::script

#endif  // EDGEFLOW_SCRIPT_BYTECODE_H_
