package notify

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/errs"
)

// Duration is a time.Duration that reads and writes as "30m0s" in JSON,
// so a stored Spec is legible.
type Duration time.Duration

// MarshalJSON writes d as a Go duration string.
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(time.Duration(d).String()) }

// UnmarshalJSON reads a Go duration string such as "15m" or "1h30m".
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("a duration must be a string like \"15m\": %w", err)
	}
	v, err := time.ParseDuration(s)
	*d = Duration(v)
	return err
}

// Spec is an escalation as a page runs it: the plan's escalation block with
// its durations parsed. The caller converts plan.Escalation (notify does
// not import plan, which imports incident, which will import notify).
type Spec struct {
	// Channels the page may use: email, webhook (any format), or a webhook
	// format (slack, teams, mattermost). Empty: all.
	Channels      []string `json:"channels"`
	RenotifyEvery Duration `json:"renotify_every"` // 0: never re-notify
	Levels        []Level  `json:"levels"`
}

// Level is one rung: who is added, and how long after the page started
// if nobody has acknowledged by then.
type Level struct {
	After    Duration `json:"after"`
	Roles    []string `json:"roles,omitempty"`    // incident roster roles
	Contacts []string `json:"contacts,omitempty"` // contact directory keys
}

// specChannels are the channel names a Spec may list (plan.Channels).
var specChannels = []string{"email", "webhook", "slack", "teams", "mattermost"}

// Validate reports every problem with s.
func (s Spec) Validate() error {
	var v errs.Validation
	if len(s.Levels) == 0 || len(s.Levels) > 20 {
		v.Add("spec.levels", "must have 1 to 20 levels")
	}
	for i, l := range s.Levels {
		if l.After < 0 || (i > 0 && l.After < s.Levels[i-1].After) {
			v.Add(fmt.Sprintf("spec.levels[%d].after", i), "must not be negative or earlier than the level before")
		}
	}
	if s.RenotifyEvery != 0 && time.Duration(s.RenotifyEvery) < time.Minute {
		v.Add("spec.renotify_every", "must be at least 1m, or 0 for never")
	}
	for _, c := range s.Channels {
		if !slices.Contains(specChannels, c) {
			v.Add("spec.channels", "%q is not one of email, webhook, slack, teams, mattermost", c)
		}
	}
	return v.Err()
}

// allows reports whether the spec's channels include r's.
func (s Spec) allows(r Recipient) bool {
	if len(s.Channels) == 0 {
		return true
	}
	if r.Channel == ChannelWebhook && r.Format != "" && slices.Contains(s.Channels, string(r.Format)) {
		return true
	}
	return slices.Contains(s.Channels, string(r.Channel))
}

// Page is an escalation in progress for an incident.
type Page struct {
	ID             string     `json:"id"`
	OrgID          string     `json:"-"`
	IncidentID     string     `json:"incident_id"`
	Source         string     `json:"source"` // what started it, e.g. "plan:ransomware:v1:0"
	Spec           Spec       `json:"spec"`
	StartedAt      time.Time  `json:"started_at"`
	Level          int        `json:"level"` // highest level paged; -1 before the first
	NextRenotifyAt *time.Time `json:"next_renotify_at,omitempty"`
	NextAt         *time.Time `json:"next_at,omitempty"` // when the escalator acts next; nil: never
	AcknowledgedAt *time.Time `json:"acknowledged_at,omitempty"`
	AcknowledgedBy string     `json:"acknowledged_by,omitempty"`
	StoppedAt      *time.Time `json:"stopped_at,omitempty"`
	CreatedAt      time.Time  `json:"created_at"`
}

// NewPage starts an escalation in tx; the Escalator's next Tick pages its
// first level. It returns the page and an acknowledgement token (stored
// only as a hash) that the caller may hand to whoever should be able to
// acknowledge without signing in; the messages the page sends carry tokens
// of their own. A second page from the same Source for the same incident is
// a Conflict (and leaves tx usable), so re-applying a plan is harmless.
func NewPage(ctx context.Context, tx *db.Tx, p Page) (Page, string, error) {
	var v errs.Validation
	if p.OrgID == "" || p.IncidentID == "" {
		v.Add("incident_id", "is required")
	}
	if p.Source == "" || len(p.Source) > 200 {
		v.Add("source", "is required, at most 200 characters")
	}
	if p.StartedAt.IsZero() {
		v.Add("started_at", "is required")
	}
	if err := v.Err(); err != nil {
		return Page{}, "", err
	}
	if err := p.Spec.Validate(); err != nil {
		return Page{}, "", err
	}
	var one int
	err := tx.QueryRowContext(ctx, `SELECT 1 FROM incidents WHERE id = $1 AND org_id = $2`, p.IncidentID, p.OrgID).Scan(&one)
	if db.NoRows(err) {
		return Page{}, "", errs.NotFoundf("incident %s not found", p.IncidentID)
	} else if err != nil {
		return Page{}, "", fmt.Errorf("check incident %s: %w", p.IncidentID, err)
	}
	spec, err := json.Marshal(p.Spec)
	if err != nil {
		return Page{}, "", fmt.Errorf("encode escalation: %w", err)
	}
	token, hash := newAckToken()
	p.ID, p.Level, p.StartedAt = db.NewID(), -1, db.Time(p.StartedAt)
	p.CreatedAt, p.NextRenotifyAt, p.AcknowledgedAt, p.AcknowledgedBy, p.StoppedAt = p.StartedAt, nil, nil, "", nil
	first := p.StartedAt.Add(time.Duration(p.Spec.Levels[0].After))
	p.NextAt = &first
	// ON CONFLICT DO NOTHING rather than a unique violation: on PostgreSQL
	// a failed statement would abort the caller's whole transaction.
	err = tx.QueryRowContext(ctx, `INSERT INTO pages (id, org_id, incident_id, source, spec, started_at, level, next_at, ack_token_hash, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, -1, $7, $8, $6) ON CONFLICT (incident_id, source) DO NOTHING RETURNING id`,
		p.ID, p.OrgID, p.IncidentID, p.Source, string(spec), p.StartedAt, db.Time(first), hash).Scan(&p.ID)
	if db.NoRows(err) {
		return Page{}, "", errs.Conflictf("incident %s already has a page from %s", p.IncidentID, p.Source)
	}
	if err != nil {
		return Page{}, "", fmt.Errorf("start page: %w", err)
	}
	return p, token, nil
}

// AckURL is the acknowledgement link for token under the server's public
// base URL: <base>/ack/<token>. The server must confirm with a POST (a
// button), because mail scanners and chat unfurlers fetch links with GET.
func AckURL(base, token string) string {
	return strings.TrimRight(base, "/") + "/ack/" + url.PathEscape(token)
}

// newAckToken returns 256 random bits, prefixed so a leaked token is
// recognisable, and the hash that is stored. Random tokens this long need
// no slow hash.
func newAckToken() (token, hash string) {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	token = "wrack_" + base64.RawURLEncoding.EncodeToString(b)
	return token, hashToken(token)
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// mintAckToken stores a new token for a delivery of pageID and returns it;
// it exists in clear only in the message about to be sent.
func mintAckToken(ctx context.Context, tx *db.Tx, pageID, outboxID string, now time.Time) (string, error) {
	token, hash := newAckToken()
	_, err := tx.ExecContext(ctx, `INSERT INTO ack_tokens (token_hash, page_id, outbox_id, created_at) VALUES ($1, $2, $3, $4)`,
		hash, pageID, outboxID, db.Time(now))
	if err != nil {
		return "", fmt.Errorf("mint acknowledgement token: %w", err)
	}
	return token, nil
}
