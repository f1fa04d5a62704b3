package mc

import (
	"fmt"
	"strings"

	"github.com/adsim/adsim/report"
	"github.com/adsim/adsim/scenario"
	"github.com/adsim/adsim/sim"
)

// Layers in the order of the per-layer columns.
var layers = [...]string{scenario.LayerLong, scenario.LayerMedium, scenario.LayerShort}

// Fixed integer columns, in order, before the per-layer, per-class and per-unit ones.
const (
	iLaunched = iota
	iDetected
	iEngaged
	iDestroyed
	iLeaked
	iFlying
	iInterceptors
	iGunRounds
	iLeakedNoShot    // leakers nothing was fired at
	iLeakedUntracked // leakers that never had a confirmed track
	iLayer           // kills_<layer> ×3, then interceptors_<layer> ×3
)

// Fixed float columns, in order, before the per-asset ones.
const (
	fValueLost = iota
	fDefenceCost
	fThreatCost
	fAsset // lost_<asset> …
)

// Row is one replication's outcome, flattened to numbers: what the workers send, what the
// files hold and what the statistics read. Int and Float are indexed as the Layout's columns.
type Row struct {
	Rep   uint64    `json:"rep"`
	Seed  uint64    `json:"seed"`
	Int   []int64   `json:"i"`
	Float []float64 `json:"f"`
}

// Layout is the column layout of a scenario's rows, derived from the scenario alone (so
// every shard and every worker agrees on it): the fixed columns, then one group of columns per
// layer, threat class (in order of first appearance in the raids, an aircraft's stand-off
// weapons' class after the aircraft's), fire unit and weapon (in
// scenario order, weapons in catalog order), and asset (in scenario order). docs/results.md
// documents every column.
type Layout struct {
	Classes []string   // threat class ids
	Units   []UnitCols // fire units and their weapons
	Assets  []string   // asset ids
	Values  []float64  // asset values, as Assets

	cols    report.Columns
	unitOff []int // index in Row.Int of each unit's kills column; its weapons follow
	// rounds is each unit's magazine of each weapon (as Units), gun each weapon's kind: the
	// most a replication can fire, which bounds the statistics of what it fired.
	rounds [][]float64
	gun    [][]bool
	// maxCost is the most a replication can spend (every magazine emptied, guns at their cost
	// per burst over the rounds of a burst), maxThreatCost the cost of every threat the raids
	// launch: the bounds of the cost statistics.
	maxCost, maxThreatCost float64
	// maxLaunched is the threats the raids launch at most: the bound of leakers and kills.
	maxLaunched float64
	classIx     map[string]int
	unitIx      map[string]int
	assetIx     map[string]int
}

// UnitCols names a fire unit and its weapons.
type UnitCols struct {
	ID      string   `json:"id"`
	Layer   string   `json:"layer"`
	Weapons []string `json:"weapons"`
}

// Column-group offsets inside Row.Int.
func (l *Layout) classLaunched(c int) int  { return iLayer + 2*len(layers) + 3*c }
func (l *Layout) classDestroyed(c int) int { return l.classLaunched(c) + 1 }
func (l *Layout) classLeaked(c int) int    { return l.classLaunched(c) + 2 }

