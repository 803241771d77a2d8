package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/warroom/warroom/client"
	"github.com/warroom/warroom/internal/evidence"
)

func (a *app) evidenceCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "evidence", Aliases: []string{"ev"}, Short: "The evidence locker and its chain of custody (docs/evidence.md)"}
	cmd.AddCommand(a.evidenceUploadCommand(), a.evidenceRegisterCommand(), a.evidenceListCommand(), a.evidenceShowCommand(),
		a.evidenceCustodyCommand(), a.evidenceDownloadCommand(), a.evidenceVerifyCommand())
	return cmd
}

// metaFlags registers the collection details upload and register share.
func metaFlags(cmd *cobra.Command, m *client.EvidenceMeta, collectedAt *string) {
	f := cmd.Flags()
	f.StringVar(&m.Name, "name", "", "what to call the item")
	f.StringVar(&m.Description, "description", "", "what it is and why it matters")
	f.StringVar(&m.SourceHost, "source-host", "", "the host it came from")
	f.StringVar(&m.SourcePerson, "source-person", "", "the person it came from")
	f.StringVar(&m.CollectedBy, "collected-by", "", "who collected it (default: you)")
	f.StringVar(collectedAt, "collected-at", "", "when it was collected, like \"2026-11-26 14:05\" or -2h (default: now)")
	f.StringVar(&m.Method, "method", "", "how it was collected, like \"FTK Imager, write blocker\"")
}

func setCollectedAt(m *client.EvidenceMeta, s string) error {
	if s == "" {
		return nil
	}
	t, err := parseTime("collected-at", s, time.Now())
	m.CollectedAt = &t
	return err
}

func (a *app) evidenceUploadCommand() *cobra.Command {
	var m client.EvidenceMeta
	var at string
	cmd := &cobra.Command{
		Use:   "upload REF FILE [--description …] [--source-host …] [--method …]",
		Short: "Upload a file as evidence (streamed; MD5, SHA-1 and SHA-256 computed on the way); FILE - reads standard input",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := setCollectedAt(&m, at); err != nil {
				return err
			}
			var r io.Reader = a.stdin
			name, size := "stdin", int64(-1)
			if args[1] != "-" {
				f, err := os.Open(args[1])
				if err != nil {
					return err
				}
				defer f.Close()
				r, name = f, filepath.Base(args[1])
				if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
					size = fi.Size()
				}
			} else if m.Name == "" {
				return usagef("give --name when uploading from standard input")
			}
			c, err := a.client()
			if err != nil {
				return err
			}
			bar := a.newProgress(size, "Uploading "+name)
			e, err := c.UploadEvidence(cmd.Context(), args[0], m, name, bar.Reader(r))
			bar.Done()
			if err != nil {
				return err
			}
			return a.print(e, func() { fmt.Fprintf(a.stdout, "Added %s to %s: %s\n", e.Label, e.IncidentRef, e.Name); a.showHashes(e) })
		},
	}
	metaFlags(cmd, &m, &at)
	return cmd
}

func (a *app) showHashes(e client.Evidence) {
	fmt.Fprintf(a.stdout, "  size    %d bytes\n  md5     %s\n  sha1    %s\n  sha256  %s\n", e.Size, e.MD5, e.SHA1, e.SHA256)
}

func (a *app) evidenceRegisterCommand() *cobra.Command {
	var in client.ExternalEvidence
	var at string
	cmd := &cobra.Command{
		Use:   "register REF --name NAME --location WHERE [--sha256 HEX] [--size BYTES]",
		Short: "Register an item held elsewhere: a disk image at a location, a seized laptop",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := setCollectedAt(&in.EvidenceMeta, at); err != nil {
				return err
			}
			c, err := a.client()
			if err != nil {
				return err
			}
			e, err := c.RegisterEvidence(cmd.Context(), args[0], in)
			if err != nil {
				return err
			}
			return a.print(e, func() {
				fmt.Fprintf(a.stdout, "Registered %s in %s: %s, held at %s\n", e.Label, e.IncidentRef, e.Name, e.Location)
			})
		},
	}
	metaFlags(cmd, &in.EvidenceMeta, &at)
	f := cmd.Flags()
	f.StringVar(&in.Location, "location", "", "where the item is held")
	f.Int64Var(&in.Size, "size", 0, "its size in bytes, if known")
	f.StringVar(&in.MD5, "md5", "", "its MD5, if computed where it is")
	f.StringVar(&in.SHA1, "sha1", "", "its SHA-1")
	f.StringVar(&in.SHA256, "sha256", "", "its SHA-256")
	_ = cmd.MarkFlagRequired("name")
	_ = cmd.MarkFlagRequired("location")
	return cmd
}

