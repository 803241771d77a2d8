package yamlsafe

import (
	"errors"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/token"
)

// Position is a place in a YAML document, 1-based, for messages that
// say file:line:column.
type Position struct{ Line, Column int }

// yamlError is what goccy/go-yaml's errors offer: a message and a token.
type yamlError interface {
	GetToken() *token.Token
	GetMessage() string
}

// ErrorAt returns where a decoding error is and its message without the
// library's source excerpt; found is false for an error without a
// position, which is placed at 1:1 with its whole text.
func ErrorAt(err error) (pos Position, msg string, found bool) {
	var ye yamlError
	if errors.As(err, &ye) && ye.GetToken() != nil && ye.GetToken().Position != nil {
		p := ye.GetToken().Position
		return Position{p.Line, p.Column}, ye.GetMessage(), true
	}
	return Position{1, 1}, err.Error(), false
}

// PathPosition returns where the node at path (like "$.steps[2].role")
// is in f; for a path with no node (a missing field) it is the nearest
// parent that exists, and 1:1 when there is none.
func PathPosition(f *ast.File, path string) Position {
	for p := path; p != ""; p = parentPath(p) {
		yp, err := yaml.PathString(p)
		if err != nil {
			continue
		}
		n, err := yp.FilterFile(f)
		if err != nil || n == nil || n.GetToken() == nil || n.GetToken().Position == nil {
			continue
		}
		return Position{n.GetToken().Position.Line, n.GetToken().Position.Column}
	}
	return Position{1, 1}
}

func parentPath(p string) string {
	if p == "$" {
		return ""
	}
	i := strings.LastIndexAny(p, ".[")
	if i <= 0 {
		return "$"
	}
	return p[:i]
}