// NewLayout derives the row layout of scenario s with catalog cat (the effective catalog).
func NewLayout(s *scenario.Scenario, cat *scenario.Catalog) (*Layout, error) {
	l := &Layout{classIx: map[string]int{}, unitIx: map[string]int{}, assetIx: map[string]int{}}
	for _, r := range s.Raids {
		tc, ok := cat.Threat(r.Class)
		if !ok {
			return nil, fmt.Errorf("raid %q: unknown threat class %q", r.ID, r.Class)
		}
		n := float64(r.Count)
		l.maxThreatCost += n * tc.CostUSD.Value
		l.maxLaunched += n
		l.addClass(r.Class)
		// An aircraft's stand-off weapons are threats of their own class (never an aircraft,
		// so they carry none), launched in flight: up to StandOffCount of them an aircraft.
		if tc.StandOffClass != "" {
			wc, ok := cat.Threat(tc.StandOffClass)
			if !ok {
				return nil, fmt.Errorf("raid %q: threat class %q: unknown stand-off class %q", r.ID, r.Class, tc.StandOffClass)
			}
			k := n * tc.StandOffCount.Value
			l.maxThreatCost += k * wc.CostUSD.Value
			l.maxLaunched += k
			l.addClass(tc.StandOffClass)
		}
	}
	for _, fu := range s.FireUnits {
		sc, ok := cat.System(fu.Class)
		if !ok {
			return nil, fmt.Errorf("fire unit %q: unknown system class %q", fu.ID, fu.Class)
		}
		uc := UnitCols{ID: fu.ID, Layer: sc.Layer}
		var rounds []float64
		var gun []bool
		for _, w := range sc.Weapons {
			uc.Weapons = append(uc.Weapons, w.ID)
			n := w.Magazine.Value
			if m, ok := fu.Magazine[w.ID]; ok {
				n = float64(m) // as the engine loads it (sim addUnit)
			}
			rounds = append(rounds, n)
			gun = append(gun, w.Kind == scenario.KindGun)
			perRound := w.CostUSD.Value // a missile's; a gun's cost_usd is per burst
			if w.Kind == scenario.KindGun && w.BurstRounds.Value > 0 {
				perRound /= w.BurstRounds.Value
			}
			l.maxCost += n * perRound
		}
		l.rounds, l.gun = append(l.rounds, rounds), append(l.gun, gun)
		l.unitIx[fu.ID] = len(l.Units)
		l.Units = append(l.Units, uc)
	}
	for _, a := range s.Assets {
		l.assetIx[a.ID] = len(l.Assets)
		l.Assets = append(l.Assets, a.ID)
		l.Values = append(l.Values, a.Value)
	}
	return l, l.build()
}

// addClass gives threat class id its columns, after those of the classes before it.
func (l *Layout) addClass(id string) {
	if _, ok := l.classIx[id]; !ok {
		l.classIx[id] = len(l.Classes)
		l.Classes = append(l.Classes, id)
	}
}

// magazines is the most a replication can fire: missiles of the units of layer (every layer
// for ""), or gun rounds (gun) of every unit. The engine loads each weapon once and never
// reloads it.
func (l *Layout) magazines(layer string, gun bool) float64 {
	var n float64
	for u, uc := range l.Units {
		if layer != "" && uc.Layer != layer {
			continue
		}
		for w, r := range l.rounds[u] {
			if l.gun[u][w] == gun {
				n += r
			}
		}
	}
	return n
}

// build names the columns and checks that sanitised names do not collide.
func (l *Layout) build() error {
	c := report.Columns{Uint: []string{"rep", "seed"}}
	c.Int = []string{"launched", "detected", "engaged", "destroyed", "leaked", "flying", "interceptors_fired", "gun_rounds", "leaked_no_shot", "leaked_untracked"}
	for _, ly := range layers {
		c.Int = append(c.Int, "kills_"+ly)
	}
	for _, ly := range layers {
		c.Int = append(c.Int, "interceptors_"+ly)
	}
	for _, cl := range l.Classes {
		n := Sanitize(cl)
		c.Int = append(c.Int, "launched_"+n, "destroyed_"+n, "leaked_"+n)
	}
	l.unitOff = l.unitOff[:0]
	for _, u := range l.Units {
		n := Sanitize(u.ID)
		l.unitOff = append(l.unitOff, len(c.Int))
		c.Int = append(c.Int, "kills_"+n)
		for _, w := range u.Weapons {
			c.Int = append(c.Int, "fired_"+n+"_"+Sanitize(w))
		}
	}
	c.Float = []string{"value_lost", "defence_cost_usd", "threat_cost_usd"}
	for _, a := range l.Assets {
		c.Float = append(c.Float, "lost_"+Sanitize(a))
	}
	if err := c.Check(); err != nil {
		return fmt.Errorf("ids give clashing column names once made safe for R and SQL (%v); rename one of them", err)
	}
	l.cols = c
	return nil
}

