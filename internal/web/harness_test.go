package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/warroom/warroom/internal/actor"
	"github.com/warroom/warroom/internal/api"
	"github.com/warroom/warroom/internal/attack"
	"github.com/warroom/warroom/internal/contact"
	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/evidence"
	"github.com/warroom/warroom/internal/incident"
	"github.com/warroom/warroom/internal/ioc"
	"github.com/warroom/warroom/internal/notify"
	"github.com/warroom/warroom/internal/obligation"
	"github.com/warroom/warroom/internal/org"
	"github.com/warroom/warroom/internal/plan"
	"github.com/warroom/warroom/internal/web"
)

const password = "correct horse battery"

// site is the whole HTTP surface (web UI and API, as warroom serve
// mounts them) on a real database, with Acme's people: admin, responder
// (rita), responder2 (rob), viewer (vic); and Other's admin (outsider).
type site struct {
	t     testing.TB
	db    *db.DB
	orgs  *org.Service
	inc   *incident.Service
	srv   *httptest.Server
	plans *plan.Service
	// contacts is Acme's directory; it holds outside-counsel from the start.
	contacts *contact.Service
	// iocs and locker are the services the site serves indicators and
	// evidence with, for seeding.
	iocs   *ioc.Service
	locker *evidence.Service
	actors map[string]*actor.Actor
	emails map[string]string
}

func newSite(t testing.TB, d *db.DB) *site {
	t.Helper()
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	s := &site{t: t, db: d, orgs: &org.Service{DB: d, Now: time.Now, Log: log}, inc: &incident.Service{DB: d, Now: time.Now, Log: log},
		actors: map[string]*actor.Actor{}, emails: map[string]string{}}
	boot, err := s.orgs.Bootstrap(ctx, org.BootstrapInput{OrgName: "Acme", Email: "ada@acme.test", Name: "Ada Admin", Password: password})
	if err != nil {
		t.Fatal(err)
	}
	s.actors["admin"] = &actor.Actor{UserID: boot.Admin.ID, OrgID: boot.Org.ID, Email: boot.Admin.Email, Name: "Ada Admin", Role: actor.Admin}
	s.emails["admin"] = "ada@acme.test"
	for key, p := range map[string]struct {
		email, name string
		role        actor.Role
	}{"responder": {"rita@acme.test", "Rita Responder", actor.Responder}, "responder2": {"rob@acme.test", "Rob Responder", actor.Responder},
		"viewer": {"vic@acme.test", "Vic Viewer", actor.Viewer}} {
		m, _, err := s.orgs.AddUser(actor.With(ctx, s.actors["admin"]), org.AddUserInput{Email: p.email, Name: p.name, Role: p.role, Password: password})
		if err != nil {
			t.Fatal(err)
		}
		s.actors[key] = &actor.Actor{UserID: m.ID, OrgID: boot.Org.ID, Email: m.Email, Name: m.Name, Role: p.role}
		s.emails[key] = p.email
	}
	other, err := s.orgs.Bootstrap(ctx, org.BootstrapInput{OrgName: "Other", Email: "boss@other.test", Password: password})
	if err != nil {
		t.Fatal(err)
	}
	s.actors["outsider"] = &actor.Actor{UserID: other.Admin.ID, OrgID: other.Org.ID, Email: other.Admin.Email, Role: actor.Admin}
	s.emails["outsider"] = "boss@other.test"

	// Acme's library holds the ransomware starter plan, so the plan pages
	// have something to show.
	s.plans = &plan.Service{DB: d, Now: time.Now, Log: log}
	starters, err := plan.Starters()
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.plans.Import(s.ctx("admin"), "ransomware.yaml", starters["ransomware.yaml"]); err != nil {
		t.Fatal(err)
	}
	s.contacts = &contact.Service{DB: d, Now: time.Now, Log: log}
	if _, err := s.contacts.Create(s.ctx("admin"), contact.Input{Key: "outside-counsel", Name: "Jo Barrister", Kind: "outside_counsel",
		Role: "Partner, data protection", Organization: "Barrister & Co", WorkEmail: "jo@barrister.example", Phone: "+44 20 7946 0958",
		Signal: "+44 7700 900123"}); err != nil {
		t.Fatal(err)
	}
	s.iocs, s.locker = analysisServices(t, d)
	s.srv = mountWith(t, d, s.orgs, s.inc, s.iocs, s.locker)
	return s
}

