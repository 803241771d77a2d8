package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/warroom/warroom/client"
	"github.com/warroom/warroom/internal/incident"
)

func enumNames[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

func completeWith(cmd *cobra.Command, flag string, values []string) {
	_ = cmd.RegisterFlagCompletionFunc(flag, cobra.FixedCompletions(values, cobra.ShellCompDirectiveNoFileComp))
}

func (a *app) incidentCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "incident", Aliases: []string{"incidents", "i"}, Short: "Declare, list, show, update and close incidents"}
	cmd.AddCommand(a.incidentDeclareCommand(), a.incidentListCommand(), a.incidentShowCommand(), a.incidentUpdateCommand(),
		a.incidentCloseCommand(), a.incidentMilestoneCommand())
	return cmd
}

func (a *app) incidentDeclareCommand() *cobra.Command {
	var in client.DeclareInput
	var detected, compromised string
	cmd := &cobra.Command{
		Use:   "declare --title TITLE --type TYPE --severity SEV1..SEV4",
		Short: "Declare an incident (you become its incident commander unless --commander says otherwise)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			now := time.Now()
			if detected != "" {
				t, err := parseTime("detected-at", detected, now)
				if err != nil {
					return err
				}
				in.DetectedAt = &t
			}
			if compromised != "" {
				t, err := parseTime("first-compromise-at", compromised, now)
				if err != nil {
					return err
				}
				in.FirstCompromiseAt = &t
			}
			c, err := a.client()
			if err != nil {
				return err
			}
			i, err := c.DeclareIncident(cmd.Context(), in)
			if err != nil {
				return err
			}
			return a.print(i, func() {
				fmt.Fprintf(a.stdout, "Declared %s: %s %s %s\n", i.Ref, i.Severity, i.Type, i.Title)
				if i.PlanID != "" {
					fmt.Fprintf(a.stdout, "Following plan %s v%d: see warroom task list %s\n", i.PlanID, i.PlanVersion, i.Ref)
				}
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&in.Title, "title", "", "short title")
	f.StringVar(&in.Summary, "summary", "", "what is known so far")
	f.StringVar(&in.Type, "type", "", "incident type: "+strings.Join(enumNames(incident.Types), ", "))
	f.StringVar(&in.Severity, "severity", "", "SEV1 (highest) to SEV4")
	f.StringVar(&in.Phase, "phase", "", "phase (default detection_analysis)")
	f.StringVar(&in.TLP, "tlp", "", "TLP marking (default amber)")
	f.BoolVar(&in.Restricted, "restricted", false, "only the roster and admins can see it")
	f.StringSliceVar(&in.Tags, "tag", nil, "tag (repeatable)")
	f.StringVar(&in.Ref, "ref", "", "use this reference instead of the next IR-YYYY-NNNN")
	f.StringVar(&in.Commander, "commander", "", "incident commander's email (default: you)")
	f.StringVar(&in.Plan, "plan", "", "IR plan to follow (default: the best match for the type and severity; none for no plan)")
	f.StringVar(&detected, "detected-at", "", "when it was detected (default now)")
	f.StringVar(&compromised, "first-compromise-at", "", "when the first compromise happened, if known")
	_ = cmd.MarkFlagRequired("title")
	_ = cmd.MarkFlagRequired("type")
	_ = cmd.MarkFlagRequired("severity")
	completeWith(cmd, "type", enumNames(incident.Types))
	completeWith(cmd, "severity", enumNames(incident.Severities))
	completeWith(cmd, "phase", enumNames(incident.Phases))
	completeWith(cmd, "tlp", enumNames(incident.TLPs))
	return cmd
}

func (a *app) incidentListCommand() *cobra.Command {
	var f client.IncidentFilter
	var all bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List incidents you can see",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			var items []client.Incident
			for {
				page, err := c.ListIncidents(cmd.Context(), f)
				if err != nil {
					return err
				}
				items = append(items, page.Items...)
				if f.Cursor = page.NextCursor; !all || f.Cursor == "" {
					break
				}
			}
			if items == nil {
				items = []client.Incident{}
			}
			return a.print(client.Page[client.Incident]{Items: items, NextCursor: f.Cursor}, func() {
				t := a.table("REF", "SEV", "STATUS", "PHASE", "TYPE", "TITLE", "DECLARED", "FLAGS")
				for _, i := range items {
					title := truncate(i.Title, 50)
					if i.Restricted {
						title = "[restricted] " + title
					}
					var flags []string
					for _, fl := range i.Flags {
						flags = append(flags, fl.Code)
					}
					t.row(i.Ref, i.Severity, i.Status, i.Phase, i.Type, title, i.CreatedAt, strings.Join(flags, ","))
				}
				t.flush()
				if f.Cursor != "" {
					fmt.Fprintln(a.stderr, "More incidents: add --all, or --cursor", f.Cursor)
				}
			})
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.Status, "status", "", "open or closed")
	fl.StringVar(&f.Severity, "severity", "", "SEV1..SEV4")
	fl.StringVar(&f.Type, "type", "", "incident type")
	fl.StringVar(&f.Phase, "phase", "", "phase")
	fl.BoolVar(&f.Mine, "mine", false, "only incidents where you hold a role")
	fl.StringVarP(&f.Query, "query", "q", "", "search reference and title")
	fl.StringVar(&f.Sort, "sort", "", "newest (default), oldest, severity or updated")
	fl.IntVar(&f.Limit, "limit", 0, "page size (default 50)")
	fl.StringVar(&f.Cursor, "cursor", "", "continue from a previous page")
	fl.BoolVar(&all, "all", false, "follow every page")
	completeWith(cmd, "status", []string{"open", "closed"})
	completeWith(cmd, "severity", enumNames(incident.Severities))
	completeWith(cmd, "type", enumNames(incident.Types))
	completeWith(cmd, "phase", enumNames(incident.Phases))
	completeWith(cmd, "sort", incident.Sorts)
	return cmd
}

func (a *app) incidentShowCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "show REF",
		Short: "Show an incident with its roster and milestones",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			i, err := c.Incident(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			ro, err := c.Roster(cmd.Context(), i.Ref)
			if err != nil {
				return err
			}
			return a.print(map[string]any{"incident": i, "roster": ro}, func() { a.showIncident(i, ro) })
		},
	}
}

