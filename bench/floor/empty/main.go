// Command empty is the start-up floor of any Go program on this machine: it
// imports nothing and exits (bench/run.sh's floor table; bench/README.md).
package main

func main() {}
