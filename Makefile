# The LinkedIn connector component, the Lead Sync receiver component and their wasmtime host.
#   make build   the release components (connector, receiver, and the bench's floor) and the
#                release host
#   make test    format and lint checks, unit tests, harness tests, replay of every fixture
#   make lint    format checks of every .rs file, clippy on the component and on the harness
#   make run     a demo without a LinkedIn account (or live get-user-info with LINKEDIN_ACCESS_TOKEN)
#   make bench   the floor, then size, compile, instantiate and every benched command's warm call
#                against it, in time and in instructions (callgrind)
#   make docs    regenerate docs/commands.md from the component's catalog
#   make fuzz    the coverage-guided fuzz targets (fuzz/, cargo-fuzz on nightly) for
#                FUZZ_TARGET_SECONDS each, a long property-test run of the signature verifier,
#                notification parser and custom-action URL checks (FUZZ_CASES each), then the
#                component-boundary fuzzer (host-test fuzz) for FUZZ_SECONDS; not part of make
#                test, which runs that fuzzer for 45 s (FUZZ_SEED repeats a run)
#   make js      the npm package in js/ (npm ci, then jco's transpile of the release component)
#   make js-test the Node replay of every fixture, the package's tests and its TypeScript check
#   make browser-test  the query editor in headless Chromium (Debian's package; installed when
#                root, else make says the one command to run)
#   make editor  the query editor on http://127.0.0.1:8717/ (recorded answers; live with
#                LINKEDIN_ACCESS_TOKEN)
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

.PHONY: setup build component floor receiver host test lint fmt-check lint-component lint-harness unit harness replay run bench load wasmtime-check docs fuzz fuzz-targets clean js js-test browser-test editor chromium node

build: component floor receiver host

# rustup installs a toolchain file's targets only when it installs the toolchain itself, not
# into a toolchain that is already there (our machines come with 1.95.0 and no wasm target), and
# RUSTUP_AUTO_INSTALL=0 turns off installing anything implicitly. So every cargo command here
# first makes sure of the target: a listing when it is present (well under a second), `rustup
# target add` once when it is not.
setup:
	@rustup target list --installed | grep -qx wasm32-wasip2 || rustup target add wasm32-wasip2

component: setup
	$(CARGO) build --release --target wasm32-wasip2 -p linkedin-connector

# The bench's floor (host-test/floor): the least a component can do to answer get-user-info,
# built with the same release profile as the component.
floor: setup
	$(CARGO) build --release --target wasm32-wasip2 -p floor

# In a cargo command of its own: cargo unifies a crate's features within one build, and with the
# connector's `component` feature the receiver would carry the connector's WIT glue (it refuses
# to compile that way).
receiver: setup
	$(CARGO) build --release --target wasm32-wasip2 -p linkedin-receiver --target-dir $(RECEIVER_TARGET)

host: setup
	$(CARGO) build --profile host -p host-test

test: lint unit build harness replay js-test browser-test

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

# Timings (noisy on a shared VM: each figure is also given as a multiple of the floor, measured
# in the same rounds), then instructions per call under callgrind (valgrind), the stable measure.
bench: build
	$(HOST) bench --instructions

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

# The coverage-guided targets first (fuzz-targets, below). The prop_* tests run 256 cases each in
# `make test`; here each runs FUZZ_CASES cases. Then random commands, inputs and LinkedIn answers
# through the built component for FUZZ_SECONDS (45 s of it run in `make test`, tests/fuzz.rs);
# it prints the seed, and FUZZ_SEED repeats it.
FUZZ_CASES ?= 200000
FUZZ_SECONDS ?= 600
fuzz: build fuzz-targets
	PROPTEST_CASES=$(FUZZ_CASES) $(CARGO) test --profile host -p linkedin-connector --lib prop_
	$(HOST) fuzz --seconds $(FUZZ_SECONDS) $(if $(FUZZ_SEED),--seed $(FUZZ_SEED))

# The JavaScript side (js/): the npm package, its tests and the query editor. Dependencies come
# from package-lock.json with `npm ci`, again whenever the lock changes.
NPM_CI    := js/node_modules/.ci-stamp
JS_GEN    := js/gen/names.d.ts
EDITOR    := js/editor/dist/index.html
CHROMIUM  ?= /usr/bin/chromium

node:
	@command -v node >/dev/null && node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' \
		|| { echo "js/ needs Node.js 20.19 or newer with npm (https://nodejs.org/)"; exit 1; }

$(NPM_CI): js/package-lock.json | node
	cd js && npm ci --no-audit --no-fund --prefer-offline
	touch $@

$(JS_GEN): $(WASM) js/scripts/build.mjs $(NPM_CI)
	cd js && node scripts/build.mjs

js: component $(JS_GEN)

js-test: js
	cd js && node --test --test-reporter=./test/reporter.js test/*.test.js
	cd js && npx tsc -p tsconfig.json

$(EDITOR): $(NPM_CI) $(wildcard js/editor/src/*) js/editor/index.html js/editor/vite.config.js
	cd js && npx vite build --config editor/vite.config.js

# Debian's Chromium for the browser test (never a downloaded browser): installed when make runs
# as root, else the one command to run.
chromium:
	@test -x $(CHROMIUM) || { \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium; \
		else echo "The browser test needs Chromium: sudo apt-get install -y chromium"; exit 1; fi; }

browser-test: js $(EDITOR) chromium
	cd js && CHROMIUM=$(CHROMIUM) node --test --test-reporter=./test/reporter.js browser/*.test.js

editor: js $(EDITOR)
	node js/editor/server.mjs

# Coverage-guided fuzzing of every parser of outside text (fuzz/, its own workspace): libFuzzer
# through cargo-fuzz, on the nightly toolchain (`cargo +nightly`; only this target needs it).
# cargo-fuzz is installed into target/tools the first time (a few minutes). The corpus is seeded
# from the fixtures (fuzz/examples/seed_corpus.rs), then each target runs FUZZ_TARGET_SECONDS
# with a dictionary of the syntax it reads (fuzz/dicts/) and stops at the first failure, which
# it saves under fuzz/artifacts/<target>/. Rerun one case with
# `cargo +nightly fuzz run -O -s none <target> fuzz/artifacts/<target>/<file>`.
FUZZ_TARGET_SECONDS ?= 120
FUZZ_TARGETS := urn urls restli little_text webhook input answers
CARGO_FUZZ := target/tools/bin/cargo-fuzz

$(CARGO_FUZZ):
	$(CARGO) install --locked cargo-fuzz --root target/tools

fuzz-targets: $(CARGO_FUZZ)
	$(CARGO) +nightly run --manifest-path fuzz/Cargo.toml --example seed_corpus -- fixtures fuzz/corpus
	@for target in $(FUZZ_TARGETS); do \
		echo "== fuzz target $$target ($(FUZZ_TARGET_SECONDS) s)"; \
		PATH="$(CURDIR)/target/tools/bin:$$PATH" $(CARGO) +nightly fuzz run --release --sanitizer none \
			$$target fuzz/corpus/$$target -- \
			-dict=$(CURDIR)/fuzz/dicts/$$target.dict -max_total_time=$(FUZZ_TARGET_SECONDS) -timeout=10 \
			-print_final_stats=1 || exit 1; \
	done

clean:
	$(CARGO) clean
