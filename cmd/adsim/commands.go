package main

import (
	"io"

	"github.com/spf13/cobra"
)

// moreCommands lists the commands beyond the core ones (run, validate, example, catalog,
// version); each lives in its own file.
func moreCommands(stdout, stderr io.Writer) []*cobra.Command {
	return []*cobra.Command{
		// One line per command, e.g. newWTACmd(stdout, stderr),
		newWTACmd(stdout, stderr),
		newMCCmd(stdout, stderr),
		newMergeCmd(stdout, stderr),
		newReplayCmd(stdout, stderr),
		newWorkerCmd(stdout, stderr),
		newCompareCmd(stdout, stderr),
		newSweepCmd(stdout, stderr),
		newSensitivityCmd(stdout, stderr),
		newTrackCmd(stdout, stderr),
		newEngageCmd(stdout, stderr),
		newReachCmd(stdout),
		newNATSConfigCmd(stdout),
	}
}
