// Argo CD health oracle: evaluates the health.lua scripts of an argocd-cm ConfigMap for one
// Kubernetes object the way Argo CD's util/lua does, with the same Lua runtime (gopher-lua):
//   - the script is found under data["resource.customizations"] by the key "<group>/<Kind>"
//     ("<Kind>" for the core group), else by the first wildcard key that glob-matches it
//     (github.com/gobwas/glob, as Argo CD's util/glob);
//   - a fresh LState without the standard libraries (unless health.lua.useOpenLibs), then the
//     package, base and table libraries opened; a 1 s context;
//   - the object (decoded as unstructured JSON, integers as int64) becomes the global `obj`,
//     maps as hash tables, lists as array tables, null as nil;
//   - the script's return value must be a table; it is JSON-encoded (layeh.com/gopher-json) and
//     read as {status, message}; a status outside Healthy/Progressing/Degraded/Suspended/Missing/
//     Unknown becomes Unknown "Lua returned an invalid health status".
// Argo CD's safe `os` library is not loaded (the shipped scripts do not use it).
//
// Usage: argocd-health <argocd-cm.yaml> < object.json
// Prints {"key": "<matched key or empty>", "status": "...", "message": "..."}; no matching
// script prints an empty status (Argo CD then has no health for the object).
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"time"

	"github.com/gobwas/glob"
	lua "github.com/yuin/gopher-lua"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	luajson "layeh.com/gopher-json"
	"sigs.k8s.io/yaml"
)

type override struct {
	HealthLua   string `json:"health.lua,omitempty"`
	UseOpenLibs bool   `json:"health.lua.useOpenLibs,omitempty"`
}

type configMap struct {
	Data map[string]string `json:"data"`
}

type result struct {
	Key     string `json:"key"`
	Status  string `json:"status"`
	Message string `json:"message"`
}

var valid = map[string]bool{
	"Healthy": true, "Progressing": true, "Degraded": true, "Suspended": true, "Missing": true, "Unknown": true,
}

func main() {
	if len(os.Args) != 2 {
		fail("usage: argocd-health <argocd-cm.yaml> < object.json")
	}
	raw, err := os.ReadFile(os.Args[1])
	if err != nil {
		fail("reading %s: %v", os.Args[1], err)
	}
	var cm configMap
	if err := yaml.Unmarshal(raw, &cm); err != nil {
		fail("parsing %s: %v", os.Args[1], err)
	}
	overrides := map[string]override{}
	if text, ok := cm.Data["resource.customizations"]; ok {
		if err := yaml.Unmarshal([]byte(text), &overrides); err != nil {
			fail("parsing resource.customizations: %v", err)
		}
	}
	data, err := io.ReadAll(os.Stdin)
	if err != nil {
		fail("reading stdin: %v", err)
	}
	u := &unstructured.Unstructured{}
	if err := u.UnmarshalJSON(data); err != nil {
		fail("decoding the object: %v", err)
	}
	key, ov := lookup(overrides, u)
	if ov.HealthLua == "" {
		print(result{})
		return
	}
	status, message, err := run(u, ov)
	if err != nil {
		fail("health.lua of %q: %v", key, err)
	}
	print(result{Key: key, Status: status, Message: message})
}

// lookup: the exact key first, then a wildcard key (Argo CD iterates a Go map; keys are sorted
// here so the oracle is deterministic; the shipped ConfigMap never lets two wildcards match).
func lookup(overrides map[string]override, u *unstructured.Unstructured) (string, override) {
	gvk := u.GroupVersionKind()
	key := gvk.Kind
	if gvk.Group != "" {
		key = gvk.Group + "/" + gvk.Kind
	}
	if ov, ok := overrides[key]; ok && ov.HealthLua != "" {
		return key, ov
	}
	keys := make([]string, 0, len(overrides))
	for k := range overrides {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		g, err := glob.Compile(k)
		if err != nil {
			continue
		}
		if g.Match(key) && overrides[k].HealthLua != "" {
			return k, overrides[k]
		}
	}
	return "", override{}
}

func run(u *unstructured.Unstructured, ov override) (string, string, error) {
	l := lua.NewState(lua.Options{SkipOpenLibs: !ov.UseOpenLibs})
	defer l.Close()
	for _, lib := range []struct {
		name string
		fn   lua.LGFunction
	}{{lua.LoadLibName, lua.OpenPackage}, {lua.BaseLibName, lua.OpenBase}, {lua.TabLibName, lua.OpenTable}} {
		if err := l.CallByParam(lua.P{Fn: l.NewFunction(lib.fn), NRet: 0, Protect: true}, lua.LString(lib.name)); err != nil {
			return "", "", err
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	l.SetContext(ctx)
	l.SetGlobal("obj", decodeValue(l, u.Object))
	if err := l.DoString(ov.HealthLua); err != nil {
		return "", "", err
	}
	ret := l.Get(-1)
	if ret.Type() == lua.LTNil {
		return "", "", nil
	}
	if ret.Type() != lua.LTTable {
		return "", "", fmt.Errorf("expect table output from Lua script, not %s", ret.Type().String())
	}
	encoded, err := luajson.Encode(ret)
	if err != nil {
		return "", "", err
	}
	var hs struct {
		Status  string `json:"status"`
		Message string `json:"message"`
	}
	if err := json.Unmarshal(encoded, &hs); err != nil {
		return "", "", err
	}
	if !valid[hs.Status] {
		return "Unknown", "Lua returned an invalid health status", nil
	}
	return hs.Status, hs.Message, nil
}

// decodeValue turns the unstructured object into Lua values as Argo CD does.
func decodeValue(l *lua.LState, value any) lua.LValue {
	switch v := value.(type) {
	case bool:
		return lua.LBool(v)
	case float64:
		return lua.LNumber(v)
	case string:
		return lua.LString(v)
	case json.Number:
		return lua.LString(v)
	case int:
		return lua.LNumber(v)
	case int32:
		return lua.LNumber(v)
	case int64:
		return lua.LNumber(v)
	case []any:
		arr := l.CreateTable(len(v), 0)
		for _, item := range v {
			arr.Append(decodeValue(l, item))
		}
		return arr
	case map[string]any:
		tbl := l.CreateTable(0, len(v))
		for k, item := range v {
			tbl.RawSetH(lua.LString(k), decodeValue(l, item))
		}
		return tbl
	}
	return lua.LNil
}

func print(r result) {
	out, _ := json.Marshal(r)
	fmt.Println(string(out))
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "argocd-health oracle: "+format+"\n", args...)
	os.Exit(1)
}
