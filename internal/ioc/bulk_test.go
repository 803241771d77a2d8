package ioc_test

import (
	"slices"
	"testing"

	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/db/dbtest"
	"github.com/warroom/warroom/internal/errs"
	"github.com/warroom/warroom/internal/ioc"
)

func TestBulk(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		x1 := w.MustAdd("responder", w.a.Ref, ioc.Input{Type: "domain", Value: "evil.example", Tags: []string{"c2"}})
		x2 := w.MustAdd("responder", w.a.Ref, ioc.Input{Type: "ipv4", Value: "45.137.21.9", IsIOC: ptr(false)})
		other := w.MustAdd("admin", w.b.Ref, ioc.Input{Type: "md5", Value: "d41d8cd98f00b204e9800998ecf8427e"})
		ids := []string{x1.ID, x2.ID}
		before := len(w.entries(w.a.Ref))

		t.Run("OKAddTagChangesOnlyWhatDiffers", func(t *testing.T) {
			res, err := w.iocs.Bulk(w.ctx["responder"], w.a.Ref, ioc.BulkInput{IDs: ids, Action: "add_tag", Tag: "C2"})
			if err != nil || res.Changed != 1 || res.Unchanged != 1 {
				t.Fatalf("bulk add_tag: %+v, %v", res, err)
			}
			got, _ := w.iocs.Get(w.ctx["responder"], w.a.Ref, x2.ID)
			if !slices.Equal(got.Tags, []string{"c2"}) {
				t.Errorf("tags %v", got.Tags)
			}
			if n := len(w.entries(w.a.Ref)); n != before+1 {
				t.Errorf("%d new timeline entries, want 1", n-before)
			}
		})
		t.Run("OKMarkAndTLP", func(t *testing.T) {
			if _, err := w.iocs.Bulk(w.ctx["responder"], w.a.Ref, ioc.BulkInput{IDs: ids, Action: "mark_ioc"}); err != nil {
				t.Fatal(err)
			}
			if _, err := w.iocs.Bulk(w.ctx["responder"], w.a.Ref, ioc.BulkInput{IDs: ids, Action: "set_tlp", TLP: "amber"}); err != nil {
				t.Fatal(err)
			}
			for _, id := range ids {
				got, _ := w.iocs.Get(w.ctx["responder"], w.a.Ref, id)
				if !got.IsIOC || got.TLP != "amber" {
					t.Errorf("%s: ioc %v tlp %s", got.Value, got.IsIOC, got.TLP)
				}
			}
		})
		t.Run("AllOrNothing", func(t *testing.T) {
			// The indicator of incident B is not in A: nothing changes.
			_, err := w.iocs.Bulk(w.ctx["responder"], w.a.Ref, ioc.BulkInput{IDs: []string{x1.ID, other.ID}, Action: "delete"})
			if errs.CodeOf(err) != errs.NotFound {
				t.Fatalf("bulk over another incident's indicator: %v", err)
			}
			if _, err := w.iocs.Get(w.ctx["responder"], w.a.Ref, x1.ID); err != nil {
				t.Errorf("the first indicator was deleted although the action failed: %v", err)
			}
		})
		t.Run("Invalid", func(t *testing.T) {
			for _, in := range []ioc.BulkInput{{IDs: ids, Action: "explode"}, {Action: "delete"}, {IDs: ids, Action: "set_tlp", TLP: "purple"},
				{IDs: ids, Action: "add_tag", Tag: "Not A Tag!"}} {
				if _, err := w.iocs.Bulk(w.ctx["responder"], w.a.Ref, in); errs.CodeOf(err) != errs.Invalid || len(errs.FieldsOf(err)) == 0 {
					t.Errorf("%+v: %v", in, err)
				}
			}
		})
		t.Run("ViewerForbiddenNonmemberNotFound", func(t *testing.T) {
			if _, err := w.iocs.Bulk(w.ctx["viewer"], w.a.Ref, ioc.BulkInput{IDs: ids, Action: "delete"}); errs.CodeOf(err) != errs.Forbidden {
				t.Errorf("viewer: %v", err)
			}
			r := w.MustAdd("admin", w.r.Ref, ioc.Input{Type: "domain", Value: "insider.example"})
			if _, err := w.iocs.Bulk(w.ctx["nonmember"], w.r.Ref, ioc.BulkInput{IDs: []string{r.ID}, Action: "delete"}); errs.CodeOf(err) != errs.NotFound {
				t.Errorf("nonmember on restricted: %v", err)
			}
		})
		t.Run("OKDelete", func(t *testing.T) {
			res, err := w.iocs.Bulk(w.ctx["responder"], w.a.Ref, ioc.BulkInput{IDs: append(ids, x1.ID), Action: "delete"})
			if err != nil || res.Changed != 2 {
				t.Fatalf("delete: %+v, %v", res, err)
			}
			p, _ := w.iocs.List(w.ctx["responder"], w.a.Ref, ioc.Filter{})
			if len(p.Items) != 0 {
				t.Errorf("left: %+v", p.Items)
			}
		})
	})
}
