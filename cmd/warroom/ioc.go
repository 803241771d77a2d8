package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/warroom/warroom/client"
	"github.com/warroom/warroom/internal/ioc"
)

func (a *app) iocCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "ioc", Aliases: []string{"iocs", "indicator", "indicators"},
		Short: "Indicators: extract them from text, add them to an incident, list them (docs/indicators.md)"}
	cmd.AddCommand(a.iocExtractCommand(), a.iocAddCommand(), a.iocListCommand(), a.iocDeleteCommand(), a.iocImportCommand(), a.iocExportCommand())
	return cmd
}

// maxExtractInput bounds what ioc extract reads: it runs locally, so the
// server's limit does not apply, but a runaway pipe should not fill memory.
const maxExtractInput = 64 << 20

func (a *app) iocExtractCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "extract [FILE]",
		Short: "Find the indicators in a report, an email or a log excerpt (standard input, or FILE); works offline",
		Long: `Reads text and lists the indicators in it: URLs, email addresses, IP addresses and networks,
domains, hashes, CVE IDs, JA4 fingerprints, registry keys and Windows paths. Defanged values
(hxxp, [.], (dot), [at], [:]…) are refanged first. Doubtful ones (private addresses, names whose
"TLD" is also a file extension, numbers after "version") are listed with suggest=false and a note.
Nothing is sent anywhere: no server or sign-in is needed.

  warroom ioc extract < report.txt
  warroom ioc extract -o json report.txt | jq '.items[] | select(.suggest)'`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			in := a.stdin
			if len(args) == 1 && args[0] != "-" {
				f, err := os.Open(args[0])
				if err != nil {
					return usagef("cannot read %s: %v", args[0], errors.Unwrap(err))
				}
				defer f.Close()
				in = f
			}
			b, err := io.ReadAll(io.LimitReader(in, maxExtractInput+1))
			if err != nil {
				return fmt.Errorf("read the text: %w", err)
			}
			if len(b) > maxExtractInput {
				return usagef("the text is larger than %d MiB; split it", maxExtractInput>>20)
			}
			cs := ioc.Extract(string(b))
			return a.print(map[string][]ioc.Candidate{"items": cs}, func() {
				t := a.table("LINE", "TYPE", "VALUE", "SUGGEST", "NOTE")
				flagged := 0
				for _, c := range cs {
					s := "yes"
					if !c.Suggest {
						s, flagged = "no", flagged+1
					}
					t.row(c.Line, string(c.Type), c.Value, s, c.Note)
				}
				t.flush()
				fmt.Fprintf(a.stderr, "%d found, %d flagged for review (not suggested)\n", len(cs), flagged)
			})
		},
	}
}

func (a *app) iocAddCommand() *cobra.Command {
	var in client.IndicatorInput
	var confidence int
	var artifact bool
	cmd := &cobra.Command{
		Use:   "add REF TYPE VALUE [--tlp …] [--confidence N] [--source …] [--tag …] [--note …] [--artifact]",
		Short: "Add an indicator to an incident (adding one it already has records another sighting)",
		Long: "TYPE is one of " + strings.Join(enumNames(ioc.Types), ", ") + `.
The value is checked and normalised (lower-case domains and hashes, canonical IPv6, punycode…).`,
		Args: cobra.ExactArgs(3),
		RunE: func(cmd *cobra.Command, args []string) error {
			in.Type, in.Value = args[1], args[2]
			if cmd.Flags().Changed("confidence") {
				in.Confidence = &confidence
			}
			if artifact {
				f := false
				in.IsIOC = &f
			}
			c, err := a.client()
			if err != nil {
				return err
			}
			x, created, err := c.AddIndicator(cmd.Context(), args[0], in)
			if err != nil {
				return err
			}
			return a.print(x, func() {
				verb := "Added"
				if !created {
					verb = "Already recorded; merged this sighting into"
				}
				fmt.Fprintf(a.stdout, "%s %s %s (%s).\n", verb, x.Type, x.Value, x.ID)
				if len(x.SeenIn) > 0 {
					fmt.Fprintf(a.stdout, "Also seen in %s.\n", strings.Join(x.SeenIn, ", "))
				}
			})
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&in.TLP, "tlp", "", "TLP marking: clear, green, amber, amber_strict or red (default: the incident's)")
	fl.IntVar(&confidence, "confidence", 50, "confidence, 0-100")
	fl.StringVar(&in.Source, "source", "", "where it came from, like \"EDR alert 4411\"")
	fl.StringArrayVar(&in.Tags, "tag", nil, "a tag (repeat for more)")
	fl.StringVar(&in.Note, "note", "", "a note")
	fl.BoolVar(&artifact, "artifact", false, "an artifact observed in the investigation, not (yet) an indicator of compromise")
	completeWith(cmd, "tlp", []string{"clear", "green", "amber", "amber_strict", "red"})
	cmd.ValidArgsFunction = func(_ *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
		if len(args) == 1 {
			return enumNames(ioc.Types), cobra.ShellCompDirectiveNoFileComp
		}
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	return cmd
}

func (a *app) iocListCommand() *cobra.Command {
	var f client.IndicatorFilter
	cmd := &cobra.Command{
		Use:   "list REF [--type TYPE] [--ioc-only] [-q TEXT]",
		Short: "List an incident's indicators, with the other incidents you may see that hold them",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			all := []client.Indicator{}
			f.Limit = 500
			for {
				page, err := c.Indicators(cmd.Context(), args[0], f)
				if err != nil {
					return err
				}
				all = append(all, page.Items...)
				if f.Cursor = page.NextCursor; f.Cursor == "" {
					break
				}
			}
			return a.print(client.Page[client.Indicator]{Items: all}, func() {
				t := a.table("ID", "TYPE", "VALUE", "IOC", "TLP", "CONF", "LAST SEEN", "TAGS", "ALSO IN")
				for _, x := range all {
					kind := "ioc"
					if !x.IsIOC {
						kind = "artifact"
					}
					t.row(x.ID, x.Type, truncate(x.Value, 80), kind, x.TLP, x.Confidence, x.LastSeen, strings.Join(x.Tags, ","), strings.Join(x.SeenIn, ","))
				}
				t.flush()
			})
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.Type, "type", "", "only this type: "+strings.Join(enumNames(ioc.Types), ", "))
	fl.BoolVar(&f.IOCOnly, "ioc-only", false, "only indicators of compromise, not artifacts")
	fl.StringVarP(&f.Query, "query", "q", "", "search value, source, note and tags")
	completeWith(cmd, "type", enumNames(ioc.Types))
	return cmd
}

func (a *app) iocDeleteCommand() *cobra.Command {
	var version int64
	cmd := &cobra.Command{
		Use:   "delete REF ID",
		Short: "Delete an indicator (the timeline keeps what it was and who deleted it)",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			if err := c.DeleteIndicator(cmd.Context(), args[0], args[1], version); err != nil {
				return err
			}
			return a.print(map[string]string{"deleted": args[1]}, func() { fmt.Fprintf(a.stdout, "Deleted %s.\n", args[1]) })
		},
	}
	cmd.Flags().Int64Var(&version, "if-version", 0, "fail if the indicator is no longer at this version")
	return cmd
}
