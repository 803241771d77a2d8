package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/warroom/warroom/client"
	"github.com/warroom/warroom/internal/record"
)

func (a *app) timelineCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "timeline", Short: "Add to and read an incident's timeline"}
	cmd.AddCommand(a.timelineAddCommand(), a.timelineListCommand())
	return cmd
}

func (a *app) timelineAddCommand() *cobra.Command {
	var in client.EntryInput
	var at string
	cmd := &cobra.Command{
		Use:   "add REF TEXT|- [--at TIME] [--kind KIND] [--corrects ENTRY-ID]",
		Short: "Add a note to the timeline, optionally backdated, or a correction of an earlier entry",
		Args:  cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			in.Text = strings.Join(args[1:], " ")
			if in.Text == "-" {
				b, err := io.ReadAll(io.LimitReader(a.stdin, 1<<20))
				if err != nil {
					return fmt.Errorf("read the note from standard input: %w", err)
				}
				in.Text = string(b)
			}
			if at != "" {
				t, err := parseTime("at", at, time.Now())
				if err != nil {
					return err
				}
				in.EventTime = &t
			}
			c, err := a.client()
			if err != nil {
				return err
			}
			e, err := c.AddEntry(cmd.Context(), args[0], in)
			if err != nil {
				return err
			}
			return a.print(e, func() { fmt.Fprintf(a.stdout, "Added entry %d (%s) to %s.\n", e.Seq, e.Kind, e.IncidentRef) })
		},
	}
	cmd.Flags().StringVar(&at, "at", "", "when it happened (default now), like \"2026-11-26 03:12\" or -2h")
	cmd.Flags().StringVar(&in.Kind, "kind", "", "note (default), action, decision, communication or attacker_activity")
	cmd.Flags().StringVar(&in.Corrects, "corrects", "", "ID of the entry this corrects")
	completeWith(cmd, "kind", record.UserKinds)
	return cmd
}

func (a *app) timelineListCommand() *cobra.Command {
	var f client.TimelineFilter
	var kinds string
	var all bool
	cmd := &cobra.Command{
		Use:   "list REF",
		Short: "Read an incident's timeline (oldest first; --desc for newest first)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if kinds != "" {
				f.Kinds = strings.Split(kinds, ",")
			}
			c, err := a.client()
			if err != nil {
				return err
			}
			var items []client.Entry
			for {
				page, err := c.Timeline(cmd.Context(), args[0], f)
				if err != nil {
					return err
				}
				items = append(items, page.Items...)
				if f.Cursor = page.NextCursor; !all || f.Cursor == "" {
					break
				}
			}
			if items == nil {
				items = []client.Entry{}
			}
			return a.print(client.Page[client.Entry]{Items: items, NextCursor: f.Cursor}, func() {
				t := a.table("#", "EVENT TIME", "KIND", "BY", "TEXT")
				for _, e := range items {
					text := truncate(e.Text, 80)
					if e.CorrectsID != "" {
						text = "[corrects " + e.CorrectsID + "] " + text
					}
					t.row(e.Seq, e.EventTime, e.Kind, e.ActorName, text)
				}
				t.flush()
				if f.Cursor != "" {
					fmt.Fprintln(a.stderr, "More entries: add --all, or --cursor", f.Cursor)
				}
			})
		},
	}
	cmd.Flags().StringVar(&kinds, "kind", "", "only these kinds (comma-separated)")
	cmd.Flags().BoolVar(&f.Desc, "desc", false, "newest first")
	cmd.Flags().IntVar(&f.Limit, "limit", 0, "page size (default 50)")
	cmd.Flags().StringVar(&f.Cursor, "cursor", "", "continue from a previous page")
	cmd.Flags().BoolVar(&all, "all", false, "follow every page")
	return cmd
}
