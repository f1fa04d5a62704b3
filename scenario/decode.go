package scenario

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"
)

// This file decodes YAML into the Go types of types.go by walking the goccy AST alongside the
// struct types with reflection. Doing it ourselves (rather than with yaml.Unmarshal) lets us
// collect every unknown field and type mismatch at once, each with its exact position, and
// remember where every path was found for the semantic checks that follow.

// pos is a 1-based line and column; the zero pos means unknown.
type pos struct{ line, col int }

// index maps YAML paths ("sensors[0].ref_range_km") to the position of their key (map entries)
// or of the item itself (sequence items).
type index map[string]pos

// has reports whether path was present in the file.
func (ix index) has(path string) bool {
	_, ok := ix[path]
	return ok
}

// at returns the position of path, or of its nearest present ancestor.
func (ix index) at(path string) pos {
	for {
		if p, ok := ix[path]; ok {
			return p
		}
		if path == "" {
			return pos{}
		}
		path = parentPath(path)
	}
}

// parentPath strips the last ".field" or "[i]" of a path.
func parentPath(path string) string {
	i := strings.LastIndexAny(path, ".[")
	if i < 0 {
		return ""
	}
	return path[:i]
}

// joinPath appends a field name to a path.
func joinPath(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// indexPath appends a sequence index to a path.
func indexPath(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

const (
	maxDepth      = 64      // nesting deeper than this is an error (also stops alias cycles)
	maxNodeVisits = 1 << 20 // guards against alias expansion bombs and huge documents
	// maxFlowDepth bounds the nesting of flow collections ([ and {) that the YAML parser is
	// given: its time and memory grow with the square of that depth (100,000 brackets, a file
	// of 200 KB, took 15 GB), and nesting deeper than maxDepth is refused anyway.
	maxFlowDepth = 4 * maxDepth
	// maxFileBytes bounds the size of a file the YAML parser is given: it takes some 130 times
	// a file's size in memory (40 MB took 5.7 GB), and a file of maxNodeVisits values written
	// densely is some 4 MB.
	maxFileBytes = 16 << 20
)

// decoder holds the state of decoding one file.
type decoder struct {
	file    string
	errs    ErrorList
	ix      index
	aliases map[*ast.AliasNode]ast.Node
	fields  map[reflect.Type][]fieldInfo
	budget  int
	// plainFigures records the paths of figures written as a plain number.
	plainFigures map[string]bool
	// bad records the paths that had a decoding error, so that semantic checks skip them.
	bad       map[string]bool
	exhausted bool
}

func newDecoder(file string) *decoder {
	return &decoder{
		file:         file,
		ix:           index{},
		aliases:      map[*ast.AliasNode]ast.Node{},
		fields:       map[reflect.Type][]fieldInfo{},
		budget:       maxNodeVisits,
		plainFigures: map[string]bool{},
		bad:          map[string]bool{},
	}
}

// add records an error at p.
func (d *decoder) add(p pos, path, found, expected, hint string) {
	d.bad[path] = true
	d.errs = append(d.errs, &Error{File: d.file, Line: p.line, Col: p.col, Path: path,
		Found: found, Expected: expected, Hint: hint})
}

// decodeBytes parses data and decodes its single document into out (a pointer to a struct).
// what names the document's content for messages ("a scenario", "a catalog").
func (d *decoder) decodeBytes(data []byte, out any, what string) {
	if len(data) > maxFileBytes {
		d.add(pos{1, 1}, "", fmt.Sprintf("a file of %d bytes", len(data)),
			fmt.Sprintf("a file of at most %d bytes (16 MiB)", maxFileBytes), "")
		return
	}
	if p, ok := flowTooDeep(data); ok {
		d.add(p, "", fmt.Sprintf("[ and { nested more than %d levels deep", maxFlowDepth),
			fmt.Sprintf("a scenario (nested at most %d levels)", maxDepth), "is a bracket left open?")
		return
	}
	f, err := safeParse(data)
	if err != nil {
		d.syntaxError(err)
		return
	}
	var bodies []*ast.DocumentNode
	for _, doc := range f.Docs {
		if doc != nil && doc.Body != nil {
			bodies = append(bodies, doc)
		}
	}
	if len(bodies) == 0 {
		found := "an empty file"
		if len(bytes.TrimSpace(data)) > 0 {
			found = "a file of comments only" // a file cut short in its header, or all commented out
		}
		d.add(pos{1, 1}, "", found, what, "see docs/scenario.md for a complete example")
		return
	}
	for _, doc := range bodies[1:] {
		p := posOf(doc.Body)
		if doc.Start != nil {
			p = tokenPos(doc.Start)
		}
		d.add(p, "", "a second YAML document", "a single document per file", "")
	}
	root := bodies[0].Body
	d.collectAnchors(root)
	rp := posOf(d.resolve(root))
	if rp == (pos{}) {
		rp = pos{1, 1}
	}
	d.ix[""] = rp
	d.decode(root, reflect.ValueOf(out).Elem(), "", rp, 0)
}

// flowTooDeep reports the position of the first [ or { of data that opens a flow collection
// more than maxFlowDepth levels deep, before the YAML parser sees it. It skips comments and
// quoted text; brackets in plain text count, which only matters past maxFlowDepth of them.
func flowTooDeep(data []byte) (pos, bool) {
	line, col, depth := 1, 0, 0
	var quote byte // the quote of the quoted text being skipped, or 0
	prev := byte('\n')
	for i := 0; i < len(data); i++ {
		c := data[i]
		if c&0xC0 != 0x80 {
			col++ // columns count characters, as the YAML parser's do, not UTF-8 bytes
		}
		if c == '\n' {
			line, col = line+1, 0
		}
		switch {
		case quote == '"' && c == '\\':
			i++ // an escape: the next byte is text
			col++
		case quote != 0:
			if c == quote {
				if quote == '\'' && i+1 < len(data) && data[i+1] == '\'' {
					i++ // '' is a quote within single-quoted text
					col++
				} else {
					quote = 0
				}
			}
		case c == '#' && isBlankOrBreak(prev):
			for i+1 < len(data) && data[i+1] != '\n' {
				i++
			}
		case (c == '"' || c == '\'') && (isBlankOrBreak(prev) || strings.IndexByte("[{,:", prev) >= 0):
			quote = c
		case c == '[' || c == '{':
			if depth++; depth > maxFlowDepth {
				return pos{line, col}, true
			}
		case c == ']' || c == '}':
			depth = max(depth-1, 0)
		}
		prev = c
	}
	return pos{}, false
}

// isBlankOrBreak reports whether c is a space, a tab or a line break.
func isBlankOrBreak(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// safeParse runs the goccy parser, turning a panic inside it into an error.
func safeParse(data []byte) (f *ast.File, err error) {
	defer func() {
		if r := recover(); r != nil {
			f, err = nil, fmt.Errorf("YAML parser failure: %v", r)
		}
	}()
	return parser.ParseBytes(data, 0, parser.AllowDuplicateMapKey())
}

// syntaxError converts a goccy parse error into an Error with its position.
func (d *decoder) syntaxError(err error) {
	type tokenError interface {
		GetToken() *token.Token
		GetMessage() string
	}
	var te tokenError
	if errors.As(err, &te) {
		p := tokenPos(te.GetToken())
		if p == (pos{}) {
			p = pos{1, 1}
		}
		d.add(p, "", "invalid YAML ("+te.GetMessage()+")", "well-formed YAML",
			"check indentation (spaces, not tabs), quotes and brackets around this point")
		return
	}
	msg, _, _ := strings.Cut(err.Error(), "\n")
	d.add(pos{1, 1}, "", "invalid YAML ("+msg+")", "well-formed YAML", "")
}

func tokenPos(tk *token.Token) pos {
	if tk == nil || tk.Position == nil {
		return pos{}
	}
	return pos{tk.Position.Line, tk.Position.Column}
}

// posOf returns the position that best identifies a node: the first key of a mapping, the
// value of an anchored or tagged node, the token otherwise.
func posOf(n ast.Node) pos {
	for i := 0; i < maxDepth && n != nil; i++ {
		switch t := n.(type) {
		case *ast.MappingNode:
			if len(t.Values) > 0 && t.Values[0] != nil && t.Values[0].Key != nil {
				return tokenPos(t.Values[0].Key.GetToken())
			}
			return tokenPos(t.Start)
		case *ast.MappingValueNode:
			if t.Key != nil {
				return tokenPos(t.Key.GetToken())
			}
			return tokenPos(t.Start)
		case *ast.AnchorNode:
			n = t.Value
		case *ast.TagNode:
			n = t.Value
		default:
			if isNil(n) {
				return pos{}
			}
			return tokenPos(n.GetToken())
		}
	}
	return pos{}
}

// isNil reports whether an interface holds a nil pointer.
func isNil(n ast.Node) bool {
	if n == nil {
		return true
	}
	v := reflect.ValueOf(n)
	return v.Kind() == reflect.Pointer && v.IsNil()
}

// collectAnchors walks the document in order, binding each alias to the anchor defined most
// recently before it.
func (d *decoder) collectAnchors(root ast.Node) {
	anchors := map[string]ast.Node{}
	var walk func(n ast.Node, depth int)
	walk = func(n ast.Node, depth int) {
		if isNil(n) || depth > maxDepth {
			return
		}
		switch t := n.(type) {
		case *ast.MappingNode:
			for _, mv := range t.Values {
				walk(mv, depth+1)
			}
		case *ast.MappingValueNode:
			if t.Key != nil {
				walk(t.Key, depth+1)
			}
			walk(t.Value, depth+1)
		case *ast.MappingKeyNode:
			walk(t.Value, depth+1)
		case *ast.SequenceNode:
			for _, v := range t.Values {
				walk(v, depth+1)
			}
		case *ast.TagNode:
			walk(t.Value, depth+1)
		case *ast.AnchorNode:
			walk(t.Value, depth+1)
			if name := nodeText(t.Name); name != "" {
				anchors[name] = t.Value
			}
		case *ast.AliasNode:
			if target, ok := anchors[nodeText(t.Value)]; ok {
				d.aliases[t] = target
			}
		}
	}
	walk(root, 0)
}

// nodeText returns the source text of a scalar node's token.
func nodeText(n ast.Node) string {
	if isNil(n) {
		return ""
	}
	if s, ok := n.(*ast.StringNode); ok {
		return s.Value
	}
	if tk := n.GetToken(); tk != nil {
		return tk.Value
	}
	return ""
}

// resolve follows anchors, aliases and tags to the node that holds the value. It returns the
// unresolvable *ast.AliasNode itself when an alias has no anchor.
func (d *decoder) resolve(n ast.Node) ast.Node {
	for i := 0; i < maxDepth; i++ {
		if isNil(n) {
			return nil
		}
		switch t := n.(type) {
		case *ast.AnchorNode:
			n = t.Value
		case *ast.TagNode:
			n = t.Value
		case *ast.AliasNode:
			target, ok := d.aliases[t]
			if !ok {
				return t
			}
			n = target
		default:
			return n
		}
	}
	return nil
}

// hasStrTag reports whether the node carries an explicit !!str tag.
func hasStrTag(n ast.Node) bool {
	t, ok := n.(*ast.TagNode)
	return ok && t.Start != nil && (t.Start.Value == "!!str" || t.Start.Value == "tag:yaml.org,2002:str")
}

// fieldInfo describes one YAML field of a struct, with inline structs flattened.
type fieldInfo struct {
	name     string
	index    []int
	typ      reflect.Type
	required bool
}

// structFields returns the YAML fields of struct type t.
func (d *decoder) structFields(t reflect.Type) []fieldInfo {
	if fs, ok := d.fields[t]; ok {
		return fs
	}
	var fs []fieldInfo
	var walk func(t reflect.Type, prefix []int)
	walk = func(t reflect.Type, prefix []int) {
		for i := 0; i < t.NumField(); i++ {
			sf := t.Field(i)
			tag := sf.Tag.Get("yaml")
			name, opts, _ := strings.Cut(tag, ",")
			idx := append(append([]int(nil), prefix...), i)
			if strings.Contains(opts, "inline") && sf.Type.Kind() == reflect.Struct {
				walk(sf.Type, idx)
				continue
			}
			if !sf.IsExported() || name == "-" {
				continue
			}
			if name == "" {
				name = strings.ToLower(sf.Name)
			}
			fs = append(fs, fieldInfo{name: name, index: idx, typ: sf.Type,
				required: !strings.Contains(opts, "omitempty")})
		}
	}
	walk(t, nil)
	d.fields[t] = fs
	return fs
}

var figureType = reflect.TypeOf(Figure{})

// decode decodes node n into v. path is n's YAML path and at the position that errors about
// it are reported at.
func (d *decoder) decode(n ast.Node, v reflect.Value, path string, at pos, depth int) {
	if !d.spend(at, path) {
		return
	}
	if depth > maxDepth {
		d.add(at, path, "nesting deeper than "+strconv.Itoa(maxDepth)+" levels", "a scenario",
			"check for an alias that refers to itself")
		return
	}
	raw := n
	n = d.resolve(n)
	if al, ok := n.(*ast.AliasNode); ok {
		d.add(at, path, "alias *"+nodeText(al.Value)+" with no anchor before it",
			"an alias to an anchor (&"+nodeText(al.Value)+") defined earlier in the file", "")
		return
	}
	if isNil(n) {
		d.add(at, path, "nothing", describeType(v.Type(), lastName(path)), "")
		return
	}
	t := v.Type()
	switch {
	case t == figureType:
		if isNumberNode(n) {
			f, ok := d.number(n, path, at, lastName(path))
			if ok {
				v.Field(0).SetFloat(f)
				d.plainFigures[path] = true
			}
			return
		}
		if _, isMap := asMapping(n); isMap {
			d.decodeStruct(n, v, path, at, depth)
			return
		}
		d.typeError(n, v.Type(), path, at)
	case t.Kind() == reflect.Pointer:
		if _, ok := n.(*ast.NullNode); ok {
			d.typeError(n, t, path, at)
			return
		}
		nv := reflect.New(t.Elem())
		d.decode(n, nv.Elem(), path, at, depth)
		v.Set(nv)
	case t.Kind() == reflect.Struct:
		if _, ok := asMapping(n); !ok {
			d.typeError(n, t, path, at)
			return
		}
		d.decodeStruct(n, v, path, at, depth)
	case t.Kind() == reflect.Slice:
		seq, ok := n.(*ast.SequenceNode)
		if !ok {
			d.typeError(n, t, path, at)
			return
		}
		s := reflect.MakeSlice(t, len(seq.Values), len(seq.Values))
		for i, item := range seq.Values {
			ip := indexPath(path, i)
			p := posOf(d.resolve(item))
			if p == (pos{}) {
				p = posOf(item)
			}
			if p == (pos{}) {
				p = at
			}
			d.ix[ip] = p
			d.decode(item, s.Index(i), ip, p, depth+1)
		}
		v.Set(s)
	case t.Kind() == reflect.Map:
		if _, ok := asMapping(n); !ok {
			d.typeError(n, t, path, at)
			return
		}
		m := reflect.MakeMap(t)
		for _, e := range d.entries(n, path, depth) {
			kp := joinPath(path, e.key)
			d.ix[kp] = e.at
			ev := reflect.New(t.Elem()).Elem()
			d.decode(e.value, ev, kp, e.at, depth+1)
			m.SetMapIndex(reflect.ValueOf(e.key).Convert(t.Key()), ev)
		}
		v.Set(m)
	case t.Kind() == reflect.String:
		switch s := n.(type) {
		case *ast.StringNode:
			v.SetString(s.Value)
		case *ast.LiteralNode:
			if s.Value != nil {
				v.SetString(s.Value.Value)
			}
		default:
			if hasStrTag(raw) && isScalar(n) {
				v.SetString(nodeText(n))
				return
			}
			d.typeError(n, t, path, at)
		}
	case t.Kind() == reflect.Bool:
		b, ok := n.(*ast.BoolNode)
		if !ok {
			hint := ""
			if s, isStr := n.(*ast.StringNode); isStr && (strings.EqualFold(s.Value, "true") || strings.EqualFold(s.Value, "false")) {
				hint = "write it without quotes"
			}
			d.add(at, path, describeNode(n), describeType(t, lastName(path)), hint)
			return
		}
		v.SetBool(b.Value)
	case t.Kind() == reflect.Float64:
		if f, ok := d.number(n, path, at, lastName(path)); ok {
			v.SetFloat(f)
		}
	case t.Kind() == reflect.Int || t.Kind() == reflect.Uint64:
		in, ok := n.(*ast.IntegerNode)
		if !ok {
			hint := ""
			if fl, isFloat := n.(*ast.FloatNode); isFloat && fl.Value == math.Trunc(fl.Value) {
				hint = "write it without a decimal point"
			}
			d.add(at, path, describeNode(n), describeType(t, lastName(path)), hint)
			return
		}
		switch x := in.Value.(type) {
		case int64:
			if t.Kind() == reflect.Uint64 && x < 0 {
				d.add(at, path, describeNode(n), describeType(t, lastName(path)), "")
				return
			}
			if t.Kind() == reflect.Int {
				v.SetInt(x)
			} else {
				v.SetUint(uint64(x))
			}
		case uint64:
			if t.Kind() == reflect.Int {
				if x > math.MaxInt64 {
					d.add(at, path, describeNode(n), "an integer that fits in 64 bits", "")
					return
				}
				v.SetInt(int64(x))
				return
			}
			v.SetUint(x)
		default:
			d.add(at, path, describeNode(n), describeType(t, lastName(path)), "")
		}
	default:
		d.add(at, path, describeNode(n), "a value this version of adsim can read", "")
	}
}

// spend counts one node visit against the budget; it reports false (once with an error) when
// the budget is exhausted.
func (d *decoder) spend(at pos, path string) bool {
	if d.exhausted {
		return false
	}
	d.budget--
	if d.budget < 0 {
		d.exhausted = true
		if len(d.aliases) > 0 {
			d.add(at, path, "a document that expands to too many nodes", "a smaller file",
				"aliases (*name) and merge keys (<<) that expand to huge trees are not supported")
		} else {
			d.add(at, path, fmt.Sprintf("a document of more than %d values", maxNodeVisits),
				fmt.Sprintf("a smaller file (at most %d values)", maxNodeVisits), "")
		}
		return false
	}
	return true
}

// number reads a finite number from n.
func (d *decoder) number(n ast.Node, path string, at pos, name string) (float64, bool) {
	switch x := n.(type) {
	case *ast.IntegerNode:
		switch i := x.Value.(type) {
		case int64:
			return float64(i), true
		case uint64:
			return float64(i), true
		}
	case *ast.FloatNode:
		if !math.IsInf(x.Value, 0) && !math.IsNaN(x.Value) {
			return x.Value, true
		}
	case *ast.InfinityNode, *ast.NanNode:
		d.add(at, path, describeNode(n), "a finite number"+unitSuffix(name), "")
		return 0, false
	case *ast.StringNode:
		quoted := x.Token != nil && (x.Token.Type == token.SingleQuoteType || x.Token.Type == token.DoubleQuoteType)
		if !quoted && coreFloat.MatchString(x.Value) {
			// A plain scalar such as 1e-6 or 2E3: a float in YAML 1.2's core schema (and in
			// JSON), which the YAML parser, following YAML 1.1, reads as text for want of a dot.
			if f, err := strconv.ParseFloat(x.Value, 64); err == nil {
				return f, true
			}
			d.add(at, path, x.Value, "a finite number"+unitSuffix(name), "")
			return 0, false
		}
		hint := ""
		if _, err := strconv.ParseFloat(strings.TrimSpace(x.Value), 64); err == nil && quoted {
			hint = "remove the quotes"
		} else if num, unit, ok := splitNumberUnit(x.Value); ok {
			hint = fmt.Sprintf("write the number alone (%s); the unit is in the field name", num)
			_ = unit
		}
		d.add(at, path, describeNode(n), "a number"+unitSuffix(name), hint)
		return 0, false
	}
	d.add(at, path, describeNode(n), "a number"+unitSuffix(name), "")
	return 0, false
}

// coreFloat is the float of YAML 1.2's core schema (§10.3.2), exponent form included.
var coreFloat = regexp.MustCompile(`^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`)

// splitNumberUnit recognises text such as "300 km" or "40km".
func splitNumberUnit(s string) (num, unit string, ok bool) {
	s = strings.TrimSpace(s)
	i := strings.IndexFunc(s, func(r rune) bool {
		return !(r >= '0' && r <= '9' || r == '.' || r == '-' || r == '+' || r == 'e' || r == 'E')
	})
	if i <= 0 {
		return "", "", false
	}
	if _, err := strconv.ParseFloat(s[:i], 64); err != nil {
		return "", "", false
	}
	return s[:i], strings.TrimSpace(s[i:]), true
}

func isNumberNode(n ast.Node) bool {
	switch n.(type) {
	case *ast.IntegerNode, *ast.FloatNode, *ast.InfinityNode, *ast.NanNode:
		return true
	}
	return false
}

func isScalar(n ast.Node) bool {
	switch n.(type) {
	case *ast.MappingNode, *ast.MappingValueNode, *ast.SequenceNode:
		return false
	}
	return true
}

// asMapping reports whether n is a mapping.
func asMapping(n ast.Node) (ast.Node, bool) {
	switch n.(type) {
	case *ast.MappingNode, *ast.MappingValueNode:
		return n, true
	}
	return nil, false
}

// typeError reports that node n cannot be decoded into type t.
func (d *decoder) typeError(n ast.Node, t reflect.Type, path string, at pos) {
	hint := ""
	if t.Kind() == reflect.String && isScalar(n) {
		hint = fmt.Sprintf("quote it: %q", nodeText(n))
	}
	if _, ok := n.(*ast.NullNode); ok {
		switch t.Kind() {
		case reflect.Slice:
			hint = "write [] for an empty list, or remove the key"
		case reflect.Struct, reflect.Pointer, reflect.Map:
			hint = "give the fields, or remove the key"
		}
	}
	d.add(at, path, describeNode(n), describeType(t, lastName(path)), hint)
}

// entry is one key/value pair of a mapping.
type entry struct {
	key   string
	at    pos
	value ast.Node
}

// entries returns the key/value pairs of a mapping node, expanding merge keys (<<) and
// reporting duplicate and non-scalar keys.
func (d *decoder) entries(n ast.Node, path string, depth int) []entry {
	var explicit, merged []entry
	var mvs []*ast.MappingValueNode
	switch t := n.(type) {
	case *ast.MappingNode:
		mvs = t.Values
	case *ast.MappingValueNode:
		mvs = []*ast.MappingValueNode{t}
	}
	seen := map[string]pos{}
	for _, mv := range mvs {
		if mv == nil || isNil(mv.Key) || !d.spend(posOf(mv.Key), path) {
			continue
		}
		if mv.Key.IsMergeKey() {
			merged = append(merged, d.mergeEntries(mv, path, depth)...)
			continue
		}
		kn := d.resolve(mv.Key)
		if mk, ok := kn.(*ast.MappingKeyNode); ok {
			kn = d.resolve(mk.Value)
		}
		kp := posOf(mv.Key)
		if isNil(kn) || !isScalar(kn) {
			d.add(kp, path, "a complex mapping key", "a plain field name", "")
			continue
		}
		key := nodeText(kn)
		if first, dup := seen[key]; dup {
			d.add(kp, joinPath(path, key), fmt.Sprintf("a second %q key", key),
				"each key once per mapping", fmt.Sprintf("first given at line %d", first.line))
			continue
		}
		seen[key] = kp
		explicit = append(explicit, entry{key: key, at: kp, value: mv.Value})
	}
	for _, e := range merged {
		if _, ok := seen[e.key]; ok {
			continue
		}
		seen[e.key] = e.at
		explicit = append(explicit, e)
	}
	return explicit
}

// mergeEntries returns the entries merged in by a "<<" key.
func (d *decoder) mergeEntries(mv *ast.MappingValueNode, path string, depth int) []entry {
	if depth > maxDepth {
		return nil
	}
	src := d.resolve(mv.Value)
	var maps []ast.Node
	switch t := src.(type) {
	case *ast.MappingNode, *ast.MappingValueNode:
		maps = append(maps, t)
	case *ast.SequenceNode:
		for _, item := range t.Values {
			maps = append(maps, d.resolve(item))
		}
	}
	var out []entry
	for _, m := range maps {
		if _, ok := asMapping(m); !ok {
			d.add(posOf(mv.Key), path, "a merge key (<<) whose value is not a mapping",
				"<<: *anchor of a mapping, or a list of them", "")
			continue
		}
		out = append(out, d.entries(m, path, depth+1)...)
	}
	return out
}

// decodeStruct decodes a mapping into struct value v, reporting unknown and missing fields.
func (d *decoder) decodeStruct(n ast.Node, v reflect.Value, path string, at pos, depth int) {
	fields := d.structFields(v.Type())
	byName := make(map[string]*fieldInfo, len(fields))
	names := make([]string, len(fields))
	for i := range fields {
		byName[fields[i].name] = &fields[i]
		names[i] = fields[i].name
	}
	given := map[string]bool{}
	for _, e := range d.entries(n, path, depth) {
		fp := joinPath(path, e.key)
		f, ok := byName[e.key]
		if !ok {
			d.add(e.at, fp, fmt.Sprintf("unknown field %q", e.key),
				"a field of "+typeNoun(v.Type()), fieldHint(e.key, names))
			continue
		}
		given[e.key] = true
		d.ix[fp] = e.at
		d.decode(e.value, v.FieldByIndex(f.index), fp, e.at, depth+1)
	}
	for _, f := range fields {
		if f.required && !given[f.name] {
			d.add(at, joinPath(path, f.name), fmt.Sprintf("no %q", f.name),
				fmt.Sprintf("the required field %q: %s", f.name, describeType(f.typ, f.name)), "")
		}
	}
}

// lastName returns the last field name of a path ("ref_range_km" for
// "sensors[0].ref_range_km"), without any index.
func lastName(path string) string {
	path = strings.TrimRight(path, "]0123456789[")
	if i := strings.LastIndexByte(path, '.'); i >= 0 {
		return path[i+1:]
	}
	return path
}

// describeNode says what a node is, for "found ...".
func describeNode(n ast.Node) string {
	switch t := n.(type) {
	case *ast.NullNode:
		return "no value (null)"
	case *ast.IntegerNode, *ast.FloatNode, *ast.InfinityNode, *ast.NanNode:
		return nodeText(n)
	case *ast.StringNode:
		return fmt.Sprintf("text %q", t.Value)
	case *ast.LiteralNode:
		return "a block of text"
	case *ast.BoolNode:
		return fmt.Sprintf("boolean %v", t.Value)
	case *ast.MappingNode, *ast.MappingValueNode:
		return "a mapping"
	case *ast.SequenceNode:
		return "a list"
	}
	return "a " + strings.TrimSuffix(strings.TrimPrefix(fmt.Sprintf("%T", n), "*ast."), "Node")
}

// typeNoun names a struct type for messages.
func typeNoun(t reflect.Type) string {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	switch t {
	case reflect.TypeOf(Scenario{}):
		return "a scenario"
	case reflect.TypeOf(Point{}):
		return "a point (lat_deg, lon_deg, alt_m)"
	case reflect.TypeOf(C2{}):
		return "c2"
	case reflect.TypeOf(Asset{}):
		return "an asset"
	case reflect.TypeOf(Rooftop{}):
		return "rooftop"
	case reflect.TypeOf(Surroundings{}):
		return "surroundings"
	case reflect.TypeOf(RadarSpec{}):
		return "a radar override"
	case reflect.TypeOf(Sensor{}):
		return "a sensor"
	case reflect.TypeOf(FireUnit{}):
		return "a fire unit"
	case reflect.TypeOf(Raid{}):
		return "a raid"
	case figureType:
		return "a figure (value, source, assumption)"
	case reflect.TypeOf(Catalog{}):
		return "a catalog"
	case reflect.TypeOf(SystemClass{}):
		return "a system class"
	case reflect.TypeOf(RadarFigures{}):
		return "a radar class"
	case reflect.TypeOf(Weapon{}):
		return "a weapon"
	case reflect.TypeOf(ThreatClass{}):
		return "a threat class"
	}
	return "a mapping"
}

// describeType says what a value of type t named name should look like, for "expected ...".
func describeType(t reflect.Type, name string) string {
	if t == figureType {
		return "a number" + unitSuffix(name) + " or a mapping {value, source} / {value, assumption}"
	}
	switch t.Kind() {
	case reflect.Pointer:
		return describeType(t.Elem(), name)
	case reflect.Float64:
		return "a number" + unitSuffix(name)
	case reflect.Int:
		return "an integer"
	case reflect.Uint64:
		return "a non-negative integer"
	case reflect.String:
		return "text"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice:
		if t.Elem().Kind() == reflect.String {
			return "a list of ids"
		}
		return "a list of " + strings.TrimPrefix(strings.TrimPrefix(typeNoun(t.Elem()), "a "), "an ") + "s"
	case reflect.Map:
		if t.Elem().Kind() == reflect.Int {
			return "a mapping from weapon id to rounds"
		}
		return "a mapping from threat category to a figure"
	case reflect.Struct:
		return "a mapping (" + typeNoun(t) + ")"
	}
	return t.String()
}

// unitOf returns the unit a field name carries, or "".
func unitOf(name string) string {
	units := [...]struct{ suffix, unit string }{
		{"_kmh", "km/h"}, {"_mps", "m/s"}, {"_dbsm", "dBsm"}, {"_deg", "degrees"},
		{"_usd", "US dollars"}, {"_m2", "m²"}, {"_km", "km"}, {"_kg", "kg"}, {"_s", "s"}, {"_m", "m"},
	}
	for _, u := range units {
		if strings.HasSuffix(name, u.suffix) {
			return u.unit
		}
	}
	return ""
}

// unitSuffix returns " (unit)" for a field name that carries a unit.
func unitSuffix(name string) string {
	if u := unitOf(name); u != "" {
		return " (" + u + ")"
	}
	return ""
}
