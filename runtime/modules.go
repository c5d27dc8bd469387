package runtime

import (
	"strings"

	"github.com/dop251/goja"
)

// module is a built-in module, importable as "icscript:<name>".
type module struct {
	exports func(*goja.Runtime) goja.Value
	value   goja.Value // built on first import
}

// RegisterModule makes exports importable as "icscript:<name>", with ESM
// import and with require. exports runs once, on first import, on the loop.
// Register modules before running a script: bundling checks the names.
func (vm *VM) RegisterModule(name string, exports func(*goja.Runtime) goja.Value) {
	vm.modMu.Lock()
	defer vm.modMu.Unlock()
	vm.modules[name] = &module{exports: exports}
}

// hasModule is called by esbuild, on its goroutines.
func (vm *VM) hasModule(name string) bool {
	vm.modMu.RLock()
	defer vm.modMu.RUnlock()
	_, ok := vm.modules[name]
	return ok
}

// installModules defines the hidden global the bundle's module stubs call,
// and a require that knows only icscript: built-ins (for the REPL and for
// requires esbuild could not bundle).
func (vm *VM) installModules() error {
	hidden := vm.rt.ToValue(vm.requireBuiltin)
	if err := vm.rt.GlobalObject().DefineDataProperty(requireGlobal, hidden, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE); err != nil {
		return err
	}
	return vm.rt.Set("require", vm.require)
}

func (vm *VM) requireBuiltin(call goja.FunctionCall) goja.Value {
	name := call.Argument(0).String()
	vm.modMu.RLock()
	m, ok := vm.modules[name]
	vm.modMu.RUnlock()
	if !ok {
		panic(vm.newError("unknown built-in module " + builtinPrefix + name))
	}
	if m.value == nil {
		m.value = m.exports(vm.rt)
	}
	return m.value
}

func (vm *VM) require(call goja.FunctionCall) goja.Value {
	spec := call.Argument(0).String()
	name, ok := strings.CutPrefix(spec, builtinPrefix)
	if !ok {
		panic(vm.rt.NewTypeError("require(%q): only icscript: built-in modules can be required here; "+
			"files are bundled only when imported with a literal relative path", spec))
	}
	return vm.requireBuiltin(goja.FunctionCall{Arguments: []goja.Value{vm.rt.ToValue(name)}})
}
