// Scripts: task logic written in a Python subset, compiled in the cloud to
// verified bytecode and run on the device by a GIL-free VM.
//
//   auto prog = edgeflow::ScriptProgram::FromBytecode(bytes, "rerank.pyc");
//   edgeflow::ScriptOptions opts;
//   opts.limits.memory_bytes = 8 << 20;
//   opts.modules.push_back(my_host_module);        // `import mymod` in the script
//   auto ctx = edgeflow::ScriptContext::Create(*prog, opts);
//   (*ctx)->Run();                                  // module body: defines functions
//   auto out = (*ctx)->Call("rerank", {ScriptValue::List({1, 2, 3})});
//
// Threading: a ScriptProgram is immutable and may be shared by any number of
// threads. A ScriptContext belongs to one thread at a time; contexts never
// share mutable state, so any number of them run truly in parallel.
// Values cross the boundary by copy (ScriptValue), except tensors, whose
// buffers are shared without copying (ScriptTensor).
#ifndef EDGEFLOW_SCRIPT_H_
#define EDGEFLOW_SCRIPT_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "edgeflow/status.h"
#include "edgeflow/task.h"

namespace edgeflow {

namespace script {
struct Program;
class VM;
}  // namespace script

// A dense, row-major tensor buffer shared between scripts (edgeflow.Tensor)
// and C++ (the inference engine) without copying. Immutable shape and dtype;
// the elements are mutable only through scripts' own tensors, and a buffer
// handed to a script is not written by the script unless it created it.
class ScriptTensor {
 public:
  enum class DType : uint8_t { kFloat32, kFloat64, kInt64, kInt32 };
  static size_t DTypeSize(DType t);
  static const char* DTypeName(DType t);  // "float32", ...

  // A zero-filled tensor.
  ScriptTensor(DType dtype, std::vector<int64_t> shape);
  // Wraps external storage (size * DTypeSize bytes) kept alive by `owner`
  // (e.g. a shared_ptr holding an inference engine output): no copy.
  ScriptTensor(DType dtype, std::vector<int64_t> shape, void* data, std::shared_ptr<void> owner);

  DType dtype() const { return dtype_; }
  const std::vector<int64_t>& shape() const { return shape_; }
  int64_t size() const { return size_; }
  size_t bytes() const { return static_cast<size_t>(size_) * DTypeSize(dtype_); }
  void* data() const { return data_; }
  template <typename T>
  T* data_as() const { return static_cast<T*>(data_); }

 private:
  DType dtype_;
  std::vector<int64_t> shape_;
  int64_t size_ = 0;
  void* data_ = nullptr;
  std::shared_ptr<void> owner_;  // keeps data_ alive
};

// A script value outside the VM: None, bool, int (64-bit), float, str
// (UTF-8), list, dict (insertion-ordered, str keys) or tensor. Tuples and
// sets arriving from a script become lists.
class ScriptValue {
 public:
  enum class Kind { kNone, kBool, kInt, kFloat, kStr, kList, kDict, kTensor };

  ScriptValue() = default;  // None
  static ScriptValue Bool(bool b);
  static ScriptValue Int(int64_t i);
  static ScriptValue Float(double f);
  static ScriptValue Str(std::string s);
  static ScriptValue List(std::vector<ScriptValue> items = {});
  static ScriptValue Dict(std::vector<std::pair<std::string, ScriptValue>> items = {});
  static ScriptValue Tensor(std::shared_ptr<const ScriptTensor> t);
  // From JSON text (objects become dicts); kInvalidArgument on malformed JSON.
  static Result<ScriptValue> FromJson(std::string_view json);

  Kind kind() const { return kind_; }
  bool is_none() const { return kind_ == Kind::kNone; }
  bool as_bool() const { return b_; }
  int64_t as_int() const { return i_; }
  double as_float() const { return f_; }
  const std::string& as_str() const { return s_; }
  const std::vector<ScriptValue>& items() const { return list_; }
  std::vector<ScriptValue>& items() { return list_; }
  const std::vector<std::pair<std::string, ScriptValue>>& entries() const { return dict_; }
  std::vector<std::pair<std::string, ScriptValue>>& entries() { return dict_; }
  const std::shared_ptr<const ScriptTensor>& tensor() const { return tensor_; }
  // The dict entry named `key`, or null.
  const ScriptValue* Find(std::string_view key) const;

  // JSON text as json.dumps(value) prints it (tensors as nested lists).
  std::string ToJson() const;

