package mc

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
)

// StoppedIntervalReached is Manifest.Stopped of a run that --until-ci stopped: its interval
// reached the target after Done replications, so the directory is complete with fewer rows
// than planned.
const StoppedIntervalReached = "interval reached"

// Complete reports whether the directory holds all the replications its run will ever have:
// every planned one, or those up to where --until-ci stopped it.
func (m *Manifest) Complete() bool {
	return m.Done >= m.Reps.Len() || m.Stopped != ""
}

// ReadManifest reads DIR/manifest.json. A file that is not JSON, a field of the wrong type and
// a manifest that contradicts itself are errors with the file, line and column and what was
// expected there.
func ReadManifest(dir string) (*Manifest, error) {
	path := filepath.Join(dir, ManifestJSON)
	data, err := os.ReadFile(path)
	if err != nil {
		fi, derr := os.Stat(dir)
		if errors.Is(derr, os.ErrNotExist) {
			return nil, fmt.Errorf("%s is not an adsim mc output directory: there is no such directory", dir)
		}
		if derr == nil && !fi.IsDir() {
			return nil, fmt.Errorf("%s is a file; expected an adsim mc output directory (the DIR of adsim mc --out DIR)", dir)
		}
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%s is not an adsim mc output directory: it has no %s", dir, ManifestJSON)
		}
		return nil, fmt.Errorf("%s is not a readable adsim mc output directory: %w", dir, err)
	}
	return parseManifest(path, data)
}

// parseManifest reads manifest.json's bytes data, read from path (which its errors name, at
// line:column).
func parseManifest(path string, data []byte) (*Manifest, error) {
	var m Manifest
	dec := json.NewDecoder(bytes.NewReader(data))
	// A key adsim does not know is most likely a misspelt one ("untilci"): ignored, the run
	// would go on without what it says. Every key any adsim has written is still a field.
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return nil, jsonError(path, data, dec.InputOffset(), err)
	}
	// The position is that of the first byte after the object that is not white space, where a
	// reader looks (the decoder's own offset is past what it read of it).
	if rest := bytes.TrimLeft(data[dec.InputOffset():], " \t\r\n"); len(rest) > 0 {
		return nil, fmt.Errorf("%s:%s: found more after the manifest's object; expected the end of the file", path, lineCol(data, int64(len(data)-len(rest))))
	}
	if key, err := m.check(); err != nil {
		return nil, fmt.Errorf("%s:%s: the manifest is inconsistent: %v", path, lineCol(data, keyOffset(data, key)), err)
	}
	return &m, nil
}

// check returns what contradicts the rest of the manifest, and the top-level key it is at.
func (m *Manifest) check() (key string, err error) {
	switch {
	case m.Format != ManifestFormat:
		return "format", fmt.Errorf("format %q; expected %q", m.Format, ManifestFormat)
	case m.Fingerprint == "":
		return "fingerprint", errors.New("no fingerprint; expected the study's")
	case len(m.Columns) < 2:
		return "columns", fmt.Errorf("%d columns; expected the row columns, rep and seed first", len(m.Columns))
	case m.Reps.Start > m.Reps.End || m.Reps.End > m.Total || (m.Reps.Len() == 0 && m.Shard == nil):
		// Only a shard may be empty: one that -n leaves no replications (ParseShard).
		return "reps", fmt.Errorf("replications %s; expected a non-empty range within the study's %d (empty only for a shard)", m.Reps, m.Total)
	case m.Done > m.Reps.Len():
		return "done", fmt.Errorf("done %d, but the directory is planned for %d replications %s; expected at most %d (was the file edited?)", m.Done, m.Reps.Len(), m.Reps, m.Reps.Len())
	case m.Shard != nil && (m.Shard.Count == 0 || m.Shard.Index >= m.Shard.Count):
		return "shard", fmt.Errorf("shard %s; expected I/N with 0 ≤ I < N", m.Shard)
	case m.Shard != nil && m.Shard.Range(m.Total) != m.Reps:
		return "reps", fmt.Errorf("replications %s, but shard %s of %d holds %s", m.Reps, m.Shard, m.Total, m.Shard.Range(m.Total))
	case m.UntilCI < 0 || m.UntilCI >= 1 || math.IsNaN(m.UntilCI):
		return "until_ci", fmt.Errorf("until_ci %g; expected a half-width from 0 (none) to below 1", m.UntilCI)
	case m.UntilCI > 0 && m.CheckEvery == 0:
		return "check_every", errors.New("no check_every with until_ci; expected at least 1 replication between checks")
	case m.Stopped != "" && m.Stopped != StoppedIntervalReached:
		return "stopped", fmt.Errorf("stopped %q; expected %q or none", m.Stopped, StoppedIntervalReached)
	case m.Stopped != "" && (m.UntilCI == 0 || m.Done == 0 || m.Done%m.CheckEvery != 0):
		return "stopped", fmt.Errorf("stopped %q after %d replications, but that is not a check of until_ci %g every %d", m.Stopped, m.Done, m.UntilCI, m.CheckEvery)
	}
	return "", nil
}

// jsonError turns a decoding error of manifest.json into one with the file's line and column
// and, for a value of the wrong type, the field and the type expected.
func jsonError(path string, data []byte, at int64, err error) error {
	return jsonErrorIn(path, "an adsim mc manifest", "the manifest", data, at, err)
}

