# s2s: the two promised commands (`make demo`, `make test`) and the benchmark.
SWIFT ?= swift
BIN := .build/release/s2s

.PHONY: deps build test demo bench clean

deps:
	@Scripts/install-deps.sh

build: deps
	$(SWIFT) build -c release --product s2s

test: deps
	$(SWIFT) test

demo: build
	Scripts/demo.sh

bench: build
	Scripts/bench.sh

clean:
	rm -rf .build
