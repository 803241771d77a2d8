package notify

import (
	"context"
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/errs"
)

// Channel is how a message travels.
type Channel string

// The channels.
const (
	ChannelEmail   Channel = "email"
	ChannelWebhook Channel = "webhook"
)

// Format is the payload shape of a webhook message.
type Format string

// The webhook formats. Email messages have FormatText.
const (
	FormatText       Format = "text"
	FormatGeneric    Format = "generic"
	FormatSlack      Format = "slack"
	FormatTeams      Format = "teams"
	FormatMattermost Format = "mattermost"
)

// Formats lists the webhook formats.
var Formats = []Format{FormatGeneric, FormatSlack, FormatTeams, FormatMattermost}

// Status is where a message is in its delivery.
type Status string

// The statuses of an outbox message.
const (
	Pending   Status = "pending"
	Delivered Status = "delivered"
	Failed    Status = "failed"    // gave up; Retry puts it back
	Cancelled Status = "cancelled" // no longer wanted (page acknowledged, webhook removed)
)

// DefaultMaxAttempts is how often a message is tried before it fails.
const DefaultMaxAttempts = 8

// Limits on what a message may carry. Longer text is cut, not refused:
// a notification must never make the change that caused it fail.
const (
	maxSubject = 250
	maxText    = 8000
	maxShort   = 500
	maxURL     = 2000
)

// IncidentInfo is what a notification says about its incident, as it was
// when the message was enqueued.
type IncidentInfo struct {
	Ref      string `json:"ref"`
	Title    string `json:"title"`
	Severity string `json:"severity"`
	Link     string `json:"-"` // the incident's page in the web UI
}

// Message is a notification to one target.
type Message struct {
	OrgID      string
	IncidentID string // optional
	PageID     string // optional; set, the delivery carries an acknowledgement link
	Event      string // what happened, e.g. "page_started"; receivers may switch on it
	Channel    Channel
	Format     Format // webhooks: taken from the webhook; email: FormatText
	Target     string // an email address, or a webhook ID of OrgID
	Recipient  string // who this is for, for people reading the outbox
	Incident   IncidentInfo
	Subject    string
	Text       string // plain text; the channel adds links
	Link       string // where to read more (the incident page); "" for none
	// MaxAttempts defaults to DefaultMaxAttempts.
	MaxAttempts int
}

// Enqueue stores m for delivery once tx commits. A rolled-back transaction
// leaves no message. It returns the message ID, which is also the delivery
// ID receivers dedupe on.
func Enqueue(ctx context.Context, tx *db.Tx, now time.Time, m Message) (string, error) {
	if err := m.normalize(); err != nil {
		return "", err
	}
	if m.Channel == ChannelWebhook {
		w, err := GetWebhook(ctx, tx, m.OrgID, m.Target)
		if err != nil {
			return "", err
		}
		m.Format = w.Format
	}
	id := db.NewID()
	_, err := tx.ExecContext(ctx, `INSERT INTO outbox (id, org_id, incident_id, page_id, event, channel, format, target, recipient,
		incident_ref, incident_title, incident_severity, subject, body, link, status, attempts, max_attempts, next_attempt_at,
		last_error, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 'pending', 0, $16, $17, '', $17)`,
		id, m.OrgID, nullString(m.IncidentID), nullString(m.PageID), m.Event, string(m.Channel), string(m.Format), m.Target, m.Recipient,
		m.Incident.Ref, m.Incident.Title, m.Incident.Severity, m.Subject, m.Text, m.Link, m.MaxAttempts, db.Time(now))
	if err != nil {
		return "", fmt.Errorf("enqueue %s message: %w", m.Channel, db.MapError(err))
	}
	return id, nil
}

// normalize checks m and fills defaults, cutting over-long text.
func (m *Message) normalize() error {
	var v errs.Validation
	if m.OrgID == "" {
		v.Add("org_id", "is required")
	}
	m.Target = strings.TrimSpace(m.Target)
	switch m.Channel {
	case ChannelEmail:
		m.Format = FormatText
		if a, err := mail.ParseAddress(m.Target); err != nil || a.Address != m.Target {
			v.Add("target", "must be a plain email address, like ada@example.com")
		}
	case ChannelWebhook:
		if m.Target == "" {
			v.Add("target", "must be a webhook ID")
		}
	default:
		v.Add("channel", "must be email or webhook")
	}
	if m.Event == "" {
		m.Event = "notification"
	}
	if m.MaxAttempts <= 0 {
		m.MaxAttempts = DefaultMaxAttempts
	}
	m.Subject = cut(strings.Join(strings.Fields(m.Subject), " "), maxSubject)
	m.Text = cut(m.Text, maxText)
	m.Recipient = cut(m.Recipient, maxShort)
	m.Incident.Title = cut(m.Incident.Title, maxShort)
	if len(m.Target) > maxShort {
		v.Add("target", "is too long")
	}
	if len(m.Link) > maxURL {
		v.Add("link", "is too long")
	}
	return v.Err()
}

// cut shortens s to at most n runes, marking the cut.
func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}
