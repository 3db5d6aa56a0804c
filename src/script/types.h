// The builtin classes (int, str, list, ..., the exception hierarchy) and common
// attribute names. They are created once per process, are immutable afterwards
// and are shared by every Context.
#ifndef EDGEFLOW_SCRIPT_TYPES_H_
#define EDGEFLOW_SCRIPT_TYPES_H_

#include "script/objects.h"

namespace edgeflow::script {

#define EF_SCRIPT_EXCEPTIONS(X)                          \
  X(BaseException, object)                               \
  X(SystemExit, BaseException)                           \
  X(KeyboardInterrupt, BaseException)                    \
  X(GeneratorExit, BaseException)                        \
  X(Exception, BaseException)                            \
  X(StopIteration, Exception)                            \
  X(ArithmeticError, Exception)                          \
  X(FloatingPointError, ArithmeticError)                 \
  X(OverflowError, ArithmeticError)                      \
  X(ZeroDivisionError, ArithmeticError)                  \
  X(AssertionError, Exception)                           \
  X(AttributeError, Exception)                           \
  X(ImportError, Exception)                              \
  X(ModuleNotFoundError, ImportError)                    \
  X(LookupError, Exception)                              \
  X(IndexError, LookupError)                             \
  X(KeyError, LookupError)                               \
  X(MemoryError, Exception)                              \
  X(NameError, Exception)                                \
  X(UnboundLocalError, NameError)                        \
  X(OSError, Exception)                                  \
  X(RuntimeError, Exception)                             \
  X(NotImplementedError, RuntimeError)                   \
  X(RecursionError, RuntimeError)                        \
  X(SyntaxError, Exception)                              \
  X(SystemError, Exception)                              \
  X(TypeError, Exception)                                \
  X(ValueError, Exception)                               \
  X(UnicodeError, ValueError)                            \
  X(JSONDecodeError, ValueError)                         \
  X(Warning, Exception)

struct BuiltinTypes {
  ClassObj *object, *type, *int_, *float_, *bool_, *none, *str, *tuple, *list, *dict, *set,
      *frozenset, *function, *builtin_function, *method, *range, *slice, *iterator, *generator,
      *module, *code, *super, *property, *staticmethod, *classmethod, *dict_keys, *dict_values,
      *dict_items, *cell, *deque, *defaultdict, *counter, *ordereddict, *tensor,
      *not_implemented_type, *ellipsis_type;
#define EF_EXC_FIELD(name, base) ClassObj* name;
  EF_SCRIPT_EXCEPTIONS(EF_EXC_FIELD)
#undef EF_EXC_FIELD
  Object* not_implemented;
  Object* ellipsis;
};

const BuiltinTypes& T();

// Frequently used names (static strings).
struct Names {
  StrObj *__init__, *__new__, *__repr__, *__str__, *__eq__, *__ne__, *__lt__, *__le__, *__gt__,
      *__ge__, *__hash__, *__len__, *__iter__, *__next__, *__contains__, *__getitem__,
      *__setitem__, *__delitem__, *__add__, *__radd__, *__sub__, *__rsub__, *__mul__, *__rmul__,
      *__truediv__, *__rtruediv__, *__floordiv__, *__rfloordiv__, *__mod__, *__rmod__, *__pow__,
      *__rpow__, *__neg__, *__pos__, *__abs__, *__bool__, *__call__, *__name__, *__class__,
      *__dict__, *__doc__, *__module__, *__qualname__, *__iadd__, *__isub__, *__imul__,
      *__and__, *__or__, *__xor__, *__rand__, *__ror__, *__rxor__, *__lshift__, *__rshift__,
      *__invert__, *__index__, *__int__, *__float__, *__format__, *__getattr__, *__setattr__,
      *__matmul__, *__rmatmul__, *__mro__, *__bases__, *__base__, *__enter__, *__exit__,
      *args, *__main__, *__missing__, *__reversed__, *__round__;
};
const Names& N();

// Builds the tables once; every entry point (VM, Program, compiler) calls it
// before T() / N() are used.
void InitTypes();

}  // namespace edgeflow::script

#endif  // EDGEFLOW_SCRIPT_TYPES_H_
