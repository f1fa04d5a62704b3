package main

import (
	"io"

	"github.com/spf13/cobra"

	"github.com/adsim/adsim/schema"
)

// newSchemaCmd prints the JSON Schema of scenario files, for editors and other tools.
func newSchemaCmd(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "schema",
		Short: "Print the JSON Schema of scenario files (for editors; see docs/scenario.md)",
		Args:  argCount(0, 0),
		RunE: func(cmd *cobra.Command, args []string) error {
			_, err := stdout.Write(schema.ScenarioJSON())
			return err
		},
	}
}
