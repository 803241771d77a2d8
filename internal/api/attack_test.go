package api_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/warroom/warroom/client"
	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/db/dbtest"
	"github.com/warroom/warroom/internal/incident"
)

// TestAttack drives the attacker-timeline routes through the Go client
// with strict decoding: the empty and the loaded catalogue, recording with
// a link and a field error naming the link from another incident, and the
// story.
func TestAttack(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		a := MustDeclare(t, e, "admin", incident.DeclareInput{Title: "Ransomware"})
		b := MustDeclare(t, e, "admin", incident.DeclareInput{Title: "Phishing"})
		resp, viewer := e.client("responder"), e.client("viewer")

		list, err := viewer.AttackTechniques(ctx, client.TechniqueFilter{})
		if err != nil || list.Catalogue.Loaded || len(list.Items) != 0 {
			t.Fatalf("empty catalogue: %+v, %v", list, err)
		}
		f, err := os.Open(filepath.Join("..", "attack", "testdata", "enterprise-attack-v15.json"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if _, err := e.api.Attack.Import(ctx, f); err != nil {
			t.Fatal(err)
		}
		list, err = viewer.AttackTechniques(ctx, client.TechniqueFilter{Query: "powersh"})
		if err != nil || !list.Catalogue.Loaded || list.Catalogue.Version != "15.1" || len(list.Items) != 1 || list.Items[0].ID != "T1059.001" {
			t.Fatalf("search: %+v, %v", list, err)
		}
		if _, err := viewer.AttackTechniques(ctx, client.TechniqueFilter{Tactic: "nope"}); client.ErrorCode(err) != "invalid" {
			t.Errorf("bad tactic filter: %v", err)
		}
		tactics, err := viewer.AttackTactics(ctx)
		if err != nil || len(tactics) != 14 || tactics[2].ID != "TA0001" {
			t.Fatalf("tactics: %+v, %v", tactics, err)
		}

		xb, _, err := resp.AddIndicator(ctx, b.Ref, client.IndicatorInput{Type: "domain", Value: "evil.example"})
		if err != nil {
			t.Fatal(err)
		}
		at := time.Now().Add(-2 * time.Hour)
		_, err = resp.RecordAttack(ctx, a.Ref, client.AttackInput{Text: "C2", EventTime: &at, Indicators: []string{xb.ID}})
		if ce, ok := err.(*client.Error); !ok || ce.Status != 400 || len(ce.Errors) != 1 || ce.Errors[0].Field != "indicators" {
			t.Fatalf("link to another incident's indicator: %v", err)
		}
		if _, err := viewer.RecordAttack(ctx, a.Ref, client.AttackInput{Text: "C2", EventTime: &at}); client.ErrorCode(err) != "forbidden" {
			t.Errorf("viewer records: %v", err)
		}
		xa, _, err := resp.AddIndicator(ctx, a.Ref, client.IndicatorInput{Type: "domain", Value: "evil.example"})
		if err != nil {
			t.Fatal(err)
		}
		out, err := resp.RecordAttack(ctx, a.Ref, client.AttackInput{Text: "C2 beacon", EventTime: &at, Precision: "minute", Technique: "T1059.001",
			Tactic: "command-and-control", Host: "FS01", Indicators: []string{xa.ID}})
		if err != nil || out.Entry.Kind != "attacker_activity" || len(out.Warnings) != 1 || out.Activity.Tactic != "TA0011" ||
			!out.Entry.EventTime.Equal(at.UTC().Truncate(time.Minute)) {
			t.Fatalf("record: %+v, %v", out, err)
		}
		st, err := viewer.AttackStory(ctx, a.Ref)
		if err != nil || st.Activities != 1 || st.Groups[0].Tactic.ShortName != "command-and-control" || st.Groups[0].Items[0].Indicators[0].ID != xa.ID ||
			st.Hosts[0].Name != "FS01" {
			t.Fatalf("story: %+v, %v", st, err)
		}
		// Unknown fields are refused, not ignored.
		if _, err := resp.Do(ctx, "POST", "/api/v1/incidents/"+a.Ref+"/attack", nil, map[string]any{"text": "x", "event_time": at, "ttp": "T1"}, nil); client.ErrorCode(err) != "invalid" {
			t.Errorf("unknown field: %v", err)
		}
	})
}
