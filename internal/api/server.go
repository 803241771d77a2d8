package api

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/warroom/warroom/internal/actor"
	"github.com/warroom/warroom/internal/attack"
	"github.com/warroom/warroom/internal/contact"
	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/errs"
	"github.com/warroom/warroom/internal/evidence"
	"github.com/warroom/warroom/internal/incident"
	"github.com/warroom/warroom/internal/ioc"
	"github.com/warroom/warroom/internal/notify"
	"github.com/warroom/warroom/internal/obligation"
	"github.com/warroom/warroom/internal/org"
	"github.com/warroom/warroom/internal/plan"
)

// SessionCookie is the browser session cookie; the API accepts it for
// reads and event streams (EventSource cannot send headers).
const SessionCookie = "warroom_session"

// Server is the JSON API.
type Server struct {
	DB        *db.DB
	Orgs      *org.Service
	Incidents *incident.Service
	Plans     *plan.Service
	Notify    *notify.Service
	Contacts  *contact.Service
	Evidence  *evidence.Service
	IOCs      *ioc.Service
	Attack    *attack.Service
	Log       *slog.Logger
	Metrics   *Metrics
	// MaxBody bounds request bodies, in bytes.
	MaxBody int64
	// Heartbeat is how often an idle event stream sends a comment line.
	Heartbeat time.Duration
	// Version is reported by /healthz.
	Version string
	// Closing, when closed, ends every event stream so a graceful
	// shutdown does not wait for clients that never hang up.
	Closing <-chan struct{}

	// Obligations: regulatory notification clocks (internal/obligation).
	Obligations *obligation.Service
}

// route is one endpoint. Handlers return an error instead of writing one,
// so errors are rendered in one place.
type route struct {
	method, pattern string
	public          bool // no authentication required
	handle          func(w http.ResponseWriter, r *http.Request) error
}

// Register adds every API and operations route to mux.
func (s *Server) Register(mux *http.ServeMux) {
	for _, rt := range s.routes() {
		mux.Handle(rt.method+" "+rt.pattern, s.wrap(rt))
	}
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /readyz", s.readyz)
	mux.Handle("GET /metrics", s.Metrics.Handler())
	mux.Handle("/api/", s.wrap(route{pattern: "/api/", public: true, handle: func(w http.ResponseWriter, r *http.Request) error {
		return errs.NotFoundf("no API route %s %s; see /api/v1/openapi.json", r.Method, r.URL.Path)
	}}))
}

// Routes lists every API route as "METHOD /pattern", for tests and docs.
func (s *Server) Routes() []string {
	var out []string
	for _, rt := range s.routes() {
		out = append(out, rt.method+" "+rt.pattern)
	}
	return out
}

