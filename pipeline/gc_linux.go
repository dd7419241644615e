package pipeline

import (
	"os"
	"strings"
	"syscall"
	"unsafe"
)

// hugePageSize is the size of a transparent huge page (x86-64, arm64 with
// 4 KiB pages).
const hugePageSize = 2 << 20

// hugePagesAllowed reports whether madvise(MADV_HUGEPAGE) can give the
// heap huge pages: THP is "always" or "madvise", not "never".
func hugePagesAllowed() bool {
	b, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	return err == nil && !strings.Contains(string(b), "[never]")
}

// adviseHugePages asks for huge pages for the whole 2 MiB pages inside b
// (an error only means no huge pages).
func adviseHugePages(b []byte) {
	p := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	lo := (p + hugePageSize - 1) &^ (hugePageSize - 1)
	hi := (p + uintptr(len(b))) &^ (hugePageSize - 1)
	if lo < hi {
		syscall.Madvise(b[lo-p:hi-p], syscall.MADV_HUGEPAGE)
	}
}
