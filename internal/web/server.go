package web

import (
	"embed"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/warroom/warroom/internal/actor"
	"github.com/warroom/warroom/internal/api"
	"github.com/warroom/warroom/internal/attack"
	"github.com/warroom/warroom/internal/contact"
	"github.com/warroom/warroom/internal/errs"
	"github.com/warroom/warroom/internal/evidence"
	"github.com/warroom/warroom/internal/incident"
	"github.com/warroom/warroom/internal/ioc"
	"github.com/warroom/warroom/internal/notify"
	"github.com/warroom/warroom/internal/obligation"
	"github.com/warroom/warroom/internal/org"
	"github.com/warroom/warroom/internal/plan"
)

// "all:" because the shared templates start with "_", which embed skips otherwise.
//
//go:embed all:templates static
var assets embed.FS

// Server is the web UI.
type Server struct {
	Orgs      *org.Service
	Incidents *incident.Service
	Plans     *plan.Service
	Notify    *notify.Service
	Contacts  *contact.Service
	Attack    *attack.Service
	IOCs      *ioc.Service
	Evidence  *evidence.Service
	Log       *slog.Logger
	// SecureCookies forces the Secure flag on cookies; it is also set on
	// any request that arrived over TLS.
	SecureCookies bool
	// MaxForm bounds form bodies, in bytes.
	MaxForm int64
	// Version is shown in the footer.
	Version string
	// Obligations: the incident's notification clocks page.
	Obligations *obligation.Service

	pages map[string]*template.Template
}

// contentSecurityPolicy allows scripts, styles and connections only from
// this origin: no inline script, no third-party anything.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
	"font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// page is a handler that renders or redirects, returning errors instead
// of writing them.
type page func(w http.ResponseWriter, r *http.Request, v *view) error

// Register parses the templates (once) and adds every page to mux.
func (s *Server) Register(mux *http.ServeMux) error {
	pages, err := parsePages()
	if err != nil {
		return err
	}
	s.pages = pages
	static, _ := fs.Sub(assets, "static")
	mux.Handle("GET /static/", http.StripPrefix("/static/", cacheStatic(http.FileServerFS(static))))
	mux.Handle("GET /login", s.public(s.loginPage))
	mux.Handle("POST /login", s.public(s.loginSubmit))
	// Acknowledgement links work without signing in: the token is the credential.
	mux.Handle("GET /ack/{token}", s.public(s.ackForm))
	mux.Handle("POST /ack/{token}", s.public(s.ackSubmit))
	routes := []struct {
		pattern string
		h       page
	}{
		{"POST /logout", s.logout},
		{"GET /{$}", s.incidentList},
		{"GET /incidents/new", s.declareForm},
		{"POST /incidents", s.declareSubmit},
		{"GET /incidents/{ref}", s.warRoom},
		{"POST /incidents/{ref}", s.updateIncident},
		{"POST /incidents/{ref}/close", s.closeIncident},
		{"POST /incidents/{ref}/notes", s.addNote},
		{"POST /incidents/{ref}/milestones", s.setMilestone},
		{"POST /incidents/{ref}/roster", s.assignRole},
		{"POST /incidents/{ref}/roster/handover", s.handoverRole},
		{"POST /incidents/{ref}/roster/release", s.releaseRole},
		{"POST /incidents/{ref}/tasks", s.createTask},
		{"GET /incidents/{ref}/tasks/{number}", s.taskDetail},
		{"POST /incidents/{ref}/tasks/{number}", s.updateTask},
		{"POST /incidents/{ref}/pages/{id}/ack", s.acknowledgePage},
		{"GET /incidents/{ref}/attack", s.attackPage},
		{"POST /incidents/{ref}/attack", s.recordAttack},
		{"GET /incidents/{ref}/obligations", s.obligationsPage},
		{"POST /incidents/{ref}/obligations/facts", s.saveObligationFacts},
		{"POST /incidents/{ref}/obligations/{rule}/status", s.setObligationStatus},
		{"GET /incidents/{ref}/indicators", s.indicatorList},
		{"POST /incidents/{ref}/indicators", s.addIndicator},
		{"POST /incidents/{ref}/indicators/bulk", s.bulkIndicators},
		{"POST /incidents/{ref}/indicators/import", s.importIndicators},
		{"GET /incidents/{ref}/indicators/extract", s.extractForm},
		{"POST /incidents/{ref}/indicators/extract", s.extractReview},
		{"POST /incidents/{ref}/indicators/extracted", s.addExtracted},
		{"GET /incidents/{ref}/evidence", s.evidenceList},
		{"POST /incidents/{ref}/evidence", s.uploadEvidence},
		{"POST /incidents/{ref}/evidence/external", s.registerEvidence},
		{"GET /incidents/{ref}/evidence/{label}", s.evidenceDetail},
		{"POST /incidents/{ref}/evidence/{label}/custody", s.addCustody},
		{"POST /incidents/{ref}/evidence/{label}/download", s.downloadEvidence},
		{"GET /admin/notifications", s.adminNotifications},
		{"POST /admin/webhooks", s.createWebhook},
		{"POST /admin/webhooks/{id}", s.changeWebhook},
		{"POST /admin/deliveries/{id}/retry", s.retryDelivery},
		{"GET /admin/obligations", s.adminObligationRules},
		{"POST /admin/obligations", s.saveObligationRules},
		{"GET /plans", s.planList},
		{"POST /plans", s.importPlan},
		{"GET /plans/{id}", s.planDetail},
		{"GET /contacts", s.contactList},
		{"POST /contacts", s.addContact},
		{"GET /contacts/{key}", s.contactDetail},
		{"POST /contacts/{key}", s.updateContact},
		{"POST /contacts/{key}/verify", s.verifyContact},
		{"POST /contacts/{key}/delete", s.deleteContact},
		{"GET /admin", s.adminPeople},
		{"POST /admin/people", s.addPerson},
		{"POST /admin/people/{user}", s.setPersonRole},
		{"POST /admin/roles", s.addRole},
		{"GET /admin/tokens", s.adminTokens},
		{"POST /admin/tokens", s.createToken},
		{"POST /admin/tokens/{id}/revoke", s.revokeToken},
		{"GET /admin/sessions", s.adminSessions},
		{"POST /admin/sessions/{id}/revoke", s.revokeSession},
	}
	for _, rt := range routes {
		mux.Handle(rt.pattern, s.private(rt.h))
	}
	mux.Handle("/", s.public(func(w http.ResponseWriter, r *http.Request, v *view) error {
		return errs.NotFoundf("there is no page at %s", r.URL.Path)
	}))
	return nil
}

