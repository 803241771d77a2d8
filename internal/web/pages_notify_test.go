package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/db/dbtest"
	"github.com/warroom/warroom/internal/incident"
	"github.com/warroom/warroom/internal/notify"
)

// notificationFixtures makes a webhook, a failed delivery and a page on
// an incident of Acme, for the pages and forms that act on them.
func (s *site) notificationFixtures(incidentID string) (hook, failed, page string) {
	s.t.Helper()
	ctx := context.Background()
	org := s.actors["admin"].OrgID
	err := s.db.Write(ctx, func(tx *db.Tx) error {
		w, err := notify.CreateWebhook(ctx, tx, time.Now(), notify.NewWebhook{OrgID: org, Name: "soc-chat", URL: "https://chat.example.com/hooks/1", Format: notify.FormatSlack})
		if err != nil {
			return err
		}
		hook = w.ID
		if failed, err = notify.Enqueue(ctx, tx, time.Now(), notify.Message{OrgID: org, Channel: notify.ChannelEmail, Target: "ciso@acme.test",
			Recipient: "CISO", Subject: "Test page", Text: "hello"}); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE outbox SET status = 'failed', attempts = max_attempts, last_error = 'smtp: 550 no such user' WHERE id = $1`, failed); err != nil {
			return err
		}
		p, _, err := notify.NewPage(ctx, tx, notify.Page{OrgID: org, IncidentID: incidentID, Source: "test", StartedAt: time.Now(),
			Spec: notify.Spec{Levels: []notify.Level{{Roles: []string{"incident_commander"}}}}})
		page = p.ID
		return err
	})
	if err != nil {
		s.t.Fatal(err)
	}
	return hook, failed, page
}

func TestNotificationPages(t *testing.T) {
	s := newSite(t, dbtest.OpenSQLite(t))
	i := s.declare("responder", incident.DeclareInput{Title: "Beaconing to a new domain"})
	_, failed, _ := s.notificationFixtures(i.ID)

	admin := s.signIn("admin")
	st, body := admin.get("/admin/notifications?status=failed")
	if st != http.StatusOK {
		t.Fatalf("notifications page: %d", st)
	}
	mustContain(t, body, "soc-chat", "550 no such user", `/admin/deliveries/`+failed+`/retry`)
	r := admin.send("/admin/deliveries/"+failed+"/retry", url.Values{})
	if r.status != http.StatusSeeOther {
		t.Fatalf("retry: %d %s", r.status, errorMessage(r.body))
	}
	if _, body := admin.get("/admin/notifications?status=pending"); !strings.Contains(body, "Test page") {
		t.Error("the retried delivery is not pending")
	}
	r = admin.send("/admin/webhooks", url.Values{"name": {"ir-bridge"}, "url": {"https://chat.example.com/hooks/2"}, "format": {"teams"}})
	if r.status != http.StatusCreated || !strings.Contains(r.body, "shown only now") {
		t.Fatalf("create webhook: %d %s", r.status, errorMessage(r.body))
	}
	r = admin.send("/admin/webhooks", url.Values{"name": {"bad"}, "url": {"ftp://nope"}, "format": {"slack"}})
	if r.status != http.StatusBadRequest {
		t.Fatalf("bad webhook URL: %d", r.status)
	}
	if st, _ := s.signIn("responder").get("/admin/notifications"); st != http.StatusForbidden {
		t.Errorf("a responder opened the notifications page: %d", st)
	}

	// The war room shows the page and acknowledges it.
	rita := s.signIn("responder")
	_, room := rita.get("/incidents/" + i.Ref)
	mustContain(t, room, "Paging, not acknowledged")
	m := regexpFind(room, `action="(/incidents/[^"]+/pages/[^"]+/ack)"`)
	r = rita.send(m, url.Values{})
	if r.status != http.StatusSeeOther {
		t.Fatalf("acknowledge: %d %s", r.status, errorMessage(r.body))
	}
	_, room = rita.get("/incidents/" + i.Ref)
	mustContain(t, room, "Acknowledged", "by Rita Responder")
	tl, _ := s.inc.Timeline(s.ctx("admin"), i.Ref, incident.TimelineFilter{Kinds: []string{string(notify.PageAcknowledged)}})
	if len(tl.Items) != 1 {
		t.Fatalf("acknowledgement not on the timeline: %+v", tl.Items)
	}
}

// TestAckLink: opening a link changes nothing (scanners fetch links); the
// button acknowledges; a forged token is not found; another site cannot
// post it.
func TestAckLink(t *testing.T) {
	s := newSite(t, dbtest.OpenSQLite(t))
	anon := s.anonymous()
	st, body := anon.get("/ack/not-a-token")
	if st != http.StatusOK || !strings.Contains(body, "Acknowledge the page") {
		t.Fatalf("ack page: %d", st)
	}
	r := anon.do(http.MethodPost, "/ack/not-a-token", url.Values{"by": {"Ada"}}, nil)
	if r.status != http.StatusNotFound {
		t.Fatalf("forged token: %d", r.status)
	}
	r = anon.do(http.MethodPost, "/ack/not-a-token", url.Values{"by": {"Ada"}}, map[string]string{"Origin": "https://evil.example"})
	if r.status != http.StatusForbidden {
		t.Fatalf("cross-site ack: %d", r.status)
	}
}
