package sim

import (
	"github.com/adsim/adsim/engage"
	"github.com/adsim/adsim/geo"
	"github.com/adsim/adsim/scenario"
	"github.com/adsim/adsim/threat"
)

// Cache keeps, across the replications of one scenario, what does not depend on their random
// draws: gun kill-probability curves (gunCurve), missiles' reach tables (reachOf, each
// cell flown once per Cache), and the burnout state of ballistic launches from a fixed launch point to an asset,
// solved by several whole simulated flights each (2–4 % of a replication of the default
// scenario, which launches two: 4 % of its profile, 0.974 measured by BenchmarkRunCapital). A run is bit-identical with or without it (the solution is a
// pure function of its key). It keeps at most maxCached solutions, since launch points drawn
// at random never repeat and memory must stay flat over a long study. A Cache is not safe for
// concurrent use: give each worker its own.
type Cache struct {
	ballistic map[ballisticKey]ballisticSolution
	curves    map[curveKey]*engage.BurstCurve
	reach     map[reachKey]*reachTable
	// specKeys memoises reachKey.spec by catalog weapon: printing a flyout spec costs ~700
	// bytes, and a replication of the default scenario asks for 19 weapons' tables. The
	// pointer keeps its weapon alive, so no other weapon can take its address.
	specKeys map[*scenario.Weapon]string
}

// maxCached bounds the solutions a Cache keeps.
const maxCached = 256

type ballisticKey struct {
	earth      threat.Earth
	start, aim geo.Vec3
	spec       threat.BallisticSpec
}

type ballisticSolution struct {
	launch threat.BallisticLaunch
	err    error
}

// NewCache returns an empty cache for Options.Cache.
func NewCache() *Cache {
	return &Cache{ballistic: map[ballisticKey]ballisticSolution{}, curves: map[curveKey]*engage.BurstCurve{},
		reach: map[reachKey]*reachTable{}, specKeys: map[*scenario.Weapon]string{}}
}

type curveKey struct {
	spec        engage.GunSpec
	area, pkHit float64
}

// gunCurve is spec.Curve(area, pkHit), kept in c when c is not nil: every fire unit of a
// class and every replication asks for the same few curves.
func (c *Cache) gunCurve(spec engage.GunSpec, area, pkHit float64) *engage.BurstCurve {
	if c == nil {
		cv := spec.Curve(area, pkHit)
		return &cv
	}
	k := curveKey{spec, area, pkHit}
	if cv, ok := c.curves[k]; ok {
		return cv
	}
	cv := spec.Curve(area, pkHit)
	if len(c.curves) < maxCached {
		c.curves[k] = &cv
	}
	return &cv
}

// ballisticLaunch is threat.SolveBallisticDrag, kept in c when c is not nil.
func (c *Cache) ballisticLaunch(earth threat.Earth, start, aim geo.Vec3, spec threat.BallisticSpec) (threat.BallisticLaunch, error) {
	if c == nil {
		return threat.SolveBallisticDrag(earth, start, aim, spec)
	}
	k := ballisticKey{earth, start, aim, spec}
	if s, ok := c.ballistic[k]; ok {
		return s.launch, s.err
	}
	l, err := threat.SolveBallisticDrag(earth, start, aim, spec)
	if len(c.ballistic) < maxCached {
		c.ballistic[k] = ballisticSolution{l, err}
	}
	return l, err
}
