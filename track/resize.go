package track

// resize returns b with length n, reallocating only when its capacity is too small; the
// contents are not cleared (callers overwrite them).
func resize[T any](b []T, n int) []T {
	if cap(b) < n {
		return make([]T, n)
	}
	return b[:n]
}
