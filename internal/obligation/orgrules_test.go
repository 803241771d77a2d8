package obligation_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/warroom/warroom/internal/actor"
	"github.com/warroom/warroom/internal/audit"
	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/db/dbtest"
	"github.com/warroom/warroom/internal/errs"
	"github.com/warroom/warroom/internal/incident"
	"github.com/warroom/warroom/internal/notify"
	"github.com/warroom/warroom/internal/obligation"
)

// customerRule is a contract clause: the customer within 48 hours of
// awareness, for any incident with personal data.
const customerRule = `version: 1
rules:
  - id: acme-customer-48h
    title: Notify the customer under the master services agreement
    jurisdiction: contract
    regime: MSA 2024-17 clause 9.3
    recipient: {kind: customers, name: Contoso Ltd (customer)}
    applies: {personal_data: true}
    clock: {event: awareness}
    deadline: {hours: 48, basis: contract, text: Within 48 hours of becoming aware}
    citations:
      - {title: MSA 2024-17 clause 9.3, url: "https://intranet.example/contracts/msa-2024-17.pdf"}
    confidence: high
    status: in_force
`

// insurerRule is a second document: the customer rule is gone.
const insurerRule = `version: 1
rules:
  - id: acme-insurer-24h
    title: Notify the cyber insurer
    jurisdiction: contract
    regime: Policy CY-1234
    recipient: {kind: insurer, name: Example Mutual claims desk}
    clock: {event: awareness}
    deadline: {hours: 24, basis: contract, text: Within 24 hours}
    citations: [{title: Policy CY-1234, url: "https://intranet.example/cy-1234.pdf"}]
    confidence: high
    status: in_force
`

// awareFacts: personal data, awareness at 09:00 UTC on 10 March 2026.
func awareFacts() obligation.Facts {
	return obligation.Facts{Organisation: obligation.OrganisationFacts{Jurisdictions: []string{"US"}},
		Incident: obligation.IncidentFacts{DataTypes: []string{"name"}, Events: map[string]string{"awareness": "2026-03-10T09:00:00Z"}}}
}

func find(rep obligation.Report, rule string) *obligation.IncidentObligation {
	for i := range rep.Obligations {
		if rep.Obligations[i].Rule == rule {
			return &rep.Obligations[i]
		}
	}
	return nil
}

func hasRule(rules []obligation.Rule, id string) string {
	for _, r := range rules {
		if r.ID == id {
			return r.Origin
		}
	}
	return ""
}

