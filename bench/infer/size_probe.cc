// The inference runtime as a device links it: load a model, run it. Built
// as a shared library and stripped by bench/infer/run, which subtracts
// empty_probe.cc's library to get the code the runtime adds (XNNPACK itself
// is a shared library, so not counted).
#include "infer/interpreter.h"
#include "infer/model.h"

extern "C" int edgeflow_size_probe(const char* path) {
  auto model = edgeflow::infer::Model::Open(path);
  if (!model.ok()) return 1;
  edgeflow::infer::Interpreter interpreter((*model)->graph());
  return interpreter.Run({}).ok() ? 0 : 2;
}
