package api_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/warroom/warroom/client"
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
)

// env is a running API on a real database with two organisations: Acme
// (admin, responder, viewer, nonmember, extra) and Other (outsider).
type env struct {
	t      *testing.T
	db     *db.DB
	orgs   *org.Service
	inc    *incident.Service
	cts    *contact.Service
	ev     *evidence.Service
	iocs   *ioc.Service
	srv    *httptest.Server
	api    *api.Server
	actors map[string]*actor.Actor
}

func newEnv(t *testing.T, d *db.DB) *env {
	t.Helper()
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	e := &env{t: t, db: d, orgs: &org.Service{DB: d, Now: time.Now, Log: log}, inc: &incident.Service{DB: d, Now: time.Now, Log: log},
		cts: &contact.Service{DB: d, Now: time.Now, Log: log}, actors: map[string]*actor.Actor{},
		// A small upload limit so the oversize case is cheap; tests of big uploads raise it.
		ev: &evidence.Service{DB: d, Now: time.Now, Log: log, Blobs: &evidence.Blobs{Dir: filepath.Join(t.TempDir(), "blobs")}, MaxSize: 1 << 20}}
	acme, err := e.orgs.Bootstrap(ctx, org.BootstrapInput{OrgName: "Acme", Email: "admin@acme.test", Name: "Ada", Password: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	e.actors["admin"] = &actor.Actor{UserID: acme.Admin.ID, OrgID: acme.Org.ID, Email: acme.Admin.Email, Name: "Ada", Role: actor.Admin}
	for name, role := range map[string]actor.Role{"responder": actor.Responder, "viewer": actor.Viewer, "nonmember": actor.Responder, "extra": actor.Responder} {
		m, _, err := e.orgs.AddUser(actor.With(ctx, e.actors["admin"]), org.AddUserInput{Email: name + "@acme.test", Name: name, Role: role, Password: "correct horse battery"})
		if err != nil {
			t.Fatal(err)
		}
		e.actors[name] = &actor.Actor{UserID: m.ID, OrgID: acme.Org.ID, Email: m.Email, Name: name, Role: role}
	}
	other, err := e.orgs.Bootstrap(ctx, org.BootstrapInput{OrgName: "Other", Email: "boss@other.test", Password: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	e.actors["outsider"] = &actor.Actor{UserID: other.Admin.ID, OrgID: other.Org.ID, Email: other.Admin.Email, Role: actor.Admin}
	s := &api.Server{DB: d, Orgs: e.orgs, Incidents: e.inc, Plans: &plan.Service{DB: d, Now: time.Now, Log: log}, Contacts: e.cts, Evidence: e.ev, Log: log,
		Notify: &notify.Service{DB: d, Now: time.Now, Escalator: &notify.Escalator{DB: d, Now: time.Now, Resolve: plan.Resolver{}, OnEvent: plan.RecordEvent}}, Metrics: api.NewMetrics(prometheus.NewRegistry()),
		MaxBody: 64 << 10, Heartbeat: 200 * time.Millisecond, Version: "test"}
	e.iocs = &ioc.Service{DB: d, Now: time.Now, Log: log}
	s.IOCs = e.iocs
	s.Attack = &attack.Service{DB: d, Now: time.Now, Log: log}
	obRules, err := obligation.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	s.Obligations = &obligation.Service{DB: d, Now: time.Now, Log: log, Rules: obRules}
	mux := http.NewServeMux()
	s.Register(mux)
	e.api = s
	e.srv = httptest.NewServer(mux)
	t.Cleanup(e.srv.Close)
	return e
}

// ctx returns a context acting as the named person.
func (e *env) ctx(name string) context.Context {
	return actor.With(context.Background(), e.actors[name])
}

// client returns an API client with a fresh token of the named person.
func (e *env) client(name string) *client.Client {
	e.t.Helper()
	secret, _, err := e.orgs.CreateToken(e.ctx(name), org.TokenInput{Name: "test"})
	if err != nil {
		e.t.Fatal(err)
	}
	c := client.New(e.srv.URL, secret)
	c.Strict = true
	return c
}
