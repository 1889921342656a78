# The LinkedIn connector component, the Lead Sync receiver component and their wasmtime host.
#   make build   the release components (connector and receiver .wasm) and the release host
#   make test    format and lint checks, unit tests, harness tests, replay of every fixture
#   make lint    format checks of every .rs file, clippy on the component and on the harness
#   make run     a demo without a LinkedIn account (or live get-user-info with LINKEDIN_ACCESS_TOKEN)
#   make bench   size, load, instantiate and per-call timings
#   make docs    regenerate docs/commands.md from the component's catalog
#   make fuzz    long property-test run of the signature verifier, notification parser and
#                custom-action URL checks (FUZZ_CASES each), then the component-boundary fuzzer
#                (host-test fuzz) for FUZZ_SECONDS; not part of make test, which runs the fuzzer
#                for 45 s (FUZZ_SEED repeats a run)
#   make load    2,000 signed notifications and 200 forged ones from 50 connections to the
#                receiver on loopback: throughput, latency, guest memory, nothing lost (a benchmark,
#                not part of make test)
#   make wasmtime-check  the receiver under the real `wasmtime serve` 48: the challenge, a signed
#                and a forged POST. Installs wasmtime-cli 48.0.8 into target/tools first when it
#                is not there (about 25 minutes on two cores); not part of make test

CARGO ?= cargo
WASM  := target/wasm32-wasip2/release/linkedin_connector.wasm
HOST  := target/host/host-test
# The receiver builds in a target directory of its own. It depends on the connector's crate
# without the `component` feature, and a cdylib's file name carries no hash: in the shared
# target directory, building the connector's crate as the receiver's dependency rewrites
# linkedin_connector.wasm (a glue-less 13 KB one) in place.
RECEIVER_TARGET := target/receiver
RECEIVER := $(RECEIVER_TARGET)/wasm32-wasip2/release/linkedin_receiver.wasm
WASMTIME := target/tools/bin/wasmtime

.PHONY: setup build component receiver host test lint fmt-check lint-component lint-harness unit harness replay run bench load wasmtime-check docs fuzz clean

build: component receiver host

# rustup installs a toolchain file's targets only when it installs the toolchain itself, not
# into a toolchain that is already there (our machines come with 1.95.0 and no wasm target), and
# RUSTUP_AUTO_INSTALL=0 turns off installing anything implicitly. So every cargo command here
# first makes sure of the target: a listing when it is present (well under a second), `rustup
# target add` once when it is not.
setup:
	@rustup target list --installed | grep -qx wasm32-wasip2 || rustup target add wasm32-wasip2

component: setup
	$(CARGO) build --release --target wasm32-wasip2 -p linkedin-connector

# In a cargo command of its own: cargo unifies a crate's features within one build, and with the
# connector's `component` feature the receiver would carry the connector's WIT glue (it refuses
# to compile that way).
receiver: setup
	$(CARGO) build --release --target wasm32-wasip2 -p linkedin-receiver --target-dir $(RECEIVER_TARGET)

host: setup
	$(CARGO) build --profile host -p host-test

test: lint unit build harness replay

lint: fmt-check lint-component lint-harness

# Every .rs file in the repository, not only the ones a crate's module tree reaches.
fmt-check: setup
	$(CARGO) fmt --all -- --check
	find . -name '*.rs' -not -path './target/*' -not -path '*/node_modules/*' -not -path './*/target/*' -print0 \
		| xargs -0 rustfmt --edition 2024 --check

lint-component: setup
	$(CARGO) clippy --release --target wasm32-wasip2 -p linkedin-connector -- -D warnings
	$(CARGO) clippy --release --target wasm32-wasip2 -p linkedin-receiver -- -D warnings
	$(CARGO) clippy -p linkedin-connector -p linkedin-receiver --all-targets -- -D warnings

lint-harness: setup
	$(CARGO) clippy --profile host -p host-test --all-targets -- -D warnings

unit: setup
	$(CARGO) test -p linkedin-connector -p linkedin-receiver

harness: build
	$(CARGO) test --profile host -p host-test -- --show-output

replay: build
	$(HOST) replay fixtures/

run: build
	@if [ -n "$$LINKEDIN_ACCESS_TOKEN" ]; then \
		echo "== get-user-info (live)"; $(HOST) call get-user-info --live; \
	else \
		echo "== get-user-info (answered from fixtures/demo; set LINKEDIN_ACCESS_TOKEN to go live)"; \
		$(HOST) call get-user-info --replay fixtures/demo; \
		echo "== create-post (answered from fixtures/demo)"; \
		$(HOST) call create-post --replay fixtures/demo \
			--input '{"author":"urn:li:person:782bbtaQ","text":"Shipping the LinkedIn connector (v0.1) today #rust"}'; \
	fi

bench: build
	$(HOST) bench

load: build
	$(HOST) load --receiver $(RECEIVER)

$(WASMTIME):
	@echo "Installing wasmtime-cli 48.0.8 into target/tools: about 25 minutes on two cores."
	$(CARGO) install --locked wasmtime-cli@48.0.8 --root target/tools

wasmtime-check: build $(WASMTIME)
	$(HOST) wasmtime-check --wasmtime $(WASMTIME) --receiver $(RECEIVER)

docs: build
	mkdir -p docs
	$(HOST) describe --markdown > docs/commands.md

# The prop_* tests run 256 cases each in `make test`; here each runs FUZZ_CASES cases. Then
# random commands, inputs and LinkedIn answers through the built component for FUZZ_SECONDS
# (45 s of it run in `make test`, tests/fuzz.rs); it prints the seed, and FUZZ_SEED repeats it.
FUZZ_CASES ?= 200000
FUZZ_SECONDS ?= 600
fuzz: build
	PROPTEST_CASES=$(FUZZ_CASES) $(CARGO) test --profile host -p linkedin-connector --lib prop_
	$(HOST) fuzz --seconds $(FUZZ_SECONDS) $(if $(FUZZ_SEED),--seed $(FUZZ_SEED))

clean:
	$(CARGO) clean
