// Package track owns the air picture: estimating each threat's state from sensor
// detections and keeping the track file (initiation, confirmation, deletion, identity).
//
// Tracker is a multi-target tracker: detections without truth labels, false alarms and
// several sensors feeding one track file in time order (central fusion), with
//
//   - filters: Kalman filters on the nearly-constant-velocity (CVModel) and
//     nearly-constant-acceleration (CAModel) models, an extended Kalman filter on the
//     coordinated-turn model (CTModel) and the CV/CT interacting multiple model filter (IMM);
//   - measurement models carried by each detection: Cartesian positions (PositionModel) and
//     2-D and 3-D radar polar reports (RangeBearing, RangeAzEl) through unbiased converted
//     measurements;
//   - chi-square gating with a spatial hash (GridGater) and global nearest neighbour
//     association (GNN) solved per gating cluster by the Jonker–Volgenant assignment solver
//     of package lap;
//   - one-point initiation, M-of-N confirmation, deletion on misses or covariance growth, and
//     a log-likelihood track score;
//   - OSPA and GOSPA metrics and track-identity measures (Metric, Scorer).
//
// The roles follow Stone Soup (Predictor, Updater, Hypothesiser, Associator, Initiator,
// Confirmer, Deleter), as small interfaces wired together in TrackerConfig. Sources:
// Bar-Shalom, Li & Kirubarajan, Estimation with Applications to Tracking and Navigation
// (2001); Blackman & Popoli, Design and Analysis of Modern Tracking Systems (1999); Jonker &
// Volgenant, Computing 38 (1987); Schuhmacher, Vo & Vo, IEEE TSP 56(8) (2008); Rahmathullah,
// García-Fernández & Svensson, FUSION 2017. docs/tracking.md has the equations and settings.
//
// It must not know radars' internals (a detection arrives as a measurement with its noise
// model, never as a signal-to-noise ratio or a beam) nor weapons, nor files (package
// track/dataset reads and writes the benchmark format). It keeps no global mutable state;
// a Tracker is not safe for concurrent use, give each goroutine its own.
package track
