package indicator

import (
	"fmt"
	"strings"
)

// The lexer and parser of STIX patterning (see stixpattern.go).

// --- the lexer ------------------------------------------------------------

type tokKind int

const (
	tEOF tokKind = iota
	tPunct
	tIdent
	tString
	tNumber
	tTyped // b'…', h'…', t'…'
)

type token struct {
	kind tokKind
	text string // for tString, the unescaped content; otherwise as written
	pos  int    // byte offset, for errors
}

func lexPattern(s string) ([]token, error) {
	var toks []token
	i := 0
	for i < len(s) {
		c := s[i]
		start := i
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '\'':
			v, n, err := lexString(s, i)
			if err != nil {
				return nil, err
			}
			toks = append(toks, token{tString, v, start})
			i = n
		case (c == 'b' || c == 'h' || c == 't') && i+1 < len(s) && s[i+1] == '\'':
			v, n, err := lexString(s, i+1)
			if err != nil {
				return nil, err
			}
			toks = append(toks, token{tTyped, string(c) + v, start})
			i = n
		case c == '-' || '0' <= c && c <= '9':
			j := i + 1
			for j < len(s) && ('0' <= s[j] && s[j] <= '9' || s[j] == '.') {
				j++
			}
			toks = append(toks, token{tNumber, s[i:j], start})
			i = j
		case c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
			j := i + 1
			for j < len(s) && (s[j] == '_' || s[j] == '-' || 'a' <= s[j] && s[j] <= 'z' || 'A' <= s[j] && s[j] <= 'Z' || '0' <= s[j] && s[j] <= '9') {
				j++
			}
			toks = append(toks, token{tIdent, s[i:j], start})
			i = j
		default:
			for _, op := range []string{"!=", "<=", ">=", "=", "<", ">", "[", "]", "(", ")", ":", ".", ",", "*"} {
				if strings.HasPrefix(s[i:], op) {
					toks = append(toks, token{tPunct, op, start})
					i += len(op)
					break
				}
			}
			if i == start {
				return nil, fmt.Errorf("unexpected %q at byte %d of the pattern", rune(c), i)
			}
		}
	}
	return append(toks, token{kind: tEOF, pos: len(s)}), nil
}

// lexString reads a quoted string starting at s[i] == '\” and returns its
// content and the offset after the closing quote. Only \' and \\ are
// escapes; any other backslash is an error, as the grammar says.
func lexString(s string, i int) (string, int, error) {
	var b strings.Builder
	for j := i + 1; j < len(s); j++ {
		switch s[j] {
		case '\'':
			return b.String(), j + 1, nil
		case '\\':
			if j+1 < len(s) && (s[j+1] == '\'' || s[j+1] == '\\') {
				b.WriteByte(s[j+1])
				j++
				continue
			}
			return "", 0, fmt.Errorf(`a backslash at byte %d of the pattern escapes neither ' nor \: write \\ for a backslash`, j)
		default:
			b.WriteByte(s[j])
		}
	}
	return "", 0, fmt.Errorf("the string that starts at byte %d of the pattern has no closing quote", i)
}

// --- the parser -----------------------------------------------------------

type patParser struct {
	toks  []token
	i     int
	depth int
}

func (p *patParser) peek() token { return p.toks[p.i] }
func (p *patParser) next() token {
	t := p.toks[p.i]
	if t.kind != tEOF {
		p.i++
	}
	return t
}

func (p *patParser) is(kind tokKind, text string) bool {
	t := p.peek()
	return t.kind == kind && t.text == text
}

func (p *patParser) errorf(t token, format string, args ...any) error {
	found := "the end of the pattern"
	if t.kind != tEOF {
		found = fmt.Sprintf("%q", t.text)
		if t.kind == tString {
			found = QuotePatternString(t.text)
		}
	}
	return fmt.Errorf("at byte %d of the pattern, found %s: %s", t.pos, found, fmt.Sprintf(format, args...))
}

func (p *patParser) enter() error {
	p.depth++
	if p.depth > MaxPatternDepth {
		return p.errorf(p.peek(), "nested more than %d levels deep", MaxPatternDepth)
	}
	return nil
}

// observations parses a FOLLOWEDBY/OR/AND chain of observation
// expressions by precedence climbing.
func (p *patParser) observations() (obsExpr, error) { return p.obsLevel(1) }

func (p *patParser) obsLevel(prec int) (obsExpr, error) {
	if prec > 3 {
		return p.observation()
	}
	l, err := p.obsLevel(prec + 1)
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
		if t.kind != tIdent || obsPrec[t.text] != prec {
			return l, nil
		}
		p.next()
		r, err := p.obsLevel(prec + 1)
		if err != nil {
			return nil, err
		}
		l = &obsBinary{op: t.text, l: l, r: r}
	}
}

