package infra

import (
	"bytes"
	"fmt"
	"strconv"

	"go.yaml.in/yaml/v3"
)

// This file builds the template as a YAML node tree, so that the generated
// file keeps its keys in a readable order, writes CloudFormation's short
// intrinsic tags (!Ref, !GetAtt, !Sub, ...) and quotes whatever YAML needs
// quoted.

// node is a YAML node of the template.
type node = *yaml.Node

// object returns a mapping of alternating keys (strings) and values: a
// node, a string, an int or a bool; a nil value drops its key.
func object(kv ...any) node {
	n := &yaml.Node{Kind: yaml.MappingNode}
	if len(kv)%2 != 0 {
		panic("infra: object needs pairs")
	}
	for i := 0; i < len(kv); i += 2 {
		if kv[i+1] == nil {
			continue
		}
		n.Content = append(n.Content, str(kv[i].(string)), value(kv[i+1]))
	}
	return n
}

// list returns a sequence of values (as object takes them).
func list(items ...any) node {
	n := &yaml.Node{Kind: yaml.SequenceNode}
	for _, v := range items {
		n.Content = append(n.Content, value(v))
	}
	return n
}

// stringList returns a sequence of strings, on one line.
func stringList(items []string) node {
	n := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
	for _, v := range items {
		n.Content = append(n.Content, str(v))
	}
	return n
}

func value(v any) node {
	switch v := v.(type) {
	case node:
		return v
	case string:
		return str(v)
	case int:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.Itoa(v)}
	case bool:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(v)}
	default:
		panic(fmt.Sprintf("infra: no YAML for %T", v))
	}
}

// str is a string scalar (quoted when it would read as something else).
func str(s string) node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }

// literal is a string written as a YAML block (|), line breaks kept.
func literal(s string) node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s, Style: yaml.LiteralStyle}
}

// ref is !Ref name: a parameter's value, a resource's id.
func ref(name string) node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!Ref", Value: name} }

// getAtt is !GetAtt resource.attribute.
func getAtt(resource, attribute string) node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!GetAtt", Value: resource + "." + attribute}
}

// sub is !Sub s: s with ${Name} and ${Resource.Attribute} substituted.
func sub(s string) node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!Sub", Value: s} }

// function is a sequence-argument intrinsic such as !If or !Equals.
func function(tag string, args ...any) node {
	n := list(args...)
	n.Tag, n.Style = tag, yaml.FlowStyle
	return n
}

// encode writes the document root with two-space indentation.
func encode(root node) ([]byte, error) {
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(&yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{root}}); err != nil {
		return nil, fmt.Errorf("encode template: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("encode template: %w", err)
	}
	return b.Bytes(), nil
}
