package main

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/warroom/warroom/client"
	"github.com/warroom/warroom/internal/ioc"
)

func (a *app) iocImportCommand() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "import REF --format stix|misp|csv|text FILE|-",
		Short: "Import indicators from a STIX bundle, a MISP event, CSV or text into an incident, and report what was taken, merged and rejected",
		Long: `Sends FILE (- for standard input) to the server, which adds its indicators to the incident
in one transaction: new ones are added, ones the incident has are merged (a new sighting),
and the rest are rejected with the reason. One timeline entry records the import.

  warroom ioc import IR-2026-0007 --format stix apt1.json
  warroom ioc import IR-2026-0007 --format csv - < iocs.csv
  warroom ioc import IR-2026-0007 --format text report.txt -o json

CSV needs a header row naming the columns: type and value, and any of is_ioc, tlp,
confidence, source, tags (separated by ;), note, first_seen, last_seen. See docs/indicators.md.`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !slices.Contains(ioc.ImportFormats, ioc.Format(format)) {
				return usagef("--format %q is not one of %s", format, strings.Join(enumNames(ioc.ImportFormats), ", "))
			}
			in := a.stdin
			if args[1] != "-" {
				f, err := os.Open(args[1])
				if err != nil {
					return usagef("cannot read %s: %v", args[1], errors.Unwrap(err))
				}
				defer f.Close()
				in = f
			}
			c, err := a.client()
			if err != nil {
				return err
			}
			rep, err := c.ImportIndicators(cmd.Context(), args[0], format, in)
			if err != nil {
				return err
			}
			return a.print(rep, func() {
				fmt.Fprintf(a.stdout, "Took %d, merged %d, rejected %d.\n", rep.Took, rep.Merged, len(rep.Rejected))
				if len(rep.Rejected) > 0 {
					t := a.table("REJECTED", "REASON")
					for _, r := range rep.Rejected {
						t.row(truncate(r.Item, 70), r.Reason)
					}
					t.flush()
				}
				if len(rep.Ignored) > 0 {
					kinds := make([]string, 0, len(rep.Ignored))
					for k, n := range rep.Ignored {
						kinds = append(kinds, fmt.Sprintf("%s %d", k, n))
					}
					slices.Sort(kinds)
					fmt.Fprintf(a.stdout, "Read for context only: %s.\n", strings.Join(kinds, ", "))
				}
			})
		},
	}
	cmd.Flags().StringVar(&format, "format", "", "the document's format: "+strings.Join(enumNames(ioc.ImportFormats), ", "))
	completeWith(cmd, "format", enumNames(ioc.ImportFormats))
	return cmd
}

func (a *app) iocExportCommand() *cobra.Command {
	var f client.ExportFilter
	var file string
	cmd := &cobra.Command{
		Use:   "export REF --format stix|csv|misp|list [--type TYPE] [--all] [-O FILE]",
		Short: "Export an incident's indicators as a STIX bundle, CSV, a MISP event or a plain block list",
		Long: `Writes the incident's indicators of compromise (--all adds the artifacts) to standard output,
or to FILE with -O. --format list writes one value per line, for a firewall or EDR block list;
use --type to choose one type.

  warroom ioc export IR-2026-0007 --format list --type domain -O blocked-domains.txt
  warroom ioc export IR-2026-0007 --format stix > iocs.stix.json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !slices.Contains(ioc.ExportFormats, ioc.Format(f.Format)) {
				return usagef("--format %q is not one of %s", f.Format, strings.Join(enumNames(ioc.ExportFormats), ", "))
			}
			c, err := a.client()
			if err != nil {
				return err
			}
			if file == "" || file == "-" {
				_, err := c.ExportIndicators(cmd.Context(), args[0], f, a.stdout)
				return err
			}
			// Write beside the target and rename, so FILE is never half
			// written: a firewall may be reading it.
			tmp := file + ".partial"
			out, err := os.OpenFile(tmp, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
			if err != nil {
				return usagef("cannot write %s: %v", file, errors.Unwrap(err))
			}
			info, err := c.ExportIndicators(cmd.Context(), args[0], f, out)
			if cerr := out.Close(); err == nil {
				err = cerr
			}
			if err == nil {
				err = os.Rename(tmp, file)
			}
			if err != nil {
				os.Remove(tmp)
				return err
			}
			fmt.Fprintf(a.stderr, "Wrote %d indicators to %s.\n", info.Count, file)
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.Format, "format", "", "the format: "+strings.Join(enumNames(ioc.ExportFormats), ", "))
	fl.StringVar(&f.Type, "type", "", "only this type: "+strings.Join(enumNames(ioc.Types), ", "))
	fl.BoolVar(&f.All, "all", false, "include artifacts, not only indicators of compromise")
	fl.StringVar(&f.MaxTLP, "max-tlp", "", "leave out indicators marked more restrictively than this (clear, green, amber, amber_strict), for sharing")
	fl.StringVarP(&file, "output-file", "O", "", "write to FILE instead of standard output")
	completeWith(cmd, "format", enumNames(ioc.ExportFormats))
	completeWith(cmd, "type", enumNames(ioc.Types))
	return cmd
}
