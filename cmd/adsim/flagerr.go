package main

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// flagError rewrites pflag's report of a flag value it could not parse ('invalid argument
// "-1" for "--seed" flag: strconv.ParseUint: parsing "-1": invalid syntax', which names Go's
// parser, not what the flag takes) into what was found and what was expected, by the flag's
// type. Every other error (unknown flag, missing value) passes unchanged; all are bad input.
func flagError(_ *cobra.Command, err error) error {
	var iv *pflag.InvalidValueError
	if !errors.As(err, &iv) {
		return badInput(err)
	}
	f := iv.GetFlag()
	name := "--" + f.Name
	switch f.Shorthand {
	case "":
	case f.Name: // -n, whose long form --n nobody types
		name = "-" + f.Name
	default:
		name = "-" + f.Shorthand + "/--" + f.Name
	}
	want := expectedOf(f.Value.Type())
	if want == "" {
		return badInput(err)
	}
	var ne *strconv.NumError
	if errors.As(err, &ne) && errors.Is(ne.Err, strconv.ErrRange) {
		switch f.Value.Type() {
		case "float64":
			want = "a number of magnitude at most 1.8e308"
		case "uint64", "uint":
			want = fmt.Sprintf("a whole number from 0 to %d", uint64(1<<64-1))
		case "int":
			want = fmt.Sprintf("a whole number from %d to %d", int64(-1<<63), int64(1<<63-1))
		}
	}
	return badInput(fmt.Errorf("%s: found %q, expected %s", name, iv.GetValue(), want))
}

// expectedOf says in words what a flag of pflag's type name takes, or "" for a type whose
// parser's own message already says it.
func expectedOf(typ string) string {
	switch typ {
	case "uint64", "uint":
		return "a whole number, 0 or more (e.g. 200)"
	case "int":
		return "a whole number (e.g. 2)"
	case "float64":
		return "a number (e.g. 0.01 or 1e-3)"
	case "float64Slice":
		return "numbers separated by commas (e.g. 0,0)"
	case "stringSlice":
		return "values separated by commas, quoted as in a CSV file where one holds a comma or a quote (e.g. nats.example.org,10.0.0.7)"
	case "duration":
		return "a duration with its unit (e.g. 90s, 2m or 1h30m)"
	case "bool":
		return "true or false"
	}
	return ""
}

// argCount accepts from min to max arguments (max < 0: no limit) and otherwise says how many
// were found, which, and how many the command takes, with its usage line (cobra's own
// validators say only "accepts at most 1 arg(s), received 2").
func argCount(min, max int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) >= min && (max < 0 || len(args) <= max) {
			return nil
		}
		var want string
		switch {
		case min == max && min == 0:
			want = "no arguments"
		case min == max:
			want = plural(min, "argument")
		case max < 0:
			want = "at least " + plural(min, "argument")
		case min == 0:
			want = "at most " + plural(max, "argument")
		default:
			want = fmt.Sprintf("%d to %d arguments", min, max)
		}
		found := "no arguments"
		if len(args) > 0 {
			q := make([]string, len(args))
			for i, a := range args {
				q[i] = strconv.Quote(a)
			}
			found = plural(len(args), "argument") + " (" + strings.Join(q, ", ") + ")"
		}
		// "adsim: run: found ...": main prints the "adsim: ".
		path := strings.TrimPrefix(cmd.CommandPath(), cmd.Root().Name()+" ")
		return badInput(fmt.Errorf("%s: found %s, expected %s (usage: %s)", path, found, want, cmd.UseLine()))
	}
}

// plural is "1 argument", "2 arguments".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
