// Command simpleschema-ref writes test vectors for kro-ts from kro's own Go packages (kro v0.9.4):
// SimpleSchema -> OpenAPI (pkg/simpleschema), the instance CRD (pkg/graph/crd), the breaking-change
// report (pkg/graph/crd/compat) and flect's Pluralize (the version kro pins).
//
// Usage (from the repository root):
//
//	cd hack/ref/simpleschema && GOTOOLCHAIN=local GOFLAGS=-mod=mod go run . \
//	  ../../../test/fixtures/simpleschema/corpus.yaml ../../../test/fixtures/simpleschema/vectors.json
//
// Go map iteration is random, so anything order-dependent in kro (required lists, which of several
// errors comes first, cycle paths, change order) is normalised here or avoided in the corpus.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"

	"github.com/gobuffalo/flect"
	"github.com/kubernetes-sigs/kro/api/v1alpha1"
	"github.com/kubernetes-sigs/kro/pkg/graph/crd"
	"github.com/kubernetes-sigs/kro/pkg/graph/crd/compat"
	"github.com/kubernetes-sigs/kro/pkg/simpleschema"
	extv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"sigs.k8s.io/yaml"
)

type schemaCase struct {
	Name  string          `json:"name"`
	Spec  json.RawMessage `json:"spec,omitempty"`
	Types json.RawMessage `json:"types,omitempty"`
}

type crdCase struct {
	Name   string          `json:"name"`
	Schema json.RawMessage `json:"schema"`
}

type diffCase struct {
	Name string     `json:"name"`
	Old  schemaCase `json:"old"`
	New  schemaCase `json:"new"`
}

type corpus struct {
	Schemas []schemaCase `json:"schemas"`
	CRDs    []crdCase    `json:"crds"`
	Diffs   []diffCase   `json:"diffs"`
	Plurals []string     `json:"plurals"`
}

type schemaVector struct {
	Name   string `json:"name"`
	Schema any    `json:"schema,omitempty"`
	Error  string `json:"error,omitempty"`
}

type changeVector struct {
	Path        string `json:"path"`
	Type        string `json:"type"`
	Old         string `json:"old"`
	New         string `json:"new"`
	Description string `json:"description"`
}

type diffVector struct {
	Name        string         `json:"name"`
	Breaking    []changeVector `json:"breaking"`
	NonBreaking []changeVector `json:"nonBreaking"`
	// Summary is kro's Report.String(); only deterministic with at most one breaking change.
	Summary string `json:"summary,omitempty"`
	Error   string `json:"error,omitempty"`
}

type vectors struct {
	Generator string            `json:"generator"`
	Schemas   []schemaVector    `json:"schemas"`
	CRDs      []schemaVector    `json:"crds"`
	Diffs     []diffVector      `json:"diffs"`
	Plurals   map[string]string `json:"plurals"`
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: simpleschema-ref <corpus.yaml> <vectors.json>")
		os.Exit(2)
	}
	raw, err := os.ReadFile(os.Args[1])
	must(err)
	var c corpus
	must(yaml.Unmarshal(raw, &c))

	out := vectors{Generator: "hack/ref/simpleschema (kro v0.9.4)", Plurals: map[string]string{}}
	for _, sc := range c.Schemas {
		out.Schemas = append(out.Schemas, runSchema(sc))
	}
	for _, cc := range c.CRDs {
		out.CRDs = append(out.CRDs, runCRD(cc))
	}
	for _, dc := range c.Diffs {
		out.Diffs = append(out.Diffs, runDiff(dc))
	}
	for _, w := range c.Plurals {
		out.Plurals[w] = flect.Pluralize(w)
	}
	b, err := json.MarshalIndent(out, "", "  ")
	must(err)
	must(os.WriteFile(os.Args[2], append(b, '\n'), 0o644))
}

