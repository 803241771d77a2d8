package web

import (
	"crypto/subtle"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/warroom/warroom/internal/actor"
	"github.com/warroom/warroom/internal/errs"
)

// view is what every template receives: who is looking, the CSRF token
// for forms, and the page's own data.
type view struct {
	Actor   *actor.Actor
	CSRF    string
	Title   string
	Nav     string // which navigation item is current
	Now     time.Time
	Version string
	Flash   string // a one-line confirmation
	// Form holds a rejected form: which one, its values and what was
	// wrong, so the page can show the errors next to the fields.
	Form *formState
	Data any
	// csrfPending is set for a streamed multipart form whose token the
	// handler checks itself (see streamedForms).
	csrfPending bool
}

type formState struct {
	Name    string
	Message string
	Values  url.Values
	Fields  map[string]string
}

// Value returns a submitted value of the rejected form, for refilling it.
func (f *formState) Value(name string) string {
	if f == nil {
		return ""
	}
	return f.Values.Get(name)
}

// Err returns the error for a field of the named form, if that form was rejected.
func (v *view) Err(form, field string) string {
	if v.Form == nil || v.Form.Name != form {
		return ""
	}
	return v.Form.Fields[field]
}

// Failed reports whether the named form was rejected.
func (v *view) Failed(form string) bool { return v.Form != nil && v.Form.Name == form }

// Val returns a submitted value when the named form was rejected, else def.
func (v *view) Val(form, field, def string) string {
	if v.Failed(form) {
		return v.Form.Value(field)
	}
	return def
}

func (s *Server) newView(r *http.Request) *view {
	return &view{Now: s.now(), Version: s.Version, Flash: flash(r.URL.Query().Get("done"))}
}

var extractedFlash = regexp.MustCompile(`^extracted-(\d{1,4})-(\d{1,4})$`)

// flash is the confirmation for a redirect's done key. Besides the fixed
// ones, "extracted-N-M" reports an extraction: only the numbers vary.
func flash(key string) string {
	if m := extractedFlash.FindStringSubmatch(key); m != nil {
		return fmt.Sprintf("%s added, %s merged into indicators already recorded.", m[1], m[2])
	}
	return flashes[key]
}

// flashes are the confirmations a redirect may ask for by key; a URL
// cannot put text of its own choosing on the page.
var flashes = map[string]string{
	"declared": "Incident declared. You are its incident commander.", "updated": "Incident updated.", "closed": "Incident closed.",
	"note": "Added to the timeline.", "milestone": "Milestone recorded.", "assigned": "Role assigned.", "handed-over": "Role handed over.",
	"released": "Role released.", "task-added": "Task added.", "task-updated": "Task updated.", "task-saved": "Task saved.",
	"role-changed": "Role changed.", "role-added": "Role added to the catalogue.", "token-revoked": "Token revoked.",
	"session-ended": "Session ended.", "signed-out": "Signed out.",
	"acknowledged": "Page acknowledged: reminders and escalation stopped.", "webhook-changed": "Webhook updated.",
	"delivery-retried": "The delivery is queued again.",
	"plan-imported":    "Plan imported as a new version.", "plan-unchanged": "That version is already in the library; nothing changed.",
	"contact-added": "Contact added.", "contact-updated": "Contact updated.", "contact-verified": "Marked as verified today.",
	"contact-deleted": "Contact deleted.",
	"ioc-added":       "Indicator added.", "ioc-merged": "That value was already recorded: merged into it.",
	"evidence-added": "Evidence added to the locker.", "custody-recorded": "Custody event recorded.",
	"attack-recorded": "Attacker activity recorded.", "attack-recorded-warning": attackWarning,
	"obligation-facts": "Facts saved: the obligations below are evaluated from them.", "obligation-status": "Notification status recorded.",
	"obligation-rules": "Your notification rules are saved: every incident of the organisation is evaluated with them.",
}

// rejected turns a validation error into form state for re-rendering;
// other errors are returned as they are.
func rejected(r *http.Request, name string, err error) (*formState, error) {
	if errs.CodeOf(err) != errs.Invalid && errs.CodeOf(err) != errs.Conflict && errs.CodeOf(err) != errs.PreconditionFailed {
		return nil, err
	}
	f := &formState{Name: name, Message: errs.MessageOf(err), Values: r.PostForm, Fields: map[string]string{}}
	for _, fe := range errs.FieldsOf(err) {
		if _, ok := f.Fields[fe.Field]; !ok {
			f.Fields[fe.Field] = fe.Message
		}
	}
	return f, nil
}

// redirect answers a successful POST with 303 See Other (post/redirect/get).
func redirect(w http.ResponseWriter, r *http.Request, to, done string) error {
	if done != "" {
		sep := "?"
		if strings.Contains(to, "?") {
			sep = "&"
		}
		frag := ""
		if i := strings.IndexByte(to, '#'); i >= 0 {
			to, frag = to[:i], to[i:]
		}
		to += sep + "done=" + url.QueryEscape(done) + frag
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// safeNext keeps a post-sign-in redirect on this site: a path starting
// with one slash, and no control characters or backslashes, which browsers
// strip or treat as slashes ("/\t/evil.example" becomes "//evil.example").
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") {
		return "/"
	}
	for _, r := range next {
		if r < 0x20 || r == 0x7f || r == '\\' {
			return "/"
		}
	}
	return next
}

// loginURL is the sign-in page that brings the person back to next.
func loginURL(next string) string {
	return "/login?next=" + url.QueryEscape(safeNext(next))
}

// sameOrigin reports whether a form came from this site. "null" (sandboxed
// frames, data: URLs) is another site.
func sameOrigin(r *http.Request, origin string) bool {
	u, err := url.Parse(origin)
	return err == nil && u.Host == r.Host
}

func constantTimeEqual(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

func remoteAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
