//go:build race

package sandbox

// raceEnabled shrinks the slowest tests under the race detector.
const raceEnabled = true
