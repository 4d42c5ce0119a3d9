package infra

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/awslabs/goformation/v7"
	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/intrinsics"
	"github.com/awslabs/goformation/v7/schema"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// Placeholders that resolved intrinsic functions leave in a processed
// template: CloudFormation knows resources' ids and attributes only when
// it deploys, so Validate writes which one was meant.
const (
	refPrefix    = "ref:"    // !Ref Resource      -> "ref:Resource"
	getAttPrefix = "getatt:" // !GetAtt R.Attr     -> "getatt:R.Attr"
)

// Validate parses a template as CloudFormation does before it deploys,
// with the parameters' values params (the defaults for the others), and
// validates it against goformation's strict CloudFormation and SAM JSON
// schema (every resource type, property, type and enum AWS publishes). It
// returns the template goformation parsed, for Check.
//
// The schema knows no intrinsic functions, so they are resolved first:
// a parameter's !Ref to its value, a pseudo parameter's to an example
// value, a resource's !Ref and !GetAtt to a placeholder naming it (also
// inside !Sub), conditions evaluated, and a property whose value is
// AWS::NoValue dropped. A reference to a name the template does not define
// is an error, as is a parameter without a default and without a value.
func Validate(template []byte, params map[string]any) (*cloudformation.Template, error) {
	names, err := definedNames(template)
	if err != nil {
		return nil, err
	}
	processed, err := resolveIntrinsics(template, names, params)
	if err != nil {
		return nil, err
	}
	sch, err := samSchemaFor(names.resourceTypes)
	if err != nil {
		return nil, err
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(processed))
	if err != nil {
		return nil, fmt.Errorf("read processed template: %w", err)
	}
	if err := sch.Validate(doc); err != nil {
		return nil, fmt.Errorf("the template does not match the CloudFormation/SAM schema: %w", err)
	}
	typed, err := withNumericParameterAttributes(processed)
	if err != nil {
		return nil, err
	}
	parsed, err := goformation.ParseJSONWithOptions(typed, &intrinsics.ProcessorOptions{NoProcess: true})
	if err != nil {
		return nil, fmt.Errorf("goformation cannot parse the template: %w", err)
	}
	return parsed, nil
}

// samSchemaDoc is goformation's SAM schema (CloudFormation's resource
// types and SAM's, 7 MB), read once.
var samSchemaDoc = sync.OnceValues(func() (map[string]any, error) {
	var doc map[string]any
	if err := json.Unmarshal([]byte(schema.SamSchema), &doc); err != nil {
		return nil, fmt.Errorf("read goformation's SAM schema: %w", err)
	}
	return doc, nil
})

// compiledSchemas caches samSchemaFor by resource types.
var compiledSchemas sync.Map // string -> *jsonschema.Schema

// samSchemaFor returns goformation's SAM schema for templates of the
// given resource types, compiled: the whole schema with the Resources
// section's choice of types narrowed to those (and custom resources), and
// only the definitions they refer to. A resource's validation is the same
// as with the whole schema; a type the schema does not know matches
// nothing, as before. Compiling all 7,380 definitions takes minutes under
// the race detector; the template's take a fraction of it.
func samSchemaFor(resourceTypes []string) (*jsonschema.Schema, error) {
	key := strings.Join(resourceTypes, ",")
	if sch, ok := compiledSchemas.Load(key); ok {
		return sch.(*jsonschema.Schema), nil
	}
	full, err := samSchemaDoc()
	if err != nil {
		return nil, err
	}
	defs, _ := full["definitions"].(map[string]any)
	choices := []any{}
	for _, t := range resourceTypes {
		if _, ok := defs[t]; ok {
			choices = append(choices, map[string]any{"$ref": "#/definitions/" + t})
		}
	}
	choices = append(choices, map[string]any{"$ref": "#/definitions/CustomResource"})
	doc := map[string]any{}
	for k, v := range full {
		doc[k] = v
	}
	// Its $id is the draft-04 meta-schema's URL: the schema is written in
	// draft 4, and names no id of its own.
	delete(doc, "$id")
	props := map[string]any{}
	for k, v := range full["properties"].(map[string]any) {
		props[k] = v
	}
	props["Resources"] = map[string]any{
		"type":                 "object",
		"additionalProperties": false,
		"patternProperties":    map[string]any{"^[a-zA-Z0-9]+$": map[string]any{"anyOf": choices}},
	}
	doc["properties"] = props
	used := map[string]any{}
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if r, ok := v["$ref"].(string); ok {
				name := strings.TrimPrefix(r, "#/definitions/")
				if _, seen := used[name]; !seen && defs[name] != nil {
					used[name] = defs[name]
					walk(defs[name])
				}
			}
			for _, e := range v {
				walk(e)
			}
		case []any:
			for _, e := range v {
				walk(e)
			}
		}
	}
	walk(props)
	doc["definitions"] = used
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft4)
	const url = "goformation-sam.schema.json"
	if err := c.AddResource(url, doc); err != nil {
		return nil, fmt.Errorf("load goformation's SAM schema: %w", err)
	}
	sch, err := c.Compile(url)
	if err != nil {
		return nil, fmt.Errorf("compile goformation's SAM schema: %w", err)
	}
	compiledSchemas.Store(key, sch)
	return sch, nil
}

