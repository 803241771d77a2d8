package notify_test

import (
	"context"
	"crypto/tls"
	"strings"
	"testing"
	"time"

	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/db/dbtest"
	"github.com/warroom/warroom/internal/errs"
	"github.com/warroom/warroom/internal/notify"
)

// startPage starts a one-level page on the world's incident and returns it
// with the token NewPage gave.
func startPage(t testing.TB, w *world, source string, spec notify.Spec) (notify.Page, string) {
	t.Helper()
	var p notify.Page
	var token string
	w.write(t, func(tx *db.Tx) error {
		var err error
		p, token, err = notify.NewPage(context.Background(), tx, notify.Page{OrgID: w.orgID, IncidentID: w.incident.ID,
			Source: source, Spec: spec, StartedAt: w.clock.Now()})
		return err
	})
	return p, token
}

var oneLevel = notify.Spec{Levels: []notify.Level{{Roles: []string{"incident_commander"}}}}

func TestEmailOverSMTP(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, t0)
		srv := startSMTP(t, nil)
		mailer, err := notify.NewSMTP(notify.SMTPConfig{Host: srv.host, Port: srv.port, TLS: notify.TLSNone,
			From: "Warroom <warroom@acme.test>", Timeout: 5 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		page, _ := startPage(t, w, "test:email", oneLevel)
		id := w.enqueue(t, notify.Message{PageID: page.ID, Event: "page_started", Channel: notify.ChannelEmail,
			Target: "rita@acme.test", Recipient: "Rita Responder", Subject: "[SEV1] You are paged: Ransomware on file servers",
			Text: "You are paged for INC-1 “Ransomware on file servers”."})

		if n, f := runOnce(t, w.worker(mailer)); n != 1 || f != 0 {
			t.Fatalf("RunOnce: delivered %d, failed %d; want 1, 0 (last error: %q)", n, f, w.delivery(t, id).LastError)
		}
		got := srv.received()
		if len(got) != 1 {
			t.Fatalf("server received %d messages, want 1", len(got))
		}
		if got[0].from != "warroom@acme.test" || len(got[0].to) != 1 || got[0].to[0] != "rita@acme.test" {
			t.Errorf("envelope from %q to %q", got[0].from, got[0].to)
		}
		m := parseMail(t, got[0].data)
		if !strings.Contains(m.get("From"), "warroom@acme.test") || m.get("To") != "<rita@acme.test>" {
			t.Errorf("From %q, To %q", m.get("From"), m.get("To"))
		}
		if s := m.get("Subject"); s != "[SEV1] You are paged: Ransomware on file servers" {
			t.Errorf("Subject %q", s)
		}
		if m.get("X-Warroom-Delivery") != id || !strings.Contains(m.get("Message-Id"), id) {
			t.Errorf("X-Warroom-Delivery %q, Message-Id %q; want the delivery ID %s", m.get("X-Warroom-Delivery"), m.get("Message-Id"), id)
		}
		if m.get("Auto-Submitted") != "auto-generated" {
			t.Errorf("Auto-Submitted %q", m.get("Auto-Submitted"))
		}
		for _, want := range []string{"You are paged for INC-1 “Ransomware on file servers”.",
			"Incident:    https://warroom.test/incidents/" + w.incident.Ref, "Acknowledge: https://warroom.test/ack/wrack_"} {
			if !strings.Contains(m.body, want) {
				t.Errorf("body lacks %q:\n%s", want, m.body)
			}
		}
		dl := w.delivery(t, id)
		if dl.Status != notify.Delivered || dl.Attempts != 1 || dl.DeliveredAt == nil || !dl.DeliveredAt.Equal(t0) {
			t.Errorf("delivery %+v; want delivered on the first attempt at %s", dl, t0)
		}
		if strings.Contains(dl.Body, "wrack_") {
			t.Error("the stored message contains an acknowledgement token")
		}

		// The link in the email works, once, and says whose it was.
		esc := &notify.Escalator{DB: d, Now: w.clock.Now}
		p, err := esc.Acknowledge(context.Background(), ackToken(t, m.body), "")
		if err != nil {
			t.Fatal(err)
		}
		if p.AcknowledgedAt == nil || p.AcknowledgedBy != "Rita Responder" {
			t.Errorf("acknowledged at %v by %q; want now by the recipient", p.AcknowledgedAt, p.AcknowledgedBy)
		}
		if n, _ := runOnce(t, w.worker(mailer)); n != 0 || len(srv.received()) != 1 {
			t.Errorf("a second round sent %d more", n)
		}
	})
}

func TestEmailSTARTTLSWithCredentials(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, t0)
		cert, pool := selfSigned(t)
		srv := startSMTP(t, &tls.Config{Certificates: []tls.Certificate{cert}})
		mailer, err := notify.NewSMTP(notify.SMTPConfig{Host: srv.host, Port: srv.port, TLS: notify.TLSStartTLS,
			Username: "warroom", Password: "s3cret", From: "warroom@acme.test", Timeout: 5 * time.Second,
			TLSConfig: &tls.Config{RootCAs: pool, ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12}})
		if err != nil {
			t.Fatal(err)
		}
		id := w.enqueue(t, notify.Message{Channel: notify.ChannelEmail, Target: "rita@acme.test"})
		if n, _ := runOnce(t, w.worker(mailer)); n != 1 {
			t.Fatalf("not delivered: %q", w.delivery(t, id).LastError)
		}
		got := srv.received()
		if len(got) != 1 || !got[0].tls {
			t.Fatalf("received %d messages (tls=%v); want 1 over TLS", len(got), len(got) == 1 && got[0].tls)
		}
		if len(srv.auth) != 1 || srv.auth[0] != "warroom:s3cret" {
			t.Errorf("AUTH seen %q", srv.auth)
		}
	})
}

func TestEmailSTARTTLSRefusesAPlainServer(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, t0)
		srv := startSMTP(t, nil) // offers no STARTTLS
		mailer, err := notify.NewSMTP(notify.SMTPConfig{Host: srv.host, Port: srv.port, TLS: notify.TLSStartTLS,
			Username: "warroom", Password: "s3cret", From: "warroom@acme.test", Timeout: 5 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		id := w.enqueue(t, notify.Message{Channel: notify.ChannelEmail, Target: "rita@acme.test"})
		if _, f := runOnce(t, w.worker(mailer)); f != 1 {
			t.Fatal("delivery to a server without STARTTLS did not fail")
		}
		if len(srv.received()) != 0 || len(srv.auth) != 0 {
			t.Error("the message or the credentials went over an unencrypted connection")
		}
		if dl := w.delivery(t, id); dl.Status != notify.Pending || !strings.Contains(dl.LastError, "STARTTLS") {
			t.Errorf("delivery %s, %q; want pending with the reason", dl.Status, dl.LastError)
		}
	})
}

func TestSMTPConfigValidate(t *testing.T) {
	err := notify.SMTPConfig{TLS: "ssl", Username: "u", From: "nobody"}.Validate()
	fields := map[string]bool{}
	for _, f := range errs.FieldsOf(err) {
		fields[f.Field] = true
	}
	for _, f := range []string{"smtp_host", "smtp_tls", "smtp_from"} {
		if !fields[f] {
			t.Errorf("no problem reported for %s: %v", f, err)
		}
	}
	err = notify.SMTPConfig{Host: "mail", TLS: notify.TLSNone, Username: "u", From: "a@b.test"}.Validate()
	if err == nil {
		t.Error("credentials over TLS mode none were accepted")
	}
}
