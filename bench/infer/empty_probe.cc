// The baseline for size_probe.cc: the same shared library without the runtime.
extern "C" int edgeflow_size_probe(const char*) { return 0; }