// resolveIntrinsics returns template as JSON with its intrinsic functions
// resolved (see Validate).
func resolveIntrinsics(template []byte, names templateNames, params map[string]any) ([]byte, error) {
	for _, p := range names.paramsWithoutDefault {
		if _, ok := params[p]; !ok {
			return nil, fmt.Errorf("parameter %s has no default: give it a value", p)
		}
	}
	var unknown []string
	resolveRef := func(name string, tmpl any) any {
		switch {
		case names.resources[name]:
			return refPrefix + name
		case names.numberParams[name]:
			// CloudFormation turns a Number parameter's value into the
			// number a property needs.
			v := intrinsics.Ref("Ref", name, tmpl)
			n, err := strconv.ParseFloat(fmt.Sprint(v), 64)
			if err != nil {
				unknown = append(unknown, fmt.Sprintf("!Ref %s (%q is not a number)", name, v))
				return nil
			}
			return n
		case names.parameters[name] || strings.HasPrefix(name, "AWS::"):
			if name == "AWS::Partition" {
				return "aws"
			}
			if name == "AWS::URLSuffix" {
				return "amazonaws.com"
			}
			return intrinsics.Ref("Ref", name, tmpl)
		}
		unknown = append(unknown, "!Ref "+name)
		return nil
	}
	resolveGetAtt := func(resource, attribute string) any {
		if !names.resources[resource] {
			unknown = append(unknown, "!GetAtt "+resource+"."+attribute)
			return nil
		}
		return getAttPrefix + resource + "." + attribute
	}
	overrides := map[string]intrinsics.IntrinsicHandler{
		"Ref": func(_ string, input any, tmpl any) any {
			name, _ := input.(string)
			return resolveRef(name, tmpl)
		},
		"Fn::GetAtt": func(_ string, input any, _ any) any {
			switch v := input.(type) {
			case string:
				resource, attribute, _ := strings.Cut(v, ".")
				return resolveGetAtt(resource, attribute)
			case []any:
				if len(v) == 2 {
					resource, _ := v[0].(string)
					attribute, _ := v[1].(string)
					return resolveGetAtt(resource, attribute)
				}
			}
			unknown = append(unknown, fmt.Sprintf("!GetAtt %v", input))
			return nil
		},
		// CloudFormation compares values as strings: !Equals [!Ref
		// NumberParameter, "0"].
		"Fn::Equals": func(_ string, input any, _ any) any {
			if v, ok := input.([]any); ok && len(v) == 2 {
				return fmt.Sprint(v[0]) == fmt.Sprint(v[1])
			}
			unknown = append(unknown, fmt.Sprintf("!Equals %v", input))
			return nil
		},
		"Fn::Sub": func(_ string, input any, tmpl any) any {
			s, ok := input.(string)
			if !ok {
				unknown = append(unknown, fmt.Sprintf("!Sub %v (only the string form is resolved)", input))
				return nil
			}
			return subVariable.ReplaceAllStringFunc(s, func(m string) string {
				name := m[2 : len(m)-1]
				var v any
				if resource, attribute, ok := strings.Cut(name, "."); ok && !strings.HasPrefix(name, "AWS::") {
					v = resolveGetAtt(resource, attribute)
				} else {
					v = resolveRef(name, tmpl)
				}
				return fmt.Sprint(v)
			})
		},
	}
	out, err := intrinsics.ProcessYAML(template, &intrinsics.ProcessorOptions{
		IntrinsicHandlerOverrides: overrides,
		ParameterOverrides:        params,
		EvaluateConditions:        true,
	})
	if err != nil {
		return nil, fmt.Errorf("resolve intrinsic functions: %w", err)
	}
	if len(unknown) > 0 {
		slices.Sort(unknown)
		return nil, fmt.Errorf("the template refers to what it does not define: %s", strings.Join(slices.Compact(unknown), ", "))
	}
	var doc map[string]any
	if err := json.Unmarshal(out, &doc); err != nil {
		return nil, fmt.Errorf("resolve intrinsic functions: %w", err)
	}
	// The schema wants conditions as written; they are evaluated where
	// they are used.
	if names.conditions != nil {
		doc["Conditions"] = names.conditions
	}
	return json.Marshal(dropNoValue(doc))
}

