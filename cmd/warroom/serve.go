package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/warroom/warroom/internal/api"
	"github.com/warroom/warroom/internal/attack"
	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/demo"
	"github.com/warroom/warroom/internal/errs"
	"github.com/warroom/warroom/internal/evidence"
	"github.com/warroom/warroom/internal/ioc"
	"github.com/warroom/warroom/internal/notify"
	"github.com/warroom/warroom/internal/obligation"
	"github.com/warroom/warroom/internal/org"
	"github.com/warroom/warroom/internal/web"
)

// serverConfig is the server's configuration: defaults, then WARROOM_*
// environment variables, then flags.
type serverConfig struct {
	addr           string
	db             dbFlags
	logLevel       string
	logFormat      string
	maxBody        int64
	maxEvidence    int64
	bootstrapOrg   string
	bootstrapEmail string
	shutdownGrace  time.Duration
	secureCookies  bool
	demo           bool
	notify         notifyFlags
}

// Validate reports every problem at once.
func (c *serverConfig) Validate() error {
	var probs []string
	if _, _, err := net.SplitHostPort(c.addr); err != nil {
		probs = append(probs, fmt.Sprintf("--addr %q is not host:port", c.addr))
	}
	if c.maxBody < 1024 {
		probs = append(probs, "--max-body must be at least 1024 bytes")
	}
	if c.maxEvidence < 1 {
		probs = append(probs, "--max-evidence-size (or WARROOM_MAX_EVIDENCE_SIZE) must be a whole number of bytes, at least 1")
	}
	switch c.logLevel {
	case "debug", "info", "warn", "error":
	default:
		probs = append(probs, fmt.Sprintf("--log-level %q is not debug, info, warn or error", c.logLevel))
	}
	switch c.logFormat {
	case "auto", "json", "text":
	default:
		probs = append(probs, fmt.Sprintf("--log-format %q is not auto, json or text", c.logFormat))
	}
	probs = append(probs, c.notify.problems()...)
	if org.NormalizeEmail(c.bootstrapEmail) == "" {
		probs = append(probs, fmt.Sprintf("--bootstrap-email %q is not an email address", c.bootstrapEmail))
	}
	if len(probs) > 0 {
		return usageError{"invalid configuration:\n  " + strings.Join(probs, "\n  ")}
	}
	return nil
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func (a *app) serveCommand() *cobra.Command {
	var c serverConfig
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the Warroom server (web UI and JSON API)",
		Long: `Run the Warroom server. With no flags it keeps an embedded SQLite database in
./warroom-data and listens on 127.0.0.1:8080. On the first start it creates an
organisation and its first admin and prints the password once.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := c.Validate(); err != nil {
				return err
			}
			return a.serve(cmd.Context(), c)
		},
	}
	f := cmd.Flags()
	f.StringVar(&c.addr, "addr", envOr("WARROOM_ADDR", "127.0.0.1:8080"), "address to listen on (env WARROOM_ADDR)")
	c.db.register(cmd)
	f.StringVar(&c.logLevel, "log-level", envOr("WARROOM_LOG_LEVEL", "info"), "debug, info, warn or error")
	f.StringVar(&c.logFormat, "log-format", envOr("WARROOM_LOG_FORMAT", "auto"), "auto (text on a terminal, JSON otherwise), json or text")
	f.Int64Var(&c.maxBody, "max-body", 1<<20, "largest accepted JSON request body, in bytes")
	f.Int64Var(&c.maxEvidence, "max-evidence-size", envInt64("WARROOM_MAX_EVIDENCE_SIZE", evidence.DefaultMaxSize),
		"largest evidence upload, in bytes (env WARROOM_MAX_EVIDENCE_SIZE; uploads stream, so this bounds disk, not memory)")
	f.StringVar(&c.bootstrapOrg, "bootstrap-org", envOr("WARROOM_BOOTSTRAP_ORG", "My Organisation"), "name of the organisation created on first start")
	f.StringVar(&c.bootstrapEmail, "bootstrap-email", envOr("WARROOM_BOOTSTRAP_EMAIL", "admin@warroom.local"), "email of the first admin created on first start")
	f.DurationVar(&c.shutdownGrace, "shutdown-grace", 30*time.Second, "how long a graceful shutdown waits for requests in flight")
	c.notify.register(cmd)
	f.BoolVar(&c.demo, "demo", false, "start with a realistic sample organisation (only on an empty database) and print its sign-in details")
	f.BoolVar(&c.secureCookies, "secure-cookies", os.Getenv("WARROOM_SECURE_COOKIES") == "1", "mark session cookies Secure (set this behind a TLS-terminating proxy; env WARROOM_SECURE_COOKIES=1)")
	return cmd
}

func (a *app) logger(level, format string) *slog.Logger {
	var lv slog.Level
	_ = lv.UnmarshalText([]byte(level))
	opts := &slog.HandlerOptions{Level: lv}
	isTTY := false
	if f, ok := a.stderr.(*os.File); ok {
		isTTY = term.IsTerminal(int(f.Fd()))
	}
	if format == "json" || (format == "auto" && !isTTY) {
		return slog.New(slog.NewJSONHandler(a.stderr, opts))
	}
	return slog.New(slog.NewTextHandler(a.stderr, opts))
}

func (a *app) serve(ctx context.Context, c serverConfig) error {
	log := a.logger(c.logLevel, c.logFormat)
	l, err := c.db.open(ctx, log.With("component", "db"))
	if err != nil {
		return err
	}
	defer l.db.Close()
	if c.demo {
		if err := a.seedDemo(ctx, l, c, log); err != nil {
			return err
		}
	} else if err := a.firstStart(ctx, l, c); err != nil {
		return err
	}
	nctx, stopNotify := context.WithCancel(context.Background())
	defer stopNotify()
	if err := startNotifications(nctx, l, c.notify, c.addr, log); err != nil {
		return err
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	closing := make(chan struct{})
	notifySvc := &notify.Service{DB: l.db, Now: time.Now, Escalator: l.escalator, Worker: l.worker}
	l.evidence.MaxSize, l.evidence.Log = c.maxEvidence, log.With("component", "evidence")
	apiSrv := &api.Server{DB: l.db, Orgs: l.orgs, Incidents: l.incidents, Plans: l.plans, Notify: notifySvc, Contacts: l.contacts, Evidence: l.evidence, Log: log.With("component", "api"),
		Metrics: api.NewMetrics(reg), MaxBody: c.maxBody, Heartbeat: 15 * time.Second, Version: version, Closing: closing}
	apiSrv.IOCs = &ioc.Service{DB: l.db, Now: time.Now, Log: log.With("component", "ioc")}
	apiSrv.Attack = &attack.Service{DB: l.db, Now: time.Now, Log: log.With("component", "attack")}
	// The embedded notification rules are checked at start-up: a broken
	// catalogue stops the server rather than giving wrong deadlines.
	obligationRules, err := obligation.Builtin()
	if err != nil {
		return fmt.Errorf("load the notification rules: %w", err)
	}
	apiSrv.Obligations = &obligation.Service{DB: l.db, Now: time.Now, Log: log.With("component", "obligation"), Rules: obligationRules}
	// Deadline reminders (50/75/90/100%) go out through the outbox.
	reminderURL := c.notify.publicURL
	if reminderURL == "" {
		reminderURL = "http://" + c.addr
	}
	reminders := &obligation.Reminders{DB: l.db, Now: time.Now, Log: log.With("component", "obligation"), Rules: obligationRules, PublicURL: reminderURL}
	go reminders.Run(nctx, time.Minute)
	mux := http.NewServeMux()
	apiSrv.Register(mux)
	webSrv := &web.Server{Orgs: l.orgs, Incidents: l.incidents, Plans: l.plans, Notify: notifySvc, Contacts: l.contacts, IOCs: apiSrv.IOCs, Evidence: l.evidence, Log: log.With("component", "web"), SecureCookies: c.secureCookies, Version: version}
	webSrv.Attack = apiSrv.Attack
	webSrv.Obligations = apiSrv.Obligations
	if err := webSrv.Register(mux); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", c.addr, err)
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	log.Info("warroom serving", "addr", ln.Addr().String(), "database", string(l.db.Dialect), "location", l.db.Location, "version", version)
	// Printed on stdout so tests and scripts can find the port of :0.
	fmt.Fprintf(a.stdout, "Warroom is listening on http://%s\n", ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing requests in flight", "grace", c.shutdownGrace.String())
	close(closing)
	sctx, cancel := context.WithTimeout(context.Background(), c.shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: %w", err)
	}
	log.Info("stopped")
	return nil
}

// seedDemo fills an empty database with the demo organisation and prints
// how to sign in as each of its people.
func (a *app) seedDemo(ctx context.Context, l *local, c serverConfig, log *slog.Logger) error {
	res, err := demo.Seed(ctx, l.db, time.Now(), log, demo.Options{Blobs: l.evidence.Blobs})
	if errors.Is(err, demo.ErrNotEmpty) {
		fmt.Fprintf(a.stdout, "\nThe database already has data; not adding the demo again (use an empty --data directory for a fresh demo).\n\n")
		return nil
	}
	if err != nil {
		return fmt.Errorf("seed the demo: %w", err)
	}
	// The demo's incidents keep their hand-written tasks; its library gets
	// the starter plans like any new organisation's.
	if err := l.db.Write(ctx, func(tx *db.Tx) error { return l.plans.ImportStarters(ctx, tx, res.Org, "") }); err != nil {
		return fmt.Errorf("import starter plans into the demo: %w", err)
	}
	if err := seedDemoContacts(ctx, l, res); err != nil {
		return fmt.Errorf("seed the demo's contacts: %w", err)
	}
	fmt.Fprintf(a.stdout, "\nDemo organisation %q is ready. Open http://%s and sign in as any of:\n\n", res.Org.Name, c.addr)
	t := a.table("EMAIL", "PASSWORD", "ROLE", "IN THE DEMO")
	for _, u := range res.Users {
		t.row(u.Email, u.Password, u.Role, u.Note)
	}
	t.flush()
	fmt.Fprintf(a.stdout, "\nThese passwords are public: never use --demo for real incidents.\n\n")
	return nil
}

// firstStart creates the first organisation and admin on an empty
// database and prints how to sign in, once.
func (a *app) firstStart(ctx context.Context, l *local, c serverConfig) error {
	empty, err := l.orgs.IsEmpty(ctx)
	if err != nil || !empty {
		return err
	}
	res, err := l.orgs.Bootstrap(ctx, org.BootstrapInput{OrgName: c.bootstrapOrg, Email: c.bootstrapEmail})
	if errs.CodeOf(err) == errs.Conflict {
		return nil // another replica sharing the database bootstrapped first
	}
	if err != nil {
		return fmt.Errorf("first-start bootstrap: %w", err)
	}
	fmt.Fprintf(a.stdout, `
First start: created organisation %q (%s) and its first admin.
  email:    %s
  password: %s
This password is shown only once. Sign in with:
  warroom login --server http://%s --email %s

`, res.Org.Name, res.Org.Slug, res.Admin.Email, res.Password, c.addr, res.Admin.Email)
	return nil
}
