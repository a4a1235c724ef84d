# s2s: the two promised commands (`make demo`, `make test`), and the benchmark (`make bench`).
# Each target installs the C libraries it needs first (Scripts/install-deps.sh).
SWIFT ?= swift

.PHONY: deps build test demo bench clean

deps:
	@Scripts/install-deps.sh

build: deps
	$(SWIFT) build -c release --product s2s

# XCTest only: the suite has no Swift Testing tests, and its empty summary line would confuse readers.
test: deps
	$(SWIFT) test --disable-swift-testing

demo: build
	Scripts/demo.sh

bench: deps
	Scripts/bench.sh $(BENCH_ARGS)

clean:
	rm -rf .build out
