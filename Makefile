# s2s: the two promised commands (`make demo`, `make test`), the translation service (`make serve`
# builds s2s-serve, which `s2s serve` runs), the benchmark (`make bench`, with the service's load test),
# the fuzzers (`make fuzz [FUZZ_SECONDS=N]`), and `make install` / `make uninstall` (PREFIX, default
# /usr/local, and DESTDIR as usual; s2s-serve is installed too once `make serve` has built it).
# Each target installs the C libraries it needs first (Scripts/install-deps.sh).
SWIFT ?= swift
PREFIX ?= /usr/local
DESTDIR ?=

.PHONY: deps build serve test demo bench fuzz install uninstall clean

deps:
	@Scripts/install-deps.sh

build: deps
	$(SWIFT) build -c release --product s2s

# The HTTP service: its own program, so that `s2s` (and `make demo`) need not wait for SwiftNIO to build.
serve: deps
	$(SWIFT) build -c release --product s2s-serve

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