func (a *app) showIncident(i client.Incident, ro client.Roster) {
	w := a.stdout
	restricted := ""
	if i.Restricted {
		restricted = "  RESTRICTED"
	}
	fmt.Fprintf(w, "%s  %s  %s\n", i.Ref, i.Severity, i.Title)
	fmt.Fprintf(w, "Status %s · phase %s · type %s · TLP:%s%s · version %d\n", i.Status, i.Phase, i.Type, strings.ToUpper(i.TLP), restricted, i.Version)
	if i.PlanID != "" {
		fmt.Fprintf(w, "Plan: %s v%d\n", i.PlanID, i.PlanVersion)
	}
	if len(i.Tags) > 0 {
		fmt.Fprintf(w, "Tags: %s\n", strings.Join(i.Tags, ", "))
	}
	for _, f := range i.Flags {
		fmt.Fprintf(w, "! %s\n", f.Message)
	}
	if i.Summary != "" {
		fmt.Fprintf(w, "\n%s\n", i.Summary)
	}
	fmt.Fprintln(w, "\nMilestones:")
	for _, k := range incident.MilestoneKinds {
		if m, ok := i.Milestones[k]; ok {
			fmt.Fprintf(w, "  %-17s %s (set by %s)\n", k, when(m.At), m.SetByName)
		}
	}
	fmt.Fprintln(w, "\nRoster:")
	if len(ro.Current) == 0 {
		fmt.Fprintln(w, "  (nobody)")
	}
	for _, as := range ro.Current {
		fmt.Fprintf(w, "  %-22s %s <%s> since %s\n", as.RoleName, as.UserName, as.UserEmail, when(as.AssignedAt))
	}
}