func TestOrgRules(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		admin := w.ctx["admin"]
		builtin, _ := obligation.Builtin()

		t.Run("no rules of its own", func(t *testing.T) {
			doc, err := w.svc.OrgRules(admin)
			if err != nil || doc.Version != 0 || doc.Source != "" || doc.Rules == nil || len(doc.Rules) != 0 {
				t.Fatalf("OrgRules = %+v, %v; want version 0, no source, empty rules", doc, err)
			}
			rules, err := w.svc.ListRules(w.ctx["viewer"])
			if err != nil || len(rules) != len(builtin.Rules) || rules[0].Origin != obligation.OriginBuiltin {
				t.Fatalf("ListRules = %d rules, %v; want the %d built-in ones", len(rules), err, len(builtin.Rules))
			}
		})

		t.Run("ErrForbidden for responders and viewers", func(t *testing.T) {
			for _, who := range []string{"responder", "viewer"} {
				if _, err := w.svc.PutOrgRules(w.ctx[who], []byte(customerRule), obligation.AnyVersion); errs.CodeOf(err) != errs.Forbidden {
					t.Errorf("PutOrgRules as %s: %v, want forbidden", who, err)
				}
				if _, err := w.svc.OrgRules(w.ctx[who]); errs.CodeOf(err) != errs.Forbidden {
					t.Errorf("OrgRules as %s: %v, want forbidden", who, err)
				}
			}
		})

		t.Run("OK", func(t *testing.T) {
			doc, err := w.svc.PutOrgRules(admin, []byte(customerRule), 0)
			if err != nil {
				t.Fatal(err)
			}
			if doc.Version != 1 || doc.Source != customerRule || len(doc.Rules) != 1 || doc.Rules[0].Origin != obligation.OriginOrganisation || len(doc.Problems) != 0 {
				t.Fatalf("PutOrgRules = %+v", doc)
			}
			again, err := w.svc.PutOrgRules(admin, []byte(customerRule), 1)
			if err != nil || again.Version != 1 {
				t.Fatalf("the same document again = version %d, %v; want 1 (no change)", again.Version, err)
			}
			rules, err := w.svc.ListRules(w.ctx["viewer"])
			if err != nil || len(rules) != len(builtin.Rules)+1 || hasRule(rules, "acme-customer-48h") != obligation.OriginOrganisation || rules[0].Origin != obligation.OriginBuiltin {
				t.Fatalf("ListRules as viewer = %d rules, %v; want the built-in ones and acme-customer-48h", len(rules), err)
			}
			var events []audit.Event
			_ = d.Read(context.Background(), func(tx *db.Tx) (err error) {
				events, err = audit.List(context.Background(), tx, actor.From(admin).OrgID, 50)
				return err
			})
			n := 0
			for _, e := range events {
				if e.Action == obligation.KindRulesReplaced {
					n++
					if !strings.Contains(string(e.Detail), `"acme-customer-48h"`) || !strings.Contains(string(e.Detail), `"version":1`) {
						t.Errorf("audit detail %s", e.Detail)
					}
				}
			}
			if n != 1 {
				t.Errorf("%d %s audit rows, want 1 (an unchanged upload is not a change)", n, obligation.KindRulesReplaced)
			}
		})

		t.Run("the contract rule is an obligation of this organisation's incidents only", func(t *testing.T) {
			if _, err := w.svc.PutFacts(admin, w.a.Ref, awareFacts(), obligation.AnyVersion); err != nil {
				t.Fatal(err)
			}
			rep, err := w.svc.Obligations(w.ctx["viewer"], w.a.Ref, false)
			if err != nil {
				t.Fatal(err)
			}
			o := find(rep, "acme-customer-48h")
			if o == nil || o.Status != obligation.Due || o.Due != "2026-03-12T09:00:00Z" || o.Origin != obligation.OriginOrganisation ||
				o.Recipient != "Contoso Ltd (customer)" || !strings.Contains(o.Explanation, "contract") {
				t.Fatalf("acme-customer-48h = %+v; want due 2026-03-12T09:00:00Z from the organisation", o)
			}
			if g := find(rep, "us-ftc-health-breach-notification-rule"); g != nil && g.Origin != obligation.OriginBuiltin {
				t.Errorf("built-in rule with origin %q", g.Origin)
			}
			// Other: same facts on its own incident, no rules of its own.
			other, err := w.incidents.Declare(w.ctx["outsider"], incident.DeclareInput{Title: "Other's breach", Type: "data_breach", Severity: "SEV2", Plan: "none"})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := w.svc.PutFacts(w.ctx["outsider"], other.Ref, awareFacts(), obligation.AnyVersion); err != nil {
				t.Fatal(err)
			}
			orep, err := w.svc.Obligations(w.ctx["outsider"], other.Ref, true)
			if err != nil {
				t.Fatal(err)
			}
			if find(orep, "acme-customer-48h") != nil {
				t.Error("another organisation's incident got Acme's contract obligation")
			}
			rules, err := w.svc.ListRules(w.ctx["outsider"])
			if err != nil || hasRule(rules, "acme-customer-48h") != "" || len(rules) != len(builtin.Rules) {
				t.Errorf("another organisation lists %d rules (%v), Acme's rule origin %q", len(rules), err, hasRule(rules, "acme-customer-48h"))
			}
			if doc, err := w.svc.OrgRules(w.ctx["outsider"]); err != nil || doc.Version != 0 || doc.Source != "" {
				t.Errorf("another organisation's document = %+v, %v", doc, err)
			}
			if _, err := w.svc.SetStatus(w.ctx["outsider"], other.Ref, "acme-customer-48h", obligation.StatusInput{Status: obligation.Drafting}, 0); errs.CodeOf(err) != errs.NotFound {
				t.Errorf("another organisation set a status for Acme's rule: %v", err)
			}
		})

		t.Run("ErrInvalid changes nothing", func(t *testing.T) {
			for _, c := range []struct {
				name, src string
				code      errs.Code
				field     string // the field error expected, by its position
				msg       string
			}{
				{"unknown event", strings.Replace(customerRule, "event: awareness", "event: awarenes", 1), errs.Invalid, "organisation-rules.yaml:9:20", "unknown event"},
				{"a built-in rule's id", strings.Replace(customerRule, "acme-customer-48h", "us-tx-521-053-attorney-general", 1), errs.Invalid, "organisation-rules.yaml:3:9", "built-in rule"},
				{"not YAML", "version: 1\nrules: [\n", errs.Invalid, "organisation-rules.yaml:", ""},
				{"empty", "  \n", errs.Invalid, "source", "empty"},
				{"no rules key", "version: 1\n", errs.Invalid, "organisation-rules.yaml:1:", "rules: []"},
				{"too large", customerRule + "# " + strings.Repeat("x", obligation.MaxRulesFile) + "\n", errs.TooLarge, "", ""},
			} {
				t.Run(c.name, func(t *testing.T) {
					_, err := w.svc.PutOrgRules(admin, []byte(c.src), obligation.AnyVersion)
					if errs.CodeOf(err) != c.code {
						t.Fatalf("err = %v, want %s", err, c.code)
					}
					if c.field != "" {
						ok := false
						for _, f := range errs.FieldsOf(err) {
							if strings.HasPrefix(f.Field, c.field) && strings.Contains(f.Message, c.msg) {
								ok = true
							}
						}
						if !ok {
							t.Errorf("fields %+v, want %s: …%s…", errs.FieldsOf(err), c.field, c.msg)
						}
					}
					doc, err := w.svc.OrgRules(admin)
					if err != nil || doc.Version != 1 || doc.Source != customerRule {
						t.Errorf("after a refused upload the document is version %d (%v), want 1 unchanged", doc.Version, err)
					}
				})
			}
		})

		t.Run("ErrPreconditionFailed", func(t *testing.T) {
			for _, v := range []int64{0, 2} {
				if _, err := w.svc.PutOrgRules(admin, []byte(insurerRule), v); errs.CodeOf(err) != errs.PreconditionFailed {
					t.Errorf("If-Match %d at version 1: %v, want precondition_failed", v, err)
				}
			}
			if doc, _ := w.svc.OrgRules(admin); doc.Version != 1 || doc.Source != customerRule {
				t.Errorf("document changed by a stale write: version %d", doc.Version)
			}
		})

		t.Run("a removed rule keeps its recorded status", func(t *testing.T) {
			if _, err := w.svc.SetStatus(w.ctx["responder"], w.a.Ref, "acme-customer-48h", obligation.StatusInput{Status: obligation.Drafting, Rationale: "legal drafting"}, 0); err != nil {
				t.Fatal(err)
			}
			doc, err := w.svc.PutOrgRules(admin, []byte(insurerRule), 1)
			if err != nil || doc.Version != 2 {
				t.Fatalf("replace = version %d, %v", doc.Version, err)
			}
			rep, err := w.svc.Obligations(w.ctx["viewer"], w.a.Ref, false)
			if err != nil {
				t.Fatal(err)
			}
			gone := find(rep, "acme-customer-48h")
			if gone == nil || gone.Origin != obligation.OriginRemoved || gone.Status != obligation.NotApplicable ||
				gone.Notification.Status != obligation.Drafting || gone.Recipient != "Contoso Ltd (customer)" || !strings.Contains(gone.Explanation, "no longer defined") {
				t.Fatalf("removed rule = %+v; want it listed as removed with its drafting status and recipient", gone)
			}
			if last := rep.Obligations[len(rep.Obligations)-1]; last.Rule != "acme-customer-48h" {
				t.Errorf("removed rule listed before %s; want it last", last.Rule)
			}
			if ins := find(rep, "acme-insurer-24h"); ins == nil || ins.Due != "2026-03-11T09:00:00Z" || ins.Origin != obligation.OriginOrganisation {
				t.Errorf("the new rule = %+v", ins)
			}
			if _, err := w.svc.SetStatus(w.ctx["responder"], w.a.Ref, "acme-customer-48h", obligation.StatusInput{Status: obligation.NotStarted}, 0); errs.CodeOf(err) != errs.NotFound {
				t.Errorf("SetStatus on a removed rule: %v, want not found", err)
			}
			// rules: [] removes every rule of the organisation.
			if doc, err := w.svc.PutOrgRules(admin, []byte("version: 1\nrules: []\n"), 2); err != nil || doc.Version != 3 || len(doc.Rules) != 0 {
				t.Fatalf("rules: [] = %+v, %v", doc, err)
			}
			rep, _ = w.svc.Obligations(w.ctx["viewer"], w.a.Ref, false)
			if find(rep, "acme-insurer-24h") != nil || find(rep, "acme-customer-48h") == nil {
				t.Errorf("after rules: [] the insurer rule is still evaluated or the recorded status vanished")
			}
		})
	})
}

