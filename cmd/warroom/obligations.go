package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/warroom/warroom/internal/incident"
	"github.com/warroom/warroom/internal/obligation"
)

// obligationsCommand holds the offline regulatory-clock commands: they read
// facts and rules from files and need no server (docs/obligations.md).
func (a *app) obligationsCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "obligations", Aliases: []string{"obligation"},
		Short: "Regulatory notification clocks: which notifications are owed, to whom, by when (docs/obligations.md)"}
	cmd.AddCommand(a.obligationsEvaluateCommand(), a.obligationsRulesCommand(),
		a.obligationsFactsCommand(), a.obligationsListCommand(), a.obligationsStatusCommand())
	return cmd
}

// readLimited reads a file ("-" for standard input) up to max bytes.
func (a *app) readLimited(flag, path string, max int) ([]byte, error) {
	in := a.stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, usagef("--%s: cannot read %s: %v", flag, path, errors.Unwrap(err))
		}
		defer f.Close()
		in = f
	}
	b, err := io.ReadAll(io.LimitReader(in, int64(max)+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if len(b) > max {
		return nil, usagef("--%s: %s is larger than %d KiB", flag, path, max>>10)
	}
	return b, nil
}

// catalogue is the embedded rules plus the organisation's own files.
func (a *app) catalogue(files []string) (*obligation.Catalogue, error) {
	c, err := obligation.Builtin()
	if err != nil {
		return nil, fmt.Errorf("load the built-in rules: %w", err)
	}
	for _, f := range files {
		src, err := a.readLimited("rules", f, obligation.MaxRulesFile)
		if err != nil {
			return nil, err
		}
		extra, err := obligation.LoadFile(f, src)
		if err != nil {
			return nil, err
		}
		if c, err = obligation.Merge(c, extra); err != nil {
			return nil, usagef("--rules %s: %v", f, err)
		}
	}
	return c, nil
}

func (a *app) obligationsEvaluateCommand() *cobra.Command {
	var factsPath, nowFlag string
	var all bool
	var rules []string
	cmd := &cobra.Command{
		Use:   "evaluate --facts FILE",
		Short: "Evaluate incident facts against the notification rules; works offline",
		Long: `Reads the facts of an incident (YAML or JSON, the format in docs/obligations.md) and lists
the notifications owed: recipient, status (due, pending_event, not_applicable), the due instant in
the regime's time zone, the follow-up stages, an explanation to check by hand, and the citations.
Rules that do not apply are listed, with the reason, only with --all. Nothing is sent anywhere.
This is not legal advice.

  warroom obligations evaluate --facts facts.yaml
  warroom obligations evaluate --facts facts.yaml --now 2026-03-11T12:00:00Z -o json
  warroom obligations evaluate --facts facts.yaml --rules our-contracts.yaml --all`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			now := time.Now()
			if nowFlag != "" {
				t, err := parseTime("now", nowFlag, now)
				if err != nil {
					return err
				}
				now = t
			}
			src, err := a.readLimited("facts", factsPath, obligation.MaxFactsSize)
			if err != nil {
				return err
			}
			facts, err := obligation.ParseFacts(src)
			if err != nil {
				return err
			}
			c, err := a.catalogue(rules)
			if err != nil {
				return err
			}
			obs, err := obligation.Evaluate(c, facts, now)
			if err != nil {
				return err
			}
			shown := make([]obligation.Obligation, 0, len(obs))
			for _, o := range obs {
				if all || o.Status != obligation.NotApplicable {
					shown = append(shown, o)
				}
			}
			return a.print(map[string][]obligation.Obligation{"obligations": shown}, func() {
				t := a.table("RULE", "STATUS", "DUE", "LEFT", "RECIPIENT")
				for _, o := range shown {
					t.row(o.Rule, string(o.Status), dueCell(o), leftCell(o, now), truncate(o.Recipient, 60))
				}
				t.flush()
				if len(shown) == 0 {
					fmt.Fprintln(a.stdout, "No obligation applies to these facts (use --all to see why).")
				}
				fmt.Fprintln(a.stdout, "\nExplanations and citations: -o json. Not legal advice: check every result with counsel.")
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&factsPath, "facts", "", "facts file, YAML or JSON (- for standard input)")
	f.StringVar(&nowFlag, "now", "", "evaluate at this time instead of now (RFC 3339, \"2026-11-26 14:05\" local, or -2h)")
	f.BoolVar(&all, "all", false, "also list the rules that do not apply, with the reason")
	f.StringArrayVar(&rules, "rules", nil, "an organisation's own rules file (repeatable)")
	_ = cmd.MarkFlagRequired("facts")
	return cmd
}

func dueCell(o obligation.Obligation) string {
	switch {
	case o.Status != obligation.Due:
		return ""
	case o.Due == "":
		return "without undue delay"
	}
	return o.DueTime().Format("2006-01-02 15:04 MST")
}

// leftCell is the time remaining, or how late, at now.
func leftCell(o obligation.Obligation, now time.Time) string {
	if o.Status != obligation.Due || o.Due == "" {
		return ""
	}
	return incident.Countdown(o.DueTime(), now)
}

func (a *app) obligationsRulesCommand() *cobra.Command {
	var rules []string
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "List the notification rules with their clocks and citations (offline); upload or download your organisation's own on the server",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.catalogue(rules)
			if err != nil {
				return err
			}
			return a.print(map[string][]obligation.Rule{"rules": c.Rules}, func() {
				t := a.table("RULE", "JURISDICTION", "CLOCK", "DEADLINE", "STATUS", "CITATION")
				for _, r := range c.Rules {
					status := r.Status
					if r.Effective != "" {
						status += " from " + r.Effective
					}
					cite := ""
					if len(r.Citations) > 0 {
						cite = r.Citations[0].URL
					}
					t.row(r.ID, r.Jurisdiction, r.Clock.Event, r.Deadline.Summary(), status, cite)
				}
				t.flush()
				fmt.Fprintf(a.stdout, "\n%d rules. Full text and every citation: -o json. Not legal advice.\n", len(c.Rules))
			})
		},
	}
	cmd.Flags().StringArrayVar(&rules, "rules", nil, "an organisation's own rules file to list too (repeatable)")
	cmd.AddCommand(a.obligationsRulesUploadCommand(), a.obligationsRulesDownloadCommand())
	return cmd
}
