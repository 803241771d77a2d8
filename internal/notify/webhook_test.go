package notify_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/db/dbtest"
	"github.com/warroom/warroom/internal/notify"
)

// realNow is a start time near the real clock: receivers check the
// signature's timestamp against real time.
func realNow() time.Time { return time.Now().UTC().Truncate(time.Second) }

func TestWebhookGenericIsSigned(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, realNow())
		rc := newReceiver(t)
		hook := w.webhook(t, rc.srv.URL+"/hooks/warroom", notify.FormatGeneric)
		if !strings.HasPrefix(hook.Secret, "whsec_") || len(hook.Secret) < 40 {
			t.Fatalf("secret %q is not a fresh random secret", hook.Secret)
		}
		rc.setSecret(hook.Secret)
		page, _ := startPage(t, w, "test:generic", oneLevel)
		id := w.enqueue(t, notify.Message{PageID: page.ID, Event: "page_started", Channel: notify.ChannelWebhook, Target: hook.ID,
			Subject: "You are paged", Text: "You are paged for the ransomware incident."})
		if n, _ := runOnce(t, w.worker(nil)); n != 1 {
			t.Fatalf("not delivered: %q", w.delivery(t, id).LastError)
		}
		body, h := rc.last(t)
		if h.Get("Warroom-Delivery") != id || h.Get("Warroom-Event") != "page_started" {
			t.Errorf("headers Warroom-Delivery %q, Warroom-Event %q", h.Get("Warroom-Delivery"), h.Get("Warroom-Event"))
		}
		var p map[string]any
		if err := json.Unmarshal(body, &p); err != nil {
			t.Fatal(err)
		}
		ack, _ := p["ack_url"].(string)
		if !strings.HasPrefix(ack, "https://warroom.test/ack/wrack_") {
			t.Errorf("ack_url %q", ack)
		}
		delete(p, "ack_url")
		want := map[string]any{
			"id": id, "event": "page_started", "timestamp": w.clock.Now().Format(time.RFC3339), "page_id": page.ID,
			"incident": map[string]any{"id": w.incident.ID, "ref": w.incident.Ref, "title": "Ransomware on file servers", "severity": "SEV1"},
			"subject":  "You are paged", "text": "You are paged for the ransomware incident.",
			"link": "https://warroom.test/incidents/" + w.incident.Ref,
		}
		if diff := cmp.Diff(want, p); diff != "" {
			t.Errorf("generic payload (-want +got):\n%s", diff)
		}
		// The scheme as implemented and as documented agree, and a change
		// to the body breaks the signature.
		sig := notify.Sign(hook.Secret, time.Now(), body)
		if err := verifySignature(hook.Secret, sig, body, time.Now()); err != nil {
			t.Errorf("Sign does not verify: %v", err)
		}
		if verifySignature(hook.Secret, sig, append(body, ' '), time.Now()) == nil {
			t.Error("a changed body still verifies")
		}
	})
}

func TestWebhookReceiverRejects(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, realNow())
		for _, tc := range []struct {
			name   string
			secret func(notify.Webhook) string
			skew   time.Duration
		}{
			{"WrongSecret", func(notify.Webhook) string { return "whsec_not-the-one" }, 0},
			{"OldTimestamp", func(h notify.Webhook) string { return h.Secret }, -10 * time.Minute},
		} {
			t.Run(tc.name, func(t *testing.T) {
				w.clock.Set(realNow().Add(tc.skew))
				rc := newReceiver(t)
				hook := w.webhook(t, rc.srv.URL, notify.FormatGeneric)
				rc.setSecret(tc.secret(hook))
				id := w.enqueue(t, notify.Message{Channel: notify.ChannelWebhook, Target: hook.ID})
				if n, f := runOnce(t, w.worker(nil)); n != 0 || f != 1 {
					t.Fatalf("delivered %d, failed %d; want the receiver to refuse", n, f)
				}
				// A 4xx is the receiver refusing this request: retrying it
				// unchanged will not help, so it fails at once, visibly.
				dl := w.delivery(t, id)
				if dl.Status != notify.Failed || dl.Attempts != 1 || !strings.Contains(dl.LastError, "401") {
					t.Errorf("delivery %s after %d attempts, %q; want failed with the 401", dl.Status, dl.Attempts, dl.LastError)
				}
				if strings.Contains(dl.LastError, rc.srv.URL) {
					t.Error("the error names the webhook URL (a credential for Slack and Teams)")
				}
			})
		}
	})
}

