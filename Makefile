# The LinkedIn connector component and its wasmtime host.
#   make build   the release component (.wasm) and the release host (host-test)
#   make test    format and lint checks, unit tests, harness tests, replay of every fixture
#   make lint    format checks of every .rs file, clippy on the component and on the harness
#   make run     a demo without a LinkedIn account (or live get-user-info with LINKEDIN_ACCESS_TOKEN)
#   make bench   size, load, instantiate and per-call timings
#   make docs    regenerate docs/commands.md from the component's catalog
#   make fuzz    long property-test run of the signature verifier, notification parser and
#                custom-action URL checks (FUZZ_CASES each), then the component-boundary fuzzer
#                (host-test fuzz) for FUZZ_SECONDS; not part of make test, which runs the fuzzer
#                for 45 s (FUZZ_SEED repeats a run)
#   make js      the npm package in js/ (npm ci, then jco's transpile of the release component)
#   make js-test the Node replay of every fixture, the package's tests and its TypeScript check
#   make browser-test  the query editor in headless Chromium (Debian's package; installed when
#                root, else make says the one command to run)
#   make editor  the query editor on http://127.0.0.1:8717/ (recorded answers; live with
#                LINKEDIN_ACCESS_TOKEN)

CARGO ?= cargo
WASM  := target/wasm32-wasip2/release/linkedin_connector.wasm
HOST  := target/host/host-test

.PHONY: setup build component host test lint fmt-check lint-component lint-harness unit harness replay run bench docs fuzz clean js js-test browser-test editor chromium node

build: component host

# rustup installs a toolchain file's targets only when it installs the toolchain itself, not
# into a toolchain that is already there (our machines come with 1.95.0 and no wasm target), and
# RUSTUP_AUTO_INSTALL=0 turns off installing anything implicitly. So every cargo command here
# first makes sure of the target: a listing when it is present (well under a second), `rustup
# target add` once when it is not.
setup:
	@rustup target list --installed | grep -qx wasm32-wasip2 || rustup target add wasm32-wasip2

component: setup
	$(CARGO) build --release --target wasm32-wasip2 -p linkedin-connector

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
	$(CARGO) clippy -p linkedin-connector --all-targets -- -D warnings

lint-harness: setup
	$(CARGO) clippy --profile host -p host-test --all-targets -- -D warnings

unit: setup
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

clean:
	$(CARGO) clean
