package ioc_test

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/db/dbtest"
	"github.com/warroom/warroom/internal/ioc"
)

// TestLongValues: values up to the 4096-byte limit are stored, merged and
// correlated on both engines (PostgreSQL's btree refuses index entries
// over about 2.7 KB, so its indexes are on md5(value)).
func TestLongValues(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		var b strings.Builder
		for i := 0; b.Len() < ioc.MaxValue; i++ {
			sum := sha256.Sum256([]byte{byte(i), byte(i >> 8)})
			b.WriteString(hex.EncodeToString(sum[:])) // incompressible
		}
		long := b.String()[:ioc.MaxValue]
		x, created, err := w.iocs.Add(w.ctx["responder"], w.a.Ref, ioc.Input{Type: "other", Value: long})
		if err != nil || !created || x.Value != long {
			t.Fatalf("add a %d-byte value: created %v, %v", len(long), created, err)
		}
		if _, created, err := w.iocs.Add(w.ctx["responder"], w.a.Ref, ioc.Input{Type: "other", Value: long}); err != nil || created {
			t.Errorf("the same value again: created %v, %v (want merged)", created, err)
		}
		other := long[:len(long)-1] + "x"
		if _, created, err := w.iocs.Add(w.ctx["responder"], w.a.Ref, ioc.Input{Type: "other", Value: other}); err != nil || !created {
			t.Errorf("a value differing in its last byte: created %v, %v", created, err)
		}
		y := w.MustAdd("admin", w.b.Ref, ioc.Input{Type: "other", Value: long})
		if len(y.SeenIn) != 1 || y.SeenIn[0] != w.a.Ref {
			t.Errorf("correlation of the long value: %v", y.SeenIn)
		}
	})
}
