// Package yamlsafe wraps the two goccy/go-yaml calls Warroom makes on
// documents people send (plans, obligation rules and facts) so that a
// panic inside the library becomes an error. Fuzzing found inputs (odd
// tags on sequences) that make goccy/go-yaml v1.19.2, the newest release
// on the module proxy, dereference nil; a request must not be able to
// crash a handler with one.
package yamlsafe

import (
	"fmt"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// Unmarshal decodes src into v strictly: unknown fields are errors.
func Unmarshal(src []byte, v any) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("the YAML decoder could not read this document (%v)", r)
		}
	}()
	return yaml.UnmarshalWithOptions(src, v, yaml.DisallowUnknownField())
}

// Parse returns src's syntax tree, for positions in error messages.
func Parse(src []byte) (f *ast.File, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("the YAML parser could not read this document (%v)", r)
		}
	}()
	return parser.ParseBytes(src, 0)
}

// Decode parses src (for positions in later messages) and decodes it
// strictly into v: what the plan and rules linters both start with.
func Decode(src []byte, v any) (*ast.File, error) {
	f, err := Parse(src)
	if err != nil {
		return nil, err
	}
	return f, Unmarshal(src, v)
}