func (p *patParser) observation() (obsExpr, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	var e obsExpr
	switch t := p.next(); {
	case t.kind == tPunct && t.text == "[":
		c, err := p.comparisons(1)
		if err != nil {
			return nil, err
		}
		if !p.is(tPunct, "]") {
			return nil, p.errorf(p.peek(), "expected AND, OR or ] to close the observation")
		}
		p.next()
		e = &obsBracket{c: c}
	case t.kind == tPunct && t.text == "(":
		inner, err := p.observations()
		if err != nil {
			return nil, err
		}
		if !p.is(tPunct, ")") {
			return nil, p.errorf(p.peek(), "expected ) to close the group")
		}
		p.next()
		e = inner // the tree keeps the grouping; String adds parentheses where needed
	default:
		return nil, p.errorf(t, "expected [ to start an observation, like [ipv4-addr:value = '198.51.100.7']")
	}
	for {
		q, ok, err := p.qualifier()
		if err != nil {
			return nil, err
		}
		if !ok {
			return e, nil
		}
		e = &obsQualified{e: e, qual: q}
	}
}

func (p *patParser) qualifier() (string, bool, error) {
	t := p.peek()
	if t.kind != tIdent {
		return "", false, nil
	}
	switch t.text {
	case "WITHIN":
		p.next()
		n := p.next()
		if n.kind != tNumber || strings.HasPrefix(n.text, "-") || !validNumber(n.text) {
			return "", false, p.errorf(n, "WITHIN needs a positive number of seconds")
		}
		if !p.is(tIdent, "SECONDS") {
			return "", false, p.errorf(p.peek(), "expected SECONDS after WITHIN %s", n.text)
		}
		p.next()
		return "WITHIN " + n.text + " SECONDS", true, nil
	case "REPEATS":
		p.next()
		n := p.next()
		if n.kind != tNumber || strings.ContainsAny(n.text, "-.") {
			return "", false, p.errorf(n, "REPEATS needs a positive whole number")
		}
		if !p.is(tIdent, "TIMES") {
			return "", false, p.errorf(p.peek(), "expected TIMES after REPEATS %s", n.text)
		}
		p.next()
		return "REPEATS " + n.text + " TIMES", true, nil
	case "START":
		p.next()
		a := p.next()
		if a.kind != tTyped || a.text[0] != 't' {
			return "", false, p.errorf(a, "START needs a timestamp like t'2026-01-01T00:00:00Z'")
		}
		if !p.is(tIdent, "STOP") {
			return "", false, p.errorf(p.peek(), "expected STOP after START")
		}
		p.next()
		z := p.next()
		if z.kind != tTyped || z.text[0] != 't' {
			return "", false, p.errorf(z, "STOP needs a timestamp like t'2026-01-02T00:00:00Z'")
		}
		return "START " + typedText(a.text) + " STOP " + typedText(z.text), true, nil
	}
	return "", false, nil
}

func (p *patParser) comparisons(prec int) (compExpr, error) {
	if prec > 2 {
		return p.test()
	}
	l, err := p.comparisons(prec + 1)
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
		if t.kind != tIdent || compPrec[t.text] != prec {
			return l, nil
		}
		p.next()
		r, err := p.comparisons(prec + 1)
		if err != nil {
			return nil, err
		}
		l = &compBinary{op: t.text, l: l, r: r}
	}
}

var comparisonOps = map[string]bool{"=": true, "!=": true, "<": true, "<=": true, ">": true, ">=": true,
	"IN": true, "LIKE": true, "MATCHES": true, "ISSUBSET": true, "ISSUPERSET": true}

func (p *patParser) test() (compExpr, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	if p.is(tPunct, "(") {
		p.next()
		c, err := p.comparisons(1)
		if err != nil {
			return nil, err
		}
		if !p.is(tPunct, ")") {
			return nil, p.errorf(p.peek(), "expected ) to close the group")
		}
		p.next()
		return c, nil
	}
	if p.is(tIdent, "EXISTS") {
		p.next()
		path, err := p.path()
		if err != nil {
			return nil, err
		}
		return &compTest{path: path, op: "EXISTS"}, nil
	}
	path, err := p.path()
	if err != nil {
		return nil, err
	}
	e := &compTest{path: path}
	if p.is(tIdent, "NOT") {
		p.next()
		e.not = true
	}
	op := p.next()
	if !(op.kind == tPunct || op.kind == tIdent) || !comparisonOps[op.text] {
		return nil, p.errorf(op, "expected a comparison: =, !=, <, <=, >, >=, IN, LIKE, MATCHES, ISSUBSET or ISSUPERSET")
	}
	e.op = op.text
	switch e.op {
	case "IN":
		e.lit, err = p.set()
	case "LIKE", "MATCHES", "ISSUBSET", "ISSUPERSET":
		t := p.next()
		if t.kind != tString {
			return nil, p.errorf(t, "%s needs a quoted string", e.op)
		}
		e.lit = literal{kind: "string", text: QuotePatternString(t.text), value: t.text}
	default:
		e.lit, err = p.literal()
		if err == nil && e.lit.kind == "bool" && e.op != "=" && e.op != "!=" {
			err = p.errorf(p.toks[p.i-1], "true and false can only be compared with = or !=")
		}
	}
	return e, err
}