func TestWebhookChatFormats(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, realNow())
		page, _ := startPage(t, w, "test:chat", oneLevel)
		payloads := map[notify.Format]map[string]any{}
		for _, f := range []notify.Format{notify.FormatSlack, notify.FormatTeams, notify.FormatMattermost} {
			rc := newReceiver(t)
			hook := w.webhook(t, rc.srv.URL, f)
			rc.setSecret(hook.Secret)
			w.enqueue(t, notify.Message{PageID: page.ID, Channel: notify.ChannelWebhook, Target: hook.ID,
				Subject: "INC-1 escalated <to you>", Text: "Nobody has acknowledged & it is escalated."})
			if n, _ := runOnce(t, w.worker(nil)); n != 1 {
				t.Fatalf("%s: not delivered", f)
			}
			body, _ := rc.last(t)
			var p map[string]any
			if err := json.Unmarshal(body, &p); err != nil {
				t.Fatal(err)
			}
			payloads[f] = p
		}
		keys := func(m map[string]any) []string {
			var k []string
			for key := range m {
				k = append(k, key)
			}
			slices.Sort(k)
			return k
		}
		link := "https://warroom.test/incidents/" + w.incident.Ref

		slack := payloads[notify.FormatSlack]
		if diff := cmp.Diff([]string{"text"}, keys(slack)); diff != "" {
			t.Errorf("slack keys: %s", diff)
		}
		text, _ := slack["text"].(string)
		for _, want := range []string{"*INC-1 escalated &lt;to you&gt;*", "acknowledged &amp; it", "|Acknowledge>", "<" + link + "|Open incident>", "<https://warroom.test/ack/wrack_"} {
			if !strings.Contains(text, want) {
				t.Errorf("slack text lacks %q:\n%s", want, text)
			}
		}

		mm := payloads[notify.FormatMattermost]
		text, _ = mm["text"].(string)
		if diff := cmp.Diff([]string{"text"}, keys(mm)); diff != "" || !strings.Contains(text, "**INC-1 escalated <to you>**") ||
			!strings.Contains(text, "[Open incident]("+link+")") || !strings.Contains(text, "[Acknowledge](https://warroom.test/ack/wrack_") {
			t.Errorf("mattermost payload %v", mm)
		}

		teams := payloads[notify.FormatTeams]
		if diff := cmp.Diff([]string{"@context", "@type", "potentialAction", "summary", "text", "themeColor", "title"}, keys(teams)); diff != "" {
			t.Errorf("teams keys: %s", diff)
		}
		if teams["@type"] != "MessageCard" || teams["@context"] != "https://schema.org/extensions" ||
			teams["summary"] != "INC-1 escalated <to you>" || teams["title"] != "INC-1 escalated <to you>" ||
			teams["text"] != "Nobody has acknowledged & it is escalated." {
			t.Errorf("teams card %v", teams)
		}
		actions, _ := teams["potentialAction"].([]any)
		if len(actions) != 2 {
			t.Fatalf("teams actions %v", actions)
		}
		first, _ := actions[0].(map[string]any)
		if first["@type"] != "OpenUri" || first["name"] != "Acknowledge" {
			t.Errorf("teams first action %v", first)
		}
	})
}

func TestWebhookDisabledOrRemovedIsCancelled(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, realNow())
		rc := newReceiver(t)
		off, gone := w.webhook(t, rc.srv.URL+"/off", notify.FormatGeneric), w.webhook(t, rc.srv.URL+"/gone", notify.FormatGeneric)
		a := w.enqueue(t, notify.Message{Channel: notify.ChannelWebhook, Target: off.ID})
		b := w.enqueue(t, notify.Message{Channel: notify.ChannelWebhook, Target: gone.ID})
		w.write(t, func(tx *db.Tx) error {
			if err := notify.SetWebhookEnabled(context.Background(), tx, w.orgID, off.ID, false); err != nil {
				return err
			}
			return notify.DeleteWebhook(context.Background(), tx, w.orgID, gone.ID)
		})
		runOnce(t, w.worker(nil))
		for _, id := range []string{a, b} {
			if dl := w.delivery(t, id); dl.Status != notify.Cancelled {
				t.Errorf("delivery to a disabled or removed webhook is %s (%q)", dl.Status, dl.LastError)
			}
		}
		if r, _ := rc.counts(""); r != 0 {
			t.Errorf("the receiver got %d requests", r)
		}
	})
}

func TestWebhookStore(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := newWorld(t, d, t0)
		hook := w.webhook(t, "https://hooks.slack.test/services/T000/B000/XXXXSECRET", notify.FormatSlack)
		if got := hook.Redacted(); got.Secret != "" || strings.Contains(got.URL, "XXXXSECRET") {
			t.Errorf("Redacted kept a credential: %+v", got)
		}
		w.write(t, func(tx *db.Tx) error {
			list, err := notify.ListWebhooks(ctx, tx, w.orgID)
			if err != nil {
				return err
			}
			if len(list) != 1 || list[0].ID != hook.ID || list[0].Secret != "" || !list[0].Enabled {
				t.Errorf("ListWebhooks = %+v; want the webhook without its secret", list)
			}
			if other, _ := notify.ListWebhooks(ctx, tx, "another-org"); len(other) != 0 {
				t.Error("another organisation sees the webhook")
			}
			secret, err := notify.RotateWebhookSecret(ctx, tx, w.orgID, hook.ID)
			if err != nil {
				return err
			}
			if got, _ := notify.GetWebhook(ctx, tx, w.orgID, hook.ID); secret == hook.Secret || got.Secret != secret {
				t.Error("the secret was not rotated")
			}
			for name, in := range map[string]notify.NewWebhook{
				"Duplicate": {OrgID: w.orgID, Name: hook.Name, URL: "https://x.test", Format: notify.FormatGeneric},
				"BadURL":    {OrgID: w.orgID, Name: "ftp", URL: "ftp://x.test/", Format: notify.FormatGeneric},
				"BadFormat": {OrgID: w.orgID, Name: "irc", URL: "https://x.test", Format: "irc"},
			} {
				if _, err := notify.CreateWebhook(ctx, tx, t0, in); err == nil {
					t.Errorf("%s: accepted", name)
				}
			}
			return nil
		})
	})
}
