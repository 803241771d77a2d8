package ioc_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/db/dbtest"
	"github.com/warroom/warroom/internal/errs"
	"github.com/warroom/warroom/internal/ioc"
)

// TestCorrelations puts one domain in A, B, the restricted R and the
// other organisation's O: each person sees only the incidents they may
// see, and a non-member never learns that R holds it.
func TestCorrelations(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		in := ioc.Input{Type: "domain", Value: "shared-c2.example"}
		x := w.MustAdd("admin", w.a.Ref, in)
		w.MustAdd("admin", w.b.Ref, ioc.Input{Type: "domain", Value: "SHARED-C2.example."})
		w.MustAdd("responder", w.r.Ref, in)
		w.MustAdd("outsider", w.o.Ref, in)
		w.MustAdd("admin", w.a.Ref, ioc.Input{Type: "domain", Value: "only-here.example"})
		// Same value, other type: not the same indicator.
		w.MustAdd("admin", w.b.Ref, ioc.Input{Type: "hostname", Value: "only-here.example"})

		for who, want := range map[string][]string{"admin": {w.b.Ref, w.r.Ref}, "responder": {w.b.Ref, w.r.Ref},
			"viewer": {w.b.Ref, w.r.Ref}, "nonmember": {w.b.Ref}} {
			t.Run("OK"+who, func(t *testing.T) {
				got, err := w.iocs.Get(w.ctx[who], w.a.Ref, x.ID)
				if err != nil || !slices.Equal(got.SeenIn, want) {
					t.Errorf("seen in %v, %v; want %v", got.SeenIn, err, want)
				}
				page, err := w.iocs.List(w.ctx[who], w.a.Ref, ioc.Filter{})
				if err != nil || len(page.Items) != 2 || !slices.Equal(page.Items[0].SeenIn, want) || len(page.Items[1].SeenIn) != 0 {
					t.Errorf("list: %+v, %v", page.Items, err)
				}
			})
		}

		t.Run("NonMemberLearnsNothingOfR", func(t *testing.T) {
			page, err := w.iocs.List(w.ctx["nonmember"], w.b.Ref, ioc.Filter{})
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range page.Items {
				if slices.Contains(it.SeenIn, w.r.Ref) {
					t.Errorf("%s %s shows the restricted incident: %v", it.Type, it.Value, it.SeenIn)
				}
			}
			if _, err := w.iocs.List(w.ctx["nonmember"], w.r.Ref, ioc.Filter{}); errs.CodeOf(err) != errs.NotFound {
				t.Errorf("indicators of R: %v", err)
			}
		})

		t.Run("OtherOrganisationSeparate", func(t *testing.T) {
			page, err := w.iocs.List(w.ctx["outsider"], w.o.Ref, ioc.Filter{})
			if err != nil || len(page.Items) != 1 || len(page.Items[0].SeenIn) != 0 {
				t.Errorf("outsider's indicator correlates across organisations: %+v, %v", page.Items, err)
			}
		})
	})
}

