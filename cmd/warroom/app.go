package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/warroom/warroom/client"
	"github.com/warroom/warroom/internal/errs"
)

// Exit codes, documented in docs/cli.md. Scripts rely on them.
const (
	exitOK          = 0
	exitError       = 1 // anything not listed below
	exitUsage       = 2 // bad flags or arguments
	exitNotFound    = 3
	exitAuth        = 4 // not signed in, or not allowed
	exitConflict    = 5 // conflict or stale version (If-Match)
	exitInvalid     = 6 // the server or a service rejected the input
	exitUnavailable = 7 // server unreachable or internal server error
	exitTampered    = 8 // warroom verify found a broken hash chain
)

// app holds what every command shares: streams and global options.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	output         string // table or json
	server         string
	token          string
	configPath     string
}

// usageError marks errors in how the command was called.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// exitError carries a specific exit code with an already-printed outcome.
type exitCodeError struct {
	code int
	msg  string
}

func (e exitCodeError) Error() string { return e.msg }

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	a := &app{stdin: stdin, stdout: stdout, stderr: stderr}
	root := a.rootCommand()
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	code := exitCodeOf(err)
	if ec, ok := err.(exitCodeError); ok && ec.msg == "" {
		return code
	}
	fmt.Fprintf(stderr, "warroom: %s\n", err)
	if code == exitUsage {
		fmt.Fprintln(stderr, "Run 'warroom --help' for usage.")
	}
	return code
}

func exitCodeOf(err error) int {
	var ue usageError
	var ec exitCodeError
	switch {
	case errors.As(err, &ue):
		return exitUsage
	case errors.As(err, &ec):
		return ec.code
	}
	var ce *client.Error
	code := ""
	if errors.As(err, &ce) {
		code = ce.Code
		if code == "" && ce.Status >= 500 {
			return exitUnavailable
		}
	} else {
		var we *errs.Error
		if !errors.As(err, &we) {
			// Cobra reports flag and argument mistakes as plain errors.
			msg := err.Error()
			if strings.HasPrefix(msg, "unknown ") || strings.Contains(msg, "flag") || strings.Contains(msg, "arg(s)") || strings.Contains(msg, "required") {
				return exitUsage
			}
			// A file that cannot be read is the caller's mistake; only
			// network errors mean the server is unavailable (os.PathError
			// also has a Timeout method, so test for it first).
			var pe *fs.PathError
			if errors.As(err, &pe) {
				return exitUsage
			}
			var ne net.Error
			if errors.As(err, &ne) || strings.Contains(msg, "connection refused") {
				return exitUnavailable
			}
			return exitError
		}
		code = string(we.Code)
	}
	switch errs.Code(code) {
	case errs.NotFound:
		return exitNotFound
	case errs.Unauthorized, errs.Forbidden:
		return exitAuth
	case errs.Conflict, errs.PreconditionFailed:
		return exitConflict
	case errs.Invalid, errs.TooLarge, errs.UnsupportedMedia, errs.TooManyRequests:
		return exitInvalid
	case errs.Internal:
		return exitUnavailable
	}
	return exitError
}

func (a *app) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "warroom",
		Short: "Warroom: the incident-response platform",
		Long: `Warroom keeps the defensible record of an incident and drives the response.

Start a server:      warroom serve
Sign in from a CLI:  warroom login --server http://127.0.0.1:8080
Declare an incident: warroom incident declare --title "…" --type ransomware --severity SEV1`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err.Error()} })
	pf := root.PersistentFlags()
	pf.StringVarP(&a.output, "output", "o", "table", "output format: table or json")
	pf.StringVar(&a.server, "server", os.Getenv("WARROOM_SERVER"), "server URL (default: the one saved by warroom login; env WARROOM_SERVER)")
	pf.StringVar(&a.configPath, "config", os.Getenv("WARROOM_CONFIG"), "client config file (default: warroom/config.json in the user config directory; env WARROOM_CONFIG)")
	root.PersistentPreRunE = func(cmd *cobra.Command, args []string) error {
		if a.output != "table" && a.output != "json" {
			return usagef("--output must be table or json, not %q", a.output)
		}
		return nil
	}
	root.AddCommand(a.serveCommand(), a.adminCommand(), a.migrateCommand(), a.verifyCommand(), a.loginCommand(), a.logoutCommand(),
		a.incidentCommand(), a.taskCommand(), a.timelineCommand(), a.rosterCommand(), a.planCommand(), a.contactCommand(), a.versionCommand())
	root.AddCommand(a.evidenceCommand())
	root.AddCommand(a.iocCommand())
	root.AddCommand(a.attackCommand())
	root.AddCommand(a.sweepCommand())
	root.AddCommand(a.obligationsCommand())
	return root
}

func (a *app) versionCommand() *cobra.Command {
	return &cobra.Command{Use: "version", Short: "Print the version", Args: cobra.NoArgs, RunE: func(cmd *cobra.Command, args []string) error {
		fmt.Fprintln(a.stdout, version)
		return nil
	}}
}