// mount serves the web UI and the API, as warroom serve does.
func mount(t testing.TB, d *db.DB, orgs *org.Service, inc *incident.Service) *httptest.Server {
	t.Helper()
	iocs, locker := analysisServices(t, d)
	return mountWith(t, d, orgs, inc, iocs, locker)
}

// analysisServices are the indicator service and an evidence locker with
// its own blob directory and an 8 MiB upload limit.
func analysisServices(t testing.TB, d *db.DB) (*ioc.Service, *evidence.Service) {
	log := quiet()
	return &ioc.Service{DB: d, Now: time.Now, Log: log},
		&evidence.Service{DB: d, Now: time.Now, Log: log, Blobs: &evidence.Blobs{Dir: filepath.Join(t.TempDir(), "blobs")}, MaxSize: 8 << 20}
}

func mountWith(t testing.TB, d *db.DB, orgs *org.Service, inc *incident.Service, iocs *ioc.Service, locker *evidence.Service) *httptest.Server {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	mux := http.NewServeMux()
	plans := &plan.Service{DB: d, Now: time.Now, Log: log}
	contacts := &contact.Service{DB: d, Now: time.Now, Log: log}
	attackSvc := &attack.Service{DB: d, Now: time.Now, Log: log}
	obRules, err := obligation.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	obligations := &obligation.Service{DB: d, Now: time.Now, Log: log, Rules: obRules}
	(&api.Server{DB: d, Orgs: orgs, Incidents: inc, Plans: plans, Contacts: contacts, IOCs: iocs, Evidence: locker, Attack: attackSvc, Obligations: obligations, Log: log, Metrics: api.NewMetrics(prometheus.NewRegistry()),
		MaxBody: 1 << 20, Heartbeat: time.Second, Version: "test"}).Register(mux)
	if err := (&web.Server{Orgs: orgs, Incidents: inc, Plans: plans, Notify: &notify.Service{DB: d, Now: time.Now,
		Escalator: &notify.Escalator{DB: d, Now: time.Now, Resolve: plan.Resolver{}, OnEvent: plan.RecordEvent}}, Contacts: contacts, IOCs: iocs, Evidence: locker, Attack: attackSvc, Obligations: obligations, Log: log, Version: "test"}).Register(mux); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func (s *site) ctx(who string) context.Context {
	return actor.With(context.Background(), s.actors[who])
}

// declare declares an incident as who through the service.
func (s *site) declare(who string, in incident.DeclareInput) incident.Incident {
	s.t.Helper()
	if in.Type == "" {
		in.Type = "ransomware"
	}
	if in.Severity == "" {
		in.Severity = "SEV1"
	}
	if in.Title == "" {
		in.Title = "Encrypted file shares"
	}
	i, err := s.inc.Declare(s.ctx(who), in)
	if err != nil {
		s.t.Fatal(err)
	}
	return i
}

// browser is a signed-in HTTP client with cookies, as a browser without
// JavaScript would be.
type browser struct {
	t    testing.TB
	base string
	c    *http.Client
}

func (s *site) signIn(who string) *browser {
	s.t.Helper()
	jar, _ := cookiejar.New(nil)
	b := &browser{t: s.t, base: s.srv.URL, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	status, _, loc := b.post("/login", url.Values{"email": {s.emails[who]}, "password": {password}, "next": {"/"}})
	if status != http.StatusSeeOther || loc != "/" {
		s.t.Fatalf("sign in as %s: %d -> %q", who, status, loc)
	}
	return b
}

func (b *browser) get(path string) (int, string) {
	b.t.Helper()
	resp, err := b.c.Get(b.base + path)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// csrf reads the CSRF token from a page's forms.
func (b *browser) csrf(path string) string {
	b.t.Helper()
	_, body := b.get(path)
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(body)
	if m == nil {
		b.t.Fatalf("no CSRF token on %s", path)
	}
	return m[1]
}

// post sends a form and returns the status, body and redirect location.
func (b *browser) post(path string, form url.Values) (int, string, string) {
	b.t.Helper()
	resp, err := b.c.PostForm(b.base+path, form)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	loc := resp.Header.Get("Location")
	if i := strings.IndexAny(loc, "?#"); i >= 0 && strings.HasPrefix(loc, "/login") {
		loc = loc[:i]
	}
	return resp.StatusCode, string(body), loc
}

// submit posts a form from a page with the page's CSRF token.
func (b *browser) submit(page, action string, form url.Values) (int, string, string) {
	b.t.Helper()
	form.Set("csrf", b.csrf(page))
	return b.post(action, form)
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
