# Dayline. `make test` is the one test command (README.md; .ci/run calls it).
.PHONY: run test generate bench load check lambda coldstart infra

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

# The AWS Lambda function (runtime provided.al2023): build/lambda/<arch>/bootstrap,
# zip the bootstrap of the function's architecture (see README, "Run on AWS Lambda").
LAMBDA_ARCHS := arm64 amd64
lambda:
	for arch in $(LAMBDA_ARCHS); do \
		CGO_ENABLED=0 GOOS=linux GOARCH=$$arch go build -tags lambda.norpc -trimpath -ldflags='-s -w' \
			-o build/lambda/$$arch/bootstrap ./cmd/dayline || exit 1; \
	done
	@ls -l build/lambda/*/bootstrap

# Cold start under the Lambda Runtime Interface Emulator (median of 10 fresh
# processes, HTTP and AppSync event) and the stripped arm64 bootstrap's size.
coldstart:
	go run ./bench/coldstart -runs 10

# The deployment template, infra/template.yaml, written again from the schema,
# the AppSync resolver fields, the table definition and the IAM actions (the
# same test fails in make test when the committed file differs).
infra:
	go test ./infra -run TestTemplateGenerated -update-template
