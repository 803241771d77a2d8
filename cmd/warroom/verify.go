package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/warroom/warroom/client"
	"github.com/warroom/warroom/internal/actor"
	"github.com/warroom/warroom/internal/record"
)

func (a *app) verifyCommand() *cobra.Command {
	var f dbFlags
	var ref string
	var remote bool
	cmd := &cobra.Command{
		Use:   "verify [--incident REF]",
		Short: "Recompute the hash chains of incident timelines and report tampering",
		Long: `Recompute every incident's hash chain (or one with --incident) from the
database on this machine (--data/--db) and name the first entry that was
altered, removed or reordered. Exits 8 when any chain is broken.
With --remote, ask the signed-in server to verify what you can see.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			var reports []client.Report
			if remote {
				c, err := a.client()
				if err != nil {
					return err
				}
				if ref != "" {
					r, err := c.Verify(ctx, ref)
					if err != nil {
						return err
					}
					reports = []client.Report{r}
				} else if reports, err = c.VerifyAll(ctx); err != nil {
					return err
				}
			} else {
				l, err := f.open(ctx, quietLogger())
				if err != nil {
					return err
				}
				defer l.db.Close()
				var rs []record.Report
				if ref != "" {
					// A local administrator sees every incident: act as an
					// admin of the incident's organisation.
					orgID, err := orgOfIncident(ctx, l, ref)
					if err != nil {
						return err
					}
					rs, err = l.incidents.Verify(actor.With(ctx, &actor.Actor{OrgID: orgID, Role: actor.Admin, Via: "local"}), ref)
					if err != nil {
						return err
					}
				} else if rs, err = l.incidents.VerifyAll(ctx); err != nil {
					return err
				}
				for _, r := range rs {
					cr := client.Report{IncidentID: r.IncidentID, Ref: r.Ref, Entries: r.Entries, OK: r.OK}
					if r.Problem != nil {
						cr.Problem = &client.Problem{Seq: r.Problem.Seq, EntryID: r.Problem.EntryID, Reason: r.Problem.Reason}
					}
					reports = append(reports, cr)
				}
			}
			return a.printReports(reports)
		},
	}
	f.register(cmd)
	cmd.Flags().StringVar(&ref, "incident", "", "verify only this incident (like IR-2026-0001)")
	cmd.Flags().BoolVar(&remote, "remote", false, "verify on the signed-in server instead of a local database")
	return cmd
}

func (a *app) printReports(reports []client.Report) error {
	bad := 0
	for _, r := range reports {
		if !r.OK {
			bad++
		}
	}
	if a.output == "json" {
		if reports == nil {
			reports = []client.Report{}
		}
		if err := a.printJSON(map[string]any{"items": reports, "broken": bad}); err != nil {
			return err
		}
	} else {
		t := a.table("INCIDENT", "ENTRIES", "RESULT")
		for _, r := range reports {
			res := "ok"
			if !r.OK {
				res = fmt.Sprintf("BROKEN at entry %d", r.Problem.Seq)
				if r.Problem.EntryID != "" {
					res += " (" + r.Problem.EntryID + ")"
				}
				res += ": " + r.Problem.Reason
			}
			t.row(r.Ref, r.Entries, res)
		}
		t.flush()
		fmt.Fprintf(a.stdout, "%d incident(s) verified, %d broken.\n", len(reports), bad)
	}
	if bad > 0 {
		return exitCodeError{code: exitTampered}
	}
	return nil
}
