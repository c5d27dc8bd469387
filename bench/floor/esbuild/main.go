// Command esbuild is a start-up floor: a Go program that only links esbuild's
// API (and runs its package initialisation) and exits.
package main

import _ "github.com/evanw/esbuild/pkg/api"

func main() {}
