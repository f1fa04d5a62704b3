package lap_test

import (
	"fmt"

	"github.com/adsim/adsim/lap"
)

// ExampleDense solves a rectangular assignment with a forbidden pair.
func ExampleDense() {
	cost := []float64{
		1, 4, lap.Forbidden,
		2, 8, 3,
	}
	var d lap.Dense
	rowToCol := make([]int, 2)
	total, err := d.Solve(cost, 2, 3, rowToCol)
	fmt.Println(rowToCol, total, err)
	// Output: [0 2] 4 <nil>
}

// ExampleSparse matches two rows to three columns from a list of permitted pairs; row 1 is
// cheaper left unassigned (cost 5) than matched to column 2 (cost 6).
func ExampleSparse() {
	edges := []lap.Edge{{Row: 0, Col: 0, Cost: 1}, {Row: 0, Col: 1, Cost: 2}, {Row: 1, Col: 2, Cost: 6}}
	var s lap.Sparse
	rowToCol := make([]int, 2)
	total := s.Solve(2, 3, edges, []float64{10, 5}, rowToCol)
	fmt.Println(rowToCol, total)
	// Output: [0 -1] 6
}
