package notify

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/warroom/warroom/internal/errs"
)

// TLS modes for SMTP.
const (
	TLSNone     = "none"     // plain SMTP; only for a relay on a trusted network
	TLSStartTLS = "starttls" // upgrade with STARTTLS, refusing servers that do not offer it
	TLSImplicit = "tls"      // TLS from the first byte (SMTPS, usually port 465)
)

// SMTPConfig says how to send email. The caller reads the password from
// WARROOM_SMTP_PASSWORD or the file named by WARROOM_SMTP_PASSWORD_FILE.
type SMTPConfig struct {
	Host     string
	Port     int    // default: 25 (none), 587 (starttls), 465 (tls)
	TLS      string // none, starttls (default) or tls
	Username string // empty: no authentication
	Password string
	From     string // the sender address, e.g. "Warroom <warroom@example.com>"
	Timeout  time.Duration
	// TLSConfig replaces the default certificate checks, e.g. to trust a
	// private CA; nil verifies against the system roots and Host.
	TLSConfig *tls.Config
}

// Validate reports every problem with c at once.
func (c SMTPConfig) Validate() error {
	var v errs.Validation
	if c.Host == "" {
		v.Add("smtp_host", "is required to send email")
	}
	switch c.TLS {
	case "", TLSNone, TLSStartTLS, TLSImplicit:
	default:
		v.Add("smtp_tls", "must be none, starttls or tls")
	}
	if c.Port < 0 || c.Port > 65535 {
		v.Add("smtp_port", "must be a TCP port")
	}
	if c.TLS == TLSNone && c.Username != "" {
		// go-mail refuses to send credentials in clear, and so do we.
		v.Add("smtp_tls", "must be starttls or tls when a username is set: credentials are never sent unencrypted")
	}
	if _, err := mail.ParseAddress(c.From); err != nil {
		v.Add("smtp_from", "must be an email address, like Warroom <warroom@example.com>")
	}
	return v.Err()
}

// Mail is one email to send.
type Mail struct {
	ID      string // the delivery ID; becomes the Message-ID so a resend is recognisable
	To      string
	Subject string
	Text    string
	Date    time.Time
}

// Mailer sends email. SMTP is the implementation; the interface lets the
// worker run without email configured.
type Mailer interface {
	Send(ctx context.Context, m Mail) error
}

// SMTP sends email through an SMTP server, one connection per message
// (notifications are few; a pooled connection would only go stale).
type SMTP struct {
	cfg  SMTPConfig
	from *mail.Address
}

// NewSMTP checks cfg and returns a mailer for it.
func NewSMTP(cfg SMTPConfig) (*SMTP, error) {
	if cfg.TLS == "" {
		cfg.TLS = TLSStartTLS
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Port == 0 {
		cfg.Port = map[string]int{TLSNone: 25, TLSStartTLS: 587, TLSImplicit: 465}[cfg.TLS]
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	from, _ := mail.ParseAddress(cfg.From)
	return &SMTP{cfg: cfg, from: from}, nil
}

func (s *SMTP) options() []gomail.Option {
	c := s.cfg
	opts := []gomail.Option{gomail.WithPort(c.Port), gomail.WithTimeout(c.Timeout)}
	switch c.TLS {
	case TLSNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	case TLSStartTLS:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	case TLSImplicit:
		opts = append(opts, gomail.WithSSL())
	}
	if c.TLSConfig != nil {
		opts = append(opts, gomail.WithTLSConfig(c.TLSConfig))
	}
	if c.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(c.Username), gomail.WithPassword(c.Password))
	}
	return opts
}

// Send delivers m. An error the server marks permanent (5xx) is returned
// as a permanentError so the worker does not retry it.
func (s *SMTP) Send(ctx context.Context, m Mail) error {
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	msg.FromMailAddress(s.from)
	if err := msg.To(m.To); err != nil {
		return permanent(fmt.Errorf("recipient address: %w", err))
	}
	msg.Subject(m.Subject)
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	msg.SetDateWithValue(m.Date)
	msg.SetMessageIDWithValue(m.ID + "@" + domainOf(s.from.Address))
	msg.SetGenHeader("X-Warroom-Delivery", m.ID)
	// RFC 3834: out-of-office and other auto-responders must not answer.
	msg.SetGenHeader("Auto-Submitted", "auto-generated")
	msg.SetUserAgent("Warroom")

	client, err := gomail.NewClient(s.cfg.Host, s.options()...)
	if err != nil {
		return permanent(fmt.Errorf("configure smtp client: %w", err))
	}
	if err := client.DialAndSendWithContext(ctx, msg); err != nil {
		var se *gomail.SendError
		if errors.As(err, &se) && se.ErrorCode() >= 500 {
			return permanent(fmt.Errorf("smtp: %w", err))
		}
		return fmt.Errorf("smtp: %w", err)
	}
	return nil
}

func domainOf(addr string) string {
	if i := strings.LastIndexByte(addr, '@'); i >= 0 {
		return addr[i+1:]
	}
	return "warroom.invalid"
}
