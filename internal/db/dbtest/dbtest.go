// Package dbtest runs store and service tests against every database
// engine Warroom supports: SQLite in a temporary directory always, and
// PostgreSQL in a fresh schema when WARROOM_TEST_POSTGRES_URL is set.
package dbtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"io"
	"log/slog"
	"net/url"
	"os"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/warroom/warroom/internal/db"
)

// PostgresEnv names the variable holding the PostgreSQL server URL for tests.
const PostgresEnv = "WARROOM_TEST_POSTGRES_URL"

// ForEachDialect runs fn as a subtest once per engine, each with a freshly
// migrated database. In CI (CI set) a missing PostgreSQL URL is a failure,
// never a silent skip.
func ForEachDialect(t *testing.T, fn func(t *testing.T, d *db.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, OpenSQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, OpenPostgres(t)) })
}

// Dialects returns the configs of every engine available to tests; used by
// benchmarks and by tests that open the database more than once.
func Dialects(tb testing.TB) map[string]db.Config {
	tb.Helper()
	out := map[string]db.Config{"sqlite": {DataDir: tb.TempDir()}}
	if PostgresURL(tb) != "" {
		out["postgres"] = db.Config{URL: FreshPostgres(tb)}
	}
	return out
}

// OpenSQLite opens and migrates an SQLite database in a temporary directory.
func OpenSQLite(tb testing.TB) *db.DB {
	tb.Helper()
	return open(tb, db.Config{DataDir: tb.TempDir()})
}

// OpenPostgres opens and migrates a fresh PostgreSQL schema, or skips when
// no server is configured (and fails instead when running in CI).
func OpenPostgres(tb testing.TB) *db.DB {
	tb.Helper()
	if PostgresURL(tb) == "" {
		tb.Skipf("%s is not set; skipping PostgreSQL", PostgresEnv)
	}
	return open(tb, db.Config{URL: FreshPostgres(tb)})
}

// PostgresURL returns the configured server URL; in CI it must be set.
func PostgresURL(tb testing.TB) string {
	tb.Helper()
	u := os.Getenv(PostgresEnv)
	if u == "" && os.Getenv("CI") != "" {
		tb.Fatalf("%s must be set in CI: PostgreSQL tests may not be skipped", PostgresEnv)
	}
	return u
}

// FreshPostgres creates a new schema, drops it when the test ends, and
// returns a URL whose connections use it.
func FreshPostgres(tb testing.TB) string {
	tb.Helper()
	base := PostgresURL(tb)
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "wr_test_" + hex.EncodeToString(b[:])
	admin, err := sql.Open("pgx", base)
	if err != nil {
		tb.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		tb.Fatalf("create test schema: %v", err)
	}
	tb.Cleanup(func() {
		a, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer a.Close()
		_, _ = a.Exec("DROP SCHEMA " + schema + " CASCADE")
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("parse %s: %v", PostgresEnv, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func open(tb testing.TB, cfg db.Config) *db.DB {
	tb.Helper()
	ctx := context.Background()
	d, err := db.Open(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { d.Close() })
	if _, _, err := d.Migrate(ctx); err != nil {
		tb.Fatal(err)
	}
	return d
}
