package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/warroom/warroom/client"
	"github.com/warroom/warroom/internal/incident"
	"github.com/warroom/warroom/internal/obligation"
)

// The incident-side obligation verbs: facts kept on the incident, the
// obligations evaluated by the server, and the status of each notification.

func (a *app) obligationsFactsCommand() *cobra.Command {
	var factsPath string
	var ifVersion int64
	cmd := &cobra.Command{
		Use:   "facts REF [--set FILE]",
		Short: "Show an incident's notification facts, or replace them with --set FILE (YAML or JSON)",
		Long: `Without --set, prints the facts kept on the incident. With --set, checks the file here first
(the same checks as warroom obligations evaluate) and then replaces the incident's facts; the
change is written to the incident's record. --if-version refuses to overwrite someone else's change.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			var rec client.ObligationFactsRecord
			if factsPath == "" {
				if rec, err = c.ObligationFacts(cmd.Context(), args[0]); err != nil {
					return err
				}
			} else {
				src, err := a.readLimited("set", factsPath, obligation.MaxFactsSize)
				if err != nil {
					return err
				}
				f, err := obligation.ParseFacts(src)
				if err != nil {
					return err
				}
				if rec, err = c.PutObligationFacts(cmd.Context(), args[0], f, ifVersion); err != nil {
					return err
				}
			}
			return a.print(rec, func() {
				f := rec.Facts
				fmt.Fprintf(a.stdout, "Facts version %d\n", rec.Version)
				fmt.Fprintf(a.stdout, "Organisation: %s; sectors %s; entity types %s\n", list(f.Organisation.Jurisdictions), list(f.Organisation.Sectors), list(f.Organisation.EntityTypes))
				var aff []string
				for _, p := range f.Incident.Affected {
					aff = append(aff, fmt.Sprintf("%s %d", p.Jurisdiction, p.Count))
				}
				fmt.Fprintf(a.stdout, "Affected: %s\nData: %s (encrypted: %v)\n", list(aff), list(f.Incident.DataTypes), f.Incident.DataEncrypted)
				t := a.table("EVENT", "AT")
				for _, e := range obligation.Events {
					if v, ok := f.Incident.Events[e]; ok {
						t.row(e, v)
					}
				}
				t.flush()
			})
		},
	}
	cmd.Flags().StringVar(&factsPath, "set", "", "replace the facts with this file (- for standard input)")
	cmd.Flags().Int64Var(&ifVersion, "if-version", 0, "only if the facts are still at this version")
	return cmd
}

func list(v []string) string {
	if len(v) == 0 {
		return "-"
	}
	return strings.Join(v, ", ")
}

func (a *app) obligationsListCommand() *cobra.Command {
	var all bool
	cmd := &cobra.Command{
		Use:   "list REF [--all]",
		Short: "The notifications an incident owes, evaluated by the server from its facts, with their status",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			rep, err := c.Obligations(cmd.Context(), args[0], all)
			if err != nil {
				return err
			}
			return a.print(rep, func() {
				t := a.table("RULE", "STATUS", "DUE", "LEFT", "NOTIFICATION", "RECIPIENT")
				for _, o := range rep.Obligations {
					due, left := "", ""
					if o.Status == string(obligation.Due) {
						due = "without undue delay"
						if d, err := time.Parse(time.RFC3339, o.Due); err == nil {
							due = d.Format("2006-01-02 15:04 MST")
							left = incident.Countdown(d, rep.EvaluatedAt)
						}
					}
					rule := o.Rule
					if o.Origin == "organisation" {
						rule += " (yours)"
					} else if o.Origin == "removed" {
						rule += " (removed)"
					}
					t.row(rule, o.Status, due, left, o.Notification.Status, truncate(o.Recipient, 50))
				}
				t.flush()
				fmt.Fprintln(a.stdout, "\nExplanations and citations: -o json. Not legal advice: check every result with counsel.")
			})
		},
	}
	cmd.Flags().BoolVar(&all, "all", false, "also list the rules that do not apply, with the reason")
	return cmd
}

func (a *app) obligationsStatusCommand() *cobra.Command {
	var in client.NotificationInput
	var at string
	var ifVersion int64
	cmd := &cobra.Command{
		Use:   "status REF RULE --status not_started|drafting|submitted|not_required",
		Short: "Record what was done about one notification (submitted needs --at; not_required needs --rationale)",
		Long: `Records a notification's status on the incident, in its record:

  warroom obligations status INC-7 us-tx-521-053-attorney-general --status drafting
  warroom obligations status INC-7 us-tx-521-053-attorney-general --status submitted --at "2026-03-11 10:30" \
      --reference TX-2026-0042 --proof EV-4
  warroom obligations status INC-7 us-hipaa-164-404-individuals --status not_required --rationale "No PHI involved"`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if at != "" {
				t, err := parseTime("at", at, time.Now())
				if err != nil {
					return err
				}
				in.SubmittedAt = &t
			}
			c, err := a.client()
			if err != nil {
				return err
			}
			n, err := c.SetNotificationStatus(cmd.Context(), args[0], args[1], in, ifVersion)
			if err != nil {
				return err
			}
			return a.print(n, func() {
				fmt.Fprintf(a.stdout, "%s: %s (version %d)\n", args[1], n.Status, n.Version)
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&in.Status, "status", "", "not_started, drafting, submitted or not_required")
	f.StringVar(&at, "at", "", "when it was submitted (RFC 3339, \"2026-11-26 14:05\" local, or -2h)")
	f.StringVar(&in.SubmittedBy, "by", "", "who submitted it (default: you)")
	f.StringVar(&in.Reference, "reference", "", "the recipient's reference number")
	f.StringVar(&in.ProofEvidence, "proof", "", "the evidence item holding the proof (EV-n)")
	f.StringVar(&in.Rationale, "rationale", "", "why it is not required (required for not_required), or a note")
	f.Int64Var(&ifVersion, "if-version", 0, "only if the status is still at this version")
	_ = cmd.MarkFlagRequired("status")
	return cmd
}
