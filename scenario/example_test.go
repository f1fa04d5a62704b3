package scenario_test

import (
	"fmt"

	"github.com/adsim/adsim/scenario"
)

func ExampleParse() {
	src := `
version: 1
name: Harbour
seed: 7
duration_s: 900
assets:
  - {id: port, lat_deg: 46.48, lon_deg: 30.73, value: 100, hardness_kg: 300}
sensors:
  - id: ew
    lat_deg: 46.50
    lon_deg: 30.70
    rooftop: {building_height_m: 40, mast_m: 5}
    ref_range_km: 120
    ref_rcs_m2: 1
    scan_period_s: 5
raids:
  - id: wave
    class: slow-drone
    count: 6
    launch_start_s: 0
    launch_end_s: 300
    from: {lat_deg: 46.0, lon_deg: 31.6}
    targets: [port]
catalog:
  threats:
    - id: slow-drone
      name: Slow drone
      category: drone
      speed_kmh: 180
      cruise_alt_m: {value: 150, assumption: typical}
      range_km: 1500
      rcs_m2: 0.1
      warhead_kg: 40
`
	s, err := scenario.Parse("harbour.yaml", []byte(src), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	th, _ := s.EffectiveCatalog(nil).Threat(s.Raids[0].Class)
	fmt.Println(s.Name, len(s.Raids[0].Targets), th.Name, th.CruiseAltM.Value, th.CruiseAltM.Assumed())
	// Output: Harbour 1 Slow drone 150 true
}

func ExampleParse_errors() {
	src := `version: 1
name: Harbour
seed: 7
duration_s: 900
assets:
  - {id: port, lat_deg: 46.48, lon_deg: 30.73, value: 100, hardness_kg: 300}
sensors:
  - id: ew
    lat_deg: 46.50
    lon_deg: 30.70
    ref_range_m: 120000
    ref_rcs_m2: 1
    scan_period_s: -5
raids: []
`
	_, err := scenario.Parse("harbour.yaml", []byte(src), nil)
	for _, e := range scenario.Errors(err) {
		fmt.Println(e)
	}
	// Output:
	// harbour.yaml:8:5: sensors[0].ref_range_km: found no "ref_range_km", expected the required field "ref_range_km": a positive number (km); hint: adsim has no default for physical figures
	// harbour.yaml:11:5: sensors[0].ref_range_m: found unknown field "ref_range_m", expected a field of a sensor; hint: `ref_range_m` has the wrong unit: this field is `ref_range_km` (km); convert the value
	// harbour.yaml:13:5: sensors[0].scan_period_s: found -5, expected a positive period (s)
}
