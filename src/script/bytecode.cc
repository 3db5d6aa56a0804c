// Bytecode file writer and validating loader (format in bytecode.h).
#include "script/bytecode.h"

#include <cstring>

#include "script/runtime.h"
#include "script/verifier.h"

namespace edgeflow::script {

namespace {

constexpr char kMagic[4] = {'E', 'F', 'P', 'Y'};
constexpr size_t kHeaderBytes = 24;
constexpr int kMaxConstDepth = 16;

uint64_t Fnv1a(std::string_view s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

// ---- writer ----

class Writer {
 public:
  void U8(uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void U32(uint32_t v) { Raw(&v, 4); }
  void I32(int32_t v) { Raw(&v, 4); }
  void U64(uint64_t v) { Raw(&v, 8); }
  void Str(std::string_view s) {
    U32(static_cast<uint32_t>(s.size()));
    out_.append(s);
  }
  void Raw(const void* p, size_t n) { out_.append(static_cast<const char*>(p), n); }
  std::string& out() { return out_; }

 private:
  std::string out_;
};

void WriteConst(Writer& w, const Program& prog, const Value& v) {
  switch (v.tag) {
    case Tag::kNone: w.U8(0); return;
    case Tag::kBool: w.U8(v.i ? 2 : 1); return;
    case Tag::kInt:
      w.U8(3);
      w.U64(static_cast<uint64_t>(v.i));
      return;
    case Tag::kFloat: {
      w.U8(4);
      uint64_t bits;
      std::memcpy(&bits, &v.f, 8);
      w.U64(bits);
      return;
    }
    default: break;
  }
  Object* o = v.o;
  switch (o->kind) {
    case Kind::kStr:
      w.U8(5);
      w.Str(static_cast<StrObj*>(o)->view());
      return;
    case Kind::kTuple: {
      auto* t = static_cast<TupleObj*>(o);
      w.U8(6);
      w.U32(static_cast<uint32_t>(t->n));
      for (int64_t i = 0; i < t->n; ++i) WriteConst(w, prog, t->items[i]);
      return;
    }
    case Kind::kCode:
      w.U8(7);
      w.U32(static_cast<uint32_t>(static_cast<CodeObj*>(o)->code->index));
      return;
    case Kind::kSet: {
      // The insertion order reproduces the table layout on load.
      auto* s = static_cast<SetObj*>(o);
      w.U8(9);
      const std::vector<Value>* order = nullptr;
      for (const auto& [set, items] : prog.frozenset_orders) {
        if (set == s) order = &items;
      }
      std::vector<Value> table_order;
      if (order == nullptr) {
        for (const SetEntry& e : s->table) {
          if (!e.key.unbound()) table_order.push_back(e.key);
        }
        order = &table_order;
      }
      w.U32(static_cast<uint32_t>(order->size()));
      for (const Value& item : *order) WriteConst(w, prog, item);
      return;
    }
    default: w.U8(8); return;  // Ellipsis (the verifier admits nothing else)
  }
}

// ---- reader ----

class Reader {
 public:
  Reader(std::string_view data, size_t pos, const std::string& name)
      : data_(data), pos_(pos), name_(name) {}

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  size_t left() const { return data_.size() - pos_; }
  bool done() const { return pos_ == data_.size(); }

  void Fail(const std::string& what) { FailAt(what, pos_); }
  void FailAt(const std::string& what, size_t at) {
    if (status_.ok()) {
      status_ = Status::Corruption(name_ + ": " + what + " at byte " + std::to_string(at));
    }
  }
  // Names the code object whose strings are read next (-1: the file header).
  void SetCode(int index) { code_ = index; }
  uint8_t U8() {
    uint8_t v = 0;
    Raw(&v, 1);
    return v;
  }
  uint32_t U32() {
    uint32_t v = 0;
    Raw(&v, 4);
    return v;
  }
  int32_t I32() {
    int32_t v = 0;
    Raw(&v, 4);
    return v;
  }
  uint64_t U64() {
    uint64_t v = 0;
    Raw(&v, 8);
    return v;
  }
  // A count of items each at least `min_bytes` long: bounded by what is left.
  uint32_t Count(size_t min_bytes) {
    uint32_t n = U32();
    if (ok() && static_cast<uint64_t>(n) * min_bytes > left()) {
      Fail("count " + std::to_string(n) + " exceeds the data");
      return 0;
    }
    return ok() ? n : 0;
  }
  // A length-prefixed UTF-8 string; `what` and `index` (-1: none) name it in
  // errors. On any failure returns "" (never bytes that failed validation:
  // hashing and decoding assume valid UTF-8).
  std::string Str(const char* what, int64_t index = -1) {
    uint32_t n = U32();
    if (!ok()) return "";
    if (n > left()) {
      Fail(Describe(what, index) + ": string length " + std::to_string(n) + " exceeds the data");
      return "";
    }
    std::string_view s = data_.substr(pos_, n);
    size_t bad = ValidUtf8(s);
    if (bad != kValid) {
      FailAt("invalid UTF-8 in " + Describe(what, index) + " (byte " + std::to_string(bad) +
                 " of " + std::to_string(n) + ")",
             pos_ + bad);
      return "";
    }
    pos_ += n;
    return std::string(s);
  }

 private:
  void Raw(void* p, size_t n) {
    if (!ok()) return;
    if (left() < n) {
      Fail("truncated");
      return;
    }
    std::memcpy(p, data_.data() + pos_, n);
    pos_ += n;
  }
  std::string Describe(const char* what, int64_t index) const {
    std::string d = code_ >= 0 ? "code " + std::to_string(code_) + " " : std::string();
    d += what;
    if (index >= 0) d += "[" + std::to_string(index) + "]";
    return d;
  }
  static constexpr size_t kValid = ~size_t{0};
  // kValid, or the offset of the sequence that is not UTF-8.
  static size_t ValidUtf8(std::string_view s) {
    for (size_t i = 0; i < s.size();) {
      auto c = static_cast<unsigned char>(s[i]);
      int len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
      if (len == 0 || i + len > s.size()) return i;
      uint32_t cp = len == 1 ? c : len == 2 ? c & 0x1F : len == 3 ? c & 0x0F : c & 0x07;
      for (int k = 1; k < len; ++k) {
        auto d = static_cast<unsigned char>(s[i + k]);
        if ((d & 0xC0) != 0x80) return i;
        cp = (cp << 6) | (d & 0x3F);
      }
      static const uint32_t kMin[5] = {0, 0, 0x80, 0x800, 0x10000};
      if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
      i += len;
    }
    return kValid;
  }

  std::string_view data_;
  size_t pos_;
  const std::string& name_;
  int code_ = -1;
  Status status_;
};

class Loader {
 public:
  Loader(Program* prog, Reader* r) : prog_(prog), r_(r) {}

  Value Const(int depth, int code_index) {
    if (depth > kMaxConstDepth) {
      r_->Fail("constants nested too deeply");
      return Value::None();
    }
    uint8_t tag = r_->U8();
    switch (tag) {
      case 0: return Value::None();
      case 1: return Value::Bool(false);
      case 2: return Value::Bool(true);
      case 3: return Value::Int(static_cast<int64_t>(r_->U64()));
      case 4: {
        uint64_t bits = r_->U64();
        double d;
        std::memcpy(&d, &bits, 8);
        return Value::Float(d);
      }
      case 5: {
        std::string s = r_->Str("str constant");
        if (!r_->ok()) return Value::None();
        return V(prog_->NewStaticStr(s));
      }
      case 6: {
        uint32_t n = r_->Count(1);
        std::vector<Value> items;
        for (uint32_t i = 0; i < n && r_->ok(); ++i) items.push_back(Const(depth + 1, code_index));
        return V(prog_->NewStaticTuple(items));
      }
      case 7: {
        uint32_t idx = r_->U32();
        if (idx <= static_cast<uint32_t>(code_index) || idx >= prog_->codes.size()) {
          r_->Fail("code constant refers to code " + std::to_string(idx));
          return Value::None();
        }
        return V(prog_->NewStaticCode(prog_->codes[idx].get()));
      }
      case 8: return V(T().ellipsis);
      case 9: {
        uint32_t n = r_->Count(1);
        std::vector<Value> items;
        for (uint32_t i = 0; i < n && r_->ok(); ++i) {
          Value v = Const(depth + 1, code_index);
          if (v.is_obj() && v.o->kind != Kind::kStr && v.o->kind != Kind::kTuple) {
            r_->Fail("unhashable frozenset constant");
            return Value::None();
          }
          items.push_back(v);
        }
        return V(StaticFrozenset(prog_, items));
      }
      default: r_->Fail("unknown constant tag " + std::to_string(tag)); return Value::None();
    }
  }

  void CodeBody(Code* c) {
    r_->SetCode(c->index);
    c->name = r_->Str("name");
    c->qualname = r_->Str("qualname");
    c->doc = r_->Str("doc");
    c->argcount = r_->I32();
    c->posonlyargcount = r_->I32();
    c->kwonlyargcount = r_->I32();
    c->flags = r_->U32();
    c->nlocals = r_->I32();
    c->ncells = r_->I32();
    c->nfree = r_->I32();
    c->stacksize = r_->I32();
    c->ncaches = r_->I32();
    c->firstline = r_->I32();
    for (uint32_t i = 0, n = r_->Count(4); i < n && r_->ok(); ++i) {
      c->varnames.push_back(r_->Str("varnames", i));
    }
    for (uint32_t i = 0, n = r_->Count(4); i < n && r_->ok(); ++i) {
      c->cellnames.push_back(r_->Str("cellnames", i));
    }
    for (uint32_t i = 0, n = r_->Count(4); i < n && r_->ok(); ++i) c->cell2arg.push_back(r_->I32());
    for (uint32_t i = 0, n = r_->Count(4); i < n && r_->ok(); ++i) c->insns.push_back(r_->U32());
    for (uint32_t i = 0, n = r_->Count(1); i < n && r_->ok(); ++i) c->consts.push_back(Const(0, c->index));
    for (uint32_t i = 0, n = r_->Count(4); i < n && r_->ok(); ++i) {
      std::string s = r_->Str("names", i);
      if (!r_->ok()) break;
      c->names.push_back(prog_->NewStaticStr(s));
    }
    for (uint32_t i = 0, n = r_->Count(8); i < n && r_->ok(); ++i) {
      uint32_t pc = r_->U32();
      uint32_t line = r_->U32();
      c->lines.push_back({pc, line});
    }
    for (uint32_t i = 0, n = r_->Count(16); i < n && r_->ok(); ++i) {
      Handler h;
      h.start = r_->U32();
      h.end = r_->U32();
      h.target = r_->U32();
      h.depth = r_->U32();
      c->handlers.push_back(h);
    }
  }

 private:
  Program* prog_;
  Reader* r_;
};

}  // namespace

SetObj* StaticFrozenset(Program* prog, const std::vector<Value>& items) {
  // Built with a throwaway context for hashing and the insertion algorithm,
  // then detached from it as a static object.
  static std::shared_ptr<const Program> empty = [] {
    auto p = std::make_shared<Program>();
    p->codes.push_back(std::make_unique<Code>());
    return p;
  }();
  VM scratch(empty, Limits());
  SetObj* s = NewSet(&scratch, true);
  for (const Value& v : items) SetAdd(scratch, s, v);
  auto* out = New<SetObj>(nullptr, Kind::kSet, T().frozenset);
  out->table = s->table;
  out->fill = s->fill;
  out->used = s->used;
  prog->Adopt(out);
  prog->frozenset_orders.emplace_back(out, items);
  return out;
}

bool LooksLikeBytecode(std::string_view data) {
  return data.size() >= 4 && std::memcmp(data.data(), kMagic, 4) == 0;
}

std::string SaveBytecode(const Program& prog) {
  Writer w;
  w.Raw(kMagic, 4);
  w.U32(kBytecodeVersion);
  w.U64(0);  // file_bytes, patched below
  w.U64(0);  // checksum
  w.Str(prog.filename);
  w.U32(static_cast<uint32_t>(prog.source_lines.size()));
  for (const auto& l : prog.source_lines) w.Str(l);
  w.U32(static_cast<uint32_t>(prog.global_names.size()));
  for (const auto& g : prog.global_names) w.Str(g);
  w.U32(static_cast<uint32_t>(prog.codes.size()));
  for (const auto& cp : prog.codes) {
    const Code& c = *cp;
    w.Str(c.name);
    w.Str(c.qualname);
    w.Str(c.doc);
    w.I32(c.argcount);
    w.I32(c.posonlyargcount);
    w.I32(c.kwonlyargcount);
    w.U32(c.flags);
    w.I32(c.nlocals);
    w.I32(c.ncells);
    w.I32(c.nfree);
    w.I32(c.stacksize);
    w.I32(c.ncaches);
    w.I32(c.firstline);
    w.U32(static_cast<uint32_t>(c.varnames.size()));
    for (const auto& s : c.varnames) w.Str(s);
    w.U32(static_cast<uint32_t>(c.cellnames.size()));
    for (const auto& s : c.cellnames) w.Str(s);
    w.U32(static_cast<uint32_t>(c.cell2arg.size()));
    for (int v : c.cell2arg) w.I32(v);
    w.U32(static_cast<uint32_t>(c.insns.size()));
    for (uint32_t v : c.insns) w.U32(v);
    w.U32(static_cast<uint32_t>(c.consts.size()));
    for (const Value& v : c.consts) WriteConst(w, prog, v);
    w.U32(static_cast<uint32_t>(c.names.size()));
    for (StrObj* s : c.names) w.Str(s->view());
    w.U32(static_cast<uint32_t>(c.lines.size()));
    for (const LineEntry& e : c.lines) {
      w.U32(e.pc);
      w.U32(e.line);
    }
    w.U32(static_cast<uint32_t>(c.handlers.size()));
    for (const Handler& h : c.handlers) {
      w.U32(h.start);
      w.U32(h.end);
      w.U32(h.target);
      w.U32(h.depth);
    }
  }
  std::string& out = w.out();
  uint64_t size = out.size();
  std::memcpy(&out[8], &size, 8);
  uint64_t sum = Fnv1a(std::string_view(out).substr(kHeaderBytes));
  std::memcpy(&out[16], &sum, 8);
  return out;
}

Result<std::shared_ptr<Program>> LoadBytecode(std::string_view data, const std::string& name) {
  InitTypes();
  if (data.size() < kHeaderBytes || !LooksLikeBytecode(data)) {
    return Status::Corruption(name + ": not an edgeflow bytecode file");
  }
  uint32_t version;
  uint64_t size, sum;
  std::memcpy(&version, data.data() + 4, 4);
  std::memcpy(&size, data.data() + 8, 8);
  std::memcpy(&sum, data.data() + 16, 8);
  if (version != kBytecodeVersion) {
    return Status::Corruption(name + ": bytecode version " + std::to_string(version) +
                              " is not supported (this runtime reads version " +
                              std::to_string(kBytecodeVersion) + ")");
  }
  if (size != data.size()) {
    return Status::Corruption(name + ": file is " + std::to_string(data.size()) +
                              " bytes, header says " + std::to_string(size) + " (truncated or extended)");
  }
  if (Fnv1a(data.substr(kHeaderBytes)) != sum) return Status::Corruption(name + ": checksum mismatch");
  auto prog = std::make_shared<Program>();
  Reader r(data, kHeaderBytes, name);
  prog->filename = r.Str("filename");
  for (uint32_t i = 0, n = r.Count(4); i < n && r.ok(); ++i) {
    prog->source_lines.push_back(r.Str("source_lines", i));
  }
  for (uint32_t i = 0, n = r.Count(4); i < n && r.ok(); ++i) {
    prog->global_names.push_back(r.Str("global_names", i));
  }
  uint32_t ncodes = r.Count(64);
  if (r.ok() && ncodes == 0) r.Fail("no code objects");
  for (uint32_t i = 0; i < ncodes && r.ok(); ++i) {
    prog->codes.push_back(std::make_unique<Code>());
    prog->codes.back()->index = static_cast<int>(i);
  }
  Loader loader(prog.get(), &r);
  for (uint32_t i = 0; i < ncodes && r.ok(); ++i) loader.CodeBody(prog->codes[i].get());
  if (r.ok() && !r.done()) r.Fail("trailing bytes");
  if (!r.ok()) return r.status();
  prog->Link();
  Status st = VerifyProgram(*prog);
  if (!st.ok()) return Status::Corruption(name + ": " + st.message());
  return prog;
}

}  // namespace edgeflow::script
