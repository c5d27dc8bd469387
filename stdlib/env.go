package stdlib

import (
	"sort"
	"strings"

	"github.com/dop251/goja"
)

// The env global: a read-only view of the environment without its secrets.
// INTERCOM_ACCESS_TOKEN, INTERCOM_API_KEY and every variable whose name
// contains TOKEN, SECRET, PASSWORD or KEY (in any case) are absent, and so
// are the variables the runner names (Env.HiddenVars: a profile's
// token_env, whatever its name) and every variable whose value holds a
// secret (Env.Secrets: the token, however it was supplied), so
// console.log(env) or a JSON dump cannot leak them.

// hiddenEnvWords hide any variable whose upper-cased name contains one.
var hiddenEnvWords = []string{"TOKEN", "SECRET", "PASSWORD", "KEY"}

// HiddenEnv reports whether the variable name is kept from scripts.
func HiddenEnv(name string) bool {
	upper := strings.ToUpper(name)
	for _, w := range hiddenEnvWords {
		if strings.Contains(upper, w) {
			return true
		}
	}
	return upper == "INTERCOM_ACCESS_TOKEN" || upper == "INTERCOM_API_KEY"
}

// envObject is the goja.DynamicObject behind env: lookups read the
// filtered map; writes and deletes throw a TypeError even in sloppy code.
type envObject struct {
	s    *lib
	vars map[string]string
	keys []string
}

// minSecretLen is the shortest secret looked for inside other values; a
// shorter one hides only a variable equal to it.
const minSecretLen = 8

// hidden reports whether a variable is kept from scripts: by its name, as
// one the runner names (a profile's token_env), or because its value holds
// a secret.
func (env Env) hidden(name, value string) bool {
	if HiddenEnv(name) {
		return true
	}
	for _, n := range env.HiddenVars {
		if n == name {
			return true
		}
	}
	for _, sec := range env.Secrets {
		if sec != "" && (value == sec || len(sec) >= minSecretLen && strings.Contains(value, sec)) {
			return true
		}
	}
	return false
}

func newEnvObject(s *lib) goja.Value {
	e := &envObject{s: s, vars: map[string]string{}}
	for _, kv := range s.env.Environ {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" || s.env.hidden(k, v) {
			continue
		}
		if _, dup := e.vars[k]; !dup {
			e.keys = append(e.keys, k)
		}
		e.vars[k] = v
	}
	sort.Strings(e.keys)
	return s.rt.NewDynamicObject(e)
}

func (e *envObject) Get(key string) goja.Value {
	if v, ok := e.vars[key]; ok {
		return e.s.rt.ToValue(v)
	}
	return nil
}

func (e *envObject) Set(key string, _ goja.Value) bool {
	panic(e.s.rt.NewTypeError("env is read-only: cannot set env.%s (pass values to a script with flags: args.flag)", key))
}

func (e *envObject) Has(key string) bool {
	_, ok := e.vars[key]
	return ok
}

func (e *envObject) Delete(key string) bool {
	panic(e.s.rt.NewTypeError("env is read-only: cannot delete env.%s", key))
}

func (e *envObject) Keys() []string { return e.keys }
