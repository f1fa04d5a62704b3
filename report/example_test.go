package report_test

import (
	"bytes"
	"fmt"

	"github.com/adsim/adsim/report"
)

// A table of replications written as CSV and read back: every value comes back bit for bit,
// floats in the shortest form that round-trips.
func ExampleNewCSVWriter() {
	cols := report.Columns{Uint: []string{"rep"}, Int: []string{"leakers"}, Float: []string{"value_lost"}}
	var buf bytes.Buffer
	w, err := report.NewCSVWriter(&buf, cols)
	if err != nil {
		panic(err)
	}
	for rep, lost := range []float64{0, 12.5, 1.0 / 3} {
		if err := w.WriteRow([]uint64{uint64(rep)}, []int64{int64(rep % 2)}, []float64{lost}); err != nil {
			panic(err)
		}
	}
	if err := w.Close(); err != nil {
		panic(err)
	}
	fmt.Print(buf.String())
	err = report.ReadCSV(&buf, cols, func(u []uint64, i []int64, f []float64) error {
		fmt.Println("read:", u[0], i[0], f[0])
		return nil
	})
	fmt.Println(err)
	// Output:
	// rep,leakers,value_lost
	// 0,0,0.0
	// 1,1,12.5
	// 2,0,0.3333333333333333
	// read: 0 0 0
	// read: 1 1 12.5
	// read: 2 0 0.3333333333333333
	// <nil>
}
