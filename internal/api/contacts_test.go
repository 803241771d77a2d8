package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/warroom/warroom/client"
	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/db/dbtest"
)

// TestContacts drives the directory through the Go client (strict, so the
// client's types cannot drift from the server's): add, list stale, verify,
// a stale If-Match, a changed number clearing the verification, delete.
func TestContacts(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		rita, ada := e.client("responder"), e.client("admin")
		c, err := rita.CreateContact(ctx, client.ContactInput{Key: "outside-counsel", Name: "Jo Barrister", Kind: "outside_counsel",
			Role: "Partner, data protection", WorkEmail: "jo@barrister.example", Phone: "+44 20 7946 0958", Signal: "+44 7700 900123"})
		if err != nil {
			t.Fatal(err)
		}
		if !c.Stale || c.Phone != "+442079460958" || c.Version != 1 {
			t.Fatalf("created: %+v", c)
		}

		resp, err := http.Get(e.srv.URL + "/api/v1/contacts/outside-counsel")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("anonymous read: %d", resp.StatusCode)
		}
		req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/api/v1/contacts/Outside-Counsel", nil)
		req.Header.Set("Authorization", "Bearer "+rita.Token)
		if resp, err = http.DefaultClient.Do(req); err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 || resp.Header.Get("ETag") != `"1"` {
			t.Errorf("GET: %d, ETag %q", resp.StatusCode, resp.Header.Get("ETag"))
		}

		stale, err := e.client("viewer").Contacts(ctx, client.ContactFilter{Stale: true})
		if err != nil || len(stale) != 1 || stale[0].Key != "outside-counsel" {
			t.Fatalf("stale list: %+v %v", stale, err)
		}
		v, err := rita.VerifyContact(ctx, "outside-counsel", 1)
		if err != nil || v.Stale || v.VerifiedAt == nil || v.VerifiedByName != "responder" || v.Version != 2 {
			t.Fatalf("verify: %+v %v", v, err)
		}
		if stale, _ = rita.Contacts(ctx, client.ContactFilter{Stale: true}); len(stale) != 0 {
			t.Errorf("still stale after verifying: %+v", stale)
		}
		if _, err := rita.UpdateContact(ctx, "outside-counsel", client.ContactPatch{Name: ptr("Jo B.")}, 1); client.ErrorCode(err) != "precondition_failed" {
			t.Errorf("update with a stale If-Match: %v", err)
		}
		u, err := rita.UpdateContact(ctx, "outside-counsel", client.ContactPatch{Phone: ptr("+44 20 7946 0999")}, 2)
		if err != nil || !u.Stale || u.VerifiedAt != nil || u.Version != 3 {
			t.Fatalf("a new number keeps the verification: %+v %v", u, err)
		}
		if all, err := rita.Contacts(ctx, client.ContactFilter{Kind: "outside_counsel", Query: "barrister"}); err != nil || len(all) != 1 {
			t.Errorf("filtered list: %+v %v", all, err)
		}
		if err := rita.DeleteContact(ctx, "outside-counsel", 3); client.ErrorCode(err) != "forbidden" {
			t.Errorf("responder delete: %v", err)
		}
		if err := ada.DeleteContact(ctx, "outside-counsel", 3); err != nil {
			t.Fatal(err)
		}
		if _, err := rita.Contact(ctx, "outside-counsel"); client.ErrorCode(err) != "not_found" {
			t.Errorf("after delete: %v", err)
		}

		// Location and ETag of a creation, as a raw client sees them.
		req, _ = http.NewRequest(http.MethodPost, e.srv.URL+"/api/v1/contacts",
			strings.NewReader(`{"key": "insurer", "name": "Claims line", "kind": "cyber_insurer", "phone": "+1 202 555 0142", "verified": true}`))
		req.Header.Set("Authorization", "Bearer "+rita.Token)
		req.Header.Set("Content-Type", "application/json")
		if resp, err = http.DefaultClient.Do(req); err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 201 || resp.Header.Get("Location") != "/api/v1/contacts/insurer" || resp.Header.Get("ETag") != `"1"` {
			t.Errorf("POST: %d, Location %q, ETag %q", resp.StatusCode, resp.Header.Get("Location"), resp.Header.Get("ETag"))
		}
	})
}