func (a *app) incidentUpdateCommand() *cobra.Command {
	var version int64
	var restricted bool
	var p client.IncidentPatch
	cmd := &cobra.Command{
		Use:   "update REF [--severity …] [--phase …] [--title …]",
		Short: "Change an incident's fields",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			fl := cmd.Flags()
			str := func(name string) *string {
				if !fl.Changed(name) {
					return nil
				}
				v, _ := fl.GetString(name)
				return &v
			}
			p.Title, p.Summary, p.Type, p.Severity = str("title"), str("summary"), str("type"), str("severity")
			p.Phase, p.Status, p.TLP = str("phase"), str("status"), str("tlp")
			if fl.Changed("restricted") {
				p.Restricted = &restricted
			}
			if fl.Changed("tag") {
				tags, _ := fl.GetStringSlice("tag")
				p.Tags = &tags
			}
			if p == (client.IncidentPatch{}) {
				return usagef("nothing to change: give at least one of --title, --summary, --type, --severity, --phase, --status, --tlp, --restricted, --tag")
			}
			c, err := a.client()
			if err != nil {
				return err
			}
			i, err := c.UpdateIncident(cmd.Context(), args[0], p, version)
			if err != nil {
				return err
			}
			return a.print(i, func() { fmt.Fprintf(a.stdout, "Updated %s (version %d).\n", i.Ref, i.Version) })
		},
	}
	f := cmd.Flags()
	f.String("title", "", "new title")
	f.String("summary", "", "new summary")
	f.String("type", "", "new type")
	f.String("severity", "", "new severity")
	f.String("phase", "", "new phase")
	f.String("status", "", "open or closed")
	f.String("tlp", "", "new TLP marking")
	f.BoolVar(&restricted, "restricted", false, "restrict to the roster and admins (--restricted=false to lift)")
	f.StringSlice("tag", nil, "replace the tags (repeatable)")
	f.Int64Var(&version, "if-version", 0, "fail instead of overwriting if the incident is no longer at this version")
	completeWith(cmd, "severity", enumNames(incident.Severities))
	completeWith(cmd, "phase", enumNames(incident.Phases))
	completeWith(cmd, "type", enumNames(incident.Types))
	completeWith(cmd, "tlp", enumNames(incident.TLPs))
	completeWith(cmd, "status", []string{"open", "closed"})
	return cmd
}

func (a *app) incidentCloseCommand() *cobra.Command {
	var note string
	var version int64
	cmd := &cobra.Command{
		Use:   "close REF [--note TEXT]",
		Short: "Close an incident",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			i, err := c.CloseIncident(cmd.Context(), args[0], note, version)
			if err != nil {
				return err
			}
			return a.print(i, func() { fmt.Fprintf(a.stdout, "Closed %s.\n", i.Ref) })
		},
	}
	cmd.Flags().StringVar(&note, "note", "", "closing note for the timeline")
	cmd.Flags().Int64Var(&version, "if-version", 0, "fail if the incident is no longer at this version")
	return cmd
}

func (a *app) incidentMilestoneCommand() *cobra.Command {
	var at string
	var clear bool
	cmd := &cobra.Command{
		Use:       "milestone REF KIND --at TIME",
		Short:     "Record when a milestone happened (first_compromise, detected, contained, eradicated, recovered)",
		Args:      cobra.ExactArgs(2),
		ValidArgs: incident.MilestoneKinds,
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			if clear {
				i, err := c.ClearMilestone(cmd.Context(), args[0], args[1])
				if err != nil {
					return err
				}
				return a.print(i, func() { fmt.Fprintf(a.stdout, "%s: %s cleared.\n", i.Ref, args[1]) })
			}
			if at == "" {
				return usagef("say when with --at, like --at \"2026-11-26 14:05\" or --at -30m (or --clear)")
			}
			t, err := parseTime("at", at, time.Now())
			if err != nil {
				return err
			}
			i, err := c.SetMilestone(cmd.Context(), args[0], args[1], t)
			if err != nil {
				return err
			}
			return a.print(i, func() { fmt.Fprintf(a.stdout, "%s: %s at %s.\n", i.Ref, args[1], when(t)) })
		},
	}
	cmd.Flags().StringVar(&at, "at", "", "when it happened")
	cmd.Flags().BoolVar(&clear, "clear", false, "remove the milestone time")
	return cmd
}
