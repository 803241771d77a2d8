package main

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/warroom/warroom/internal/actor"
	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/org"
)

func (a *app) adminCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "admin", Short: "Administer a Warroom database on this machine (--data or --db)"}
	user := &cobra.Command{Use: "user", Short: "Manage people"}
	user.AddCommand(a.adminUserAddCommand())
	token := &cobra.Command{Use: "token", Short: "Manage API tokens"}
	token.AddCommand(a.adminTokenCreateCommand())
	cmd.AddCommand(a.adminBootstrapCommand(), user, token, a.adminBackupCommand(), a.migrateCommand())
	return cmd
}

// passwordFlags are --password and --password-stdin.
type passwordFlags struct {
	password string
	stdin    bool
}

func (p *passwordFlags) register(cmd *cobra.Command, what string) {
	cmd.Flags().StringVar(&p.password, "password", "", what+" (visible to other local users in the process list: prefer --password-stdin)")
	cmd.Flags().BoolVar(&p.stdin, "password-stdin", false, "read the password from the first line of standard input")
}

func (p *passwordFlags) read(a *app) (string, error) {
	if p.stdin && p.password != "" {
		return "", usagef("give --password or --password-stdin, not both")
	}
	if !p.stdin {
		return p.password, nil
	}
	line, err := bufio.NewReader(a.stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", usagef("--password-stdin: nothing on standard input")
	}
	return strings.TrimRight(line, "\r\n"), nil
}

func (a *app) adminBootstrapCommand() *cobra.Command {
	var f dbFlags
	var pw passwordFlags
	var orgName, email, name string
	cmd := &cobra.Command{
		Use:   "bootstrap --org NAME --email EMAIL",
		Short: "Create an organisation and its first admin",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			password, err := pw.read(a)
			if err != nil {
				return err
			}
			l, err := f.open(cmd.Context(), quietLogger())
			if err != nil {
				return err
			}
			defer l.db.Close()
			res, err := l.orgs.Bootstrap(cmd.Context(), org.BootstrapInput{OrgName: orgName, Email: email, Name: name, Password: password})
			if err != nil {
				return err
			}
			if a.output == "json" {
				return a.printJSON(map[string]any{"org": res.Org, "admin": res.Admin, "password": res.Password})
			}
			fmt.Fprintf(a.stdout, "Created organisation %q (%s) with admin %s.\n", res.Org.Name, res.Org.Slug, res.Admin.Email)
			switch {
			case res.PasswordGenerated:
				fmt.Fprintf(a.stdout, "Password (shown once): %s\n", res.Password)
			case res.Password == "":
				fmt.Fprintf(a.stdout, "%s already had an account and keeps its password.\n", res.Admin.Email)
			}
			return nil
		},
	}
	f.register(cmd)
	pw.register(cmd, "the admin's password (default: generate one)")
	cmd.Flags().StringVar(&orgName, "org", "", "organisation name")
	cmd.Flags().StringVar(&email, "email", "", "the first admin's email")
	cmd.Flags().StringVar(&name, "name", "", "the first admin's display name")
	_ = cmd.MarkFlagRequired("org")
	_ = cmd.MarkFlagRequired("email")
	return cmd
}

func (a *app) adminUserAddCommand() *cobra.Command {
	var f dbFlags
	var pw passwordFlags
	var orgSlug, email, name, role string
	cmd := &cobra.Command{
		Use:   "add --org SLUG --email EMAIL --role viewer|responder|admin",
		Short: "Add a person to an organisation (creating their account if needed)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			password, err := pw.read(a)
			if err != nil {
				return err
			}
			l, err := f.open(cmd.Context(), quietLogger())
			if err != nil {
				return err
			}
			defer l.db.Close()
			m, generated, err := l.orgs.AddUser(cmd.Context(), org.AddUserInput{Org: org.Slugify(orgSlug), Email: email, Name: name, Role: actor.Role(role), Password: password})
			if err != nil {
				return err
			}
			if a.output == "json" {
				return a.printJSON(map[string]any{"member": m, "password": generated})
			}
			fmt.Fprintf(a.stdout, "%s is now %s of %s.\n", m.Email, m.Role, orgSlug)
			if generated != "" {
				fmt.Fprintf(a.stdout, "Password (shown once): %s\n", generated)
			}
			return nil
		},
	}
	f.register(cmd)
	pw.register(cmd, "password for a new account (default: generate one)")
	cmd.Flags().StringVar(&orgSlug, "org", "", "organisation (name or slug)")
	cmd.Flags().StringVar(&email, "email", "", "the person's email")
	cmd.Flags().StringVar(&name, "name", "", "display name")
	cmd.Flags().StringVar(&role, "role", "responder", "organisation role: viewer, responder or admin")
	_ = cmd.MarkFlagRequired("org")
	_ = cmd.MarkFlagRequired("email")
	return cmd
}