func (s *Server) routes() []route {
	return []route{
		{"GET", "/api/v1/openapi.json", true, s.openAPI},
		{"POST", "/api/v1/login", true, s.login},
		{"POST", "/api/v1/logout", false, s.logout},
		{"GET", "/api/v1/me", false, s.me},
		{"GET", "/api/v1/members", false, s.listMembers},
		{"POST", "/api/v1/members", false, s.addMember},
		{"PATCH", "/api/v1/members/{user}", false, s.updateMember},
		{"GET", "/api/v1/roles", false, s.listRoles},
		{"POST", "/api/v1/roles", false, s.addRole},
		{"GET", "/api/v1/tokens", false, s.listTokens},
		{"POST", "/api/v1/tokens", false, s.createToken},
		{"DELETE", "/api/v1/tokens/{id}", false, s.revokeToken},
		{"GET", "/api/v1/sessions", false, s.listSessions},
		{"DELETE", "/api/v1/sessions/{id}", false, s.revokeSession},
		{"GET", "/api/v1/audit", false, s.listAudit},
		{"GET", "/api/v1/events", false, s.orgEvents},
		{"GET", "/api/v1/verify", false, s.verifyAll},
		{"GET", "/api/v1/webhooks", false, s.listWebhooks},
		{"POST", "/api/v1/webhooks", false, s.createWebhook},
		{"PATCH", "/api/v1/webhooks/{id}", false, s.updateWebhook},
		{"DELETE", "/api/v1/webhooks/{id}", false, s.deleteWebhook},
		{"GET", "/api/v1/deliveries", false, s.listDeliveries},
		{"POST", "/api/v1/deliveries/{id}/retry", false, s.retryDelivery},
		{"GET", "/api/v1/incidents/{ref}/pages", false, s.listPages},
		{"POST", "/api/v1/incidents/{ref}/pages/{id}/ack", false, s.acknowledgePage},
		{"GET", "/api/v1/plans", false, s.listPlans},
		{"POST", "/api/v1/plans", false, s.importPlan},
		{"GET", "/api/v1/plans/{id}", false, s.planVersions},
		{"GET", "/api/v1/plans/{id}/versions/{version}", false, s.getPlanVersion},
		{"GET", "/api/v1/plans/{id}/diff", false, s.diffPlan},
		{"GET", "/api/v1/contacts", false, s.listContacts},
		{"POST", "/api/v1/contacts", false, s.createContact},
		{"GET", "/api/v1/contacts/{key}", false, s.getContact},
		{"PATCH", "/api/v1/contacts/{key}", false, s.updateContact},
		{"DELETE", "/api/v1/contacts/{key}", false, s.deleteContact},
		{"POST", "/api/v1/contacts/{key}/verify", false, s.verifyContact},
		{"GET", "/api/v1/incidents", false, s.listIncidents},
		{"POST", "/api/v1/incidents", false, s.declareIncident},
		{"GET", "/api/v1/incidents/{ref}", false, s.getIncident},
		{"PATCH", "/api/v1/incidents/{ref}", false, s.updateIncident},
		{"POST", "/api/v1/incidents/{ref}/close", false, s.closeIncident},
		{"PUT", "/api/v1/incidents/{ref}/milestones/{kind}", false, s.setMilestone},
		{"DELETE", "/api/v1/incidents/{ref}/milestones/{kind}", false, s.clearMilestone},
		{"GET", "/api/v1/incidents/{ref}/roster", false, s.getRoster},
		{"POST", "/api/v1/incidents/{ref}/roster", false, s.assignRole},
		{"POST", "/api/v1/incidents/{ref}/roster/release", false, s.releaseRole},
		{"POST", "/api/v1/incidents/{ref}/roster/handover", false, s.handoverRole},
		{"GET", "/api/v1/incidents/{ref}/tasks", false, s.listTasks},
		{"POST", "/api/v1/incidents/{ref}/tasks", false, s.createTask},
		{"GET", "/api/v1/incidents/{ref}/tasks/{number}", false, s.getTask},
		{"PATCH", "/api/v1/incidents/{ref}/tasks/{number}", false, s.updateTask},
		{"GET", "/api/v1/incidents/{ref}/timeline", false, s.listTimeline},
		{"POST", "/api/v1/incidents/{ref}/timeline", false, s.addTimelineEntry},
		{"GET", "/api/v1/incidents/{ref}/events", false, s.incidentEvents},
		{"GET", "/api/v1/incidents/{ref}/verify", false, s.verifyIncident},
		{"GET", "/api/v1/incidents/{ref}/evidence", false, s.listEvidence},
		{"POST", "/api/v1/incidents/{ref}/evidence", false, s.uploadEvidence},
		{"POST", "/api/v1/incidents/{ref}/evidence/external", false, s.registerEvidence},
		{"GET", "/api/v1/incidents/{ref}/evidence/{id}", false, s.getEvidence},
		{"GET", "/api/v1/incidents/{ref}/evidence/{id}/download", false, s.downloadEvidence},
		{"POST", "/api/v1/incidents/{ref}/evidence/{id}/custody", false, s.addCustody},
		{"GET", "/api/v1/incidents/{ref}/evidence/{id}/custody", false, s.listCustody},
		{"GET", "/api/v1/incidents/{ref}/iocs", false, s.listIOCs},
		{"POST", "/api/v1/incidents/{ref}/iocs", false, s.addIOC},
		{"GET", "/api/v1/incidents/{ref}/iocs/{id}", false, s.getIOC},
		{"PATCH", "/api/v1/incidents/{ref}/iocs/{id}", false, s.updateIOC},
		{"DELETE", "/api/v1/incidents/{ref}/iocs/{id}", false, s.deleteIOC},
		{"POST", "/api/v1/incidents/{ref}/iocs/bulk", false, s.bulkIOCs},
		{"POST", "/api/v1/incidents/{ref}/iocs/sightings", false, s.recordSweep},
		{"POST", "/api/v1/iocs/extract", false, s.extractIOCs},
		{"POST", "/api/v1/incidents/{ref}/iocs/import", false, s.importIOCs},
		{"GET", "/api/v1/incidents/{ref}/iocs/export", false, s.exportIOCs},
		{"POST", "/api/v1/incidents/{ref}/attack", false, s.recordAttack},
		{"GET", "/api/v1/incidents/{ref}/attack/story", false, s.attackStory},
		{"GET", "/api/v1/attack/tactics", false, s.attackTactics},
		{"GET", "/api/v1/attack/techniques", false, s.attackTechniques},
		{"GET", "/api/v1/incidents/{ref}/obligations/facts", false, s.getObligationFacts},
		{"PUT", "/api/v1/incidents/{ref}/obligations/facts", false, s.putObligationFacts},
		{"GET", "/api/v1/incidents/{ref}/obligations", false, s.listObligations},
		{"POST", "/api/v1/incidents/{ref}/obligations/{rule}/status", false, s.setObligationStatus},
		{"GET", "/api/v1/obligations/rules", false, s.listObligationRules},
		{"GET", "/api/v1/obligations/rules/custom", false, s.getOrgObligationRules},
		{"PUT", "/api/v1/obligations/rules/custom", false, s.putOrgObligationRules},
	}
}

