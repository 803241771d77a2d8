package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

func (a *app) evidenceVerifyCommand() *cobra.Command {
	var f dbFlags
	return withDBFlags(&f, &cobra.Command{
		Use:   "verify [--data DIR | --db URL]",
		Short: "Re-hash every stored evidence file and report any that changed or disappeared",
		Long: `Re-hash the content of every evidence item Warroom holds, in every
organisation, from the database and blob directory on this machine (the same
--data/--db as serve; with PostgreSQL, --data names the shared directory that
holds the blobs). Exits 8 when any file changed or disappeared.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			l, err := f.open(ctx, quietLogger())
			if err != nil {
				return err
			}
			defer l.db.Close()
			r, err := l.evidence.Verify(ctx)
			if err != nil {
				return err
			}
			if err := a.print(r, func() {
				t := a.table("INCIDENT", "EVIDENCE", "SHA-256", "RESULT")
				for _, c := range r.Items {
					res := c.Result
					if c.Detail != "" {
						res += ": " + c.Detail
					}
					t.row(c.IncidentRef, c.Evidence, c.SHA256, res)
				}
				t.flush()
				fmt.Fprintf(a.stdout, "%d item(s) checked (%d stored file(s)): %d changed, %d missing.\n", len(r.Items), r.Blobs, r.Changed, r.Missing)
				if n := len(r.Unreferenced); n > 0 {
					fmt.Fprintf(a.stdout, "%d stored file(s) belong to no held item (left by failed uploads); they can be deleted.\n", n)
				}
			}); err != nil {
				return err
			}
			if !r.OK {
				return exitCodeError{code: exitTampered}
			}
			return nil
		},
	})
}

func withDBFlags(f *dbFlags, cmd *cobra.Command) *cobra.Command {
	f.register(cmd)
	return cmd
}
