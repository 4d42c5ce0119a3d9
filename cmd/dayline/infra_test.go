package main

import (
	"os"
	"slices"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestInfraFunctionEnvironment reads the function's environment in the
// deployment template (infra/template.yaml) and checks that each variable
// is a setting of the lambda verb, and that the lambda verb's configuration
// made from it (values CloudFormation fills in at deploy time replaced by
// examples) selects DynamoDB, OIDC and AppSync and opens its store and
// token verifier.
func TestInfraFunctionEnvironment(t *testing.T) {
	vars := templateFunctionEnvironment(t, "../../infra/template.yaml")
	// Examples of what CloudFormation fills in (!Ref, !Sub) at deploy time.
	deployed := map[string]string{
		"DAYLINE_DYNAMODB_TABLE":       "dayline-Table-1A2B3C",
		"DAYLINE_OIDC_ISSUER":          "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf",
		"DAYLINE_OIDC_CLIENT_IDS":      "appclient1,dashboardclient2",
		"DAYLINE_COGNITO_USER_POOL_ID": "eu-west-1_AbCdEf",
		"DAYLINE_PAGE_TOKEN_SECRET":    "0123456789abcdef0123456789abcdef",
		"DAYLINE_CORS_ORIGINS":         "https://dashboard.example.org",
		"DAYLINE_LOG_LEVEL":            "info",
	}
	lambdaEnv := map[string]bool{}
	for _, s := range settingsOf(verbLambda) {
		lambdaEnv[s.env] = true
	}
	env := map[string]string{ // what Lambda's runtime sets
		"AWS_REGION": "eu-west-1", "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret", "AWS_SESSION_TOKEN": "token",
	}
	for name, v := range vars {
		if !lambdaEnv[name] {
			t.Errorf("the template sets %s, which is no setting of dayline lambda", name)
		}
		if v.Tag != "!!str" {
			d, ok := deployed[name]
			if !ok {
				t.Fatalf("%s is %s %s in the template: add an example of its deployed value to this test", name, v.Tag, v.Value)
			}
			env[name] = d
			continue
		}
		env[name] = v.Value
	}
	cfg, err := parseSettings(verbLambda, nil, func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Store != "dynamodb" || !cfg.AppSync || cfg.Issuer == "" || cfg.Playground {
		t.Errorf("store %q, appsync %t, issuer %q, playground %t: want dynamodb, AppSync events, an issuer, no playground", cfg.Store, cfg.AppSync, cfg.Issuer, cfg.Playground)
	}
	st, err := openStore(t.Context(), cfg, func(k string) (string, bool) { v, ok := env[k]; return v, ok }, skipTableCheck)
	if err != nil {
		t.Fatalf("open the store as the lambda does: %v", err)
	}
	defer st.close()
	if _, err := newAuthn(cfg); err != nil {
		t.Fatalf("the lambda's token verifier: %v", err)
	}
}

// templateFunctionEnvironment returns the Variables of the template's
// Function resource, as YAML nodes (a tag other than !!str is an intrinsic
// function).
func templateFunctionEnvironment(t *testing.T, path string) map[string]*yaml.Node {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	n := doc.Content[0]
	for _, key := range []string{"Resources", "Function", "Properties", "Environment", "Variables"} {
		n = mappingValue(n, key)
		if n == nil {
			t.Fatalf("%s has no Resources.Function.Properties.Environment.Variables (at %s)", path, key)
		}
	}
	vars := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		vars[n.Content[i].Value] = n.Content[i+1]
	}
	if len(vars) == 0 {
		t.Fatalf("%s sets no environment variable", path)
	}
	return vars
}

// mappingValue returns the value of key in mapping node n, or nil.
func mappingValue(n *yaml.Node, key string) *yaml.Node {
	if n.Kind != yaml.MappingNode {
		return nil
	}
	i := slices.IndexFunc(n.Content, func(c *yaml.Node) bool { return c.Value == key })
	if i < 0 || i%2 != 0 || i+1 >= len(n.Content) {
		return nil
	}
	return n.Content[i+1]
}
