package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/warroom/warroom/internal/api"
	"github.com/warroom/warroom/internal/contact"
	"github.com/warroom/warroom/internal/errs"
	"github.com/warroom/warroom/internal/evidence"
	"github.com/warroom/warroom/internal/incident"
	"github.com/warroom/warroom/internal/ioc"
)

// parsePages parses every page once, at start-up: each page template is
// combined with the layout and the shared partials.
func parsePages() (map[string]*template.Template, error) {
	shared, err := fs.Glob(assets, "templates/_*.html")
	if err != nil {
		return nil, err
	}
	files, err := fs.Glob(assets, "templates/*.html")
	if err != nil {
		return nil, err
	}
	pages := map[string]*template.Template{}
	for _, f := range files {
		name := strings.TrimSuffix(path.Base(f), ".html")
		if strings.HasPrefix(name, "_") {
			continue
		}
		t, err := template.New(name).Funcs(funcs).ParseFS(assets, append([]string{f}, shared...)...)
		if err != nil {
			return nil, fmt.Errorf("parse template %s: %w", name, err)
		}
		pages[name] = t
	}
	return pages, nil
}

// PageNames lists the page templates, for the test that renders them all.
func PageNames() ([]string, error) {
	p, err := parsePages()
	if err != nil {
		return nil, err
	}
	var out []string
	for n := range p {
		out = append(out, n)
	}
	return out, nil
}

// render executes a page into a buffer first, so a template error becomes
// a clean error page instead of half a page.
func (s *Server) render(w http.ResponseWriter, status int, name string, v *view) error {
	t, ok := s.pages[name]
	if !ok {
		return fmt.Errorf("no page template %q", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
	return nil
}

// errorPage is the data of the error page.
type errorPage struct {
	Status  int
	Heading string
	Message string
	Fields  []errs.FieldError
}

func (s *Server) renderError(w http.ResponseWriter, r *http.Request, v *view, err error) {
	code := errs.CodeOf(err)
	status := statusOf(code)
	if status >= 500 {
		s.Log.Error("page failed", "err", err, "method", r.Method, "path", r.URL.Path)
	}
	if code == errs.Unauthorized && r.Method == http.MethodGet {
		http.Redirect(w, r, loginURL(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	headings := map[int]string{400: "That did not work", 401: "Please sign in again", 403: "Not allowed", 404: "Not found",
		409: "That clashes with something", 412: "Someone changed this first", 413: "Too large", 429: "Slow down", 500: "Something went wrong"}
	p := errorPage{Status: status, Heading: headings[status], Message: errs.MessageOf(err), Fields: errs.FieldsOf(err)}
	if p.Heading == "" {
		p.Heading = http.StatusText(status)
	}
	v.Title, v.Data = p.Heading, p
	if rerr := s.render(w, status, "error", v); rerr != nil {
		s.Log.Error("render error page", "err", rerr)
		http.Error(w, p.Message, status)
	}
}

// statusOf maps an error code to its HTTP status, the same way the API
// does (one mapping for both transports).
func statusOf(code errs.Code) int { return api.StatusOf(code) }

var funcs = template.FuncMap{
	"label": label,
	// milestone returns nil for an unset milestone: a struct from a map
	// index would always count as set in {{with}}.
	"milestone": func(i incident.Incident, kind string) *incident.Milestone {
		if m, ok := i.Milestones[kind]; ok {
			return &m
		}
		return nil
	},
	// iso is the machine-readable time for <time datetime>; JavaScript
	// shows it in the viewer's zone, and UTC is the no-script fallback.
	"iso": func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
	"utc": func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") },
	"ptime": func(t *time.Time) time.Time {
		if t == nil {
			return time.Time{}
		}
		return *t
	},
	"inputTime": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format("2006-01-02T15:04")
	},
	"since":          func(from, now time.Time) string { return humanDuration(now.Sub(from)) },
	"countdown":      incident.Countdown,
	"lower":          strings.ToLower,
	"sevClass":       func(s incident.Severity) string { return "sev" + strings.TrimPrefix(string(s), "SEV") },
	"types":          func() []incident.Type { return incident.Types },
	"severities":     func() []incident.Severity { return incident.Severities },
	"phases":         func() []incident.Phase { return incident.Phases },
	"tlps":           func() []incident.TLP { return incident.TLPs },
	"taskStatuses":   func() []incident.TaskStatus { return incident.TaskStatuses },
	"milestoneKinds": func() []string { return incident.MilestoneKinds },
	"userKinds":      func() []string { return []string{"note", "action", "decision", "communication", "attacker_activity"} },
	"str":            func(v any) string { return fmt.Sprint(v) },
	"list3":          func() []string { return []string{"viewer", "responder", "admin"} },
	"join":           strings.Join,
	"add":            func(a, b int) int { return a + b },
	"pct": func(part, whole int) int {
		if whole == 0 {
			return 0
		}
		return part * 100 / whole
	},
	"contactKinds":   func() []contact.Kind { return contact.Kinds },
	"iocTypes":       func() []ioc.Type { return ioc.Types },
	"bytes":          humanBytes,
	"inctabs":        func(ref, current string) incTabs { return incTabs{ref, current} },
	"evform":         func(v *view, form string) evForm { return evForm{v, form} },
	"custodyActions": func() []string { return evidence.Actions },
	// tel is a tap-to-call link; html/template would refuse the scheme
	// otherwise. Only numbers the directory accepted (E.164) get one.
	"tel": func(phone string) template.URL {
		if n, ok := contact.NormalizePhone(phone); ok {
			return template.URL("tel:" + n)
		}
		return ""
	},
	// signalURL opens a chat with a Signal number; usernames have no link.
	"signalURL": func(signal string) string {
		if n, ok := contact.NormalizePhone(signal); ok {
			return "https://signal.me/#p/" + n
		}
		return ""
	},
}

// humanDuration says how long ago, the way a responder says it.
func humanDuration(d time.Duration) string { return incident.HumanDuration(d) }

// evForm is the data of the "evidencemeta" partial: the page's view and
// which form the fields belong to.
type evForm struct {
	View *view
	Form string
}

// incTabs is the data of the "inctabs" partial.
type incTabs struct{ Ref, Current string }

// humanBytes writes a size the way a person reads it: 512 B, 4.2 MiB.
func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
