package web_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// golang.org/x/net/html is not a dependency of this module, so instead of
// parsing pages with it, checkHTML tokenizes them strictly: every element
// that is not void is closed, in order; no form inside a form or link
// inside a link (a parser would silently drop them); IDs are unique (the
// labels, anchors and live regions point at them).

var voidElements = map[string]bool{"area": true, "base": true, "br": true, "col": true, "embed": true, "hr": true,
	"img": true, "input": true, "link": true, "meta": true, "source": true, "track": true, "wbr": true}

// rawText elements hold text up to their end tag.
var rawText = map[string]bool{"script": true, "style": true, "textarea": true, "title": true}

var (
	tagNameRE = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9-]*`)
	idAttrRE  = regexp.MustCompile(`(?:^|\s)id="([^"]*)"`)
)

// checkHTML returns every problem found in doc.
func checkHTML(doc string) []string {
	var problems []string
	type open struct {
		name string
		line int
	}
	var stack []open
	ids := map[string]int{}
	line := func(at int) int { return strings.Count(doc[:at], "\n") + 1 }
	inside := func(name string) bool {
		for _, o := range stack {
			if o.name == name {
				return true
			}
		}
		return false
	}
	i := 0
	for {
		j := strings.IndexByte(doc[i:], '<')
		if j < 0 {
			break
		}
		i += j
		rest := doc[i:]
		switch {
		case strings.HasPrefix(rest, "<!--"):
			k := strings.Index(rest, "-->")
			if k < 0 {
				return append(problems, fmt.Sprintf("line %d: unterminated comment", line(i)))
			}
			i += k + 3
		case strings.HasPrefix(rest, "<!"):
			k := strings.IndexByte(rest, '>')
			if k < 0 {
				return append(problems, fmt.Sprintf("line %d: unterminated declaration", line(i)))
			}
			i += k + 1
		case strings.HasPrefix(rest, "</"):
			k := strings.IndexByte(rest, '>')
			if k < 0 {
				return append(problems, fmt.Sprintf("line %d: unterminated end tag", line(i)))
			}
			name := strings.ToLower(strings.TrimSpace(rest[2:k]))
			switch {
			case len(stack) == 0:
				problems = append(problems, fmt.Sprintf("line %d: </%s> closes nothing", line(i), name))
			case stack[len(stack)-1].name != name:
				top := stack[len(stack)-1]
				problems = append(problems, fmt.Sprintf("line %d: </%s> closes <%s> opened on line %d", line(i), name, top.name, top.line))
				return problems // the rest would only repeat it
			default:
				stack = stack[:len(stack)-1]
			}
			i += k + 1
		default:
			name := strings.ToLower(tagNameRE.FindString(rest[1:]))
			if name == "" {
				problems = append(problems, fmt.Sprintf("line %d: a bare '<' in text: %q", line(i), excerpt(rest)))
				i++
				continue
			}
			end, quote := -1, byte(0)
			for k := 1 + len(name); k < len(rest); k++ {
				c := rest[k]
				if quote != 0 {
					if c == quote {
						quote = 0
					}
					continue
				}
				if c == '"' || c == '\'' {
					quote = c
				} else if c == '>' {
					end = k
					break
				}
			}
			if end < 0 {
				return append(problems, fmt.Sprintf("line %d: unterminated <%s", line(i), name))
			}
			attrs := rest[1+len(name) : end]
			for _, m := range idAttrRE.FindAllStringSubmatch(attrs, -1) {
				if prev, dup := ids[m[1]]; dup {
					problems = append(problems, fmt.Sprintf("line %d: id %q is already used on line %d", line(i), m[1], prev))
				} else {
					ids[m[1]] = line(i)
				}
			}
			if (name == "form" || name == "a") && inside(name) {
				problems = append(problems, fmt.Sprintf("line %d: <%s> inside another <%s>", line(i), name, name))
			}
			i += end + 1
			if voidElements[name] || strings.HasSuffix(strings.TrimSpace(attrs), "/") {
				continue
			}
			stack = append(stack, open{name, line(i)})
			if rawText[name] {
				k := strings.Index(strings.ToLower(doc[i:]), "</"+name)
				if k < 0 {
					return append(problems, fmt.Sprintf("line %d: <%s> is never closed", line(i), name))
				}
				i += k
			}
		}
	}
	for _, o := range stack {
		problems = append(problems, fmt.Sprintf("<%s> opened on line %d is never closed", o.name, o.line))
	}
	return problems
}

func excerpt(s string) string {
	if len(s) > 60 {
		return s[:60]
	}
	return s
}

// TestCheckHTML makes sure the checker finds what it is for.
func TestCheckHTML(t *testing.T) {
	for _, c := range []struct {
		name, doc string
		ok        bool
	}{
		{"OK", `<!doctype html><html><head><title>a<b</title><script src="/x.js" defer></script></head><body><p id="a">x<br><input value="a>b"></p><!-- <div> --></body></html>`, true},
		{"ErrUnclosed", `<div><p>x</div>`, false},
		{"ErrNeverClosed", `<div>`, false},
		{"ErrStrayEnd", `</div>`, false},
		{"ErrDuplicateID", `<p id="x"></p><p id="x"></p>`, false},
		{"ErrNestedForm", `<form><form></form></form>`, false},
		{"ErrBareLessThan", `<p>1 < 2</p>`, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := checkHTML(c.doc)
			if (len(got) == 0) != c.ok {
				t.Errorf("checkHTML(%q) = %q", c.doc, got)
			}
		})
	}
}
