package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"github.com/warroom/warroom/internal/notify"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/warroom/warroom/internal/contact"
	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/db/dbtest"
	"github.com/warroom/warroom/internal/evidence"
	"github.com/warroom/warroom/internal/incident"
	"github.com/warroom/warroom/internal/ioc"
	"github.com/warroom/warroom/internal/org"
	"github.com/warroom/warroom/internal/plan"
)

// Who is asked, in this order: failing requests must change nothing, so
// only the successful ones need unique data.
var people = []string{"admin", "responder", "viewer", "nonmember", "outsider"}

// access classes of a route.
const (
	public = "public" // no authentication
	self   = "self"   // any signed-in person, about themselves or their organisation
	read   = "read"   // any member who can see the incident
	write  = "write"  // responders and admins who can see the incident
	admin  = "admin"  // organisation admins only
	owner  = "owner"  // the object's owner or an admin; others get 404
)

type authzCase struct {
	req    func(i int) (method, path string, body any)
	ok     int
	access string
	scoped bool // about an incident: people who cannot see it get 404
	acme   bool // names one of Acme's objects: another organisation gets 404
}

// TestAuthorizationMatrix asks every route as every kind of person and
// checks each gets exactly the status they should. The restricted incident
// R has the responder and the viewer on its roster; "nonmember" is a
// responder of the same organisation who is not; "outsider" is an admin of
// another organisation.
func TestAuthorizationMatrix(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		adminCtx := e.ctx("admin")
		MustDeclare(t, e, "admin", incident.DeclareInput{Title: "Public incident"})
		r := MustDeclare(t, e, "admin", incident.DeclareInput{Title: "Insider case", Type: "insider_threat", Restricted: true})
		must := func(_ any, err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		must(e.inc.Assign(adminCtx, r.Ref, incident.AssignInput{Role: "scribe", User: "responder@acme.test"}))
		must(e.inc.Assign(adminCtx, r.Ref, incident.AssignInput{Role: "investigator", User: "viewer@acme.test"}))
		must(e.inc.Assign(adminCtx, r.Ref, incident.AssignInput{Role: "technical_lead", User: "admin@acme.test"}))
		releaseRoles := []string{"log_analyst", "network_analyst", "malware_analyst", "hr", "legal_counsel"}
		for _, role := range releaseRoles {
			must(e.inc.Assign(adminCtx, r.Ref, incident.AssignInput{Role: role, User: "extra@acme.test"}))
		}
		must(e.inc.CreateTask(adminCtx, r.Ref, incident.TaskInput{Title: "Preserve mailbox"}))
		entry, err := e.inc.AddEntry(adminCtx, r.Ref, incident.EntryInput{Text: "HR informed"})
		must(entry, err)
		must(e.ev.Upload(adminCtx, r.Ref, evidence.Meta{Name: "mailbox.pst"}, strings.NewReader("the insider's mailbox export")))
		_, extraToken, err := e.orgs.CreateToken(e.ctx("extra"), org.TokenInput{Name: "extra's"})
		must(extraToken, err)
		_, extraSession, err := e.orgs.CreateSession(e.ctx("extra"), e.actors["extra"], "test")
		must(extraSession, err)

		starters, err := plan.Starters()
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := e.api.Plans.Import(adminCtx, "ransomware.yaml", starters["ransomware.yaml"]); err != nil {
			t.Fatal(err)
		}
		for _, key := range []string{"outside-counsel", "old-pr-firm"} {
			if _, err := e.cts.Create(adminCtx, contact.Input{Key: key, Name: "Jo", Kind: "outside_counsel", Phone: "+44 20 7946 0958"}); err != nil {
				t.Fatal(err)
			}
		}
		var hookID, failedID, pageID string
		err = d.Write(context.Background(), func(tx *db.Tx) error {
			org := e.actors["admin"].OrgID
			hook, err := notify.CreateWebhook(context.Background(), tx, time.Now(), notify.NewWebhook{OrgID: org, Name: "soc", URL: "https://chat.example.com/h", Format: notify.FormatSlack})
			if err != nil {
				return err
			}
			hookID = hook.ID
			if failedID, err = notify.Enqueue(context.Background(), tx, time.Now(), notify.Message{OrgID: org, Channel: notify.ChannelEmail,
				Target: "ciso@acme.test", Recipient: "CISO", Subject: "s", Text: "t"}); err != nil {
				return err
			}
			if _, err := tx.ExecContext(context.Background(), `UPDATE outbox SET status = 'failed' WHERE id = $1`, failedID); err != nil {
				return err
			}
			p, _, err := notify.NewPage(context.Background(), tx, notify.Page{OrgID: org, IncidentID: r.ID, Source: "test", StartedAt: time.Now(),
				Spec: notify.Spec{Levels: []notify.Level{{Roles: []string{"incident_commander"}}}}})
			pageID = p.ID
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		// Indicators of R: the first to read and change, one per person to delete.
		iocIDs := make([]string, len(people)+1)
		for k := range iocIDs {
			x, _, err := e.iocs.Add(adminCtx, r.Ref, ioc.Input{Type: "domain", Value: fmt.Sprint("c2-", k, ".insider.example")})
			must(x, err)
			iocIDs[k] = x.ID
		}
		ref := "/api/v1/incidents/" + r.Ref
		at := time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
		assignRoles := []string{"communications_lead", "executive_sponsor", "regulatory_compliance", "scoping_lead", "external_ir_provider"}
		handoverTo := []string{"extra@acme.test", "admin@acme.test", "extra@acme.test", "admin@acme.test", "extra@acme.test"}
		get := func(path string) func(int) (string, string, any) {
			return func(int) (string, string, any) { return "GET", path, nil }
		}
		cases := map[string]authzCase{
			"GET /api/v1/openapi.json": {req: get("/api/v1/openapi.json"), ok: 200, access: public},
			"POST /api/v1/login": {req: func(int) (string, string, any) {
				return "POST", "/api/v1/login", map[string]string{"email": "admin@acme.test", "password": "wrong password!"}
			}, ok: 401, access: public},
			"POST /api/v1/logout":  {req: func(int) (string, string, any) { return "POST", "/api/v1/logout", nil }, ok: 204, access: self},
			"GET /api/v1/me":       {req: get("/api/v1/me"), ok: 200, access: self},
			"GET /api/v1/members":  {req: get("/api/v1/members"), ok: 200, access: self},
			"GET /api/v1/roles":    {req: get("/api/v1/roles"), ok: 200, access: self},
			"GET /api/v1/tokens":   {req: get("/api/v1/tokens"), ok: 200, access: self},
			"GET /api/v1/sessions": {req: get("/api/v1/sessions"), ok: 200, access: self},
			"POST /api/v1/tokens": {req: func(i int) (string, string, any) {
				return "POST", "/api/v1/tokens", map[string]string{"name": fmt.Sprint("t", i)}
			}, ok: 201, access: self},
			"POST /api/v1/members": {req: func(i int) (string, string, any) {
				return "POST", "/api/v1/members", map[string]string{"email": fmt.Sprintf("new%d@acme.test", i), "role": "viewer"}
			}, ok: 201, access: admin},
			"PATCH /api/v1/members/{user}": {req: func(i int) (string, string, any) {
				return "PATCH", "/api/v1/members/extra@acme.test", map[string]string{"role": []string{"viewer", "responder"}[i%2]}
			}, ok: 200, access: admin, acme: true},
			"POST /api/v1/roles": {req: func(i int) (string, string, any) {
				return "POST", "/api/v1/roles", map[string]string{"key": fmt.Sprintf("role_%d", i), "name": "Custom"}
			}, ok: 201, access: admin},
			"DELETE /api/v1/tokens/{id}":   {req: func(int) (string, string, any) { return "DELETE", "/api/v1/tokens/" + extraToken.ID, nil }, ok: 204, access: owner, acme: true},
			"DELETE /api/v1/sessions/{id}": {req: func(int) (string, string, any) { return "DELETE", "/api/v1/sessions/" + extraSession.ID, nil }, ok: 204, access: owner, acme: true},
			"GET /api/v1/audit":            {req: get("/api/v1/audit"), ok: 200, access: admin},
			"GET /api/v1/events":           {req: get("/api/v1/events"), ok: 200, access: self},
			"GET /api/v1/verify":           {req: get("/api/v1/verify"), ok: 200, access: self},
			"GET /api/v1/incidents":        {req: get("/api/v1/incidents"), ok: 200, access: self},
			"GET /api/v1/plans":            {req: get("/api/v1/plans"), ok: 200, access: self},
			"GET /api/v1/webhooks":         {req: get("/api/v1/webhooks"), ok: 200, access: admin},
			"POST /api/v1/webhooks": {req: func(i int) (string, string, any) {
				return "POST", "/api/v1/webhooks", map[string]string{"name": fmt.Sprint("hook-", i), "url": "https://chat.example.com/x", "format": "teams"}
			}, ok: 201, access: admin},
			"PATCH /api/v1/webhooks/{id}": {req: func(int) (string, string, any) {
				return "PATCH", "/api/v1/webhooks/" + hookID, map[string]bool{"enabled": false}
			}, ok: 204, access: admin, acme: true},
			"DELETE /api/v1/webhooks/{id}":                {req: func(int) (string, string, any) { return "DELETE", "/api/v1/webhooks/" + hookID, nil }, ok: 204, access: admin, acme: true},
			"GET /api/v1/deliveries":                      {req: get("/api/v1/deliveries?status=failed"), ok: 200, access: admin},
			"POST /api/v1/deliveries/{id}/retry":          {req: func(int) (string, string, any) { return "POST", "/api/v1/deliveries/" + failedID + "/retry", nil }, ok: 204, access: admin, acme: true},
			"GET /api/v1/incidents/{ref}/pages":           {req: func(int) (string, string, any) { return "GET", ref + "/pages", nil }, ok: 200, access: read, scoped: true},
			"POST /api/v1/incidents/{ref}/pages/{id}/ack": {req: func(int) (string, string, any) { return "POST", ref + "/pages/" + pageID + "/ack", nil }, ok: 200, access: write, scoped: true},
			"POST /api/v1/plans": {req: func(i int) (string, string, any) {
				return "POST", "/api/v1/plans", map[string]string{"file": "p.yaml",
					"source": fmt.Sprintf("id: plan-%d\nversion: 1\ntitle: P\nsteps:\n  - {id: one, title: One, phase: containment, role: scribe}\n", i)}
			}, ok: 201, access: write},
			"GET /api/v1/plans/{id}":                    {req: get("/api/v1/plans/ransomware"), ok: 200, access: self, acme: true},
			"GET /api/v1/plans/{id}/versions/{version}": {req: get("/api/v1/plans/ransomware/versions/1"), ok: 200, access: self, acme: true},
			"GET /api/v1/plans/{id}/diff":               {req: get("/api/v1/plans/ransomware/diff?from=1&to=1"), ok: 200, access: self, acme: true},
			"GET /api/v1/contacts":                      {req: get("/api/v1/contacts?stale=true"), ok: 200, access: self},
			"POST /api/v1/contacts": {req: func(i int) (string, string, any) {
				return "POST", "/api/v1/contacts", map[string]string{"key": fmt.Sprint("insurer-", i), "name": "Claims", "kind": "cyber_insurer", "phone": "+44 20 7946 0000"}
			}, ok: 201, access: write},
			"GET /api/v1/contacts/{key}": {req: get("/api/v1/contacts/outside-counsel"), ok: 200, access: self, acme: true},
			"PATCH /api/v1/contacts/{key}": {req: func(i int) (string, string, any) {
				return "PATCH", "/api/v1/contacts/outside-counsel", map[string]string{"role": fmt.Sprint("Partner ", i)}
			}, ok: 200, access: write, acme: true},
			"DELETE /api/v1/contacts/{key}": {req: func(int) (string, string, any) { return "DELETE", "/api/v1/contacts/old-pr-firm", nil }, ok: 204, access: admin, acme: true},
			"POST /api/v1/contacts/{key}/verify": {req: func(int) (string, string, any) {
				return "POST", "/api/v1/contacts/outside-counsel/verify", nil
			}, ok: 200, access: write, acme: true},
			"POST /api/v1/incidents": {req: func(i int) (string, string, any) {
				return "POST", "/api/v1/incidents", map[string]string{"title": "New", "type": "malware", "severity": "SEV3"}
			}, ok: 201, access: write},
			"GET /api/v1/incidents/{ref}": {req: get(ref), ok: 200, access: read, scoped: true},
			"PATCH /api/v1/incidents/{ref}": {req: func(i int) (string, string, any) {
				return "PATCH", ref, map[string]string{"title": fmt.Sprint("Insider case ", i)}
			}, ok: 200, access: write, scoped: true},
			"POST /api/v1/incidents/{ref}/close": {req: func(int) (string, string, any) { return "POST", ref + "/close", nil }, ok: 200, access: write, scoped: true},
			"PUT /api/v1/incidents/{ref}/milestones/{kind}": {req: func(int) (string, string, any) {
				return "PUT", ref + "/milestones/contained", map[string]string{"at": at}
			}, ok: 200, access: write, scoped: true},
			"DELETE /api/v1/incidents/{ref}/milestones/{kind}": {req: func(int) (string, string, any) { return "DELETE", ref + "/milestones/contained", nil }, ok: 200, access: write, scoped: true},
			"GET /api/v1/incidents/{ref}/roster":               {req: get(ref + "/roster"), ok: 200, access: read, scoped: true},
			"POST /api/v1/incidents/{ref}/roster": {req: func(i int) (string, string, any) {
				return "POST", ref + "/roster", map[string]string{"role": assignRoles[i], "user": "extra@acme.test"}
			}, ok: 201, access: write, scoped: true},
			"POST /api/v1/incidents/{ref}/roster/release": {req: func(i int) (string, string, any) {
				return "POST", ref + "/roster/release", map[string]string{"role": releaseRoles[i], "user": "extra@acme.test"}
			}, ok: 200, access: write, scoped: true},
			"POST /api/v1/incidents/{ref}/roster/handover": {req: func(i int) (string, string, any) {
				return "POST", ref + "/roster/handover", map[string]string{"role": "technical_lead", "to": handoverTo[i]}
			}, ok: 201, access: write, scoped: true},
			"GET /api/v1/incidents/{ref}/tasks": {req: get(ref + "/tasks"), ok: 200, access: read, scoped: true},
			"POST /api/v1/incidents/{ref}/tasks": {req: func(i int) (string, string, any) {
				return "POST", ref + "/tasks", map[string]string{"title": fmt.Sprint("Task ", i)}
			}, ok: 201, access: write, scoped: true},
			"GET /api/v1/incidents/{ref}/tasks/{number}": {req: get(ref + "/tasks/1"), ok: 200, access: read, scoped: true},
			"PATCH /api/v1/incidents/{ref}/tasks/{number}": {req: func(i int) (string, string, any) {
				return "PATCH", ref + "/tasks/1", map[string]string{"status": []string{"in_progress", "blocked"}[i%2]}
			}, ok: 200, access: write, scoped: true},
			"GET /api/v1/incidents/{ref}/timeline": {req: get(ref + "/timeline"), ok: 200, access: read, scoped: true},
			"POST /api/v1/incidents/{ref}/timeline": {req: func(i int) (string, string, any) {
				return "POST", ref + "/timeline", map[string]string{"text": fmt.Sprint("note ", i)}
			}, ok: 201, access: write, scoped: true},
			"GET /api/v1/incidents/{ref}/events": {req: get(ref + "/events"), ok: 200, access: read, scoped: true},
			"GET /api/v1/incidents/{ref}/verify": {req: get(ref + "/verify"), ok: 200, access: read, scoped: true},

			"GET /api/v1/incidents/{ref}/evidence": {req: get(ref + "/evidence"), ok: 200, access: read, scoped: true},
			"POST /api/v1/incidents/{ref}/evidence": {req: func(i int) (string, string, any) {
				return "POST", ref + "/evidence", uploadBody(map[string]string{"source_host": "hr-laptop"}, fmt.Sprint("mail-", i, ".eml"), []byte(fmt.Sprint("message ", i)))
			}, ok: 201, access: write, scoped: true},
			"POST /api/v1/incidents/{ref}/evidence/external": {req: func(i int) (string, string, any) {
				return "POST", ref + "/evidence/external", map[string]string{"name": fmt.Sprint("USB stick ", i), "location": "evidence safe B"}
			}, ok: 201, access: write, scoped: true},
			"GET /api/v1/incidents/{ref}/evidence/{id}": {req: get(ref + "/evidence/EV-1"), ok: 200, access: read, scoped: true},
			// Downloading is an access in the chain of custody: viewers may not.
			"GET /api/v1/incidents/{ref}/evidence/{id}/download": {req: get(ref + "/evidence/EV-1/download"), ok: 200, access: write, scoped: true},
			"POST /api/v1/incidents/{ref}/evidence/{id}/custody": {req: func(i int) (string, string, any) {
				return "POST", ref + "/evidence/EV-1/custody", map[string]string{"action": "access", "reason": fmt.Sprint("review ", i)}
			}, ok: 201, access: write, scoped: true},
			"GET /api/v1/incidents/{ref}/evidence/{id}/custody": {req: get(ref + "/evidence/EV-1/custody"), ok: 200, access: read, scoped: true},

			"GET /api/v1/incidents/{ref}/iocs": {req: get(ref + "/iocs?type=domain"), ok: 200, access: read, scoped: true},
			"POST /api/v1/incidents/{ref}/iocs": {req: func(i int) (string, string, any) {
				return "POST", ref + "/iocs", map[string]string{"type": "ipv4", "value": fmt.Sprint("45.1.2.", i)}
			}, ok: 201, access: write, scoped: true},
			"GET /api/v1/incidents/{ref}/iocs/{id}": {req: get(ref + "/iocs/" + iocIDs[0]), ok: 200, access: read, scoped: true},
			"PATCH /api/v1/incidents/{ref}/iocs/{id}": {req: func(i int) (string, string, any) {
				return "PATCH", ref + "/iocs/" + iocIDs[0], map[string]int{"confidence": 10 + i}
			}, ok: 200, access: write, scoped: true},
			// One indicator per person: each successful delete removes its own.
			"POST /api/v1/incidents/{ref}/iocs/sightings": {req: func(i int) (string, string, any) {
				return "POST", ref + "/iocs/sightings", map[string]any{"host": fmt.Sprint("ws-", i), "sightings": []map[string]any{}}
			}, ok: 200, access: write, scoped: true},
			"POST /api/v1/incidents/{ref}/iocs/bulk": {req: func(i int) (string, string, any) {
				return "POST", ref + "/iocs/bulk", map[string]any{"ids": []string{iocIDs[0]}, "action": "add_tag", "tag": fmt.Sprint("t", i)}
			}, ok: 200, access: write, scoped: true},
			"DELETE /api/v1/incidents/{ref}/iocs/{id}": {req: func(i int) (string, string, any) { return "DELETE", ref + "/iocs/" + iocIDs[i+1], nil }, ok: 204, access: write, scoped: true},
			"POST /api/v1/iocs/extract": {req: func(int) (string, string, any) {
				return "POST", "/api/v1/iocs/extract", map[string]string{"text": "C2 at hxxp://evil[.]example/x"}
			}, ok: 200, access: self},
			"POST /api/v1/incidents/{ref}/iocs/import": {req: func(i int) (string, string, any) {
				return "POST", ref + "/iocs/import?format=csv", rawBody{contentType: "text/csv", data: []byte(fmt.Sprint("type,value\nipv4,45.9.9.", i, "\n"))}
			}, ok: 200, access: write, scoped: true},
			"GET /api/v1/incidents/{ref}/iocs/export": {req: get(ref + "/iocs/export?format=stix"), ok: 200, access: read, scoped: true},
			"POST /api/v1/incidents/{ref}/attack": {req: func(i int) (string, string, any) {
				return "POST", ref + "/attack", map[string]any{"text": fmt.Sprint("USB copy ", i), "event_time": at, "tactic": "exfiltration",
					"indicators": []string{iocIDs[0]}}
			}, ok: 201, access: write, scoped: true},
			"GET /api/v1/incidents/{ref}/attack/story": {req: get(ref + "/attack/story"), ok: 200, access: read, scoped: true},
			"GET /api/v1/attack/tactics":               {req: get("/api/v1/attack/tactics"), ok: 200, access: self},
			"GET /api/v1/attack/techniques":            {req: get("/api/v1/attack/techniques?q=T1"), ok: 200, access: self},

			// Notification clocks: facts, the evaluated obligations, statuses.
			"GET /api/v1/incidents/{ref}/obligations/facts": {req: get(ref + "/obligations/facts"), ok: 200, access: read, scoped: true},
			"PUT /api/v1/incidents/{ref}/obligations/facts": {req: func(i int) (string, string, any) {
				return "PUT", ref + "/obligations/facts", map[string]any{"organisation": map[string]any{"jurisdictions": []string{"US"}},
					"incident": map[string]any{"affected": []map[string]any{{"jurisdiction": "US-TX", "count": 250 + i}}, "events": map[string]string{"awareness": at}}}
			}, ok: 200, access: write, scoped: true},
			"GET /api/v1/incidents/{ref}/obligations": {req: get(ref + "/obligations?all=true"), ok: 200, access: read, scoped: true},
			"POST /api/v1/incidents/{ref}/obligations/{rule}/status": {req: func(i int) (string, string, any) {
				return "POST", ref + "/obligations/us-tx-521-053-attorney-general/status", map[string]string{"status": "drafting", "rationale": fmt.Sprint("draft ", i)}
			}, ok: 200, access: write, scoped: true},
			// The organisation's own rules: everyone lists them, admins
			// read and replace the document (the outsider its own).
			"GET /api/v1/obligations/rules":        {req: get("/api/v1/obligations/rules"), ok: 200, access: self},
			"GET /api/v1/obligations/rules/custom": {req: get("/api/v1/obligations/rules/custom"), ok: 200, access: admin},
			"PUT /api/v1/obligations/rules/custom": {req: func(i int) (string, string, any) {
				return "PUT", "/api/v1/obligations/rules/custom", rawBody{contentType: "application/yaml", data: []byte(fmt.Sprintf(
					"version: 1\nrules:\n  - {id: insurer-%d, title: Insurer, jurisdiction: contract, regime: Policy, recipient: {kind: insurer, name: Insurer},\n"+
						"     clock: {event: awareness}, deadline: {hours: 24, text: 24 hours}, citations: [{title: Policy, url: \"https://intranet.example/p\"}],\n"+
						"     confidence: high, status: in_force}\n", i))}
			}, ok: 200, access: admin},
		}
		for _, route := range e.api.Routes() {
			c, ok := cases[route]
			if !ok {
				t.Errorf("route %s has no row in the authorization matrix", route)
				continue
			}
			for i, who := range people {
				want := expected(c, who)
				method, path, body := c.req(i)
				status, text := e.do(who, method, path, body)
				if status != want {
					t.Errorf("%s as %s: status %d, want %d: %s", route, who, status, want, text)
				}
				if who == "outsider" {
					for _, secret := range []string{"admin@acme.test", "responder@acme.test", "viewer@acme.test", "Public incident", "Insider case", "+442079460958"} {
						if strings.Contains(text, secret) {
							t.Errorf("%s as outsider leaked Acme's %q: %s", route, secret, text)
						}
					}
				}
				if (who == "nonmember" || who == "outsider") && strings.Contains(text, "Insider case") {
					t.Errorf("%s as %s leaked the restricted incident: %s", route, who, text)
				}
			}
		}
	})
}

func expected(c authzCase, who string) int {
	switch {
	case c.access == public:
		return c.ok
	case c.scoped && (who == "nonmember" || who == "outsider"):
		return http.StatusNotFound
	case c.acme && who == "outsider":
		return http.StatusNotFound
	case c.access == owner && who != "admin":
		return http.StatusNotFound
	case c.access == admin && who != "admin" && who != "outsider":
		return http.StatusForbidden
	case c.access == write && who == "viewer":
		return http.StatusForbidden
	}
	return c.ok
}

// do sends one request as the named person with a fresh token and returns
// the status and (for non-streams) the body.
func (e *env) do(who, method, path string, body any) (int, string) {
	e.t.Helper()
	var rd io.Reader
	contentType := "application/json"
	if raw, ok := body.(rawBody); ok { // a multipart upload, say
		rd, contentType = bytes.NewReader(raw.data), raw.contentType
	} else if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, e.srv.URL+path, rd)
	if body != nil {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Authorization", "Bearer "+e.client(who).Token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		return resp.StatusCode, "" // a stream does not end on its own
	}
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// MustDeclare declares an incident as the named person through the service.
func MustDeclare(t *testing.T, e *env, who string, in incident.DeclareInput) incident.Incident {
	t.Helper()
	if in.Type == "" {
		in.Type = "ransomware"
	}
	if in.Severity == "" {
		in.Severity = "SEV2"
	}
	i, err := e.inc.Declare(e.ctx(who), in)
	if err != nil {
		t.Fatal(err)
	}
	return i
}
