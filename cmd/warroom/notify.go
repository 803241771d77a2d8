package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/warroom/warroom/internal/notify"
	"github.com/warroom/warroom/internal/plan"
)

// notifyFlags configure outgoing notifications: SMTP and the public URL
// that links in messages point to. Environment variables are in
// docs/notifications.md.
type notifyFlags struct {
	publicURL string
	smtp      notify.SMTPConfig
	smtpPort  string
}

func (f *notifyFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.publicURL, "public-url", os.Getenv("WARROOM_PUBLIC_URL"), "the address people use to reach this server, for links in notifications (default http://ADDR; env WARROOM_PUBLIC_URL)")
	fl.StringVar(&f.smtp.Host, "smtp-host", os.Getenv("WARROOM_SMTP_HOST"), "SMTP server for email notifications; empty: email is off (env WARROOM_SMTP_HOST)")
	fl.StringVar(&f.smtpPort, "smtp-port", os.Getenv("WARROOM_SMTP_PORT"), "SMTP port (default 587 for starttls, 465 for tls, 25 for none)")
	fl.StringVar(&f.smtp.TLS, "smtp-tls", envOr("WARROOM_SMTP_TLS", "starttls"), "starttls, tls or none")
	fl.StringVar(&f.smtp.Username, "smtp-username", os.Getenv("WARROOM_SMTP_USERNAME"), "SMTP user; empty: no authentication")
	fl.StringVar(&f.smtp.From, "smtp-from", os.Getenv("WARROOM_SMTP_FROM"), "sender, like \"Warroom <warroom@example.com>\"")
	fl.DurationVar(&f.smtp.Timeout, "smtp-timeout", 30*time.Second, "SMTP connect and command timeout")
}

// problems lists what is wrong with the notification settings.
func (f *notifyFlags) problems() []string {
	var out []string
	if f.smtpPort != "" {
		p, err := strconv.Atoi(f.smtpPort)
		if err != nil || p < 1 || p > 65535 {
			out = append(out, fmt.Sprintf("--smtp-port %q is not a port number", f.smtpPort))
		}
		f.smtp.Port = p
	}
	if f.smtp.Host != "" {
		// The password comes only from the environment or a file, never a
		// flag that other local users could read in the process list.
		f.smtp.Password = readSecretEnv("WARROOM_SMTP_PASSWORD")
		if err := f.smtp.Validate(); err != nil {
			out = append(out, "SMTP: "+err.Error())
		}
	}
	return out
}

// startNotifications runs the delivery worker and the escalation engine
// until ctx ends.
func startNotifications(ctx context.Context, l *local, f notifyFlags, addr string, log *slog.Logger) error {
	public := f.publicURL
	if public == "" {
		public = "http://" + addr
	}
	w := &notify.Worker{DB: l.db, Now: time.Now, HTTP: notify.NewHTTPClient(), Log: log.With("component", "notify"), AckBase: public}
	if f.smtp.Host != "" {
		m, err := notify.NewSMTP(f.smtp)
		if err != nil {
			return fmt.Errorf("SMTP: %w", err)
		}
		w.Mailer = m
	} else {
		log.Info("email notifications are off: set --smtp-host (WARROOM_SMTP_HOST) to send them")
	}
	e := &notify.Escalator{DB: l.db, Now: time.Now, Resolve: plan.Resolver{PublicURL: public, Now: time.Now},
		Log: log.With("component", "escalation"), OnEvent: plan.RecordEvent}
	l.worker, l.escalator = w, e
	go w.Run(ctx, 2*time.Second)
	go e.Run(ctx, 15*time.Second)
	return nil
}
