package runtime

// ProgramCacheHits reports how many runs reused a compiled program.
func ProgramCacheHits() int {
	programs.mu.Lock()
	defer programs.mu.Unlock()
	return programs.hits
}
