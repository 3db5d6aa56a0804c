// The library modules scripts can import (one file each, mod_<name>.cc) and
// the helpers their files use to build them.
#ifndef EDGEFLOW_SCRIPT_MODULES_H_
#define EDGEFLOW_SCRIPT_MODULES_H_

#include <string>
#include <string_view>
#include <vector>

#include "script/objects.h"

namespace edgeflow::script {

ModuleObj* MakeMathModule();
ModuleObj* MakeTimeModule();
ModuleObj* MakeJsonModule();
ModuleObj* MakeRandomModule();
ModuleObj* MakeReModule();
ModuleObj* MakeCollectionsModule();
ModuleObj* MakeHeapqModule();
ModuleObj* MakeBisectModule();
ModuleObj* MakeItertoolsModule();
ModuleObj* MakeFunctoolsModule();
ModuleObj* MakeEdgeflowModule();  // edgeflow.Tensor and friends (tensor.cc); hosts extend it

// The library module of that name (created on first use), or null.
ModuleObj* LibraryModule(std::string_view name);

// The public names (not starting with '_') of a library module, sorted; and
// whether a library module of that name exists. Used by the compiler for
// `from m import *`.
std::vector<std::string> LibraryModuleNames(std::string_view module);
bool ModuleExists(std::string_view module);

// A static (process-wide, immutable) module with an attribute dict.
ModuleObj* NewLibraryModule(const char* name);
void AddConstant(ModuleObj* m, const char* name, Value v);
void AddFunction(ModuleObj* m, const char* name, NativeFn fn);
// A static class defined by a library module (its instances have `layout`;
// ctor makes them).
ClassObj* NewLibraryClass(ModuleObj* m, const char* name, ClassObj* base, Kind layout,
                          NativeFn ctor);

}  // namespace edgeflow::script

#endif  // EDGEFLOW_SCRIPT_MODULES_H_
