# s2s: the two promised commands (`make demo`, `make test`), the benchmark (`make bench`), the fuzzers
# (`make fuzz [FUZZ_SECONDS=N]`), and `make install` / `make uninstall` (PREFIX, default /usr/local,
# and DESTDIR as usual).
# Each target installs the C libraries it needs first (Scripts/install-deps.sh).
SWIFT ?= swift
PREFIX ?= /usr/local
DESTDIR ?=

.PHONY: deps build test demo bench fuzz install uninstall clean

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

fuzz: deps
	Scripts/fuzz.sh

install: deps
	Scripts/install.sh "$(DESTDIR)" "$(PREFIX)"

uninstall:
	Scripts/install.sh --uninstall "$(DESTDIR)" "$(PREFIX)"

clean:
	rm -rf .build out
