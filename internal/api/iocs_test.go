package api_test

import (
	"context"
	"net/http"
	"slices"
	"testing"

	"github.com/warroom/warroom/client"
	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/db/dbtest"
	"github.com/warroom/warroom/internal/incident"
)

// TestIndicators drives the indicator routes through the Go client with
// strict decoding: add (201), add again (merged, 200), list with the
// correlation to a restricted incident shown only to its roster, update
// with If-Match, delete, and extraction.
func TestIndicators(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		a := MustDeclare(t, e, "admin", incident.DeclareInput{Title: "Phishing wave", TLP: "green"})
		r := MustDeclare(t, e, "admin", incident.DeclareInput{Title: "Insider case", Restricted: true})
		if _, err := e.inc.Assign(e.ctx("admin"), r.Ref, incident.AssignInput{Role: "scribe", User: "responder@acme.test"}); err != nil {
			t.Fatal(err)
		}
		resp, nonmember := e.client("responder"), e.client("nonmember")

		x, created, err := resp.AddIndicator(ctx, a.Ref, client.IndicatorInput{Type: "url", Value: "hxxps://Login.Evil[.]example:443/owa", Tags: []string{"phishing"}})
		if err == nil || client.ErrorCode(err) != "invalid" {
			// Refanging is extraction's job: an API value is taken as written.
			t.Fatalf("defanged value accepted: %+v, %v", x, err)
		}
		x, created, err = resp.AddIndicator(ctx, a.Ref, client.IndicatorInput{Type: "url", Value: "HTTPS://Login.Evil.example:443/owa", Tags: []string{"phishing"}})
		if err != nil || !created || x.Value != "https://login.evil.example/owa" || x.TLP != "green" || len(x.SeenIn) != 0 {
			t.Fatalf("add: %+v, created %v, %v", x, created, err)
		}
		again, created, err := resp.AddIndicator(ctx, a.Ref, client.IndicatorInput{Type: "url", Value: "https://login.evil.example/owa", Note: "second wave"})
		if err != nil || created || again.ID != x.ID || again.Version != 2 || again.Note != "second wave" {
			t.Fatalf("merge: %+v, created %v, %v", again, created, err)
		}
		if _, _, err := resp.AddIndicator(ctx, r.Ref, client.IndicatorInput{Type: "url", Value: "https://login.evil.example/owa"}); err != nil {
			t.Fatal(err)
		}
		for c, want := range map[*client.Client][]string{resp: {r.Ref}, nonmember: {}} {
			page, err := c.Indicators(ctx, a.Ref, client.IndicatorFilter{Type: "url"})
			if err != nil || len(page.Items) != 1 || !slices.Equal(page.Items[0].SeenIn, want) {
				t.Errorf("list: %+v, %v; want seen in %v", page.Items, err, want)
			}
		}
		if _, err := nonmember.Indicators(ctx, r.Ref, client.IndicatorFilter{}); client.ErrorCode(err) != "not_found" {
			t.Errorf("non-member lists R: %v", err)
		}
		conf := 90
		up, err := resp.UpdateIndicator(ctx, a.Ref, x.ID, client.IndicatorPatch{Confidence: &conf}, 2)
		if err != nil || up.Confidence != 90 || up.Version != 3 {
			t.Fatalf("update: %+v, %v", up, err)
		}
		if _, err := resp.UpdateIndicator(ctx, a.Ref, x.ID, client.IndicatorPatch{Confidence: &conf}, 2); client.ErrorCode(err) != "precondition_failed" {
			t.Errorf("stale update: %v", err)
		}
		if got, err := e.client("viewer").Indicator(ctx, a.Ref, x.ID); err != nil || got.Version != 3 {
			t.Errorf("viewer reads: %+v, %v", got, err)
		}
		if err := resp.DeleteIndicator(ctx, a.Ref, x.ID, 3); err != nil {
			t.Fatal(err)
		}
		if _, err := resp.Indicator(ctx, a.Ref, x.ID); client.ErrorCode(err) != "not_found" {
			t.Errorf("after delete: %v", err)
		}

		cs, err := e.client("viewer").ExtractIndicators(ctx, "C2 hxxp://evil-cdn[.]top/x\nfrom 10.0.0.5 and 45.1.2.3")
		want := []client.Candidate{
			{Type: "url", Value: "http://evil-cdn.top/x", Raw: "hxxp://evil-cdn[.]top/x", Line: 1, Suggest: true},
			{Type: "ipv4", Value: "10.0.0.5", Raw: "10.0.0.5", Line: 2, Note: "private address (RFC 1918)"},
			{Type: "ipv4", Value: "45.1.2.3", Raw: "45.1.2.3", Line: 2, Suggest: true},
		}
		if err != nil || !slices.Equal(cs, want) {
			t.Errorf("extract: %+v, %v", cs, err)
		}
		r2, err := resp.Do(ctx, http.MethodPost, "/api/v1/incidents/"+a.Ref+"/iocs", nil, map[string]string{"type": "cve", "value": "cve-2024-3400"}, nil)
		if err != nil || r2.Status != http.StatusCreated || r2.Header.Get("ETag") != `"1"` || r2.Header.Get("Location") == "" {
			t.Errorf("created headers: %+v, %v", r2, err)
		}
	})
}
