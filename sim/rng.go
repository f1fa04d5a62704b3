package sim

import (
	"math/rand/v2"
)

// Streams derives independent random streams from (seed, replication, entity, purpose), as
// DESIGN.md asks: every entity and purpose has its own PCG stream whose seed is a hash of those
// keys, so adding a radar or a threat never shifts the numbers another entity draws. That is
// what makes paired comparisons (common random numbers) sharp.
type Streams struct {
	Seed        uint64
	Replication uint64
}

// splitmix64 is the finaliser of SplitMix64 (Steele, Lea & Flood, OOPSLA 2014), used here to
// mix keys into well-distributed 64-bit seeds.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// hashString folds a string into h with FNV-1a, then mixes it.
func hashString(h uint64, s string) uint64 {
	const prime = 1099511628211
	h ^= 0xcbf29ce484222325
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= prime
	}
	// A separator so that ("ab","c") and ("a","bc") differ.
	h ^= 0xff
	h *= prime
	return splitmix64(h)
}

// Key returns the 64-bit seed of the stream for the given keys.
func (s Streams) Key(keys ...string) uint64 {
	h := splitmix64(s.Seed ^ splitmix64(s.Replication+0x632be59bd9b4e019))
	for _, k := range keys {
		h = hashString(h, k)
	}
	return h
}

// Stream returns a fresh generator for the given keys (entity id, purpose, ...). Two calls
// with the same keys return generators that produce the same sequence.
func (s Streams) Stream(keys ...string) *rand.Rand {
	k := s.Key(keys...)
	return rand.New(rand.NewPCG(k, splitmix64(k^0xd1b54a32d192ed03)))
}