func (a *app) evidenceListCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "list REF",
		Short: "List an incident's evidence",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			items, err := c.ListEvidence(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			if items == nil {
				items = []client.Evidence{}
			}
			return a.print(client.Page[client.Evidence]{Items: items}, func() {
				t := a.table("ID", "NAME", "KIND", "SIZE", "SHA-256", "CUSTODIAN", "STATUS", "COLLECTED")
				for _, e := range items {
					sha := e.SHA256
					if len(sha) > 16 {
						sha = sha[:16] + "…"
					}
					t.row(e.Label, truncate(e.Name, 40), e.Kind, e.Size, sha, truncate(e.Custodian, 30), e.Status, e.CollectedAt)
				}
				t.flush()
			})
		},
	}
}

func (a *app) evidenceShowCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "show REF ID",
		Short: "Show an item with its chain of custody",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			e, err := c.GetEvidence(cmd.Context(), args[0], args[1])
			if err != nil {
				return err
			}
			h, err := c.CustodyHistory(cmd.Context(), args[0], args[1])
			if err != nil {
				return err
			}
			return a.print(map[string]any{"evidence": e, "custody": h}, func() {
				fmt.Fprintf(a.stdout, "%s  %s  (%s, %s)\n", e.Label, e.Name, e.Kind, e.Status)
				if e.Description != "" {
					fmt.Fprintln(a.stdout, e.Description)
				}
				for _, l := range [][2]string{{"from", strings.Trim(e.SourceHost+" / "+e.SourcePerson, " /")},
					{"by", e.CollectedBy + ", " + when(e.CollectedAt)}, {"method", e.Method}, {"held by", e.Custodian}, {"at", e.Location}} {
					if l[1] != "" {
						fmt.Fprintf(a.stdout, "  %-7s %s\n", l[0], l[1])
					}
				}
				a.showHashes(e)
				fmt.Fprintln(a.stdout, "\nChain of custody:")
				t := a.table("SEQ", "WHEN", "WHO", "EVENT")
				for _, ev := range h {
					t.row(ev.Seq, ev.At, ev.ActorName, ev.Text)
				}
				t.flush()
			})
		},
	}
}

func (a *app) evidenceCustodyCommand() *cobra.Command {
	var in client.CustodyInput
	var at string
	cmd := &cobra.Command{
		Use:   "custody REF ID ACTION [--to …] [--reason …]",
		Short: "Record a custody event: transfer --to --reason [--from], access --reason, export --to --reason, return --to, destroy --method --witness",
		Args:  cobra.ExactArgs(3),
		RunE: func(cmd *cobra.Command, args []string) error {
			in.Action = args[2]
			if at != "" {
				t, err := parseTime("at", at, time.Now())
				if err != nil {
					return err
				}
				in.At = &t
			}
			c, err := a.client()
			if err != nil {
				return err
			}
			ev, err := c.Custody(cmd.Context(), args[0], args[1], in)
			if err != nil {
				return err
			}
			return a.print(ev, func() { fmt.Fprintf(a.stdout, "Recorded (timeline entry %d): %s\n", ev.Seq, ev.Text) })
		},
	}
	f := cmd.Flags()
	f.StringVar(&in.From, "from", "", "transfer: who hands it over (checked against the record)")
	f.StringVar(&in.To, "to", "", "transfer, export, return: who receives it")
	f.StringVar(&in.Reason, "reason", "", "why")
	f.StringVar(&in.Method, "method", "", "destroy: how")
	f.StringVar(&in.Witness, "witness", "", "destroy: who witnessed it")
	f.StringVar(&at, "at", "", "when it happened (default: now), like -30m")
	cmd.ValidArgsFunction = func(_ *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
		if len(args) == 2 {
			return evidence.Actions, cobra.ShellCompDirectiveNoFileComp
		}
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	return cmd
}
