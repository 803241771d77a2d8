package db_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/db/dbtest"
)

// TestSchemasMatch proves both engines end up with the same tables and
// columns after migrating, so no capability works on one engine only.
func TestSchemasMatch(t *testing.T) {
	lite := columns(t, dbtest.OpenSQLite(t))
	pg := columns(t, dbtest.OpenPostgres(t))
	if diff := cmp.Diff(lite, pg); diff != "" {
		t.Fatalf("schemas differ (-sqlite +postgres):\n%s", diff)
	}
	if len(lite["timeline_entries"]) == 0 {
		t.Fatal("timeline_entries has no columns: the comparison saw nothing")
	}
	if diff := cmp.Diff(indexes(t, dbtest.OpenSQLite(t)), indexes(t, dbtest.OpenPostgres(t))); diff != "" {
		t.Fatalf("named indexes differ (-sqlite +postgres):\n%s", diff)
	}
}

// indexes lists the indexes the migrations name (not those the engines
// create for primary keys and UNIQUE constraints).
func indexes(t *testing.T, d *db.DB) []string {
	t.Helper()
	q := `SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name`
	if d.Dialect == db.Postgres {
		q = `SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()
		     AND indexname NOT LIKE '%\_pkey' AND indexname NOT LIKE '%\_key' ORDER BY indexname`
	}
	rows, err := d.SQL().Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		out = append(out, n)
	}
	if len(out) == 0 {
		t.Fatal("no indexes found: the comparison saw nothing")
	}
	return out
}

func columns(t *testing.T, d *db.DB) map[string][]string {
	t.Helper()
	q := `SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p
	      WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> 'goose_db_version'
	      ORDER BY m.name, p.name`
	if d.Dialect == db.Postgres {
		q = `SELECT table_name, column_name FROM information_schema.columns
		     WHERE table_schema = current_schema() AND table_name <> 'goose_db_version'
		     ORDER BY table_name, column_name`
	}
	rows, err := d.SQL().Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var table, col string
		if err := rows.Scan(&table, &col); err != nil {
			t.Fatal(err)
		}
		out[table] = append(out[table], col)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestMigrateRefusesNewerSchema(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		latest, err := d.LatestVersion()
		if err != nil || latest < 1 {
			t.Fatalf("latest version %d, %v", latest, err)
		}
		// Simulate a database written by a newer binary.
		if _, err := d.SQL().Exec(`INSERT INTO goose_db_version (version_id, is_applied) VALUES ($1, true)`, latest+1); err != nil {
			t.Fatal(err)
		}
		_, _, err = d.Migrate(ctx)
		if err == nil || !strings.Contains(err.Error(), "only knows up to version") {
			t.Fatalf("Migrate on a newer schema: got %v, want a refusal", err)
		}
	})
}

func TestMapErrorUnique(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		insert := func(tx *db.Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO organizations (id, slug, name, created_at) VALUES ($1, $2, $3, CURRENT_TIMESTAMP)`, "o1", "acme", "Acme")
			return db.MapError(err)
		}
		if err := d.Write(ctx, insert); err != nil {
			t.Fatal(err)
		}
		err := d.Write(ctx, insert)
		if !errors.Is(err, db.ErrUnique) {
			t.Fatalf("second insert: got %v, want ErrUnique", err)
		}
	})
}

func TestWriteRollsBackOnError(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		boom := errors.New("boom")
		err := d.Write(ctx, func(tx *db.Tx) error {
			if _, err := tx.ExecContext(ctx, `INSERT INTO organizations (id, slug, name, created_at) VALUES ('o1', 'acme', 'Acme', CURRENT_TIMESTAMP)`); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("got %v", err)
		}
		err = d.Read(ctx, func(tx *db.Tx) error {
			var n int
			return tx.QueryRowContext(ctx, `SELECT count(*) FROM organizations`).Scan(&n)
		})
		if err != nil {
			t.Fatal(err)
		}
		var n int
		_ = d.SQL().QueryRow(`SELECT count(*) FROM organizations`).Scan(&n)
		if n != 0 {
			t.Fatalf("rolled-back insert is visible: %d rows", n)
		}
	})
}

func TestOpenRejectsUnknownURL(t *testing.T) {
	_, err := db.Open(context.Background(), db.Config{URL: "mysql://u:secret@h/db"}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err == nil || strings.Contains(err.Error(), "secret") {
		t.Fatalf("got %v; want an error that does not show the password", err)
	}
}
