package indicator

import "strings"

// This file and stixpattern_parse.go parse STIX 2.1 patterning (STIX 2.1
// specification, section 9, "STIX Patterning") by hand: the Go STIX
// libraries (libstix2 and its forks) build objects but do not parse
// patterns, OASIS's validator is Python, and the grammar is small. The
// importer needs the parse tree to tell a literal comparison
// ([ipv4-addr:value = '198.51.100.7']) from everything else. The parser
// accepts the whole grammar — observation expressions joined by AND, OR
// and FOLLOWEDBY, the WITHIN, REPEATS and START/STOP qualifiers,
// comparisons with =, !=, <, <=, >, >=, IN, LIKE, MATCHES, ISSUBSET,
// ISSUPERSET, NOT and EXISTS, and every literal kind — so that a pattern
// that is not literal can be kept whole (type stix_pattern) after checking
// that it is a pattern at all. String prints a canonical form, which is
// how such patterns are normalised.

// MaxPatternDepth bounds the nesting of parentheses and brackets, so a
// hostile pattern cannot exhaust the stack.
const MaxPatternDepth = 64

// Pattern is a parsed STIX pattern.
type Pattern struct{ root obsExpr }

// ParsePattern parses a STIX 2.1 pattern. The error says where the
// pattern stops making sense and what was expected there.
func ParsePattern(s string) (*Pattern, error) {
	toks, err := lexPattern(s)
	if err != nil {
		return nil, err
	}
	p := &patParser{toks: toks}
	root, err := p.observations()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tEOF {
		return nil, p.errorf(t, "expected AND, OR, FOLLOWEDBY or the end of the pattern")
	}
	return &Pattern{root: root}, nil
}

// String is the canonical form of the pattern: single spaces around
// operators, no padding inside brackets, path keys quoted only when they
// must be, parentheses only where precedence needs them.
func (p *Pattern) String() string {
	var b strings.Builder
	p.root.write(&b, 0)
	return b.String()
}

// --- the parse tree -------------------------------------------------------

type obsExpr interface {
	write(b *strings.Builder, parentPrec int)
}

// Observation-expression precedence: FOLLOWEDBY binds loosest, then OR,
// then AND; a qualified or bracketed expression is atomic.
var obsPrec = map[string]int{"FOLLOWEDBY": 1, "OR": 2, "AND": 3}

type obsBinary struct {
	op   string
	l, r obsExpr
}

func (e *obsBinary) write(b *strings.Builder, parent int) {
	prec := obsPrec[e.op]
	if prec < parent {
		b.WriteByte('(')
	}
	e.l.write(b, prec)
	b.WriteString(" " + e.op + " ")
	e.r.write(b, prec+1) // left-associative: a right child of equal precedence needs parentheses
	if prec < parent {
		b.WriteByte(')')
	}
}

// obsQualified is an observation expression with WITHIN n SECONDS,
// REPEATS n TIMES or START t'…' STOP t'…'.
type obsQualified struct {
	e    obsExpr
	qual string // canonical text of the qualifier
}

func (e *obsQualified) write(b *strings.Builder, _ int) {
	e.e.write(b, 10) // anything but another bracket needs parentheses
	b.WriteString(" " + e.qual)
}

// obsBracket is one observation: [comparison expression].
type obsBracket struct{ c compExpr }

func (e *obsBracket) write(b *strings.Builder, _ int) {
	b.WriteByte('[')
	e.c.write(b, 0)
	b.WriteByte(']')
}

type compExpr interface {
	write(b *strings.Builder, parentPrec int)
}

var compPrec = map[string]int{"OR": 1, "AND": 2}

type compBinary struct {
	op   string
	l, r compExpr
}

func (e *compBinary) write(b *strings.Builder, parent int) {
	prec := compPrec[e.op]
	if prec < parent {
		b.WriteByte('(')
	}
	e.l.write(b, prec)
	b.WriteString(" " + e.op + " ")
	e.r.write(b, prec+1)
	if prec < parent {
		b.WriteByte(')')
	}
}

// compTest is "path [NOT] op literal", or "EXISTS path" when op is EXISTS.
type compTest struct {
	path objectPath
	not  bool
	op   string
	lit  literal
}

