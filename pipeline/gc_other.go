//go:build !linux

package pipeline

// hugePagesAllowed is false: OneJobHeap's plan is for Linux only (without
// huge pages, a larger heap only means more page faults).
func hugePagesAllowed() bool { return false }

func adviseHugePages([]byte) {}