func TestUpdateDelete(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		x := w.MustAdd("responder", w.a.Ref, ioc.Input{Type: "sha256", Value: strings.Repeat("AB", 32), Source: "EDR"})

		t.Run("OK", func(t *testing.T) {
			*w.now = w.now.Add(time.Minute)
			got, err := w.iocs.Update(w.ctx["responder"], w.a.Ref, x.ID, ioc.Patch{Confidence: ptr(95), Tags: &[]string{"Ransomware"},
				IsIOC: ptr(false), Note: ptr("  dropper  ")}, 1)
			if err != nil || got.Version != 2 || got.Confidence != 95 || !slices.Equal(got.Tags, []string{"ransomware"}) || got.IsIOC ||
				got.Note != "dropper" || got.Source != "EDR" || !got.UpdatedAt.Equal(*w.now) {
				t.Fatalf("updated: %+v, %v", got, err)
			}
			es := w.entries(w.a.Ref)
			if last := es[len(es)-1]; last.Kind != ioc.KindUpdated || !strings.Contains(last.Text, "confidence, is_ioc, note, tags") {
				t.Errorf("last entry: %+v", last)
			}
		})

		t.Run("OKNothingChanged", func(t *testing.T) {
			before := len(w.entries(w.a.Ref))
			got, err := w.iocs.Update(w.ctx["admin"], w.a.Ref, x.ID, ioc.Patch{Confidence: ptr(95)}, 0)
			if err != nil || got.Version != 2 || len(w.entries(w.a.Ref)) != before {
				t.Errorf("a no-op update wrote something: %+v, %v", got, err)
			}
		})

		t.Run("ErrPreconditionFailed", func(t *testing.T) {
			_, err := w.iocs.Update(w.ctx["responder"], w.a.Ref, x.ID, ioc.Patch{Confidence: ptr(10)}, 1)
			if errs.CodeOf(err) != errs.PreconditionFailed {
				t.Errorf("stale version: %v", err)
			}
			if err := w.iocs.Delete(w.ctx["responder"], w.a.Ref, x.ID, 1); errs.CodeOf(err) != errs.PreconditionFailed {
				t.Errorf("stale delete: %v", err)
			}
		})

		t.Run("ErrInvalid", func(t *testing.T) {
			_, err := w.iocs.Update(w.ctx["responder"], w.a.Ref, x.ID, ioc.Patch{TLP: ptr("purple"), Confidence: ptr(-1)}, 0)
			if !slices.Equal(fieldsOf(err), []string{"confidence", "tlp"}) {
				t.Errorf("bad patch: %v", err)
			}
		})

		t.Run("ErrForbiddenAndNotFound", func(t *testing.T) {
			if _, err := w.iocs.Update(w.ctx["viewer"], w.a.Ref, x.ID, ioc.Patch{Confidence: ptr(1)}, 0); errs.CodeOf(err) != errs.Forbidden {
				t.Errorf("viewer updates: %v", err)
			}
			if err := w.iocs.Delete(w.ctx["viewer"], w.a.Ref, x.ID, 0); errs.CodeOf(err) != errs.Forbidden {
				t.Errorf("viewer deletes: %v", err)
			}
			// The indicator exists, but not in B: an ID does not reach across incidents.
			if _, err := w.iocs.Get(w.ctx["admin"], w.b.Ref, x.ID); errs.CodeOf(err) != errs.NotFound {
				t.Errorf("get through another incident: %v", err)
			}
			r := w.MustAdd("responder", w.r.Ref, ioc.Input{Type: "user_account", Value: `ACME\mallory`})
			if _, err := w.iocs.Get(w.ctx["nonmember"], w.r.Ref, r.ID); errs.CodeOf(err) != errs.NotFound {
				t.Errorf("non-member reads R's indicator: %v", err)
			}
			if err := w.iocs.Delete(w.ctx["nonmember"], w.r.Ref, r.ID, 0); errs.CodeOf(err) != errs.NotFound {
				t.Errorf("non-member deletes R's indicator: %v", err)
			}
		})

		t.Run("OKDelete", func(t *testing.T) {
			if err := w.iocs.Delete(w.ctx["responder"], w.a.Ref, x.ID, 2); err != nil {
				t.Fatal(err)
			}
			if _, err := w.iocs.Get(w.ctx["admin"], w.a.Ref, x.ID); errs.CodeOf(err) != errs.NotFound {
				t.Errorf("after delete: %v", err)
			}
			es := w.entries(w.a.Ref)
			if last := es[len(es)-1]; last.Kind != ioc.KindDeleted || last.Text != "Artifact deleted: sha256 "+strings.Repeat("ab", 32) {
				t.Errorf("last entry: %+v", last)
			}
			reports, err := w.incidents.Verify(w.ctx["admin"], w.a.Ref)
			if err != nil || len(reports) != 1 || !reports[0].OK {
				t.Errorf("the chain after indicator changes: %+v, %v", reports, err)
			}
		})
	})
}

func TestList(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		for _, in := range []ioc.Input{
			{Type: "domain", Value: "a.example", Tags: []string{"phishing"}}, {Type: "ipv4", Value: "45.1.2.3", IsIOC: ptr(false)},
			{Type: "domain", Value: "b.example", Source: "Proofpoint"}, {Type: "url", Value: "https://a.example/login"}, {Type: "cve", Value: "CVE-2023-4966"},
		} {
			w.MustAdd("responder", w.a.Ref, in)
		}
		values := func(f ioc.Filter) []string {
			t.Helper()
			p, err := w.iocs.List(w.ctx["viewer"], w.a.Ref, f)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, x := range p.Items {
				out = append(out, x.Value)
			}
			return out
		}
		for name, c := range map[string]struct {
			f    ioc.Filter
			want []string
		}{
			"Type":     {ioc.Filter{Type: "domain"}, []string{"a.example", "b.example"}},
			"IOCOnly":  {ioc.Filter{IOCOnly: true, Type: "ipv4"}, nil},
			"Query":    {ioc.Filter{Query: "PROOF"}, []string{"b.example"}},
			"QueryTag": {ioc.Filter{Query: "phish"}, []string{"a.example"}},
			"Escaped":  {ioc.Filter{Query: "%"}, nil},
		} {
			if got := values(c.f); !slices.Equal(got, c.want) {
				t.Errorf("%s: %v, want %v", name, got, c.want)
			}
		}
		var all []string
		f := ioc.Filter{Limit: 2}
		for pages := 0; ; pages++ {
			p, err := w.iocs.List(w.ctx["viewer"], w.a.Ref, f)
			if err != nil || pages > 3 {
				t.Fatalf("page %d: %v", pages, err)
			}
			for _, x := range p.Items {
				all = append(all, x.Value)
			}
			if p.NextCursor == "" {
				break
			}
			f.Cursor = p.NextCursor
		}
		if want := []string{"a.example", "45.1.2.3", "b.example", "https://a.example/login", "CVE-2023-4966"}; !slices.Equal(all, want) {
			t.Errorf("paged: %v, want %v", all, want)
		}
		_, err := w.iocs.List(w.ctx["viewer"], w.a.Ref, ioc.Filter{Type: "colour", Limit: 9999, Cursor: "zzz"})
		if !slices.Equal(fieldsOf(err), []string{"cursor", "limit", "type"}) {
			t.Errorf("bad filter: %v", err)
		}
	})
}