// wrap adds request IDs, authentication, metrics and error rendering.
func (s *Server) wrap(rt route) http.Handler {
	name := rt.method + " " + rt.pattern
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rid := newRequestID()
		w.Header().Set("X-Request-Id", rid)
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		ctx := actor.WithRequestID(r.Context(), rid)
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		a, err := s.authenticate(ctx, r, rt.public)
		if a != nil {
			ctx = actor.With(ctx, a)
		}
		r = r.WithContext(ctx)
		if err == nil {
			err = rt.handle(sw, r)
		}
		if err != nil {
			s.writeError(sw, r, err)
		}
		s.Metrics.observe(name, sw.status, time.Since(start))
		s.Log.Debug("request", "method", r.Method, "route", rt.pattern, "status", sw.status, "duration_ms", time.Since(start).Milliseconds(), "request_id", rid)
	})
}

// authenticate resolves the bearer token, or for safe methods the session
// cookie. State-changing requests must use a token: a cookie alone would
// let another site forge them.
func (s *Server) authenticate(ctx context.Context, r *http.Request, public bool) (*actor.Actor, error) {
	addr := remoteAddr(r)
	if h := r.Header.Get("Authorization"); h != "" {
		tok, ok := strings.CutPrefix(h, "Bearer ")
		if !ok {
			return nil, &errs.Error{Code: errs.Unauthorized, Message: "use an Authorization: Bearer <token> header"}
		}
		return s.Orgs.AuthenticateToken(ctx, strings.TrimSpace(tok), addr)
	}
	if c, err := r.Cookie(SessionCookie); err == nil && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
		a, _, err := s.Orgs.AuthenticateSession(ctx, c.Value, addr)
		return a, err
	}
	if public {
		return nil, nil
	}
	return nil, &errs.Error{Code: errs.Unauthorized, Message: "sign in first: send an API token as Authorization: Bearer <token> (warroom login)"}
}

func remoteAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func newRequestID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// Flush lets event streams push through the wrapper.
func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap gives http.ResponseController access to the real writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok", "version": s.Version})
}

// readyz answers 200 only when the database answers, so a load balancer
// stops sending traffic to a replica that lost it.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.DB.Ping(ctx); err != nil {
		s.Log.Warn("not ready", "err", err)
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "database unavailable"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}

// NewMetrics registers the API's metrics in reg.
func NewMetrics(reg *prometheus.Registry) *Metrics {
	m := &Metrics{
		registry: reg,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "warroom_http_requests_total", Help: "API requests by route and status."}, []string{"route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "warroom_http_request_duration_seconds", Help: "API request latency by route.",
			Buckets: prometheus.DefBuckets}, []string{"route"}),
		streams: prometheus.NewGauge(prometheus.GaugeOpts{Name: "warroom_event_streams", Help: "Open Server-Sent Events streams."}),
	}
	reg.MustRegister(m.requests, m.duration, m.streams)
	return m
}