func (a *app) adminTokenCreateCommand() *cobra.Command {
	var f dbFlags
	var orgSlug, email, name string
	var expires time.Duration
	var never bool
	cmd := &cobra.Command{
		Use:   "create --email EMAIL --name NAME",
		Short: "Create an API token for a person (printed once)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			l, err := f.open(cmd.Context(), quietLogger())
			if err != nil {
				return err
			}
			defer l.db.Close()
			if orgSlug == "" {
				if orgSlug, err = onlyOrgOf(cmd.Context(), l, email); err != nil {
					return err
				}
			}
			in := org.TokenInput{Name: name, Email: email, Org: org.Slugify(orgSlug), NoExpiry: never}
			if expires > 0 {
				t := time.Now().Add(expires)
				in.ExpiresAt = &t
			}
			secret, t, err := l.orgs.CreateToken(cmd.Context(), in)
			if err != nil {
				return err
			}
			if a.output == "json" {
				return a.printJSON(map[string]any{"token": secret, "info": t})
			}
			fmt.Fprintln(a.stdout, secret)
			return nil
		},
	}
	f.register(cmd)
	cmd.Flags().StringVar(&email, "email", "", "whose token")
	cmd.Flags().StringVar(&name, "name", "", "what the token is for")
	cmd.Flags().StringVar(&orgSlug, "org", "", "organisation (default: the person's only organisation)")
	cmd.Flags().DurationVar(&expires, "expires-in", 0, "lifetime, like 720h (default 90 days)")
	cmd.Flags().BoolVar(&never, "no-expiry", false, "the token never expires")
	_ = cmd.MarkFlagRequired("email")
	_ = cmd.MarkFlagRequired("name")
	return cmd
}

// onlyOrgOf finds the organisation of a person who belongs to exactly one.
func onlyOrgOf(ctx context.Context, l *local, email string) (string, error) {
	var slugs []string
	err := l.db.Read(ctx, func(tx *db.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT o.slug FROM organizations o JOIN memberships m ON m.org_id = o.id
			JOIN users u ON u.id = m.user_id WHERE u.email = $1 ORDER BY o.slug`, org.NormalizeEmail(email))
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				return err
			}
			slugs = append(slugs, s)
		}
		return rows.Err()
	})
	switch {
	case err != nil:
		return "", err
	case len(slugs) == 0:
		return "", exitCodeError{exitNotFound, fmt.Sprintf("%s is not a member of any organisation", email)}
	case len(slugs) > 1:
		return "", usagef("%s belongs to several organisations (%s): say which with --org", email, strings.Join(slugs, ", "))
	}
	return slugs[0], nil
}

func (a *app) adminBackupCommand() *cobra.Command {
	var f dbFlags
	cmd := &cobra.Command{
		Use:   "backup FILE",
		Short: "Write a consistent copy of the SQLite database while the server runs",
		Long: `Write a consistent online copy of the embedded SQLite database to FILE (which
must not exist). The server may keep running: the copy is one transaction.

For PostgreSQL use pg_dump, for example:
  pg_dump --format=custom --file=warroom.dump "$WARROOM_DB"`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if f.url != "" {
				return usagef("backup copies the embedded SQLite database; for PostgreSQL use pg_dump --format=custom (see warroom admin backup --help)")
			}
			dest, err := filepath.Abs(args[0])
			if err != nil {
				return err
			}
			if _, err := os.Stat(dest); err == nil {
				return usagef("%s already exists; choose a new file name", dest)
			}
			l, err := f.open(cmd.Context(), quietLogger())
			if err != nil {
				return err
			}
			defer l.db.Close()
			start := time.Now()
			if err := backupSQLite(cmd.Context(), l.db.SQL(), dest); err != nil {
				return err
			}
			st, err := os.Stat(dest)
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "Backed up %s to %s (%d bytes in %s).\n", l.db.Location, dest, st.Size(), time.Since(start).Round(time.Millisecond))
			return nil
		},
	}
	f.register(cmd)
	return cmd
}

// backupSQLite uses VACUUM INTO: SQLite writes a compacted copy from one
// read transaction, so it is consistent while writers carry on.
func backupSQLite(ctx context.Context, d *sql.DB, dest string) error {
	if _, err := d.ExecContext(ctx, `VACUUM INTO $1`, dest); err != nil {
		return fmt.Errorf("backup to %s: %w", dest, err)
	}
	return nil
}

func (a *app) migrateCommand() *cobra.Command {
	var f dbFlags
	cmd := &cobra.Command{
		Use:   "migrate",
		Short: "Bring the database schema up to date (serve does this on start)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			d, err := db.Open(cmd.Context(), db.Config{DataDir: f.data, URL: f.url}, quietLogger())
			if err != nil {
				return err
			}
			defer d.Close()
			from, to, err := d.Migrate(cmd.Context())
			if err != nil {
				return err
			}
			if from == to {
				fmt.Fprintf(a.stdout, "Schema is up to date at version %d.\n", to)
			} else {
				fmt.Fprintf(a.stdout, "Migrated schema from version %d to %d.\n", from, to)
			}
			return nil
		},
	}
	f.register(cmd)
	return cmd
}
