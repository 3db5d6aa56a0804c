# edgeflow: the two everyday commands are `make demo` and `make test`.
# Each installs missing Debian packages, configures, builds and runs.
#
#   make test              whole ctest suite (RelWithDebInfo build in build/)
#   make test SANITIZE=1   same suite under AddressSanitizer + UBSan (build-san/)
#   make demo              sample bundle replayed by `edgeflow device run`
#   make bench-store       store/trigger benchmark; last line is one JSON object
#   make bench-script      script VM vs CPython 3.11
#   make bench-infer       inference engine vs ONNX Runtime
#   make bench-pipeline    features + patterns over 10M events; last line is one JSON object
#   make fuzz              libFuzzer targets, each for a bounded time (clang)

SANITIZE ?= 0
JOBS ?= $(shell nproc)
FUZZ_SECONDS ?= 60

ifeq ($(SANITIZE),1)
BUILD_DIR ?= build-san
CMAKE_FLAGS += -DEDGEFLOW_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
else
BUILD_DIR ?= build
CMAKE_FLAGS += -DCMAKE_BUILD_TYPE=RelWithDebInfo
endif

.PHONY: all deps configure build test demo bench-store bench-script bench-infer bench-pipeline fuzz format clean

all: build

deps:
	@./scripts/install-deps

configure: deps
	@cmake -S . -B $(BUILD_DIR) -G Ninja $(CMAKE_FLAGS) >/dev/null

build: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)

test: build
	@cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

demo: build
	@./scripts/demo $(BUILD_DIR)/edgeflow

bench-store: deps
	@cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build build-bench -j $(JOBS) --target bench_store
	@./build-bench/bench/store/bench_store

# bench/script/run: edgeflow vs /usr/bin/python3 on the same programs, same run.
bench-script: deps
	@cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build build-bench -j $(JOBS) --target edgeflow bench_script_vm
	@./bench/script/run build-bench/edgeflow

# bench/pipeline: 50 features and 20 patterns over 10M events, 100k keys, persistence on.
bench-pipeline: deps
	@cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build build-bench -j $(JOBS) --target bench_pipeline
	@./build-bench/bench/pipeline/bench_pipeline

# bench/infer/run: edgeflow vs onnxruntime-node on ../shared/models, same inputs.
bench-infer: deps
	@cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build build-bench -j $(JOBS) --target edgeflow ef_infer_size_probe ef_empty_size_probe
	@./bench/infer/run build-bench/edgeflow

fuzz: deps
	@cmake -S . -B build-fuzz -G Ninja -DEDGEFLOW_FUZZ=ON -DCMAKE_BUILD_TYPE=Debug \
	  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ >/dev/null
	@cmake --build build-fuzz -j $(JOBS)
	@./scripts/run-fuzzers build-fuzz $(FUZZ_SECONDS)

format:
	@find include src tests bench -name '*.h' -o -name '*.cc' -o -name '*.c' | xargs clang-format -i

clean:
	rm -rf build build-san build-bench build-fuzz
