package main

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/warroom/warroom/client"
	"github.com/warroom/warroom/internal/attack"
)

func (a *app) attackCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "attack", Short: "The attacker timeline: MITRE ATT&CK tactics and techniques, attacker activity, the story (docs/attack.md)"}
	cmd.AddCommand(a.attackImportCommand(), a.attackTacticsCommand(), a.attackTechniquesCommand(), a.attackRecordCommand(), a.attackStoryCommand())
	return cmd
}

func (a *app) attackImportCommand() *cobra.Command {
	var f dbFlags
	return withDBFlags(&f, &cobra.Command{
		Use:   "import FILE [--data DIR | --db URL]",
		Short: "Load the official ATT&CK Enterprise STIX bundle (enterprise-attack.json) into this server's technique catalogue",
		Long: `Reads the MITRE ATT&CK Enterprise STIX bundle and loads its techniques into the
catalogue every organisation on this server shares, working on the database
on this machine (the same --data/--db as serve). Download the bundle from the
MITRE ATT&CK STIX data repository (enterprise-attack/enterprise-attack.json).

Importing again, or importing a newer release, updates names, tactics,
revocations and deprecations; an older release never overwrites a newer one.
FILE - reads standard input.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			in := a.stdin
			if args[0] != "-" {
				file, err := os.Open(args[0])
				if err != nil {
					return usagef("cannot read %s: %v", args[0], errors.Unwrap(err))
				}
				defer file.Close()
				in = file
			}
			ctx := cmd.Context()
			l, err := f.open(ctx, quietLogger())
			if err != nil {
				return err
			}
			defer l.db.Close()
			svc := &attack.Service{DB: l.db, Now: time.Now, Log: quietLogger()}
			r, err := svc.Import(ctx, in)
			if err != nil {
				return err
			}
			return a.print(r, func() {
				v := r.Version
				if v == "" {
					v = "(version not stated)"
				}
				fmt.Fprintf(a.stdout, "Imported ATT&CK %s: %d techniques from %d objects.\n", v, r.Techniques, r.Objects)
				fmt.Fprintf(a.stdout, "  added %d, updated %d, unchanged %d, kept newer %d\n", r.Added, r.Updated, r.Unchanged, r.Older)
				fmt.Fprintf(a.stdout, "  revoked %d, deprecated %d, skipped %d (other domains or no ATT&CK ID)\n", r.Revoked, r.Deprecated, r.Skipped)
				if len(r.UnknownTactics) > 0 {
					fmt.Fprintf(a.stdout, "  tactics this Warroom does not know yet: %s\n", strings.Join(r.UnknownTactics, ", "))
				}
			})
		},
	})
}

func (a *app) attackTacticsCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "tactics",
		Short: "List the ATT&CK Enterprise tactics in kill-chain order (built in; works offline)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ts := attack.Tactics()
			return a.print(map[string][]attack.Tactic{"items": ts}, func() {
				t := a.table("ID", "SHORT NAME", "NAME")
				for _, x := range ts {
					t.row(x.ID, x.ShortName, x.Name)
				}
				t.flush()
			})
		},
	}
}

func (a *app) attackTechniquesCommand() *cobra.Command {
	var f client.TechniqueFilter
	cmd := &cobra.Command{
		Use:   "techniques [SEARCH] [--tactic T] [--all]",
		Short: "List the server's ATT&CK technique catalogue; SEARCH matches an ID prefix or part of a name",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				f.Query = args[0]
			}
			c, err := a.client()
			if err != nil {
				return err
			}
			l, err := c.AttackTechniques(cmd.Context(), f)
			if err != nil {
				return err
			}
			return a.print(l, func() {
				if !l.Catalogue.Loaded {
					fmt.Fprintln(a.stderr, "No ATT&CK catalogue is loaded on this server; an operator runs: warroom attack import enterprise-attack.json")
					return
				}
				t := a.table("ID", "NAME", "TACTICS", "STATUS")
				for _, x := range l.Items {
					status := ""
					switch {
					case x.Revoked && x.RevokedBy != "":
						status = "revoked: use " + x.RevokedBy
					case x.Revoked:
						status = "revoked"
					case x.Deprecated:
						status = "deprecated"
					}
					t.row(x.ID, truncate(x.Name, 50), strings.Join(x.Tactics, ", "), status)
				}
				t.flush()
				fmt.Fprintf(a.stderr, "%d shown; ATT&CK %s\n", len(l.Items), l.Catalogue.Version)
			})
		},
	}
	cmd.Flags().StringVar(&f.Tactic, "tactic", "", "only techniques of this tactic (TA0002, execution or \"Execution\")")
	cmd.Flags().BoolVar(&f.All, "all", false, "include revoked and deprecated techniques")
	return cmd
}

func (a *app) attackRecordCommand() *cobra.Command {
	var in client.AttackInput
	var at string
	cmd := &cobra.Command{
		Use:   "record REF TEXT --at TIME [--precision second|minute|hour|day] [--tactic T] [--technique T1059.001] [--host H] [--account A] [--ioc ID] [--evidence EV-1]",
		Short: "Record attacker activity: what they did, when, how, and what they reached",
		Long: `Records an attacker-activity entry in the incident's timeline.

  warroom attack record IR-2026-0007 "PowerShell download cradle on FS01" \
      --at "2026-11-20 03:12:09" --host FS01 --account 'CORP\svc_backup' \
      --tactic execution --technique T1059.001 --ioc 0193… --evidence EV-3

--at is required; --precision says how exactly it is known (a day given as
2026-11-20 with --precision day is that UTC day). --ioc and --evidence repeat;
--corrects ID replaces an earlier attacker-activity entry in the story.`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			t, err := parseTime("at", at, time.Now())
			if err != nil {
				return err
			}
			in.EventTime, in.Text = &t, args[1]
			c, err := a.client()
			if err != nil {
				return err
			}
			out, err := c.RecordAttack(cmd.Context(), args[0], in)
			if err != nil {
				return err
			}
			return a.print(out, func() {
				fmt.Fprintf(a.stdout, "Recorded #%d in %s: %s\n", out.Entry.Seq, out.Entry.IncidentRef, out.Entry.Text)
				for _, w := range out.Warnings {
					fmt.Fprintf(a.stderr, "warning: %s\n", w)
				}
			})
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&at, "at", "", `when it happened: 2026-11-20T03:12:09Z, "2026-11-20 03:12" (local), 2026-11-20 or -2h`)
	fl.StringVar(&in.Precision, "precision", "", "how exactly the time is known: second (default), minute, hour or day")
	fl.StringVar(&in.Tactic, "tactic", "", "ATT&CK tactic: TA0002, execution or \"Execution\" (see warroom attack tactics)")
	fl.StringVar(&in.Technique, "technique", "", "ATT&CK technique ID, like T1059 or T1059.001")
	fl.StringVar(&in.Host, "host", "", "the host it happened on or that was reached")
	fl.StringVar(&in.Account, "account", "", "the account used or reached")
	fl.StringArrayVar(&in.Indicators, "ioc", nil, "ID of an indicator of this incident involved (repeat)")
	fl.StringArrayVar(&in.Evidence, "evidence", nil, "evidence of this incident that shows it: EV-3 (repeat)")
	fl.StringVar(&in.Corrects, "corrects", "", "ID of an attacker-activity entry this one corrects")
	_ = cmd.MarkFlagRequired("at")
	return cmd
}

func (a *app) attackStoryCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "story REF",
		Short: "Tell the attacker story of an incident: activity by tactic in kill-chain order, in event-time order, and what was reached",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			st, err := c.AttackStory(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			return a.print(st, func() { a.printStory(st) })
		},
	}
}

func (a *app) printStory(st client.Story) {
	if st.Activities == 0 {
		fmt.Fprintf(a.stdout, "No attacker activity recorded in %s.\n", st.IncidentRef)
		return
	}
	fmt.Fprintf(a.stdout, "%s: %d attacker activities, %s – %s\n", st.IncidentRef, st.Activities, st.First.Text, st.Last.Text)
	for _, g := range st.Groups {
		name := "Unclassified"
		if g.Tactic.ID != "" {
			name = g.Tactic.Name + " (" + g.Tactic.ID + ")"
		}
		fmt.Fprintf(a.stdout, "\n== %s ==\n", name)
		t := a.table("WHEN", "TECHNIQUE", "HOST", "ACCOUNT", "WHAT", "LINKS")
		for _, it := range g.Items {
			var links []string
			for _, x := range it.Indicators {
				links = append(links, x.Value)
			}
			for _, e := range it.Evidence {
				links = append(links, e.Label)
			}
			what := it.Text
			if n := len(it.Supersedes); n > 0 {
				what += fmt.Sprintf(" [corrects #%d]", it.Supersedes[0].Seq)
			}
			for _, n := range it.Notes {
				what += fmt.Sprintf(" [correction #%d: %s]", n.Seq, n.Text)
			}
			t.row(it.When.Text, strings.TrimSpace(it.Technique+" "+it.TechniqueName), it.Host, it.Account, truncate(what, 80), strings.Join(links, ", "))
		}
		t.flush()
		for _, it := range g.Items {
			for _, w := range it.Warnings {
				fmt.Fprintf(a.stdout, "  warning on #%d: %s\n", it.Seq, w)
			}
		}
	}
	reached := func(label string, rs []client.Reach) {
		if len(rs) == 0 {
			return
		}
		var names []string
		for _, r := range rs {
			names = append(names, fmt.Sprintf("%s (%d)", r.Name, r.Count))
		}
		fmt.Fprintf(a.stdout, "%-11s %s\n", label+":", strings.Join(names, ", "))
	}
	fmt.Fprintln(a.stdout)
	reached("Hosts", st.Hosts)
	reached("Accounts", st.Accounts)
	reached("Techniques", st.Techniques)
	if st.Truncated {
		fmt.Fprintln(a.stdout, "(the story stops at the entry limit; the rest is in the timeline)")
	}
}
