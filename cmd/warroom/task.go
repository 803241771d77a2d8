package main

import (
	"fmt"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/warroom/warroom/client"
	"github.com/warroom/warroom/internal/incident"
)

func (a *app) taskCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "task", Aliases: []string{"tasks"}, Short: "Add, list, update and finish an incident's tasks"}
	cmd.AddCommand(a.taskAddCommand(), a.taskListCommand(), a.taskUpdateCommand(), a.taskDoneCommand())
	return cmd
}

func taskNumberArg(s string) (int64, error) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 1 {
		return 0, usagef("task number %q: tasks are numbered 1, 2, 3… within an incident", s)
	}
	return n, nil
}

func (a *app) taskAddCommand() *cobra.Command {
	var in client.TaskInput
	var due string
	cmd := &cobra.Command{
		Use:   "add REF --title TITLE [--owner EMAIL] [--role ROLE] [--due TIME]",
		Short: "Add a task to an incident",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if due != "" {
				t, err := parseTime("due", due, time.Now())
				if err != nil {
					return err
				}
				in.DueAt = &t
			}
			c, err := a.client()
			if err != nil {
				return err
			}
			t, err := c.CreateTask(cmd.Context(), args[0], in)
			if err != nil {
				return err
			}
			return a.print(t, func() { fmt.Fprintf(a.stdout, "Added task %d to %s: %s\n", t.Number, t.IncidentRef, t.Title) })
		},
	}
	f := cmd.Flags()
	f.StringVar(&in.Title, "title", "", "what must be done")
	f.StringVar(&in.Description, "description", "", "details")
	f.StringVar(&in.Phase, "phase", "", "phase (default: the incident's current phase)")
	f.StringVar(&in.Owner, "owner", "", "owner's email")
	f.StringVar(&in.Role, "role", "", "role responsible, like forensics_analyst")
	f.StringVar(&due, "due", "", "due time, like \"2026-11-26 18:00\" or -0m")
	f.Int64SliceVar(&in.DependsOn, "depends-on", nil, "numbers of tasks that must finish first")
	_ = cmd.MarkFlagRequired("title")
	completeWith(cmd, "phase", enumNames(incident.Phases))
	return cmd
}

func (a *app) taskListCommand() *cobra.Command {
	var f client.TaskFilter
	cmd := &cobra.Command{
		Use:   "list REF [--mine] [--overdue] [--phase P] [--role R] [--status S]",
		Short: "List an incident's tasks",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			ts, err := c.Tasks(cmd.Context(), args[0], f)
			if err != nil {
				return err
			}
			if ts == nil {
				ts = []client.Task{}
			}
			return a.print(client.Page[client.Task]{Items: ts}, func() {
				t := a.table("#", "STATUS", "PHASE", "TITLE", "OWNER", "ROLE", "DUE", "BLOCKED BY")
				for _, x := range ts {
					due := when(derefTime(x.DueAt))
					if x.Overdue {
						due += " OVERDUE"
					}
					blocked := ""
					for i, b := range x.BlockedBy {
						if i > 0 {
							blocked += ","
						}
						blocked += strconv.FormatInt(b, 10)
					}
					t.row(x.Number, x.Status, x.Phase, truncate(x.Title, 50), x.OwnerEmail, x.Role, due, blocked)
				}
				t.flush()
			})
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&f.Mine, "mine", false, "owned by you or by a role you hold")
	fl.BoolVar(&f.Overdue, "overdue", false, "past due and not finished")
	fl.StringVar(&f.Phase, "phase", "", "phase")
	fl.StringVar(&f.Role, "role", "", "role")
	fl.StringVar(&f.Status, "status", "", "open, in_progress, blocked, done or cancelled")
	completeWith(cmd, "status", enumNames(incident.TaskStatuses))
	completeWith(cmd, "phase", enumNames(incident.Phases))
	return cmd
}

func derefTime(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}

func (a *app) taskUpdateCommand() *cobra.Command {
	var version int64
	cmd := &cobra.Command{
		Use:   "update REF NUMBER [--status S] [--owner EMAIL] [--due TIME] …",
		Short: "Change a task (an empty --owner, --role or --due clears it)",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			n, err := taskNumberArg(args[1])
			if err != nil {
				return err
			}
			fl := cmd.Flags()
			str := func(name string) *string {
				if !fl.Changed(name) {
					return nil
				}
				v, _ := fl.GetString(name)
				return &v
			}
			p := client.TaskPatch{Title: str("title"), Description: str("description"), Phase: str("phase"), Owner: str("owner"),
				Role: str("role"), Status: str("status")}
			if d := str("due"); d != nil {
				s := ""
				if *d != "" {
					t, err := parseTime("due", *d, time.Now())
					if err != nil {
						return err
					}
					s = t.UTC().Format(time.RFC3339)
				}
				p.DueAt = &s
			}
			if fl.Changed("depends-on") {
				deps, _ := fl.GetInt64Slice("depends-on")
				p.DependsOn = &deps
			}
			if p == (client.TaskPatch{}) {
				return usagef("nothing to change: give at least one of --title, --description, --phase, --owner, --role, --due, --status, --depends-on")
			}
			return a.updateTask(cmd, args[0], n, p, version)
		},
	}
	f := cmd.Flags()
	for _, name := range []string{"title", "description", "phase", "owner", "role", "due", "status"} {
		f.String(name, "", "new "+name)
	}
	f.Int64Slice("depends-on", nil, "replace the dependencies")
	f.Int64Var(&version, "if-version", 0, "fail if the task is no longer at this version")
	completeWith(cmd, "status", enumNames(incident.TaskStatuses))
	return cmd
}

func (a *app) updateTask(cmd *cobra.Command, ref string, n int64, p client.TaskPatch, version int64) error {
	c, err := a.client()
	if err != nil {
		return err
	}
	t, err := c.UpdateTask(cmd.Context(), ref, n, p, version)
	if err != nil {
		return err
	}
	return a.print(t, func() { fmt.Fprintf(a.stdout, "Task %d of %s is %s: %s\n", t.Number, t.IncidentRef, t.Status, t.Title) })
}

func (a *app) taskDoneCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "done REF NUMBER",
		Short: "Mark a task done",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			n, err := taskNumberArg(args[1])
			if err != nil {
				return err
			}
			done := "done"
			return a.updateTask(cmd, args[0], n, client.TaskPatch{Status: &done}, 0)
		},
	}
}
