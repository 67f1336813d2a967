// Command cel-ref evaluates the kro-ts CEL battery (test/fixtures/cel/battery.yaml) with kro's own
// CEL environment (github.com/kubernetes-sigs/kro v0.9.4, pkg/cel.DefaultEnvironment, built here
// against cel-go v0.31 and k8s.io/apiserver v0.36) and writes the results as typed JSON vectors
// (test/fixtures/cel/vectors.json) that src/cel/lib/battery.test.ts compares kro-ts against.
//
// Value encoding (one key per value):
//
//	{"int":"-1"} {"uint":"1"} {"double":1.5} {"double":"NaN"|"+Inf"|"-Inf"|"-0"} {"string":"s"}
//	{"bool":true} {"bytes":"<base64>"} {"null":null} {"timestamp":"<RFC3339Nano>"}
//	{"duration":"<nanoseconds>"} {"list":[...]} {"map":[[k,v],...]} (sorted by encoded key)
//	{"optional":null|<value>} {"type":"<name>"} {"opaque":{"type":"<name>","string":"<text>"}}
//
// A case yields {"value": <value>} or {"error": {"phase": "compile"|"eval", "message": "..."}}.
// Cases with a hand-written "expect" (functions kro v0.9.4 lacks) are copied with source "hand".
package main

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"reflect"
	"sort"
	"strconv"
	"time"

	"github.com/google/cel-go/cel"
	"github.com/google/cel-go/common/types"
	"github.com/google/cel-go/common/types/ref"
	"github.com/google/cel-go/common/types/traits"
	krocel "github.com/kubernetes-sigs/kro/pkg/cel"
	"sigs.k8s.io/yaml"
)

type batteryCase struct {
	Name   string                     `json:"name"`
	Expr   string                     `json:"expr"`
	Vars   map[string]json.RawMessage `json:"vars,omitempty"`
	Expect json.RawMessage            `json:"expect,omitempty"`
	Reason string                     `json:"reason,omitempty"`
}

type vector struct {
	Name   string          `json:"name"`
	Expr   string          `json:"expr"`
	Vars   map[string]any  `json:"vars,omitempty"`
	Source string          `json:"source"`
	Result json.RawMessage `json:"result"`
	Reason string          `json:"reason,omitempty"`
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: cel-ref <battery.yaml> <vectors.json>")
		os.Exit(2)
	}
	raw, err := os.ReadFile(os.Args[1])
	must(err)
	var cases []batteryCase
	must(yaml.Unmarshal(raw, &cases))

	out := make([]vector, 0, len(cases))
	seen := map[string]bool{}
	for _, c := range cases {
		if seen[c.Name] {
			must(fmt.Errorf("duplicate case name %q", c.Name))
		}
		seen[c.Name] = true
		v := vector{Name: c.Name, Expr: c.Expr, Source: "kro", Reason: c.Reason}
		if len(c.Vars) > 0 {
			v.Vars = map[string]any{}
			for k, val := range c.Vars {
				var decoded any
				must(json.Unmarshal(val, &decoded))
				v.Vars[k] = decoded
			}
		}
		if len(c.Expect) > 0 {
			v.Source = "hand"
			v.Result = c.Expect
		} else {
			v.Result = evaluate(c)
		}
		out = append(out, v)
	}
	data, err := json.MarshalIndent(out, "", "  ")
	must(err)
	must(os.WriteFile(os.Args[2], append(data, '\n'), 0o644))
	fmt.Printf("wrote %d vectors to %s\n", len(out), os.Args[2])
}

func evaluate(c batteryCase) json.RawMessage {
	names := make([]string, 0, len(c.Vars))
	for k := range c.Vars {
		names = append(names, k)
	}
	sort.Strings(names)
	var decls []cel.EnvOption
	activation := map[string]any{}
	for _, k := range names {
		decls = append(decls, cel.Variable(k, cel.DynType))
		val, err := decodeValue(c.Vars[k])
		if err != nil {
			must(fmt.Errorf("case %s var %s: %w", c.Name, k, err))
		}
		activation[k] = val
	}
	env, err := krocel.DefaultEnvironment(krocel.WithCustomDeclarations(decls))
	must(err)
	ast, iss := env.Compile(c.Expr)
	if iss.Err() != nil {
		return errorResult("compile", iss.Err().Error())
	}
	prg, err := env.Program(ast)
	if err != nil {
		return errorResult("compile", err.Error())
	}
	res, _, err := prg.Eval(activation)
	if err != nil {
		return errorResult("eval", err.Error())
	}
	enc, err := encodeValue(res)
	if err != nil {
		return errorResult("encode", err.Error())
	}
	b, err := json.Marshal(map[string]any{"value": enc})
	must(err)
	return b
}

func errorResult(phase, msg string) json.RawMessage {
	b, err := json.Marshal(map[string]any{"error": map[string]string{"phase": phase, "message": msg}})
	must(err)
	return b
}

