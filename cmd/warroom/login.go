package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/warroom/warroom/client"
)

// clientConfig is what warroom login saves for later commands.
type clientConfig struct {
	Server string `json:"server"`
	Token  string `json:"token"`
	Email  string `json:"email,omitempty"`
}

func (a *app) configFile() (string, error) {
	if a.configPath != "" {
		return a.configPath, nil
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("find the user config directory (set --config): %w", err)
	}
	return filepath.Join(dir, "warroom", "config.json"), nil
}

func (a *app) loadConfig() (clientConfig, error) {
	var c clientConfig
	p, err := a.configFile()
	if err != nil {
		return c, err
	}
	b, err := os.ReadFile(p)
	if errors.Is(err, os.ErrNotExist) {
		return c, nil
	} else if err != nil {
		return c, err
	}
	if err := json.Unmarshal(b, &c); err != nil {
		return c, fmt.Errorf("read %s: %w", p, err)
	}
	return c, nil
}

// saveConfig writes the config readable by its owner only: it holds a token.
func (a *app) saveConfig(c clientConfig) (string, error) {
	p, err := a.configFile()
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return "", err
	}
	b, _ := json.MarshalIndent(c, "", "  ")
	tmp := p + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return "", err
	}
	return p, os.Rename(tmp, p)
}

// client returns an API client from flags, environment and saved config.
func (a *app) client() (*client.Client, error) {
	c, err := a.loadConfig()
	if err != nil {
		return nil, err
	}
	server := a.server
	if server == "" {
		server = c.Server
	}
	token := readSecretEnv("WARROOM_TOKEN")
	if token == "" {
		token = c.Token
	}
	if server == "" || token == "" {
		return nil, exitCodeError{exitAuth, "not signed in: run warroom login --server URL (or set WARROOM_SERVER and WARROOM_TOKEN)"}
	}
	return client.New(server, token), nil
}

func (a *app) loginCommand() *cobra.Command {
	var email, orgSlug string
	var pw passwordFlags
	cmd := &cobra.Command{
		Use:   "login --server URL",
		Short: "Sign in to a Warroom server and save an API token for later commands",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if a.server == "" {
				return usagef("say which server: warroom login --server http://127.0.0.1:8080")
			}
			in := bufio.NewReader(a.stdin)
			if email == "" {
				fmt.Fprint(a.stderr, "Email: ")
				line, _ := in.ReadString('\n')
				email = strings.TrimSpace(line)
			}
			password, err := pw.read(a)
			if err != nil {
				return err
			}
			if password == "" {
				if f, ok := a.stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
					fmt.Fprint(a.stderr, "Password: ")
					b, err := term.ReadPassword(int(f.Fd()))
					fmt.Fprintln(a.stderr)
					if err != nil {
						return err
					}
					password = string(b)
				} else {
					return usagef("no password: use --password-stdin when standard input is not a terminal")
				}
			}
			host, _ := os.Hostname()
			c := client.New(a.server, "")
			res, err := c.Login(cmd.Context(), email, password, orgSlug, "warroom login on "+host)
			if err != nil {
				return err
			}
			c.Token = res.Token
			me, err := c.Me(cmd.Context())
			if err != nil {
				return err
			}
			p, err := a.saveConfig(clientConfig{Server: strings.TrimRight(a.server, "/"), Token: res.Token, Email: me.Email})
			if err != nil {
				return fmt.Errorf("save token: %w", err)
			}
			fmt.Fprintf(a.stdout, "Signed in to %s as %s (%s of %s). Token saved in %s.\n", a.server, me.Email, me.Role, me.Org.Name, p)
			return nil
		},
	}
	cmd.Flags().StringVar(&email, "email", "", "your email (prompted when missing)")
	cmd.Flags().StringVar(&orgSlug, "org", "", "organisation slug, when you belong to several")
	pw.register(cmd, "your password")
	return cmd
}

func (a *app) logoutCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "logout",
		Short: "Revoke the saved API token and forget it",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := a.loadConfig()
			if err != nil || cfg.Token == "" {
				return err
			}
			c, err := a.client()
			if err != nil {
				return err
			}
			if err := c.Logout(cmd.Context()); err != nil && client.ErrorCode(err) != "unauthorized" {
				return err
			}
			cfg.Token = ""
			_, err = a.saveConfig(cfg)
			if err == nil {
				fmt.Fprintln(a.stdout, "Signed out.")
			}
			return err
		},
	}
}
