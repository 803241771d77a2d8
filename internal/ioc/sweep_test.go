package ioc_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/db/dbtest"
	"github.com/warroom/warroom/internal/errs"
	"github.com/warroom/warroom/internal/incident"
	"github.com/warroom/warroom/internal/ioc"
)

func TestRecordSweep(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ip := w.MustAdd("responder", w.a.Ref, ioc.Input{Type: "ipv4", Value: "45.137.21.9"})
		dom := w.MustAdd("responder", w.a.Ref, ioc.Input{Type: "domain", Value: "evil.example"})
		sweeps := func(ref string) []incident.Entry {
			p, err := w.incidents.Timeline(w.ctx["admin"], ref, incident.TimelineFilter{Kinds: []string{ioc.KindSighted}, Limit: 50})
			if err != nil {
				t.Fatal(err)
			}
			return p.Items
		}
		early := w.now.Add(-72 * time.Hour)

		t.Run("OK", func(t *testing.T) {
			res, err := w.iocs.RecordSweep(w.ctx["responder"], w.a.Ref, ioc.SweepReport{Host: "ws-0142", Paths: []string{"/var/log"},
				StartedAt: w.now.Add(-time.Minute), FinishedAt: *w.now, Files: 12, Bytes: 4096,
				Sightings: []ioc.Sighting{
					{Type: "ipv4", Value: "045.137.021.009", Hits: 3, FirstSeen: early, LastSeen: early.Add(time.Hour)},
					{Type: "domain", Value: "EVIL.example.", Hits: 1, FirstSeen: dom.FirstSeen, LastSeen: dom.LastSeen},
					{Type: "md5", Value: "d41d8cd98f00b204e9800998ecf8427e", Hits: 1, FirstSeen: early, LastSeen: early},
				}})
			if err != nil || res.Updated != 1 || res.Unchanged != 1 || len(res.Unknown) != 1 {
				t.Fatalf("result %+v, %v", res, err)
			}
			x, _ := w.iocs.Get(w.ctx["admin"], w.a.Ref, ip.ID)
			if !x.FirstSeen.Equal(early) || !x.LastSeen.Equal(ip.LastSeen) || x.Version != ip.Version+1 {
				t.Errorf("the address after the sweep: first %s last %s v%d", x.FirstSeen, x.LastSeen, x.Version)
			}
			es := sweeps(w.a.Ref)
			if len(es) != 1 || es[0].Text != "Sweep on ws-0142: 5 hits of 3 indicators in 12 files (/var/log); 0 could not be read" {
				t.Fatalf("timeline: %+v", es)
			}
			var p struct {
				Host      string         `json:"host"`
				Sightings []ioc.Sighting `json:"sightings"`
			}
			if err := json.Unmarshal(es[0].Payload, &p); err != nil || p.Host != "ws-0142" || len(p.Sightings) != 3 || p.Sightings[0].Value != "45.137.21.9" {
				t.Errorf("payload %s", es[0].Payload)
			}
		})
		t.Run("InvalidChangesNothing", func(t *testing.T) {
			for name, rep := range map[string]ioc.SweepReport{
				"NoHost":   {Sightings: []ioc.Sighting{{Type: "ipv4", Value: "45.137.21.9", Hits: 1, FirstSeen: early, LastSeen: early}}},
				"BadValue": {Host: "h", Sightings: []ioc.Sighting{{Type: "ipv4", Value: "999.1.1.1", Hits: 1, FirstSeen: early, LastSeen: early}}},
				"BadType":  {Host: "h", Sightings: []ioc.Sighting{{Type: "ip", Value: "1.2.3.4", Hits: 1, FirstSeen: early, LastSeen: early}}},
				"Future":   {Host: "h", Sightings: []ioc.Sighting{{Type: "ipv4", Value: "45.137.21.9", Hits: 1, FirstSeen: early, LastSeen: w.now.Add(time.Hour)}}},
				"Reversed": {Host: "h", Sightings: []ioc.Sighting{{Type: "ipv4", Value: "45.137.21.9", Hits: 1, FirstSeen: early, LastSeen: early.Add(-time.Hour)}}},
				"NoHits":   {Host: "h", Sightings: []ioc.Sighting{{Type: "ipv4", Value: "45.137.21.9", FirstSeen: early, LastSeen: early}}},
			} {
				if _, err := w.iocs.RecordSweep(w.ctx["responder"], w.a.Ref, rep); errs.CodeOf(err) != errs.Invalid || len(errs.FieldsOf(err)) == 0 {
					t.Errorf("%s: %v", name, err)
				}
			}
			if n := len(sweeps(w.a.Ref)); n != 1 {
				t.Errorf("%d sweep entries after refused reports, want 1", n)
			}
		})
		t.Run("NeedToKnow", func(t *testing.T) {
			rep := ioc.SweepReport{Host: "h"}
			if _, err := w.iocs.RecordSweep(w.ctx["viewer"], w.a.Ref, rep); errs.CodeOf(err) != errs.Forbidden {
				t.Errorf("viewer: %v", err)
			}
			if _, err := w.iocs.RecordSweep(w.ctx["nonmember"], w.r.Ref, rep); errs.CodeOf(err) != errs.NotFound {
				t.Errorf("nonmember on a restricted incident: %v", err)
			}
			if _, err := w.iocs.RecordSweep(w.ctx["outsider"], w.b.Ref, rep); errs.CodeOf(err) != errs.NotFound { // its own IR-2026-0001 would be found
				t.Errorf("another organisation: %v", err)
			}
		})
	})
}
