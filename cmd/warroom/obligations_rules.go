package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/warroom/warroom/client"
	"github.com/warroom/warroom/internal/obligation"
)

// The organisation's own notification rules on the server: an admin
// uploads the document (contracts, insurers) and every incident of the
// organisation is evaluated against it with the built-in rules.

func (a *app) obligationsRulesUploadCommand() *cobra.Command {
	var ifVersion int64
	cmd := &cobra.Command{
		Use:   "upload FILE",
		Short: "Replace your organisation's own notification rules on the server with FILE (admins)",
		Long: `Sends FILE (YAML or JSON in the rules format of docs/obligations.md; - for standard input) to the
server, where it replaces the organisation's own rules document as a whole. Every incident of the
organisation is then evaluated against the built-in rules and these. Problems are reported with
FILE's line and column and change nothing; an id of a built-in rule is refused. A file with
"rules: []" removes them all. The change is in the audit log. Check a file offline first with
warroom obligations rules --rules FILE. --if-version refuses to overwrite someone else's change.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			src, err := a.readLimited("upload", args[0], obligation.MaxRulesFile)
			if err != nil {
				return err
			}
			c, err := a.client()
			if err != nil {
				return err
			}
			doc, err := c.PutOrgObligationRules(cmd.Context(), src, ifVersion)
			if err != nil {
				return inFile(err, args[0])
			}
			return a.print(doc, func() {
				fmt.Fprintf(a.stdout, "Your organisation's rules are at version %d: %d rule(s)%s.\n", doc.Version, len(doc.Rules), ruleIDList(doc))
			})
		},
	}
	cmd.Flags().Int64Var(&ifVersion, "if-version", 0, "only if the server's document is still at this version")
	return cmd
}

func (a *app) obligationsRulesDownloadCommand() *cobra.Command {
	var file string
	cmd := &cobra.Command{
		Use:   "download [-O FILE]",
		Short: "Print your organisation's own notification rules document as uploaded, or write it to FILE (admins)",
		Long: `Prints the organisation's own rules document exactly as it was uploaded (comments included), or
writes it to FILE with -O. Edit it and send it back with warroom obligations rules upload FILE
--if-version N, N being the version this command reports. With -o json, prints the document with
its version, the parsed rules and any problems instead.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			doc, err := c.OrgObligationRules(cmd.Context())
			if err != nil {
				return err
			}
			for _, p := range doc.Problems {
				fmt.Fprintf(a.stderr, "warning: %s (the rule concerned is not evaluated; upload a fixed document)\n", p)
			}
			if doc.Version == 0 {
				fmt.Fprintln(a.stderr, "Your organisation has no rules of its own yet (version 0); see docs/obligations.md.")
				if a.output == "json" {
					return a.printJSON(doc)
				}
				return nil
			}
			if a.output == "json" && file == "" {
				return a.printJSON(doc)
			}
			if file == "" {
				_, err := fmt.Fprint(a.stdout, doc.Source)
				return err
			}
			if err := os.WriteFile(file, []byte(doc.Source), 0o600); err != nil {
				return usagef("cannot write %s: %v", file, errors.Unwrap(err))
			}
			fmt.Fprintf(a.stderr, "Wrote version %d (%d rule(s)) to %s.\n", doc.Version, len(doc.Rules), file)
			return nil
		},
	}
	cmd.Flags().StringVarP(&file, "output-file", "O", "", "write the document to FILE instead of standard output")
	return cmd
}

// inFile names the uploaded file in the server's problems, which it
// reports against its own name for the document.
func inFile(err error, file string) error {
	var ce *client.Error
	if !errors.As(err, &ce) || file == "-" {
		return err
	}
	for i, f := range ce.Errors {
		if rest, ok := strings.CutPrefix(f.Field, obligation.OrgRulesFile+":"); ok {
			ce.Errors[i].Field = file + ":" + rest
		}
	}
	return err
}

func ruleIDList(doc client.ObligationRulesDocument) string {
	var ids []string
	for _, raw := range doc.Rules {
		var r struct {
			ID string `json:"id"`
		}
		if json.Unmarshal(raw, &r) == nil {
			ids = append(ids, r.ID)
		}
	}
	if len(ids) == 0 {
		return ""
	}
	return " (" + strings.Join(ids, ", ") + ")"
}
