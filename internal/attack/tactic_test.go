package attack

import (
	"testing"
	"time"

	"github.com/warroom/warroom/internal/errs"
)

func TestLookupTactic(t *testing.T) {
	for _, tc := range []struct {
		in     string
		id     string
		pos    int
		wantOK bool
	}{
		{"TA0002", "TA0002", 3, true},
		{"ta0002", "TA0002", 3, true},
		{"execution", "TA0002", 3, true},
		{" Execution ", "TA0002", 3, true},
		{"Command and Control", "TA0011", 11, true},
		{"command-and-control", "TA0011", 11, true},
		{"reconnaissance", "TA0043", 0, true},
		{"impact", "TA0040", 13, true},
		{"TA0010", "TA0010", 12, true},
		{"", "", -1, false},
		{"TA9999", "", -1, false},
		{"exec", "", -1, false},
		{"initial_access", "", -1, false}, // neither the short name nor the name
		{"initial access", "TA0001", 2, true},
		{"Initial Access", "TA0001", 2, true},
	} {
		got, pos, ok := LookupTactic(tc.in)
		if ok != tc.wantOK || got.ID != tc.id || pos != tc.pos {
			t.Errorf("LookupTactic(%q) = %s, %d, %v; want %s, %d, %v", tc.in, got.ID, pos, ok, tc.id, tc.pos, tc.wantOK)
		}
	}
}

func TestTacticsInKillChainOrder(t *testing.T) {
	ts := Tactics()
	if len(ts) != 14 || ts[0].ShortName != "reconnaissance" || ts[len(ts)-1].ShortName != "impact" {
		t.Fatalf("tactics: %v", ts)
	}
	ts[0].Name = "changed"
	if Tactics()[0].Name != "Reconnaissance" {
		t.Error("Tactics returned the built-in slice itself")
	}
}

func TestNormalizeTechnique(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"T1059", "T1059", true},
		{"T1059.001", "T1059.001", true},
		{" t1059.001 ", "T1059.001", true},
		{"T105", "T105", false},
		{"T10590", "T10590", false},
		{"T1059.01", "T1059.01", false},
		{"T1059.0001", "T1059.0001", false},
		{"T1059.", "T1059.", false},
		{"1059", "1059", false},
		{"TA0002", "TA0002", false},
		{"T1059/001", "T1059/001", false},
		{"T1059.001\n", "T1059.001", true},
		{"", "", false},
	} {
		got, ok := NormalizeTechnique(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("NormalizeTechnique(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestPrecision(t *testing.T) {
	at := time.Date(2026, 11, 20, 14, 37, 21, 500, time.FixedZone("CET", 3600))
	for _, tc := range []struct {
		p          Precision
		trunc, fmt string
	}{
		{Second, "2026-11-20T13:37:21Z", "2026-11-20 13:37:21Z"},
		{Minute, "2026-11-20T13:37:00Z", "2026-11-20 13:37Z"},
		{Hour, "2026-11-20T13:00:00Z", "2026-11-20 13hZ"},
		{Day, "2026-11-20T00:00:00Z", "2026-11-20"},
	} {
		if got := tc.p.Truncate(at).Format(time.RFC3339Nano); got != tc.trunc {
			t.Errorf("%s: Truncate = %s, want %s", tc.p, got, tc.trunc)
		}
		if got := tc.p.Format(at); got != tc.fmt {
			t.Errorf("%s: Format = %s, want %s", tc.p, got, tc.fmt)
		}
	}
	// A date entered east or west of Greenwich stays that date, though its
	// midnight falls on another day in UTC.
	for _, zone := range []int{2, 14, -10} {
		midnight := time.Date(2026, 11, 20, 0, 0, 0, 0, time.FixedZone("", zone*3600))
		if got := Day.Truncate(midnight).Format(time.RFC3339); got != "2026-11-20T00:00:00Z" {
			t.Errorf("20 November at UTC%+d: Truncate(day) = %s", zone, got)
		}
	}
}

// TestInputCheck covers what is validated without a database.
func TestInputCheck(t *testing.T) {
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	past := now.Add(-48 * time.Hour)
	future := now.Add(time.Hour)
	long := make([]string, MaxLinks+1)
	for k := range long {
		long[k] = string(rune('a'+k%26)) + time.Duration(k).String()
	}
	for _, tc := range []struct {
		name  string
		in    Input
		field string // "" when valid
	}{
		{"OK", Input{Text: "Beacon", EventTime: &past, Tactic: "execution", Technique: "t1059.001", Host: "FS01"}, ""},
		{"OKNoTacticNoTechnique", Input{Text: "Something", EventTime: &past, Precision: Day}, ""},
		{"ErrNoText", Input{Text: "  ", EventTime: &past}, "text"},
		{"ErrNoTime", Input{Text: "x"}, "event_time"},
		{"ErrFuture", Input{Text: "x", EventTime: &future}, "event_time"},
		{"ErrPrecision", Input{Text: "x", EventTime: &past, Precision: "week"}, "precision"},
		{"ErrTactic", Input{Text: "x", EventTime: &past, Tactic: "pivoting"}, "tactic"},
		{"ErrTechniqueFormat", Input{Text: "x", EventTime: &past, Technique: "T59"}, "technique"},
		{"ErrHostNewline", Input{Text: "x", EventTime: &past, Host: "fs01\nfs02"}, "host"},
		{"ErrAccountLong", Input{Text: "x", EventTime: &past, Account: string(make([]byte, MaxAccount+1))}, "account"},
		{"ErrTooManyIndicators", Input{Text: "x", EventTime: &past, Indicators: long}, "indicators"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var v errs.Validation
			in := tc.in
			act := in.check(&v, now)
			fields := errs.FieldsOf(v.Err())
			if tc.field == "" {
				if len(fields) > 0 {
					t.Fatalf("unexpected errors: %v", fields)
				}
				if tc.in.Technique != "" && act.Technique != "T1059.001" || tc.in.Tactic != "" && act.Tactic != "TA0002" {
					t.Errorf("not normalised: %+v", act)
				}
				return
			}
			if len(fields) != 1 || fields[0].Field != tc.field {
				t.Fatalf("errors %v, want one on %s", fields, tc.field)
			}
		})
	}
}
