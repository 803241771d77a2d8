package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/warroom/warroom/client"
	"github.com/warroom/warroom/internal/contact"
)

func (a *app) contactCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "contact", Aliases: []string{"contacts"}, Short: "Keep the stakeholder directory: who to call, and how when email is down (docs/contacts.md)"}
	cmd.AddCommand(a.contactAddCommand(), a.contactListCommand(), a.contactShowCommand(), a.contactUpdateCommand(),
		a.contactVerifyCommand(), a.contactDeleteCommand())
	return cmd
}

// contactFlags are the fields add and update share, by flag name.
var contactFlags = []struct{ flag, usage string }{
	{"name", "the person's (or desk's) name"},
	{"kind", "what they are to you: " + strings.Join(enumNames(contact.Kinds), ", ")},
	{"role", `their role, like "Partner, data protection"`},
	{"organization", "their organisation"},
	{"user", "the Warroom user they are (email), for internal contacts"},
	{"work-email", "work email"},
	{"phone", "phone, international form: +44 20 7946 0958"},
	{"personal-email", "personal email (out of band)"},
	{"signal", "Signal number (+…) or username like ada.42 (out of band)"},
	{"oob-notes", "other out-of-band instructions, like a home number or a code word"},
	{"notes", "anything else"},
}

func (a *app) contactAddCommand() *cobra.Command {
	var verified bool
	cmd := &cobra.Command{
		Use:   "add KEY --name NAME --kind KIND [--phone …] [--signal …]",
		Short: "Add a contact; KEY (like outside-counsel) is what plans use to name them",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			fl := cmd.Flags()
			s := func(name string) string { v, _ := fl.GetString(name); return v }
			in := client.ContactInput{Key: args[0], Name: s("name"), Kind: s("kind"), Role: s("role"), Organization: s("organization"),
				User: s("user"), WorkEmail: s("work-email"), Phone: s("phone"), PersonalEmail: s("personal-email"), Signal: s("signal"),
				OutOfBandNotes: s("oob-notes"), Notes: s("notes"), Verified: verified}
			c, err := a.client()
			if err != nil {
				return err
			}
			ct, err := c.CreateContact(cmd.Context(), in)
			if err != nil {
				return err
			}
			return a.print(ct, func() {
				fmt.Fprintf(a.stdout, "Added %s (%s).\n", ct.Key, ct.Name)
				if ct.Stale {
					fmt.Fprintf(a.stdout, "Not verified yet: once you have confirmed the details with them, run warroom contact verify %s\n", ct.Key)
				}
			})
		},
	}
	for _, f := range contactFlags {
		cmd.Flags().String(f.flag, "", f.usage)
	}
	cmd.Flags().BoolVar(&verified, "verified", false, "you confirmed these details with them just now")
	_ = cmd.MarkFlagRequired("name")
	_ = cmd.MarkFlagRequired("kind")
	completeWith(cmd, "kind", enumNames(contact.Kinds))
	return cmd
}

func (a *app) contactListCommand() *cobra.Command {
	var f client.ContactFilter
	cmd := &cobra.Command{
		Use:   "list [--kind KIND] [--stale] [-q TEXT]",
		Short: "List the directory, by kind; --stale lists only contacts not verified in 90 days",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			cs, err := c.Contacts(cmd.Context(), f)
			if err != nil {
				return err
			}
			if cs == nil {
				cs = []client.Contact{}
			}
			return a.print(client.Page[client.Contact]{Items: cs}, func() {
				t := a.table("KEY", "KIND", "NAME", "ORGANISATION", "PHONE", "OUT OF BAND", "VERIFIED", "STATUS")
				stale := 0
				for _, ct := range cs {
					status := "ok"
					if ct.Stale {
						status, stale = "STALE", stale+1
					}
					t.row(ct.Key, contact.Kind(ct.Kind).Label(), truncate(ct.Name, 30), truncate(ct.Organization, 30), ct.Phone,
						strings.Join(outOfBand(ct), ", "), ct.VerifiedAt, status)
				}
				t.flush()
				if stale > 0 {
					fmt.Fprintf(a.stderr, "%d stale (not verified in 90 days): confirm the details with them, then warroom contact verify KEY\n", stale)
				}
			})
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.Kind, "kind", "", "only this kind: "+strings.Join(enumNames(contact.Kinds), ", "))
	fl.BoolVar(&f.Stale, "stale", false, "only contacts not verified in 90 days (or never)")
	fl.StringVarP(&f.Query, "query", "q", "", "search key, name, organisation and role")
	completeWith(cmd, "kind", enumNames(contact.Kinds))
	return cmd
}

// outOfBand lists the channels that do not depend on the organisation's
// own systems.
func outOfBand(c client.Contact) []string {
	var out []string
	if c.Signal != "" {
		out = append(out, "signal "+c.Signal)
	}
	if c.PersonalEmail != "" {
		out = append(out, c.PersonalEmail)
	}
	return out
}

func (a *app) contactShowCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "show KEY",
		Short: "Show a contact with every channel",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			ct, err := c.Contact(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			return a.print(ct, func() { a.showContact(ct) })
		},
	}
}

