// Value: the 16-byte tagged value every script variable, stack slot and
// container element holds. None, bool, int (64-bit) and float are unboxed;
// everything else is a pointer to a heap Object owned by one Context's heap.
#ifndef EDGEFLOW_SCRIPT_VALUE_H_
#define EDGEFLOW_SCRIPT_VALUE_H_

#include <cstdint>

namespace edgeflow::script {

struct Object;

enum class Tag : uint8_t {
  kUnbound = 0,  // an unassigned local / global slot; never visible to scripts
  kNone,
  kBool,
  kInt,
  kFloat,
  kObj,
};

struct Value {
  Tag tag = Tag::kUnbound;
  union {
    int64_t i;
    double f;
    Object* o;
  };

  Value() : i(0) {}
  static Value None() { Value v; v.tag = Tag::kNone; return v; }
  static Value Bool(bool b) { Value v; v.tag = Tag::kBool; v.i = b ? 1 : 0; return v; }
  static Value Int(int64_t x) { Value v; v.tag = Tag::kInt; v.i = x; return v; }
  static Value Float(double x) { Value v; v.tag = Tag::kFloat; v.f = x; return v; }
  static Value Obj(Object* p) { Value v; v.tag = Tag::kObj; v.o = p; return v; }

  bool unbound() const { return tag == Tag::kUnbound; }
  bool is_none() const { return tag == Tag::kNone; }
  bool is_bool() const { return tag == Tag::kBool; }
  bool is_int() const { return tag == Tag::kInt; }
  // int or bool (bool is a subclass of int)
  bool is_intlike() const { return tag == Tag::kInt || tag == Tag::kBool; }
  bool is_float() const { return tag == Tag::kFloat; }
  bool is_obj() const { return tag == Tag::kObj; }
  bool same(const Value& o2) const { return tag == o2.tag && i == o2.i; }
};

static_assert(sizeof(Value) == 16, "Value is two words");

}  // namespace edgeflow::script

#endif  // EDGEFLOW_SCRIPT_VALUE_H_
