package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/warroom/warroom/client"
	"github.com/warroom/warroom/internal/plan"
)

func (a *app) planCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "plan", Aliases: []string{"plans"}, Short: "Lint, import and compare incident-response plans (docs/plans.md)"}
	cmd.AddCommand(a.planLintCommand(), a.planImportCommand(), a.planListCommand(), a.planShowCommand(), a.planDiffCommand())
	return cmd
}

func (a *app) planLintCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "lint FILE…",
		Short: "Check plans and print every problem as file:line:column (exit 6 if any)",
		Long: `Check plan files against the format in docs/plans.md and the built-in role
catalogue, offline. Every problem is printed as file:line:column: message.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var all []plan.Problem
			for _, f := range args {
				src, err := os.ReadFile(f)
				if err != nil {
					return usagef("read %s: %v", f, err)
				}
				_, problems := plan.Parse(f, src, plan.BuiltinRoles())
				all = append(all, problems...)
				if a.output == "table" {
					for _, p := range problems {
						fmt.Fprintln(a.stdout, p)
					}
					if len(problems) == 0 {
						fmt.Fprintf(a.stdout, "%s: ok\n", f)
					}
				}
			}
			if a.output == "json" {
				if all == nil {
					all = []plan.Problem{}
				}
				if err := a.printJSON(map[string]any{"problems": all}); err != nil {
					return err
				}
			}
			if len(all) > 0 {
				return exitCodeError{exitInvalid, fmt.Sprintf("%d problem(s)", len(all))}
			}
			return nil
		},
	}
}

func (a *app) planImportCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "import FILE…",
		Short: "Add plans to the signed-in organisation's library (each import is a new version)",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			var results []client.PlanImported
			for _, f := range args {
				src, err := os.ReadFile(f)
				if err != nil {
					return usagef("read %s: %v", f, err)
				}
				res, err := c.ImportPlan(cmd.Context(), filepath.Base(f), string(src))
				if err != nil {
					return fmt.Errorf("%s: %w", f, err)
				}
				results = append(results, res)
				if a.output == "table" {
					what := "imported"
					if !res.Created {
						what = "already in the library, unchanged"
					}
					fmt.Fprintf(a.stdout, "%s: %s v%d %s\n", f, res.Plan.ID, res.Plan.Version, what)
				}
			}
			if a.output == "json" {
				return a.printJSON(map[string]any{"items": results})
			}
			return nil
		},
	}
}

func (a *app) planListCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the plans in the library (newest version of each)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			ps, err := c.Plans(cmd.Context())
			if err != nil {
				return err
			}
			if ps == nil {
				ps = []client.Plan{}
			}
			return a.print(client.Page[client.Plan]{Items: ps}, func() {
				t := a.table("ID", "VERSION", "TITLE", "TYPES", "SEVERITIES", "IMPORTED")
				for _, p := range ps {
					t.row(p.ID, p.Version, truncate(p.Title, 50), strings.Join(p.Types, ","), strings.Join(p.Severities, ","), p.ImportedAt)
				}
				t.flush()
			})
		},
	}
}

func (a *app) planShowCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "show ID [VERSION]",
		Short: "Print a plan's YAML (newest version unless VERSION is given)",
		Args:  cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			v := 0
			if len(args) == 2 {
				n, err := strconv.Atoi(args[1])
				if err != nil || n < 1 {
					return usagef("version %q is not a number", args[1])
				}
				v = n
			}
			c, err := a.client()
			if err != nil {
				return err
			}
			p, err := c.PlanVersion(cmd.Context(), args[0], v)
			if err != nil {
				return err
			}
			return a.print(p, func() { fmt.Fprint(a.stdout, p.Source) })
		},
	}
}

func (a *app) planDiffCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "diff ID V1 V2",
		Short: "Show what changed between two versions of a plan",
		Args:  cobra.ExactArgs(3),
		RunE: func(cmd *cobra.Command, args []string) error {
			v1, err1 := strconv.Atoi(args[1])
			v2, err2 := strconv.Atoi(args[2])
			if err1 != nil || err2 != nil || v1 < 1 || v2 < 1 {
				return usagef("versions must be numbers, like: warroom plan diff ransomware 1 2")
			}
			c, err := a.client()
			if err != nil {
				return err
			}
			d, err := c.PlanDiff(cmd.Context(), args[0], v1, v2)
			if err != nil {
				return err
			}
			return a.print(map[string]string{"diff": d}, func() {
				if d == "" {
					fmt.Fprintln(a.stdout, "(no differences)")
				}
				fmt.Fprint(a.stdout, d)
			})
		},
	}
}