func (a *app) showContact(c client.Contact) {
	w := a.stdout
	fmt.Fprintf(w, "%s  %s  (%s)\n", c.Key, c.Name, contact.Kind(c.Kind).Label())
	if who := strings.Trim(c.Role+" · "+c.Organization, " ·"); who != "" {
		fmt.Fprintln(w, who)
	}
	line := func(label, v string) {
		if v != "" {
			fmt.Fprintf(w, "  %-16s %s\n", label+":", v)
		}
	}
	fmt.Fprintln(w, "\nWork:")
	line("Email", c.WorkEmail)
	line("Phone", c.Phone)
	line("Warroom user", c.UserEmail)
	fmt.Fprintln(w, "\nOut of band (when corporate email and phones are down):")
	if c.PersonalEmail == "" && c.Signal == "" && c.OutOfBandNotes == "" {
		fmt.Fprintln(w, "  (none recorded)")
	}
	line("Personal email", c.PersonalEmail)
	line("Signal", c.Signal)
	line("Instructions", c.OutOfBandNotes)
	if c.Notes != "" {
		fmt.Fprintf(w, "\nNotes:\n%s\n", c.Notes)
	}
	fmt.Fprintln(w)
	switch {
	case c.VerifiedAt == nil:
		fmt.Fprintf(w, "STALE: never verified. Confirm the details with them, then: warroom contact verify %s\n", c.Key)
	case c.Stale:
		fmt.Fprintf(w, "STALE: last verified %s by %s, more than 90 days ago. Confirm the details, then: warroom contact verify %s\n",
			when(*c.VerifiedAt), c.VerifiedByName, c.Key)
	default:
		fmt.Fprintf(w, "Verified %s by %s.\n", when(*c.VerifiedAt), c.VerifiedByName)
	}
	fmt.Fprintf(w, "Version %d\n", c.Version)
}

func (a *app) contactUpdateCommand() *cobra.Command {
	var version int64
	var verified bool
	cmd := &cobra.Command{
		Use:   "update KEY [--phone …] [--signal …] [--name …]",
		Short: "Change a contact; a changed channel needs verifying again (or pass --verified)",
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
			p := client.ContactPatch{Name: str("name"), Kind: str("kind"), Role: str("role"), Organization: str("organization"), User: str("user"),
				WorkEmail: str("work-email"), Phone: str("phone"), PersonalEmail: str("personal-email"), Signal: str("signal"),
				OutOfBandNotes: str("oob-notes"), Notes: str("notes"), Verified: verified}
			if p == (client.ContactPatch{}) {
				return usagef("nothing to change: give at least one of --name, --kind, --role, --organization, --user, --work-email, --phone, --personal-email, --signal, --oob-notes, --notes, --verified")
			}
			c, err := a.client()
			if err != nil {
				return err
			}
			ct, err := c.UpdateContact(cmd.Context(), args[0], p, version)
			if err != nil {
				return err
			}
			return a.print(ct, func() {
				fmt.Fprintf(a.stdout, "Updated %s (version %d).\n", ct.Key, ct.Version)
				if ct.Stale {
					fmt.Fprintf(a.stdout, "Not verified: once you have confirmed the details with them, run warroom contact verify %s\n", ct.Key)
				}
			})
		},
	}
	for _, f := range contactFlags {
		cmd.Flags().String(f.flag, "", f.usage+` ("" clears)`)
	}
	cmd.Flags().BoolVar(&verified, "verified", false, "you confirmed the details with them just now")
	cmd.Flags().Int64Var(&version, "if-version", 0, "fail instead of overwriting if the contact is no longer at this version")
	completeWith(cmd, "kind", enumNames(contact.Kinds))
	return cmd
}

func (a *app) contactVerifyCommand() *cobra.Command {
	var version int64
	cmd := &cobra.Command{
		Use:   "verify KEY",
		Short: "Record that you confirmed the contact's details with them today",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			ct, err := c.VerifyContact(cmd.Context(), args[0], version)
			if err != nil {
				return err
			}
			return a.print(ct, func() {
				fmt.Fprintf(a.stdout, "Verified %s (%s); next due by %s.\n", ct.Key, ct.Name, when(ct.VerifiedAt.Add(contact.StaleAfter)))
			})
		},
	}
	cmd.Flags().Int64Var(&version, "if-version", 0, "fail if the contact is no longer at this version")
	return cmd
}

func (a *app) contactDeleteCommand() *cobra.Command {
	var version int64
	cmd := &cobra.Command{
		Use:   "delete KEY",
		Short: "Delete a contact (admins); plans that name its key will no longer reach anyone",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			if err := c.DeleteContact(cmd.Context(), args[0], version); err != nil {
				return err
			}
			return a.print(map[string]string{"deleted": args[0]}, func() { fmt.Fprintf(a.stdout, "Deleted %s.\n", args[0]) })
		},
	}
	cmd.Flags().Int64Var(&version, "if-version", 0, "fail if the contact is no longer at this version")
	return cmd
}
