// The import system: `import m` finds a module the embedder registered in this
// context (host modules such as `edgeflow`), else one of the builtin library
// modules. Library modules are created once per process and are immutable, so
// every context shares them; per-context state (random's generator) lives in
// VM extensions.
#include <algorithm>
#include <map>
#include <mutex>

#include "script/modules.h"
#include "script/runtime.h"

namespace edgeflow::script {

namespace {

struct Entry {
  const char* name;
  ModuleObj* (*make)();
};

const Entry kLibrary[] = {
    {"math", MakeMathModule},
    {"time", MakeTimeModule},
    {"heapq", MakeHeapqModule},
    {"bisect", MakeBisectModule},
    {"itertools", MakeItertoolsModule},
    {"functools", MakeFunctoolsModule},
    {"json", MakeJsonModule},
    {"random", MakeRandomModule},
    {"collections", MakeCollectionsModule},
    {"re", MakeReModule},
    {"edgeflow", MakeEdgeflowModule},
};

ModuleObj* Library(std::string_view name) {
  static std::mutex mu;
  static auto* made = new std::map<std::string, ModuleObj*, std::less<>>();
  std::lock_guard<std::mutex> lock(mu);
  auto it = made->find(name);
  if (it != made->end()) return it->second;
  for (const Entry& e : kLibrary) {
    if (name == e.name) {
      ModuleObj* m = e.make();
      made->emplace(std::string(name), m);
      return m;
    }
  }
  return nullptr;
}

}  // namespace

ModuleObj* NewLibraryModule(const char* name) {
  InitTypes();
  auto* m = New<ModuleObj>(nullptr, Kind::kModule, T().module);
  m->name = Intern(name);
  m->dict = NewDict(nullptr);
  DictSet(nullptr, m->dict, V(N().__name__), V(m->name));
  return m;
}

void AddConstant(ModuleObj* m, const char* name, Value v) {
  DictSet(nullptr, m->dict, V(Intern(name)), v);
}

void AddFunction(ModuleObj* m, const char* name, NativeFn fn) { AddNative(m->dict, name, fn); }

ClassObj* NewLibraryClass(ModuleObj* m, const char* name, ClassObj* base, Kind layout,
                          NativeFn ctor) {
  auto* c = New<ClassObj>(nullptr, Kind::kClass, T().type);
  c->name = Intern(name);
  c->base = base;
  c->dict = NewDict(nullptr);
  c->layout = layout;
  c->ctor = ctor;
  c->is_builtin = true;
  c->is_exception = base != nullptr && base->is_exception;
  c->module_name = m->name;
  DictSet(nullptr, m->dict, V(c->name), V(c));
  return c;
}

std::vector<std::string> LibraryModuleNames(std::string_view module) {
  std::vector<std::string> names;
  ModuleObj* m = Library(module);
  if (m == nullptr) return names;
  for (const DictEntry& e : m->dict->entries) {
    if (!IsStr(e.key)) continue;
    std::string_view n = As<StrObj>(e.key)->view();
    if (!n.empty() && n[0] != '_') names.emplace_back(n);
  }
  std::sort(names.begin(), names.end());
  return names;
}

bool ModuleExists(std::string_view module) { return Library(module) != nullptr; }

ModuleObj* LibraryModule(std::string_view name) { return Library(name); }

ModuleObj* ImportModule(VM& vm, StrObj* name) {
  std::string key(name->view());
  auto it = vm.modules.find(key);
  if (it != vm.modules.end()) return it->second;
  ModuleObj* m = Library(key);
  if (m == nullptr) Raise(vm, T().ModuleNotFoundError, "No module named '" + key + "'");
  vm.modules.emplace(key, m);
  return m;
}

}  // namespace edgeflow::script