 private:
  Kind kind_ = Kind::kNone;
  bool b_ = false;
  int64_t i_ = 0;
  double f_ = 0;
  std::string s_;
  std::vector<ScriptValue> list_;
  std::vector<std::pair<std::string, ScriptValue>> dict_;
  std::shared_ptr<const ScriptTensor> tensor_;
};

// Compiled, verified bytecode. Immutable; share it between threads.
class ScriptProgram {
 public:
  // Loads a bytecode file (from `edgeflow script compile`). Truncated, corrupt
  // or hostile bytecode is kCorruption naming `name` and what was wrong.
  static Result<std::shared_ptr<const ScriptProgram>> FromBytecode(std::string_view bytes,
                                                                   const std::string& name);
  // Wraps a program built in this process (the toolchain's compiler).
  explicit ScriptProgram(std::shared_ptr<const script::Program> program);
  ~ScriptProgram();

  // The serialized bytecode (a .pyc file's contents).
  std::string ToBytecode() const;
  const std::string& filename() const;
  const std::shared_ptr<const script::Program>& program() const { return program_; }

 private:
  std::shared_ptr<const script::Program> program_;
};

// How a host function is called: its positional and keyword arguments.
struct ScriptCall {
  std::vector<ScriptValue> args;
  std::vector<std::pair<std::string, ScriptValue>> kwargs;
  const CancellationToken* cancel = nullptr;  // the context's token (may be null)
};

// A module a script can import, implemented in C++. Functions get copies of
// their arguments; their result is copied into the script. A non-OK Status
// raises in the script: kInvalidArgument as ValueError, kNotFound as KeyError,
// kUnsupported as NotImplementedError, kResourceExhausted as MemoryError (the
// script may catch it; the context's own memory cap is not catchable),
// kCancelled stops the script as cancelled, anything else as RuntimeError; the
// message is the Status message.
class ScriptModule {
 public:
  using Function = std::function<Result<ScriptValue>(const ScriptCall& call)>;

  explicit ScriptModule(std::string name) : name_(std::move(name)) {}
  ScriptModule& AddFunction(std::string name, Function fn);
  ScriptModule& AddValue(std::string name, ScriptValue value);

  const std::string& name() const { return name_; }
  const std::vector<std::pair<std::string, Function>>& functions() const { return functions_; }
  const std::vector<std::pair<std::string, ScriptValue>>& values() const { return values_; }

 private:
  std::string name_;
  std::vector<std::pair<std::string, Function>> functions_;
  std::vector<std::pair<std::string, ScriptValue>> values_;
};

struct ScriptLimits {
  int64_t memory_bytes = 64ll << 20;  // heap cap of the context
  int64_t max_ticks = -1;             // instruction budget: loop iterations (natives' too) + calls; -1 none
  int max_depth = 1000;               // Python frames (RecursionError beyond)
  const CancellationToken* cancel = nullptr;  // polled on backward jumps, calls and native loops
};

struct ScriptOptions {
  ScriptLimits limits;
  // Host modules importable by name (shared_ptr: one module serves many contexts).
  std::vector<std::shared_ptr<const ScriptModule>> modules;
  // Receives print() output (at least every 64 KiB and when a call returns);
  // default: kept in the context (see TakeOutput).
  std::function<void(std::string_view text)> on_output;
};

// What an uncaught script exception looked like.
struct ScriptError {
  std::string type;       // "ValueError"; empty for a limit or cancellation
  std::string message;    // str(exception), or the limit's message
  std::string traceback;  // CPython-style traceback text
};

// One execution context: its own heap, globals and limits over a shared
// program. Creating one is cheap (tens of microseconds).
class ScriptContext {
 public:
  static Result<std::unique_ptr<ScriptContext>> Create(std::shared_ptr<const ScriptProgram> program,
                                                       ScriptOptions options = {});
  ~ScriptContext();
  ScriptContext(const ScriptContext&) = delete;
  ScriptContext& operator=(const ScriptContext&) = delete;

  // Runs the module body. Errors: kFailedPrecondition with the traceback text
  // for an uncaught exception, kResourceExhausted for the memory cap or the
  // instruction budget, kCancelled when the token fired. After an error the
  // context can still be used.
  Status Run();
  // True when the module body bound `name` to a callable (function, class, ...).
  bool HasFunction(const std::string& name) const;
  // Calls a global function defined by the module body.
  Result<ScriptValue> Call(const std::string& function, const std::vector<ScriptValue>& args);
  // The last error of Run/Call (after a non-OK return).
  const ScriptError& last_error() const { return last_error_; }

  // print() output collected so far (when no on_output was given), cleared.
  std::string TakeOutput();
  // Heap bytes in use / peak since creation.
  int64_t heap_bytes() const;
  int64_t peak_heap_bytes() const;

 private:
  ScriptContext() = default;
  std::unique_ptr<script::VM> vm_;
  std::shared_ptr<const ScriptProgram> program_;
  ScriptOptions options_;
  ScriptError last_error_;
};

}  // namespace edgeflow

#endif  // EDGEFLOW_SCRIPT_H_