// Columns returns the file columns of the layout.
func (l *Layout) Columns() report.Columns { return l.cols }

// Sanitize makes an id part of a column name that R, SQL and pandas accept unquoted: lower
// case letters, digits and underscores (every other character becomes '_'). Every column
// name built from an id starts with a word (launched_, fired_, lost_ ...), never a digit.
func Sanitize(id string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(id) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') || r == '_' {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	s := b.String()
	if s == "" {
		s = "_"
	}
	return s
}

// NewRow returns an empty row of this layout.
func (l *Layout) NewRow() Row {
	return Row{Int: make([]int64, len(l.cols.Int)), Float: make([]float64, len(l.cols.Float))}
}

// Check reports whether r has this layout's shape.
func (l *Layout) Check(r *Row) error {
	if len(r.Int) != len(l.cols.Int) || len(r.Float) != len(l.cols.Float) {
		return fmt.Errorf("replication %d: a row of %d+%d values, the layout has %d+%d columns",
			r.Rep, len(r.Int), len(r.Float), len(l.cols.Int), len(l.cols.Float))
	}
	return nil
}

// FromOutcome flattens an outcome into a row of this layout. An id in the outcome that the
// layout does not know is an error (the scenario and the layout disagree).
func (l *Layout) FromOutcome(o *sim.Outcome) (Row, error) {
	r := l.NewRow()
	r.Rep, r.Seed = o.Replication, o.Seed
	in, fl := r.Int, r.Float
	in[iLaunched], in[iDetected], in[iEngaged] = int64(o.Launched), int64(o.Detected), int64(o.Engaged)
	in[iDestroyed], in[iLeaked], in[iFlying] = int64(o.Destroyed), int64(o.Leaked), int64(o.Flying)
	in[iInterceptors], in[iGunRounds] = int64(o.InterceptorsFired), int64(o.GunRounds)
	for _, lk := range o.Leakers {
		if len(lk.Shots) == 0 {
			in[iLeakedNoShot]++
		}
		if lk.ConfirmedS == nil {
			in[iLeakedUntracked]++
		}
	}
	for _, lo := range o.Layers {
		k := layerIndex(lo.Layer)
		if k < 0 {
			return r, fmt.Errorf("replication %d: unknown layer %q", o.Replication, lo.Layer)
		}
		in[iLayer+k] += int64(lo.Kills)
		in[iLayer+len(layers)+k] += int64(lo.InterceptorsFired)
	}
	for _, co := range o.Classes {
		c, ok := l.classIx[co.Class]
		if !ok {
			return r, fmt.Errorf("replication %d: threat class %q is not in the scenario's raids", o.Replication, co.Class)
		}
		in[l.classLaunched(c)] += int64(co.Launched)
		in[l.classDestroyed(c)] += int64(co.Destroyed)
		in[l.classLeaked(c)] += int64(co.Leaked)
	}
	for _, uo := range o.Units {
		u, ok := l.unitIx[uo.ID]
		if !ok {
			return r, fmt.Errorf("replication %d: fire unit %q is not in the scenario", o.Replication, uo.ID)
		}
		base := l.unitOff[u]
		in[base] = int64(uo.Kills)
		for _, wo := range uo.Weapons {
			k := indexOf(l.Units[u].Weapons, wo.Weapon)
			if k < 0 {
				return r, fmt.Errorf("replication %d: fire unit %q has no weapon %q in the catalog", o.Replication, uo.ID, wo.Weapon)
			}
			in[base+1+k] = int64(wo.Fired)
		}
	}
	fl[fValueLost], fl[fDefenceCost], fl[fThreatCost] = o.ValueLost, o.DefenceCostUSD, o.ThreatCostUSD
	for _, ao := range o.Assets {
		a, ok := l.assetIx[ao.ID]
		if !ok {
			return r, fmt.Errorf("replication %d: asset %q is not in the scenario", o.Replication, ao.ID)
		}
		fl[fAsset+a] = ao.ValueLost
	}
	return r, nil
}

func layerIndex(s string) int { return indexOf(layers[:], s) }

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}