// TestOrgRulesRemindersAndNewBuiltins: reminders go out for an
// organisation's rule and only to that organisation; a stored rule whose id
// a later release gives to a built-in rule is left out, and admins see why.
func TestOrgRulesReminders(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		if _, err := w.incidents.Assign(w.ctx["admin"], w.a.Ref, incident.AssignInput{Role: "legal_counsel", User: "responder@acme.test"}); err != nil {
			t.Fatal(err)
		}
		other, err := w.incidents.Declare(w.ctx["outsider"], incident.DeclareInput{Title: "Other's breach", Type: "data_breach", Severity: "SEV2", Plan: "none"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.incidents.Assign(w.ctx["outsider"], other.Ref, incident.AssignInput{Role: "legal_counsel", User: "boss@other.test"}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.PutOrgRules(w.ctx["admin"], []byte(customerRule), obligation.AnyVersion); err != nil {
			t.Fatal(err)
		}
		// Facts with no regulator's rule applying: personal data of no
		// kind a US rule names, organisation outside every territory.
		f := obligation.Facts{Organisation: obligation.OrganisationFacts{Jurisdictions: []string{"AQ"}},
			Incident: obligation.IncidentFacts{DataTypes: []string{"personal_data"}, Events: map[string]string{"awareness": "2026-03-10T09:00:00Z"}}}
		if _, err := w.svc.PutFacts(w.ctx["admin"], w.a.Ref, f, obligation.AnyVersion); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.PutFacts(w.ctx["outsider"], other.Ref, f, obligation.AnyVersion); err != nil {
			t.Fatal(err)
		}
		*w.now = time.Date(2026, 3, 11, 9, 30, 0, 0, time.UTC) // 24.5 of 48 hours: past 50 %
		rules, _ := obligation.Builtin()
		rem := &obligation.Reminders{DB: d, Now: w.clock, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Rules: rules}
		if _, err := rem.Tick(context.Background()); err != nil {
			t.Fatal(err)
		}
		byTarget := map[string][]string{}
		for _, who := range []string{"admin", "outsider"} {
			_ = d.Read(context.Background(), func(tx *db.Tx) error {
				ds, err := notify.ListDeliveries(context.Background(), tx, notify.DeliveryFilter{OrgID: actor.From(w.ctx[who]).OrgID})
				for _, x := range ds {
					if x.Event == "obligation_reminder" {
						byTarget[x.Target] = append(byTarget[x.Target], x.Subject)
					}
				}
				return err
			})
		}
		got := byTarget["responder@acme.test"]
		if len(got) != 1 || !strings.Contains(got[0], "Contoso Ltd (customer)") {
			t.Errorf("Acme's legal counsel got %q; want one reminder for the customer", got)
		}
		for _, s := range byTarget["boss@other.test"] {
			if strings.Contains(s, "Contoso") {
				t.Errorf("another organisation was reminded of Acme's contract: %q", s)
			}
		}
	})
}

// TestStoredRulesUnderANewerRelease: a stored document whose rule id a
// built-in rule later takes (simulated by storing it directly) keeps its
// other rules; the clashing one is left out and admins see the problem.
func TestStoredRulesUnderANewerRelease(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		both := insurerRule + strings.TrimPrefix(strings.Replace(customerRule, "acme-customer-48h", "us-tx-521-053-attorney-general", 1), "version: 1\nrules:\n")
		orgID := actor.From(w.ctx["admin"]).OrgID
		err := d.Write(context.Background(), func(tx *db.Tx) error {
			_, err := tx.ExecContext(context.Background(), `INSERT INTO obligation_rules (org_id, source, version, updated_by, updated_at) VALUES ($1, $2, 1, $3, $4)`,
				orgID, both, actor.From(w.ctx["admin"]).UserID, time.Now().UTC())
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		doc, err := w.svc.OrgRules(w.ctx["admin"])
		if err != nil {
			t.Fatal(err)
		}
		if len(doc.Rules) != 1 || doc.Rules[0].ID != "acme-insurer-24h" || len(doc.Problems) != 1 || !strings.Contains(doc.Problems[0], "built-in rule") {
			raw, _ := json.Marshal(doc)
			t.Fatalf("document = %s; want the insurer rule and one problem", raw)
		}
		rules, err := w.svc.ListRules(w.ctx["viewer"])
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, r := range rules {
			if r.ID == "us-tx-521-053-attorney-general" {
				n++
				if r.Origin != obligation.OriginBuiltin {
					t.Errorf("the stored rule replaced the built-in one")
				}
			}
		}
		if n != 1 || hasRule(rules, "acme-insurer-24h") != obligation.OriginOrganisation {
			t.Errorf("%d rules us-tx-521-053-attorney-general, insurer origin %q", n, hasRule(rules, "acme-insurer-24h"))
		}
	})
}
