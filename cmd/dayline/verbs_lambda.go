//go:build lambda.norpc

package main

// otherVerbs is empty in the build for AWS Lambda (-tags lambda.norpc, as
// `make lambda` builds `bootstrap`): the function runs only the lambda
// verb, so the linker leaves out what only the other verbs reach — the
// standalone server's listener, subscriptions' hub and Redis fan-out
// (go-redis alone is 1.8 MB), the demo data, token minting, table
// creation and operator creation. Every other build has them all
// (verbs_all.go). This file and its twin are the only build-tagged
// files of Dayline.
var otherVerbs []verb
