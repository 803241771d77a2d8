package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/warroom/warroom/internal/contact"
	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/evidence"
	"github.com/warroom/warroom/internal/incident"
	"github.com/warroom/warroom/internal/notify"
	"github.com/warroom/warroom/internal/org"
	"github.com/warroom/warroom/internal/plan"
)

// dbFlags are the --data and --db flags every local command shares.
type dbFlags struct {
	data string
	url  string
}

func (f *dbFlags) register(cmd *cobra.Command) {
	data := os.Getenv("WARROOM_DATA")
	if data == "" {
		data = "warroom-data"
	}
	cmd.Flags().StringVar(&f.data, "data", data, "data directory for the embedded SQLite database and blobs (env WARROOM_DATA)")
	cmd.Flags().StringVar(&f.url, "db", os.Getenv("WARROOM_DB"), "PostgreSQL URL (postgres://…) instead of the embedded database (env WARROOM_DB)")
}

// local is a migrated database with the services on top, for commands that
// run on the server's own machine.
type local struct {
	db        *db.DB
	orgs      *org.Service
	incidents *incident.Service
	plans     *plan.Service
	worker    *notify.Worker    // set by serve
	escalator *notify.Escalator // set by serve
	contacts  *contact.Service
	// evidence keeps its blobs in <data>/blobs, with PostgreSQL too: then
	// --data must be storage every replica shares (docs/evidence.md).
	evidence *evidence.Service
}

func (f *dbFlags) open(ctx context.Context, log *slog.Logger) (*local, error) {
	if f.url == "" {
		f.url = readSecretEnv("WARROOM_DB")
	}
	d, err := db.Open(ctx, db.Config{DataDir: f.data, URL: f.url}, log)
	if err != nil {
		return nil, err
	}
	if _, _, err := d.Migrate(ctx); err != nil {
		d.Close()
		return nil, err
	}
	now := func() time.Time { return time.Now() }
	plans := &plan.Service{DB: d, Now: now, Log: log}
	orgs := &org.Service{DB: d, Now: now, Log: log, OnCreate: []func(context.Context, *db.Tx, org.Organization, string) error{plans.ImportStarters}}
	return &local{db: d, orgs: orgs, incidents: &incident.Service{DB: d, Now: now, Log: log, Planner: plans}, plans: plans,
		contacts: &contact.Service{DB: d, Now: now, Log: log},
		evidence: &evidence.Service{DB: d, Now: now, Log: log, Blobs: &evidence.Blobs{Dir: filepath.Join(f.data, "blobs")}}}, nil
}

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// readSecretEnv reads NAME, or the file named by NAME_FILE (for secrets
// mounted as files, so they stay out of the environment and of ps).
func readSecretEnv(name string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	if p := os.Getenv(name + "_FILE"); p != "" {
		b, err := os.ReadFile(p)
		if err == nil {
			return string(trimNewline(b))
		}
	}
	return ""
}

func trimNewline(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}

// orgOfIncident finds which organisation an incident reference belongs
// to; references are unique per organisation, so several may match.
func orgOfIncident(ctx context.Context, l *local, ref string) (string, error) {
	var ids []string
	err := l.db.Read(ctx, func(tx *db.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT org_id FROM incidents WHERE ref = $1`, strings.ToUpper(ref))
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return rows.Err()
	})
	switch {
	case err != nil:
		return "", err
	case len(ids) == 0:
		return "", exitCodeError{exitNotFound, fmt.Sprintf("incident %s not found", ref)}
	case len(ids) > 1:
		return "", usagef("%d organisations have an incident %s; verify them all without --incident", len(ids), ref)
	}
	return ids[0], nil
}
