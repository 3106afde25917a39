# Two commands on a fresh Debian machine: `make run` and `make test` (README).
BUILD      ?= build
BUILD_ASAN ?= build-asan
JOBS       ?= $(shell nproc)
EXAMPLE    ?= examples/shop-broken
CMAKE_GEN  := -G Ninja

.PHONY: all bootstrap build run test test-fast bench bench-lint bench-live bench-logs bench-micro bench-netcheck fuzz format clean install

all: build

bootstrap:
	@scripts/bootstrap

$(BUILD)/build.ninja: CMakeLists.txt | bootstrap
	cmake -S . -B $(BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Release -DKTRIAGE_TESTS=ON

build: bootstrap $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

# Diagnoses the bundled broken example. Exit code 1 means "found problems", which is the point.
run: build
	@$(BUILD)/ktriage diagnose $(EXAMPLE); code=$$?; [ $$code -le 1 ] || exit $$code

$(BUILD_ASAN)/build.ninja: CMakeLists.txt | bootstrap
	cmake -S . -B $(BUILD_ASAN) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Debug -DKTRIAGE_SANITIZE=ON -DKTRIAGE_TESTS=ON \
	  -DKTRIAGE_TEST_SHARDS=16

# Every test, under AddressSanitizer and UndefinedBehaviorSanitizer, plus a short fuzz run.
test: bootstrap $(BUILD_ASAN)/build.ninja
	cmake $(BUILD_ASAN) -DKTRIAGE_TEST_SHARDS=16 > /dev/null  # also in trees configured before
	cmake --build $(BUILD_ASAN) -j $(JOBS)
	cd $(BUILD_ASAN) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --output-on-failure -j $(JOBS)
	@scripts/fuzz-smoke $(BUILD)

# Same tests without sanitizers, for quick iteration.
test-fast: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

bench: build
	FLOOR=$(BUILD)/bench/simdjson-floor bench/run_bench.sh $(BUILD)/ktriage diagnose -o json
	bench/run_live_bench.sh $(BUILD)
	bench/run_logs_bench.sh $(BUILD)
	bench/run_lint_bench.sh $(BUILD)
	bench/run_netcheck_bench.sh $(BUILD)

# Lint (issue 6): ktriage lint on 10,000 generated manifests beside kubeconform's published figure.
bench-lint: build
	bench/run_lint_bench.sh $(BUILD)

# Logs (issue 5): ktriage logs against grep -E -f and rg -f on a generated 2 GB log mix.
bench-logs: build
	bench/run_logs_bench.sh $(BUILD)

# Live: the same cluster served by the test API server; collect and diagnose against it.
bench-live: build
	bench/run_live_bench.sh $(BUILD)

# netcheck --matrix on 2,000 namespaces, 20,000 NetworkPolicies, 150,000 pods (issue 7).
bench-netcheck: build
	bench/run_netcheck_bench.sh $(BUILD)

# Per-phase micro-benchmarks (Google Benchmark) beside simdjson on the same 15,000-pod List.
bench-micro: build
	@[ -d bench/data/500x15000 ] || $(BUILD)/bench/ktriage-gen --nodes 500 --pods 15000 --out bench/data/500x15000 >/dev/null
	$(BUILD)/bench/ktriage-micro-bench --benchmark_min_time=2

install: build
	install -m 0755 $(BUILD)/ktriage /usr/local/bin/ktriage
	ln -sf /usr/local/bin/ktriage /usr/local/bin/kubectl-triage

format:
	clang-format -i $$(git ls-files 'src/*.cpp' 'src/*.h' 'tests/*.cpp' 'tests/*.h' 'bench/*.cpp' 'bench/*.h')

clean:
	rm -rf $(BUILD) $(BUILD_ASAN)