// securityHeaders go on every page.
func (s *Server) securityHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cache-Control", "no-store")
}

// public serves a page that needs no session (sign-in, errors); a valid
// session is still picked up so the layout can show who is signed in.
func (s *Server) public(h page) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.securityHeaders(w)
		v := s.newView(r)
		if c, err := r.Cookie(api.SessionCookie); err == nil {
			if a, ses, err := s.Orgs.AuthenticateSession(r.Context(), c.Value, remoteAddr(r)); err == nil {
				v.Actor, v.CSRF = a, ses.CSRFToken
				r = r.WithContext(actor.With(r.Context(), a))
			}
		}
		if err := s.checkCSRF(r, v); err != nil {
			s.renderError(w, r, v, err)
			return
		}
		if err := h(w, r, v); err != nil {
			s.renderError(w, r, v, err)
		}
	})
}

// private serves a page for a signed-in person; others are sent to the
// sign-in page and brought back afterwards.
func (s *Server) private(h page) http.Handler {
	return s.public(func(w http.ResponseWriter, r *http.Request, v *view) error {
		if v.Actor == nil {
			if r.Method != http.MethodGet {
				return &errs.Error{Code: errs.Unauthorized, Message: "your session has ended; sign in again"}
			}
			http.Redirect(w, r, loginURL(r.URL.RequestURI()), http.StatusSeeOther)
			return nil
		}
		return h(w, r, v)
	})
}

// checkCSRF requires every POST to carry the session's CSRF token. The
// sign-in form, which has no session yet, is protected by SameSite cookies
// and by Origin checking.
func (s *Server) checkCSRF(r *http.Request, v *view) error {
	if r.Method != http.MethodPost {
		return nil
	}
	if origin := r.Header.Get("Origin"); origin != "" && !sameOrigin(r, origin) {
		return errs.Forbiddenf("this form was sent from another site (%s) and was refused", origin)
	}
	form := strings.TrimPrefix(r.Pattern, "POST ")
	if streamedForms[form] && isMultipart(r) {
		// The handler reads the parts in order and checks the token, which
		// must come first, before it reads a byte of the file.
		v.csrfPending = true
		return nil
	}
	limit := s.maxForm()
	if n, ok := formLimits[form]; ok {
		limit = n
	}
	r.Body = http.MaxBytesReader(nil, r.Body, limit)
	if err := r.ParseForm(); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return errs.E(errs.TooLarge, "the form is larger than %d bytes", mbe.Limit)
		}
		return errs.Invalidf("the form could not be read")
	}
	if v.Actor == nil {
		return nil // sign-in: no session to tie a token to yet
	}
	if tok := r.PostFormValue("csrf"); tok == "" || !constantTimeEqual(tok, v.CSRF) {
		return errs.Forbiddenf("the form's security token is missing or out of date; reload the page and try again")
	}
	return nil
}

// formLimits raise the form body limit for the forms that need more: the
// extraction paste box takes a whole report.
var formLimits = map[string]int64{
	"/incidents/{ref}/indicators/extract":   maxExtractForm,
	"/incidents/{ref}/indicators/extracted": maxExtractForm,
}

// streamedForms are multipart uploads read part by part: they are never
// parsed whole, which would spool the file to disk before anyone checked
// who sent it.
var streamedForms = map[string]bool{"/incidents/{ref}/evidence": true, "/incidents/{ref}/indicators/import": true}

func (s *Server) maxForm() int64 {
	if s.MaxForm <= 0 {
		return 256 << 10
	}
	return s.MaxForm
}

// cacheStatic lets browsers keep assets for an hour; the layout adds the
// version to asset URLs so an upgrade is picked up.
func cacheStatic(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		h.ServeHTTP(w, r)
	})
}

func (s *Server) now() time.Time { return s.Orgs.Now() }