func (p *patParser) path() (objectPath, error) {
	t := p.next()
	if t.kind != tIdent || !isIdentifier(t.text, true) {
		return objectPath{}, p.errorf(t, "expected an object type, like ipv4-addr or file")
	}
	path := objectPath{objType: t.text}
	if !p.is(tPunct, ":") {
		return path, p.errorf(p.peek(), "expected : after the object type %s", t.text)
	}
	p.next()
	first := p.next()
	switch {
	case first.kind == tIdent && isIdentifier(first.text, false), first.kind == tString:
		path.steps = append(path.steps, pathStep{key: first.text})
	default:
		return path, p.errorf(first, "expected a property name after %s:", t.text)
	}
	for {
		switch {
		case p.is(tPunct, "."):
			p.next()
			k := p.next()
			if !(k.kind == tIdent && isIdentifier(k.text, false) || k.kind == tString) {
				return path, p.errorf(k, "expected a property name or quoted key after .")
			}
			path.steps = append(path.steps, pathStep{key: k.text})
		case p.is(tPunct, "["):
			// A [ after a path is a list index, never a new observation:
			// those only start an observation expression.
			p.next()
			n := p.next()
			if !(n.kind == tPunct && n.text == "*" || n.kind == tNumber && !strings.Contains(n.text, ".")) {
				return path, p.errorf(n, "a list index is * or a whole number")
			}
			if !p.is(tPunct, "]") {
				return path, p.errorf(p.peek(), "expected ] after the list index")
			}
			p.next()
			path.steps = append(path.steps, pathStep{index: n.text})
		default:
			return path, nil
		}
	}
}

func (p *patParser) set() (literal, error) {
	if !p.is(tPunct, "(") {
		return literal{}, p.errorf(p.peek(), "IN needs a list in parentheses, like ('a', 'b')")
	}
	p.next()
	var parts []string
	for !p.is(tPunct, ")") {
		if len(parts) > 0 {
			if !p.is(tPunct, ",") {
				return literal{}, p.errorf(p.peek(), "expected , or ) in the list")
			}
			p.next()
		}
		l, err := p.literal()
		if err != nil {
			return literal{}, err
		}
		parts = append(parts, l.text)
	}
	p.next()
	return literal{kind: "set", text: "(" + strings.Join(parts, ", ") + ")"}, nil
}

func (p *patParser) literal() (literal, error) {
	t := p.next()
	switch t.kind {
	case tString:
		return literal{kind: "string", text: QuotePatternString(t.text), value: t.text}, nil
	case tNumber:
		if !validNumber(t.text) {
			return literal{}, p.errorf(t, "not a number")
		}
		if strings.Contains(t.text, ".") {
			return literal{kind: "float", text: t.text}, nil
		}
		return literal{kind: "int", text: t.text}, nil
	case tTyped:
		if err := checkTyped(t.text); err != nil {
			return literal{}, p.errorf(t, "%s", err.Error())
		}
		kinds := map[byte]string{'b': "binary", 'h': "hex", 't': "timestamp"}
		return literal{kind: kinds[t.text[0]], text: typedText(t.text)}, nil
	case tIdent:
		if t.text == "true" || t.text == "false" {
			return literal{kind: "bool", text: t.text}, nil
		}
	}
	return literal{}, p.errorf(t, "expected a value: a quoted string, a number, true, false, t'…', h'…' or b'…'")
}

func typedText(t string) string { return t[:1] + "'" + t[1:] + "'" }

func validNumber(s string) bool {
	d := strings.TrimPrefix(s, "-")
	if d == "" || strings.Count(d, ".") > 1 || d[0] == '.' || d[len(d)-1] == '.' {
		return false
	}
	return true
}

// checkTyped checks the content of b'…' (base64), h'…' (hex) and t'…'
// (an RFC 3339 timestamp in UTC with Z).
func checkTyped(t string) error {
	v := t[1:]
	switch t[0] {
	case 'h':
		if len(v)%2 != 0 || v != "" && !isHex(v) {
			return fmt.Errorf("h'…' holds an even number of hexadecimal digits")
		}
	case 'b':
		for _, c := range v {
			if !(c == '+' || c == '/' || c == '=' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
				return fmt.Errorf("b'…' holds base64")
			}
		}
	case 't':
		if !StixTimestampRE.MatchString(v) {
			return fmt.Errorf("t'…' holds a UTC timestamp like 2026-01-01T00:00:00Z")
		}
	}
	return nil
}