// subVariable is a ${Name} or ${Resource.Attribute} of !Sub (${!Literal}
// is not one).
var subVariable = regexp.MustCompile(`\$\{[^!}][^}]*\}`)

// dropNoValue removes the keys whose value resolved to AWS::NoValue
// (null), as CloudFormation does.
func dropNoValue(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			if e == nil {
				delete(v, k)
				continue
			}
			v[k] = dropNoValue(e)
		}
	case []any:
		for i, e := range v {
			v[i] = dropNoValue(e)
		}
	}
	return v
}

// withNumericParameterAttributes returns the processed template with its
// parameters' MinValue, MaxValue, MinLength and MaxLength as numbers:
// goformation's schema wants them as strings (as CloudFormation's
// documentation writes them), its Parameter type as numbers.
func withNumericParameterAttributes(processed []byte) ([]byte, error) {
	var doc map[string]any
	if err := json.Unmarshal(processed, &doc); err != nil {
		return nil, fmt.Errorf("read processed template: %w", err)
	}
	params, _ := doc["Parameters"].(map[string]any)
	for name, p := range params {
		p, _ := p.(map[string]any)
		for _, attr := range []string{"MinValue", "MaxValue", "MinLength", "MaxLength"} {
			s, ok := p[attr].(string)
			if !ok {
				continue
			}
			n, err := strconv.ParseFloat(s, 64)
			if err != nil {
				return nil, fmt.Errorf("parameter %s: %s %q is not a number", name, attr, s)
			}
			p[attr] = n
		}
	}
	return json.Marshal(doc)
}

// templateNames are the names a template defines.
type templateNames struct {
	resources, parameters map[string]bool
	numberParams          map[string]bool // parameters of Type Number
	paramsWithoutDefault  []string
	conditions            any      // the Conditions section, unevaluated
	resourceTypes         []string // sorted, each once
}

// definedNames reads the resources and parameters template defines.
func definedNames(template []byte) (templateNames, error) {
	raw, err := intrinsics.ProcessYAML(template, &intrinsics.ProcessorOptions{NoProcess: true})
	if err != nil {
		return templateNames{}, fmt.Errorf("read template: %w", err)
	}
	var doc struct {
		Resources  map[string]struct{ Type string }
		Parameters map[string]map[string]any
		Conditions any
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		return templateNames{}, fmt.Errorf("read template: %w", err)
	}
	if len(doc.Resources) == 0 {
		return templateNames{}, errors.New("the template has no resources")
	}
	names := templateNames{resources: map[string]bool{}, parameters: map[string]bool{}, numberParams: map[string]bool{}, conditions: doc.Conditions}
	for id, r := range doc.Resources {
		names.resources[id] = true
		names.resourceTypes = append(names.resourceTypes, r.Type)
	}
	slices.Sort(names.resourceTypes)
	names.resourceTypes = slices.Compact(names.resourceTypes)
	for id, p := range doc.Parameters {
		names.parameters[id] = true
		names.numberParams[id] = p["Type"] == "Number"
		if _, ok := p["Default"]; !ok {
			names.paramsWithoutDefault = append(names.paramsWithoutDefault, id)
		}
	}
	slices.Sort(names.paramsWithoutDefault)
	return names, nil
}
