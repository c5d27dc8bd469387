// Command goja is a start-up floor: a Go program that only links goja (and
// runs its package initialisation, and that of what goja imports) and exits.
package main

import _ "github.com/dop251/goja"

func main() {}
