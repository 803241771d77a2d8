package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/warroom/warroom/client"
)

func (a *app) evidenceDownloadCommand() *cobra.Command {
	var reason string
	cmd := &cobra.Command{
		Use:   "download REF ID -o FILE [--reason WHY]",
		Short: "Download a stored file (-o - writes to standard output) and check its SHA-256 against the record",
		Long: `Download a stored file. For this command -o/--output names the file to write
(- for standard output), not the output format. The download is recorded in
the item's chain of custody and audited. The SHA-256 of what arrived is
checked against the recorded one: a mismatch exits 8 and leaves FILE.partial.`,
		Args: cobra.ExactArgs(2),
		// -o names a file here, so the root's check of --output is skipped.
		PersistentPreRunE: func(*cobra.Command, []string) error { return nil },
		RunE: func(cmd *cobra.Command, args []string) error {
			if a.output == "" || a.output == "table" {
				return usagef("name the file to write with -o FILE (or -o - for standard output)")
			}
			c, err := a.client()
			if err != nil {
				return err
			}
			info := a.stdout
			if a.output == "-" {
				info = a.stderr
				_, err = c.DownloadEvidence(cmd.Context(), args[0], args[1], reason, a.stdout)
			} else {
				err = a.downloadToFile(cmd, c, args, reason)
			}
			var mismatch *client.DigestMismatchError
			if errors.As(err, &mismatch) {
				return exitCodeError{exitTampered, err.Error()}
			}
			if err == nil {
				fmt.Fprintf(info, "Downloaded %s of %s; SHA-256 matches the record.\n", strings.ToUpper(args[1]), args[0])
			}
			return err
		},
	}
	cmd.Flags().StringVar(&reason, "reason", "", "why you are downloading it (goes into the chain of custody)")
	return cmd
}

// downloadToFile writes to FILE.partial and renames it to FILE only when
// the SHA-256 matches, so FILE never holds a damaged or altered copy.
func (a *app) downloadToFile(cmd *cobra.Command, c *client.Client, args []string, reason string) error {
	tmp := a.output + ".partial"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	size := int64(-1)
	if e, err := c.GetEvidence(cmd.Context(), args[0], args[1]); err == nil && e.Size > 0 {
		size = e.Size
	}
	bar := a.newProgress(size, "Downloading "+strings.ToUpper(args[1]))
	_, err = c.DownloadEvidence(cmd.Context(), args[0], args[1], reason, io.MultiWriter(f, bar))
	bar.Done()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	var mismatch *client.DigestMismatchError
	if err != nil && !errors.As(err, &mismatch) {
		os.Remove(tmp)
	}
	if err != nil {
		return err
	}
	return os.Rename(tmp, a.output)
}

func envInt64(name string, def int64) int64 {
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0 // Validate reports it
	}
	return n
}
