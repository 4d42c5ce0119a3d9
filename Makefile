# Dayline. `make test` is the one test command (README.md; .ci/run calls it).
.PHONY: run test generate bench load check

run:
	go run ./cmd/dayline serve --demo

test:
	bash scripts/test.sh

generate:
	go generate ./...

bench:
	go test ./e2e -run '^$$' -bench . -benchmem -count 5

load:
	go run ./bench/load -concurrency 50 -duration 10s
