# A thin wrapper over CMake: `make`, `make run`, `make test`, `make install`.
BUILD ?= build
PREFIX ?= /usr/local
CMAKE_FLAGS ?=
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: all build bootstrap configure run test install clean distclean

all: build

# Bootstraps only when a dependency is missing; scripts/bootstrap.sh is
# idempotent, so running it again is always safe.
bootstrap: deps/duckdb/.stamp
deps/duckdb/.stamp: scripts/bootstrap.sh
	./scripts/bootstrap.sh

$(BUILD)/CMakeCache.txt: | bootstrap
	cmake -S . -B $(BUILD) -DCMAKE_INSTALL_PREFIX=$(PREFIX) $(CMAKE_FLAGS)

configure: $(BUILD)/CMakeCache.txt

# CMAKE_FLAGS given on the command line reconfigure an existing build folder.
build: bootstrap configure
	@if [ -n "$(CMAKE_FLAGS)" ]; then cmake -S . -B $(BUILD) $(CMAKE_FLAGS) >/dev/null; fi
	cmake --build $(BUILD) -j $(JOBS)

# The hardware report, then a quick benchmark of the key models this engine
# runs on the CPU (presets: synthetic weights of their real shapes when no
# local copy exists), stored in ./benchmarks.duckdb (or $IA_DB).
RUN_MODELS ?= bert-base-uncased,sentence-transformers/all-MiniLM-L6-v2,gpt2,google/vit-base-patch16-224
run: build
	$(BUILD)/ipfs-accelerate hw
	$(BUILD)/ipfs-accelerate bench --quick --models $(RUN_MODELS) --batch-sizes 1,8 --seq-lens 128
	$(BUILD)/ipfs-accelerate report --format html --out report.html
	@echo "report: report.html (ipfs-accelerate report --help for the other reports)"

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

clean:
	rm -rf $(BUILD)

distclean: clean
	rm -rf deps
