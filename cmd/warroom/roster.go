package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

func (a *app) rosterCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "roster", Short: "Who holds which role on an incident"}
	cmd.AddCommand(a.rosterListCommand(), a.rosterAssignCommand(), a.rosterHandoverCommand(), a.rosterReleaseCommand())
	return cmd
}

func (a *app) rosterListCommand() *cobra.Command {
	var history bool
	cmd := &cobra.Command{
		Use:   "list REF",
		Short: "Show the current roster (and with --history, every earlier holder)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			ro, err := c.Roster(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			return a.print(ro, func() {
				for _, f := range ro.Flags {
					fmt.Fprintf(a.stdout, "! %s\n", f.Message)
				}
				t := a.table("ROLE", "PERSON", "EMAIL", "SINCE", "UNTIL", "NOTE")
				for _, as := range ro.Current {
					t.row(as.RoleName, as.UserName, as.UserEmail, as.AssignedAt, "", as.Note)
				}
				if history {
					for _, as := range ro.History {
						t.row(as.RoleName, as.UserName, as.UserEmail, as.AssignedAt, as.ReleasedAt, as.Note)
					}
				}
				t.flush()
			})
		},
	}
	cmd.Flags().BoolVar(&history, "history", false, "include people who held roles before")
	return cmd
}

func (a *app) rosterAssignCommand() *cobra.Command {
	var note string
	cmd := &cobra.Command{
		Use:   "assign REF ROLE EMAIL",
		Short: "Put a person in a role (roles: see GET /api/v1/roles)",
		Args:  cobra.ExactArgs(3),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			as, err := c.Assign(cmd.Context(), args[0], args[1], args[2], note)
			if err != nil {
				return err
			}
			return a.print(as, func() { fmt.Fprintf(a.stdout, "%s is %s on %s.\n", as.UserEmail, as.RoleName, args[0]) })
		},
	}
	cmd.Flags().StringVar(&note, "note", "", "why")
	return cmd
}

func (a *app) rosterHandoverCommand() *cobra.Command {
	var from, note string
	cmd := &cobra.Command{
		Use:   "handover REF ROLE TO-EMAIL [--from EMAIL]",
		Short: "Hand a role over to another person (the history keeps both)",
		Args:  cobra.ExactArgs(3),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			as, err := c.Handover(cmd.Context(), args[0], args[1], from, args[2], note)
			if err != nil {
				return err
			}
			return a.print(as, func() { fmt.Fprintf(a.stdout, "%s now holds %s on %s.\n", as.UserEmail, as.RoleName, args[0]) })
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "who hands over (needed when several people hold the role)")
	cmd.Flags().StringVar(&note, "note", "", "hand-over note: what the next person must know")
	return cmd
}

func (a *app) rosterReleaseCommand() *cobra.Command {
	var note string
	cmd := &cobra.Command{
		Use:   "release REF ROLE EMAIL",
		Short: "Take a person out of a role",
		Args:  cobra.ExactArgs(3),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			ro, err := c.Release(cmd.Context(), args[0], args[1], args[2], note)
			if err != nil {
				return err
			}
			return a.print(ro, func() { fmt.Fprintf(a.stdout, "%s no longer holds %s on %s.\n", args[2], args[1], args[0]) })
		},
	}
	cmd.Flags().StringVar(&note, "note", "", "why")
	return cmd
}
