package db

import (
	"context"
	"embed"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
)

//go:embed migrations
var migrations embed.FS

func (db *DB) provider() (*goose.Provider, error) {
	sub, err := fs.Sub(migrations, "migrations/"+string(db.Dialect))
	if err != nil {
		return nil, err
	}
	dialect := goose.DialectSQLite3
	if db.Dialect == Postgres {
		dialect = goose.DialectPostgres
	}
	return goose.NewProvider(dialect, db.write, sub)
}

// LatestVersion is the newest schema version this binary knows.
func (db *DB) LatestVersion() (int64, error) {
	p, err := db.provider()
	if err != nil {
		return 0, err
	}
	srcs := p.ListSources()
	if len(srcs) == 0 {
		return 0, nil
	}
	return srcs[len(srcs)-1].Version, nil
}

// SchemaVersion is the version the database is at (0 when empty).
func (db *DB) SchemaVersion(ctx context.Context) (int64, error) {
	p, err := db.provider()
	if err != nil {
		return 0, err
	}
	return p.GetDBVersion(ctx)
}

// Migrate brings the schema up to date. It refuses a database whose
// schema is newer than this binary: running old code on a newer schema
// could write rows the newer code does not expect.
func (db *DB) Migrate(ctx context.Context) (from, to int64, err error) {
	p, err := db.provider()
	if err != nil {
		return 0, 0, fmt.Errorf("load migrations: %w", err)
	}
	latest, err := db.LatestVersion()
	if err != nil {
		return 0, 0, err
	}
	current, err := p.GetDBVersion(ctx)
	if err != nil {
		return 0, 0, fmt.Errorf("read schema version: %w", err)
	}
	if current > latest {
		return current, current, fmt.Errorf("the database schema is at version %d but this warroom binary only knows up to version %d: "+
			"run a newer warroom (do not downgrade a database); nothing was changed", current, latest)
	}
	if _, err := p.Up(ctx); err != nil {
		return current, current, fmt.Errorf("migrate schema from version %d: %w", current, err)
	}
	return current, latest, nil
}
