#!/usr/bin/python3
"""Writes the seed corpus of onnx_import_fuzzer: tiny valid ONNX models (a few
hundred bytes each) covering the importer's paths: initializers as raw_data and
as typed fields, Constant nodes, attributes of every kind, BatchNorm and Relu
folding into Conv, MatMul + bias, shape chains that fold, an LSTM. Needs the
onnx Python package (Debian: python3-onnx).
usage: fuzz/infer/make_onnx_seeds.py [OUT_DIR]   (default fuzz/corpus/onnx_import_fuzzer)"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "corpus", "onnx_import_fuzzer")
rng = np.random.default_rng(4)


def w(name, *shape, raw=True):
    a = rng.standard_normal(shape).astype(np.float32)
    if raw:
        return numpy_helper.from_array(a, name)
    return helper.make_tensor(name, TensorProto.FLOAT, shape, a.flatten().tolist())


def vi(name, shape, t=TensorProto.FLOAT):
    return helper.make_tensor_value_info(name, t, shape)


def save(name, nodes, inputs, outputs, inits, opset=13):
    g = helper.make_graph(nodes, name, inputs, outputs, inits)
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", opset)], producer_name="seed")
    m.ir_version = 8
    onnx.checker.check_model(m)
    with open(os.path.join(OUT, name + ".onnx"), "wb") as f:
        f.write(m.SerializeToString())


os.makedirs(OUT, exist_ok=True)

save("conv_bn_relu", [
    helper.make_node("Conv", ["x", "W", "B"], ["c"], name="conv", pads=[1, 1, 1, 1], kernel_shape=[3, 3]),
    helper.make_node("BatchNormalization", ["c", "s", "sh", "mu", "var"], ["n"], name="bn", epsilon=1e-5),
    helper.make_node("Relu", ["n"], ["y"], name="relu"),
], [vi("x", [1, 2, 5, 5])], [vi("y", [1, 3, 5, 5])],
    [w("W", 3, 2, 3, 3), w("B", 3), w("s", 3), w("sh", 3), w("mu", 3),
     numpy_helper.from_array(np.ones(3, np.float32), "var")])

save("gemm_typed_fields", [
    helper.make_node("Gemm", ["x", "W", "B"], ["g"], name="fc", transB=1, alpha=1.0, beta=1.0),
    helper.make_node("Clip", ["g", "lo", "hi"], ["y"], name="clip"),
], [vi("x", [2, 4])], [vi("y", [2, 3])],
    [w("W", 3, 4, raw=False), w("B", 3, raw=False),
     helper.make_tensor("lo", TensorProto.FLOAT, [], [0.0]), helper.make_tensor("hi", TensorProto.FLOAT, [], [6.0])])

save("matmul_add_softmax", [
    helper.make_node("MatMul", ["x", "W"], ["m"], name="mm"),
    helper.make_node("Add", ["m", "B"], ["a"], name="add"),
    helper.make_node("Softmax", ["a"], ["y"], name="softmax", axis=-1),
], [vi("x", ["batch", 4])], [vi("y", ["batch", 3])], [w("W", 4, 3), w("B", 3)])

save("constant_shape_chain", [
    helper.make_node("Constant", [], ["shape_c"], name="const",
                     value=helper.make_tensor("v", TensorProto.INT64, [2], [2, 6])),
    helper.make_node("Shape", ["x"], ["s"], name="shape"),
    helper.make_node("Gather", ["s", "idx"], ["d0"], name="gather", axis=0),
    helper.make_node("Unsqueeze", ["d0", "axes"], ["d0u"], name="unsq"),
    helper.make_node("Concat", ["d0u", "minus1"], ["newshape"], name="concat", axis=0),
    helper.make_node("Reshape", ["x", "newshape"], ["r"], name="reshape"),
    helper.make_node("Reshape", ["r", "shape_c"], ["y"], name="reshape2"),
], [vi("x", [2, 3, 4])], [vi("y", [2, 12])],
    [helper.make_tensor("idx", TensorProto.INT64, [], [0]), helper.make_tensor("axes", TensorProto.INT64, [1], [0]),
     helper.make_tensor("minus1", TensorProto.INT64, [1], [-1])])

save("constant_values", [
    helper.make_node("Constant", [], ["f"], name="cf", value_float=2.5),
    helper.make_node("Constant", [], ["fs"], name="cfs", value_floats=[1.0, 2.0, 3.0]),
    helper.make_node("Mul", ["x", "f"], ["m"], name="mul"),
    helper.make_node("Add", ["m", "fs"], ["y"], name="add"),
], [vi("x", [2, 3])], [vi("y", [2, 3])], [])

save("pool_flatten", [
    helper.make_node("MaxPool", ["x"], ["p"], name="pool", kernel_shape=[2, 2], strides=[2, 2]),
    helper.make_node("GlobalAveragePool", ["p"], ["g"], name="gap"),
    helper.make_node("Flatten", ["g"], ["y"], name="flat", axis=1),
], [vi("x", [1, 3, 4, 4])], [vi("y", [1, 3])], [])

save("gather_embedding", [
    helper.make_node("Gather", ["E", "ids"], ["e"], name="embed", axis=0),
    helper.make_node("ReduceMean", ["e"], ["y"], name="mean", axes=[1], keepdims=0),
], [vi("ids", [1, 5], TensorProto.INT64)], [vi("y", [1, 4])], [w("E", 10, 4)])

save("lstm", [
    helper.make_node("LSTM", ["x", "W", "R", "B"], ["Y", "Yh"], name="lstm", hidden_size=2,
                     activations=["Sigmoid", "Tanh", "Tanh"]),
], [vi("x", [3, 1, 2])], [vi("Y", [3, 1, 1, 2]), vi("Yh", [1, 1, 2])],
    [w("W", 1, 8, 2), w("R", 1, 8, 2), w("B", 1, 16)], opset=14)

save("int_ops_cast", [
    helper.make_node("Cast", ["x"], ["xi"], name="cast", to=TensorProto.INT32),
    helper.make_node("Cast", ["xi"], ["xf"], name="cast_back", to=TensorProto.FLOAT),
    helper.make_node("Transpose", ["xf"], ["t"], name="tr", perm=[1, 0]),
    helper.make_node("Slice", ["t", "starts", "ends"], ["y"], name="slice"),
], [vi("x", [2, 3])], [vi("y", [2, 2])],
    [helper.make_tensor("starts", TensorProto.INT64, [1], [1]),
     helper.make_tensor("ends", TensorProto.INT64, [1], [3])])
print(f"seeds in {OUT}: {sorted(os.listdir(OUT))}")