func encodeValue(v ref.Val) (any, error) {
	switch val := v.(type) {
	case types.Int:
		return map[string]any{"int": strconv.FormatInt(int64(val), 10)}, nil
	case types.Uint:
		return map[string]any{"uint": strconv.FormatUint(uint64(val), 10)}, nil
	case types.Double:
		f := float64(val)
		switch {
		case math.IsNaN(f):
			return map[string]any{"double": "NaN"}, nil
		case math.IsInf(f, 1):
			return map[string]any{"double": "+Inf"}, nil
		case math.IsInf(f, -1):
			return map[string]any{"double": "-Inf"}, nil
		case f == 0 && math.Signbit(f):
			return map[string]any{"double": "-0"}, nil
		}
		return map[string]any{"double": f}, nil
	case types.String:
		return map[string]any{"string": string(val)}, nil
	case types.Bool:
		return map[string]any{"bool": bool(val)}, nil
	case types.Bytes:
		return map[string]any{"bytes": base64.StdEncoding.EncodeToString(val)}, nil
	case types.Null:
		return map[string]any{"null": nil}, nil
	case types.Timestamp:
		return map[string]any{"timestamp": val.Time.UTC().Format(time.RFC3339Nano)}, nil
	case types.Duration:
		return map[string]any{"duration": strconv.FormatInt(int64(val.Duration), 10)}, nil
	case *types.Optional:
		if !val.HasValue() {
			return map[string]any{"optional": nil}, nil
		}
		inner, err := encodeValue(val.GetValue())
		if err != nil {
			return nil, err
		}
		return map[string]any{"optional": inner}, nil
	case ref.Type:
		return map[string]any{"type": val.TypeName()}, nil
	}
	if l, ok := v.(traits.Lister); ok && v.Type() == types.ListType {
		items := []any{}
		for it := l.Iterator(); it.HasNext() == types.True; {
			e, err := encodeValue(it.Next())
			if err != nil {
				return nil, err
			}
			items = append(items, e)
		}
		return map[string]any{"list": items}, nil
	}
	if m, ok := v.(traits.Mapper); ok && v.Type() == types.MapType {
		type entry struct {
			key  string
			pair []any
		}
		var entries []entry
		for it := m.Iterator(); it.HasNext() == types.True; {
			k := it.Next()
			ek, err := encodeValue(k)
			if err != nil {
				return nil, err
			}
			ev, err := encodeValue(m.Get(k))
			if err != nil {
				return nil, err
			}
			kj, _ := json.Marshal(ek)
			entries = append(entries, entry{string(kj), []any{ek, ev}})
		}
		sort.Slice(entries, func(i, j int) bool { return entries[i].key < entries[j].key })
		pairs := []any{}
		for _, e := range entries {
			pairs = append(pairs, e.pair)
		}
		return map[string]any{"map": pairs}, nil
	}
	// Opaque Kubernetes values (Quantity, URL, IP, CIDR, Semver) and kro's omit sentinel.
	text := fmt.Sprint(v.Value())
	if s, ok := v.ConvertToType(types.StringType).(types.String); ok {
		text = string(s)
	}
	return map[string]any{"opaque": map[string]any{"type": v.Type().TypeName(), "string": text}}, nil
}

func decodeValue(raw json.RawMessage) (ref.Val, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil || len(m) != 1 {
		return nil, fmt.Errorf("value must be an object with one key: %s", raw)
	}
	for kind, body := range m {
		return decodeKind(kind, body)
	}
	return nil, nil
}

func decodeKind(kind string, body json.RawMessage) (ref.Val, error) {
	var s string
	switch kind {
	case "int":
		must(json.Unmarshal(body, &s))
		i, err := strconv.ParseInt(s, 10, 64)
		return types.Int(i), err
	case "uint":
		must(json.Unmarshal(body, &s))
		u, err := strconv.ParseUint(s, 10, 64)
		return types.Uint(u), err
	case "double":
		var f float64
		if json.Unmarshal(body, &f) == nil {
			return types.Double(f), nil
		}
		must(json.Unmarshal(body, &s))
		f, err := strconv.ParseFloat(s, 64)
		return types.Double(f), err
	case "string":
		must(json.Unmarshal(body, &s))
		return types.String(s), nil
	case "bool":
		var b bool
		must(json.Unmarshal(body, &b))
		return types.Bool(b), nil
	case "bytes":
		must(json.Unmarshal(body, &s))
		b, err := base64.StdEncoding.DecodeString(s)
		return types.Bytes(b), err
	case "null":
		return types.NullValue, nil
	case "timestamp":
		must(json.Unmarshal(body, &s))
		t, err := time.Parse(time.RFC3339Nano, s)
		return types.Timestamp{Time: t}, err
	case "duration":
		must(json.Unmarshal(body, &s))
		n, err := strconv.ParseInt(s, 10, 64)
		return types.Duration{Duration: time.Duration(n)}, err
	case "list":
		var items []json.RawMessage
		must(json.Unmarshal(body, &items))
		vals := make([]ref.Val, 0, len(items))
		for _, it := range items {
			v, err := decodeValue(it)
			if err != nil {
				return nil, err
			}
			vals = append(vals, v)
		}
		return types.NewRefValList(types.DefaultTypeAdapter, vals), nil
	case "map":
		var pairs [][2]json.RawMessage
		must(json.Unmarshal(body, &pairs))
		vals := map[ref.Val]ref.Val{}
		for _, p := range pairs {
			k, err := decodeValue(p[0])
			if err != nil {
				return nil, err
			}
			v, err := decodeValue(p[1])
			if err != nil {
				return nil, err
			}
			vals[k] = v
		}
		return types.NewRefValMap(types.DefaultTypeAdapter, vals), nil
	}
	return nil, fmt.Errorf("unknown value kind %q (%v)", kind, reflect.TypeOf(body))
}

func must(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
