# The LinkedIn connector component and its wasmtime host.
#   make build   the release component (.wasm) and the release host (host-test)
#   make test    format and component lint checks, unit tests, harness tests, replay of every fixture
#   make lint    format and lint checks of the component and of the harness (clippy on host-test
#                checks all of wasmtime, about 3 minutes on two cores, so make test leaves it out
#                to keep CI well under 20 minutes)
#   make run     a demo without a LinkedIn account (or live get-user-info with LINKEDIN_ACCESS_TOKEN)
#   make bench   size, load, instantiate and per-call timings
#   make docs    regenerate docs/commands.md from the component's catalog
#   make fuzz    long property-test run of the signature verifier, notification parser and
#                custom-action URL checks (FUZZ_CASES each), then the component-boundary fuzzer
#                (host-test fuzz) for FUZZ_SECONDS; not part of make test, which runs the fuzzer
#                for 45 s (FUZZ_SEED repeats a run)

CARGO ?= cargo
WASM  := target/wasm32-wasip2/release/linkedin_connector.wasm
HOST  := target/host/host-test

.PHONY: build component host test lint lint-component lint-harness unit harness replay run bench docs fuzz clean

build: component host

component:
	$(CARGO) build --release --target wasm32-wasip2 -p linkedin-connector

host:
	$(CARGO) build --profile host -p host-test

test: lint-component unit build harness replay

lint: lint-component lint-harness

lint-component:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --release --target wasm32-wasip2 -p linkedin-connector -- -D warnings
	$(CARGO) clippy -p linkedin-connector --all-targets -- -D warnings

lint-harness:
	$(CARGO) clippy --profile host -p host-test --all-targets -- -D warnings

unit:
	$(CARGO) test -p linkedin-connector

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
