package db

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver
)

// Dialect names a database engine.
type Dialect string

// The supported engines.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// Config says which database to open. URL wins when set; otherwise an
// SQLite file in DataDir is used (and created).
type Config struct {
	DataDir string // directory for warroom.db when URL is empty
	URL     string // postgres://… or postgresql://…
}

// DB is an open database with separate pools for reading and writing.
type DB struct {
	Dialect Dialect
	read    *sql.DB
	write   *sql.DB
	// Location is a human description of where the data lives, for logs.
	Location string
	changes  *Changes
	stop     context.CancelFunc
}

// Changes is the feed of commits per organisation for live views.
func (db *DB) Changes() *Changes { return db.changes }

// Open connects to the database cfg describes. It does not migrate.
func Open(ctx context.Context, cfg Config, log *slog.Logger) (*DB, error) {
	if cfg.URL != "" {
		if !strings.HasPrefix(cfg.URL, "postgres://") && !strings.HasPrefix(cfg.URL, "postgresql://") {
			return nil, fmt.Errorf("unsupported database URL %q: use postgres://… or leave it empty for the embedded SQLite database", redactURL(cfg.URL))
		}
		return openPostgres(ctx, cfg.URL, log)
	}
	if cfg.DataDir == "" {
		cfg.DataDir = "warroom-data"
	}
	return openSQLite(ctx, cfg.DataDir)
}

// sqlitePragmas are set on every connection through the DSN so a pooled
// connection can never miss one. synchronous=FULL makes an acknowledged
// commit survive power loss, which the record promises.
const sqlitePragmas = "_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)&_pragma=synchronous(FULL)&_time_format=sqlite"

func openSQLite(ctx context.Context, dir string) (*DB, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	path := filepath.Join(dir, "warroom.db")
	base := "file:" + filepath.ToSlash(path) + "?" + sqlitePragmas
	write, err := sql.Open("sqlite", base+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxLifetime(0)
	if err := write.PingContext(ctx); err != nil {
		write.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	read, err := sql.Open("sqlite", base+"&_pragma=query_only(1)")
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	n := max(4, runtime.NumCPU())
	read.SetMaxOpenConns(n)
	read.SetMaxIdleConns(n)
	return &DB{Dialect: SQLite, read: read, write: write, Location: path, changes: newChanges(), stop: func() {}}, nil
}

func openPostgres(ctx context.Context, u string, log *slog.Logger) (*DB, error) {
	pool, err := sql.Open("pgx", u)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	pool.SetMaxOpenConns(32)
	pool.SetMaxIdleConns(8)
	if err := pool.PingContext(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("connect to postgres %s: %w", redactURL(u), err)
	}
	db := &DB{Dialect: Postgres, read: pool, write: pool, Location: redactURL(u), changes: newChanges()}
	lctx, stop := context.WithCancel(context.Background())
	db.stop = stop
	go db.listenPostgres(lctx, u, log)
	return db, nil
}

// Close closes both pools.
func (db *DB) Close() error {
	db.stop()
	err := db.write.Close()
	if db.read != db.write {
		if rerr := db.read.Close(); err == nil {
			err = rerr
		}
	}
	return err
}

// Ping checks that the database answers; /readyz uses it.
func (db *DB) Ping(ctx context.Context) error {
	return db.read.PingContext(ctx)
}

// SQL returns the write pool for tools that need a raw handle (migrations,
// backups, benchmarks). Capabilities use Write and Read.
func (db *DB) SQL() *sql.DB { return db.write }

// redactURL hides the password in a database URL so it never reaches a log.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}
