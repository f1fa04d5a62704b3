package track_test

import "math"

func polar(x [3]float64) (r, az, el float64) {
	r = math.Sqrt(x[0]*x[0] + x[1]*x[1] + x[2]*x[2])
	return r, math.Atan2(x[0], x[1]), math.Asin(x[2] / r)
}
