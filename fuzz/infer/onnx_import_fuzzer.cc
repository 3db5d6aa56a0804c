// libFuzzer target: hostile ONNX. Bytes go to the importer; a model it
// accepts goes through what `edgeflow model compile` does (graph passes, with
// and without int8 quantization, .efm writer) and the .efm image back through
// the device loader. Any crash, hang or huge allocation is a finding; so is an
// image the writer produced that the loader refuses (the two disagree).
#include <cstdio>
#include <cstdlib>
#include <string>

#include "infer/efm_writer.h"
#include "infer/model.h"
#include "infer/onnx_import.h"
#include "infer/passes.h"
#include "infer/quantize.h"

namespace {

void CompileAndLoad(const edgeflow::infer::Graph& g) {
  using namespace edgeflow::infer;
  auto image = SerializeEfm(g);
  if (!image.ok()) return;  // refused with an error: fine
  auto m = Model::FromBytes(*image, "fuzz.efm");
  if (!m.ok()) {
    std::fprintf(stderr, "the loader refuses what the writer wrote: %s\n",
                 m.status().ToString().c_str());
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace edgeflow::infer;
  auto g = ImportOnnx(std::string(reinterpret_cast<const char*>(data), size), "fuzz.onnx");
  if (!g.ok()) return 0;
  OptimizeGraph(&*g);
  CompileAndLoad(*g);
  QuantizeWeightsInt8(&*g, 16);  // a low threshold so that the tiny seed weights get quantized too
  CompileAndLoad(*g);
  return 0;
}
