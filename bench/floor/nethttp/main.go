// Command nethttp is a start-up floor: a Go program that only links net/http
// (and runs its package initialisation) and exits.
package main

import _ "net/http"

func main() {}