func (e *compTest) write(b *strings.Builder, _ int) {
	if e.op == "EXISTS" {
		b.WriteString("EXISTS " + e.path.String())
		return
	}
	b.WriteString(e.path.String())
	if e.not {
		b.WriteString(" NOT")
	}
	b.WriteString(" " + e.op + " " + e.lit.text)
}

// objectPath is type:property.key[index]…
type objectPath struct {
	objType string
	steps   []pathStep
}

type pathStep struct {
	key   string // a property or dictionary key
	index string // "*" or a number for a list step; key is then ""
}

func (p objectPath) String() string {
	var b strings.Builder
	b.WriteString(p.objType + ":")
	for i, s := range p.steps {
		switch {
		case s.index != "":
			b.WriteString("[" + s.index + "]")
		default:
			if i > 0 {
				b.WriteByte('.')
			}
			if isIdentifier(s.key, false) {
				b.WriteString(s.key)
			} else {
				b.WriteString(QuotePatternString(s.key))
			}
		}
	}
	return b.String()
}

// key returns the path without its object type and with list indexes
// written [*], lower-cased: file:hashes.'SHA-256' → hashes.sha-256,
// email-message:to_refs[0].value → to_refs[*].value.
func (p objectPath) key() string {
	var b strings.Builder
	for i, s := range p.steps {
		if s.index != "" {
			b.WriteString("[*]")
			continue
		}
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(strings.ToLower(s.key))
	}
	return b.String()
}

// literal is a constant: kind is string, int, float, bool, binary, hex,
// timestamp or set; text is its canonical pattern text and value, for a
// string, its unescaped content.
type literal struct {
	kind  string
	text  string
	value string
}

// quotePatternString writes s as a pattern string literal: in single
// quotes, with \ and ' escaped by a backslash (the only escapes the
// grammar has).
func QuotePatternString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

func isIdentifier(s string, hyphen bool) bool {
	if s == "" {
		return false
	}
	for i, c := range s {
		switch {
		case c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
		case i > 0 && ('0' <= c && c <= '9' || hyphen && c == '-'):
		default:
			return false
		}
	}
	return true
}

// Branch is one alternative of a pattern split at its top-level
// ORs (between observations and inside them): either a literal equality
// (path = 'value') or, for anything else, the canonical text of that
// alternative as a pattern of its own. Splitting at OR keeps the meaning:
// the pattern matches when any alternative does.
type Branch struct {
	Path    objectPath // of a literal equality
	Value   string     // the literal compared
	Literal bool
	Pattern string // the alternative's canonical text, when not Literal
}

// Indicator is the type and normalised value a literal branch stands for;
// t is "" for a property no indicator type holds (email-message:subject).
func (b Branch) Indicator() (t Type, value string, err error) {
	return literalIndicator(b.Path, b.Value)
}

// LiteralPattern writes a literal branch as a pattern of its own.
func (b Branch) LiteralPattern() string {
	return "[" + b.Path.String() + " = " + QuotePatternString(b.Value) + "]"
}

func (p *Pattern) Branches() []Branch {
	var out []Branch
	var obs func(e obsExpr)
	var comp func(c compExpr)
	comp = func(c compExpr) {
		switch c := c.(type) {
		case *compBinary:
			if c.op == "OR" {
				comp(c.l)
				comp(c.r)
				return
			}
		case *compTest:
			if c.op == "=" && !c.not && c.lit.kind == "string" {
				out = append(out, Branch{Path: c.path, Value: c.lit.value, Literal: true})
				return
			}
		}
		var b strings.Builder
		(&obsBracket{c: c}).write(&b, 0)
		out = append(out, Branch{Pattern: b.String()})
	}
	obs = func(e obsExpr) {
		switch e := e.(type) {
		case *obsBinary:
			if e.op == "OR" {
				obs(e.l)
				obs(e.r)
				return
			}
		case *obsBracket:
			comp(e.c)
			return
		}
		var b strings.Builder
		e.write(&b, 0)
		out = append(out, Branch{Pattern: b.String()})
	}
	obs(p.root)
	return out
}
