package api_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/warroom/warroom/client"
	"github.com/warroom/warroom/internal/api"
	"github.com/warroom/warroom/internal/contact"
	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/db/dbtest"
	"github.com/warroom/warroom/internal/evidence"
	"github.com/warroom/warroom/internal/incident"
	"github.com/warroom/warroom/internal/ioc"
	"github.com/warroom/warroom/internal/notify"
	"github.com/warroom/warroom/internal/org"
	"github.com/warroom/warroom/internal/plan"
)

// TestReplicasShareLiveUpdates runs two API servers on one PostgreSQL
// database: an entry written through one reaches a stream on the other
// (LISTEN/NOTIFY), as behind a load balancer.
func TestReplicasShareLiveUpdates(t *testing.T) {
	if dbtest.PostgresURL(t) == "" {
		t.Skipf("%s is not set; skipping PostgreSQL", dbtest.PostgresEnv)
	}
	url := dbtest.FreshPostgres(t)
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	open := func() *db.DB {
		d, err := db.Open(ctx, db.Config{URL: url}, log)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { d.Close() })
		if _, _, err := d.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		return d
	}
	a := newEnv(t, open()) // replica A, with the people
	d2 := open()
	orgs2 := &org.Service{DB: d2, Now: time.Now, Log: log}
	s2 := &api.Server{DB: d2, Orgs: orgs2, Incidents: &incident.Service{DB: d2, Now: time.Now, Log: log}, Plans: &plan.Service{DB: d2, Now: time.Now, Log: log}, Notify: &notify.Service{DB: d2, Now: time.Now},
		Contacts: &contact.Service{DB: d2, Now: time.Now, Log: log}, Evidence: &evidence.Service{DB: d2, Now: time.Now, Log: log, Blobs: a.ev.Blobs}, Log: log, Metrics: api.NewMetrics(prometheus.NewRegistry()), MaxBody: 1 << 20, Heartbeat: time.Minute, Version: "test"}
	mux := http.NewServeMux()
	s2.IOCs = &ioc.Service{DB: d2, Now: time.Now, Log: log}
	s2.Register(mux)
	b := httptest.NewServer(mux)
	t.Cleanup(b.Close)

	i := MustDeclare(t, a, "responder", incident.DeclareInput{Title: "Cross-replica"})
	onB := a.client("viewer")
	onB.BaseURL = b.URL
	ch, cancel := collect(t, onB, "/api/v1/incidents/"+i.Ref+"/events", "")
	defer cancel()
	time.Sleep(300 * time.Millisecond)
	// The heartbeat on B is a minute: only a NOTIFY can deliver this in time.
	if _, err := a.client("responder").AddEntry(ctx, i.Ref, client.EntryInput{Text: "written on A"}); err != nil {
		t.Fatal(err)
	}
	ev := next(t, ch)
	if ev.Entry.Text != "written on A" {
		t.Fatalf("replica B streamed %+v", ev)
	}
	// Evidence uploaded through A downloads through B: the replicas share
	// the database and the blob directory (docs/evidence.md).
	up, err := a.client("responder").UploadEvidence(ctx, i.Ref, client.EvidenceMeta{}, "beacon.dll", strings.NewReader("shared blob"))
	if err != nil {
		t.Fatal(err)
	}
	onBResponder := a.client("responder")
	onBResponder.BaseURL = b.URL
	var got strings.Builder
	if d, err := onBResponder.DownloadEvidence(ctx, i.Ref, up.Label, "", &got); err != nil || got.String() != "shared blob" || d.SHA256 != up.SHA256 {
		t.Fatalf("download on B of an upload to A: %q %+v %v", got.String(), d, err)
	}
}