func must(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// decodeLikeKro unmarshals a raw SimpleSchema block the way kro's builder does
// (sigs.k8s.io/yaml UnmarshalStrict into map[string]interface{}).
func decodeLikeKro(raw json.RawMessage) (map[string]interface{}, error) {
	m := map[string]interface{}{}
	if len(raw) == 0 {
		return m, nil
	}
	if err := yaml.UnmarshalStrict(raw, &m); err != nil {
		return nil, err
	}
	return m, nil
}

// buildSchema runs kro's SimpleSchema transformer, turning panics into errors.
func buildSchema(sc schemaCase) (s *extv1.JSONSchemaProps, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	spec, err := decodeLikeKro(sc.Spec)
	if err != nil {
		return nil, err
	}
	types, err := decodeLikeKro(sc.Types)
	if err != nil {
		return nil, err
	}
	return simpleschema.ToOpenAPISpec(spec, types)
}

func runSchema(sc schemaCase) schemaVector {
	s, err := buildSchema(sc)
	if err != nil {
		return schemaVector{Name: sc.Name, Error: err.Error()}
	}
	v, err := normalise(s)
	if err != nil {
		return schemaVector{Name: sc.Name, Error: "marshal: " + err.Error()}
	}
	return schemaVector{Name: sc.Name, Schema: v}
}

func runCRD(cc crdCase) schemaVector {
	var rs v1alpha1.Schema
	if err := json.Unmarshal(cc.Schema, &rs); err != nil {
		return schemaVector{Name: cc.Name, Error: err.Error()}
	}
	// The API server defaults these two (kro's CRD declares the defaults).
	if rs.Group == "" {
		rs.Group = "kro.run"
	}
	if rs.Scope == "" {
		rs.Scope = "Namespaced"
	}
	spec, err := buildSchema(schemaCase{Spec: rs.Spec.Raw, Types: rs.Types.Raw})
	if err != nil {
		return schemaVector{Name: cc.Name, Error: err.Error()}
	}
	// Status inference needs resources and CEL; these vectors use what kro infers for a status
	// with no fields: an object without properties.
	out := crd.SynthesizeCRD(rs.Group, rs.APIVersion, rs.Kind, *spec, extv1.JSONSchemaProps{Type: "object"}, true,
		extv1.ResourceScope(rs.Scope), &rs)
	out.APIVersion = "apiextensions.k8s.io/v1"
	out.Kind = "CustomResourceDefinition"
	v, err := normalise(out)
	if err != nil {
		return schemaVector{Name: cc.Name, Error: "marshal: " + err.Error()}
	}
	if m, ok := v.(map[string]any); ok {
		delete(m, "status")
		if md, ok := m["metadata"].(map[string]any); ok {
			delete(md, "creationTimestamp")
		}
	}
	return schemaVector{Name: cc.Name, Schema: v}
}

func runDiff(dc diffCase) diffVector {
	oldS, err := buildSchema(dc.Old)
	if err != nil {
		return diffVector{Name: dc.Name, Error: "old: " + err.Error()}
	}
	newS, err := buildSchema(dc.New)
	if err != nil {
		return diffVector{Name: dc.Name, Error: "new: " + err.Error()}
	}
	rs := &v1alpha1.Schema{}
	oldCRD := crd.SynthesizeCRD("kro.run", "v1alpha1", "Thing", *oldS, extv1.JSONSchemaProps{}, true, "Namespaced", rs)
	newCRD := crd.SynthesizeCRD("kro.run", "v1alpha1", "Thing", *newS, extv1.JSONSchemaProps{}, true, "Namespaced", rs)
	report, err := compat.CompareVersions(oldCRD.Spec.Versions, newCRD.Spec.Versions)
	if err != nil {
		return diffVector{Name: dc.Name, Error: err.Error()}
	}
	v := diffVector{Name: dc.Name, Breaking: changes(report.BreakingChanges), NonBreaking: changes(report.NonBreakingChanges)}
	if len(report.BreakingChanges) <= 1 {
		v.Summary = report.String()
	}
	return v
}

func changes(cs []compat.Change) []changeVector {
	out := []changeVector{}
	for _, c := range cs {
		out = append(out, changeVector{Path: c.Path, Type: string(c.ChangeType), Old: c.OldValue, New: c.NewValue, Description: c.Description()})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Path != out[j].Path {
			return out[i].Path < out[j].Path
		}
		return out[i].Description < out[j].Description
	})
	return out
}

// normalise marshals v, decodes it into plain JSON values and sorts every `required` list
// (kro fills them in Go map order).
func normalise(v any) (any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, err
	}
	sortRequired(out)
	return out, nil
}

func sortRequired(v any) {
	switch t := v.(type) {
	case map[string]any:
		for k, child := range t {
			if k == "required" {
				if list, ok := child.([]any); ok {
					sort.Slice(list, func(i, j int) bool { return fmt.Sprint(list[i]) < fmt.Sprint(list[j]) })
					continue
				}
			}
			sortRequired(child)
		}
	case []any:
		for _, child := range t {
			sortRequired(child)
		}
	}
}