// jsonErrorIn is jsonError for any JSON file of adsim: object says what the file should hold
// ("an adsim mc manifest"), rest what a cut-short file lacks the rest of ("the manifest").
func jsonErrorIn(path, object, rest string, data []byte, at int64, err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF) && len(bytes.TrimSpace(data)) == 0:
		return fmt.Errorf("%s:1:1: the file is empty; expected a JSON object (%s)", path, object)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("%s:%s: the file ends in the middle of the JSON; expected the rest of %s (cut short?)", path, lineCol(data, int64(len(data))), rest)
	case errors.As(err, &se):
		// Offset counts the byte that is wrong: the position is that byte's.
		return fmt.Errorf("%s:%s: %v", path, lineCol(data, se.Offset-1), se)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		// DisallowUnknownFields' error has no type of its own; its text names the key.
		key, _ := strconv.Unquote(strings.TrimPrefix(err.Error(), "json: unknown field "))
		return fmt.Errorf("%s:%s: found the key %q, which an adsim mc manifest does not have (misspelt?); expected only %s", path, lineCol(data, anyKeyOffset(data, key)), key, manifestKeys)
	case errors.As(err, &te):
		// Offset is where the value ends; its start is what a reader looks for. A value met
		// inside a type's own UnmarshalJSON has its offset in that value only: it is found
		// again by its fields.
		at := valueStart(data, te.Offset)
		kind, _, _ := strings.Cut(te.Value, " ") // "number -5": a number
		if off, ok := typedOffset(data, strings.Split(te.Field, "."), kind); ok && te.Field != "" {
			at = off
		}
		return fmt.Errorf("%s:%s: %s: found %s; expected %s", path, lineCol(data, at), te.Field, article(te.Value), typeName(te.Type))
	}
	return fmt.Errorf("%s:%s: %w", path, lineCol(data, at), err)
}

// valueStart is the offset of the start of the JSON value that ends at end.
func valueStart(data []byte, end int64) int64 {
	end = min(end, int64(len(data)))
	for i := end - 1; i >= 0; i-- {
		if data[i] == ':' || data[i] == '[' || (data[i] == ',' && !inString(data[:i])) {
			j := i + 1
			for j < end && (data[j] == ' ' || data[j] == '\n' || data[j] == '\t' || data[j] == '\r') {
				j++
			}
			return j
		}
	}
	return end
}

// inString reports whether the end of b lies inside a JSON string.
func inString(b []byte) bool {
	in := false
	for i := 0; i < len(b); i++ {
		switch {
		case in && b[i] == '\\':
			i++
		case b[i] == '"':
			in = !in
		}
	}
	return in
}

func article(v string) string {
	switch v {
	case "object", "array", "string", "number":
		if v == "object" || v == "array" {
			return "an " + v
		}
		return "a " + v
	}
	return v // "bool", "number -5", ...
}

// typeName says in words what a Go type accepts in JSON.
func typeName(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number of at least 0"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice, reflect.Array:
		return "an array of " + typeName(t.Elem()) + "s"
	case reflect.Struct, reflect.Map:
		return "an object"
	}
	return t.String()
}

// lineCol is "line:column" (from 1, column in bytes) of the byte offset off in data.
func lineCol(data []byte, off int64) string {
	off = max(0, min(off, int64(len(data))))
	line := 1 + bytes.Count(data[:off], []byte{'\n'})
	col := off - int64(bytes.LastIndexByte(data[:off], '\n'))
	return fmt.Sprintf("%d:%d", line, col)
}

// manifestKeys lists the top-level keys of a manifest, for the error of an unknown one.
var manifestKeys = func() string {
	t := reflect.TypeFor[Manifest]()
	var keys []string
	for i := 0; i < t.NumField(); i++ {
		k, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		keys = append(keys, k)
	}
	return strings.Join(keys, ", ")
}()

// anyKeyOffset is the offset of the first key named key of any object, at any depth, of the
// JSON in data (0 when absent): where an unknown key is.
func anyKeyOffset(data []byte, key string) int64 {
	dec := json.NewDecoder(bytes.NewReader(data))
	// Per open object or array: whether it is an object whose next token is a key.
	var inObject []bool
	expectKey := false
	for {
		before := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return 0
		}
		isKey := expectKey
		switch tok {
		case json.Delim('{'):
			inObject = append(inObject, true)
			expectKey = true
			continue
		case json.Delim('['):
			inObject = append(inObject, false)
			expectKey = false
			continue
		case json.Delim('}'), json.Delim(']'):
			inObject = inObject[:len(inObject)-1]
			isKey = false // the object or array closed was a value
		default:
			if k, ok := tok.(string); ok && isKey && k == key {
				return before + int64(bytes.IndexByte(data[before:], '"'))
			}
		}
		// After a key comes its value; after a value, a key when in an object.
		expectKey = !isKey && len(inObject) > 0 && inObject[len(inObject)-1]
	}
}

// keyOffset is the offset of the top-level key of the JSON object in data (0 when absent).
func keyOffset(data []byte, key string) int64 {
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return 0
	}
	for dec.More() {
		before := dec.InputOffset() // the end of the previous value: the key's quote follows
		tok, err := dec.Token()
		if err != nil {
			return 0
		}
		if k, _ := tok.(string); k == key {
			return before + int64(bytes.IndexByte(data[before:], '"'))
		}
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return 0
		}
	}
	return 0
}
