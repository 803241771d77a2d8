package notify

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/errs"
)

// Webhook is an HTTP endpoint of an organisation that notifications are
// posted to. Secret signs every delivery (docs/notifications.md); it is
// shown to the admin once, when the webhook is created, and never returned
// by reads meant for display (see Webhook.Redacted).
type Webhook struct {
	ID        string    `json:"id"`
	OrgID     string    `json:"-"`
	Name      string    `json:"name"`
	URL       string    `json:"url"`
	Format    Format    `json:"format"`
	Secret    string    `json:"secret,omitempty"`
	Enabled   bool      `json:"enabled"`
	CreatedAt time.Time `json:"created_at"`
}

// Redacted returns w without its secret and with the URL's path and query
// hidden: Slack and Teams webhook URLs are themselves credentials.
func (w Webhook) Redacted() Webhook {
	w.Secret = ""
	if u, err := url.Parse(w.URL); err == nil {
		w.URL = u.Scheme + "://" + u.Host + "/…"
	}
	return w
}

// NewWebhook is what an admin gives to add a webhook.
type NewWebhook struct {
	OrgID  string
	Name   string
	URL    string
	Format Format
}

// CreateWebhook stores a new, enabled webhook with a fresh signing secret
// and returns it with the secret, to be shown once.
func CreateWebhook(ctx context.Context, tx *db.Tx, now time.Time, in NewWebhook) (Webhook, error) {
	var v errs.Validation
	in.Name = strings.TrimSpace(in.Name)
	if in.Name == "" || len(in.Name) > 100 {
		v.Add("name", "is required, at most 100 characters")
	}
	if err := checkWebhookURL(in.URL); err != nil {
		v.Add("url", "%s", err.Error())
	}
	if !slices.Contains(Formats, in.Format) {
		v.Add("format", "must be generic, slack, teams or mattermost")
	}
	if err := v.Err(); err != nil {
		return Webhook{}, err
	}
	w := Webhook{ID: db.NewID(), OrgID: in.OrgID, Name: in.Name, URL: in.URL, Format: in.Format,
		Secret: newWebhookSecret(), Enabled: true, CreatedAt: db.Time(now)}
	// ON CONFLICT rather than a unique violation, which on PostgreSQL
	// would abort the caller's transaction.
	err := tx.QueryRowContext(ctx, `INSERT INTO webhooks (id, org_id, name, url, format, secret, enabled, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (org_id, name) DO NOTHING RETURNING id`,
		w.ID, w.OrgID, w.Name, w.URL, string(w.Format), w.Secret, w.Enabled, w.CreatedAt).Scan(&w.ID)
	if db.NoRows(err) {
		return Webhook{}, errs.Conflictf("a webhook named %q exists", in.Name)
	}
	if err != nil {
		return Webhook{}, fmt.Errorf("create webhook: %w", db.MapError(err))
	}
	return w, nil
}

// checkWebhookURL accepts absolute http and https URLs.
func checkWebhookURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return errors.New("must be an http:// or https:// URL")
	}
	if len(s) > maxURL {
		return errors.New("is too long")
	}
	return nil
}

// newWebhookSecret returns 256 random bits with a prefix that says what
// the string is when it turns up somewhere it should not.
func newWebhookSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return "whsec_" + base64.RawURLEncoding.EncodeToString(b)
}

const webhookColumns = `id, org_id, name, url, format, secret, enabled, created_at`

func scanWebhook(row interface{ Scan(...any) error }) (Webhook, error) {
	var w Webhook
	var format string
	err := row.Scan(&w.ID, &w.OrgID, &w.Name, &w.URL, &format, &w.Secret, &w.Enabled, &w.CreatedAt)
	w.Format, w.CreatedAt = Format(format), w.CreatedAt.UTC()
	return w, err
}

// GetWebhook returns a webhook of orgID, secret included (the worker signs
// with it); not found when it belongs to another organisation.
func GetWebhook(ctx context.Context, tx *db.Tx, orgID, id string) (Webhook, error) {
	w, err := scanWebhook(tx.QueryRowContext(ctx, `SELECT `+webhookColumns+` FROM webhooks WHERE org_id = $1 AND id = $2`, orgID, id))
	if db.NoRows(err) {
		return Webhook{}, errs.NotFoundf("webhook %s not found", id)
	}
	if err != nil {
		return Webhook{}, fmt.Errorf("load webhook %s: %w", id, err)
	}
	return w, nil
}

// ListWebhooks returns the webhooks of orgID by name, without their
// secrets. URLs are complete, for admins; call Redacted for anyone else.
func ListWebhooks(ctx context.Context, tx *db.Tx, orgID string) ([]Webhook, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+webhookColumns+` FROM webhooks WHERE org_id = $1 ORDER BY name, id`, orgID)
	if err != nil {
		return nil, fmt.Errorf("list webhooks: %w", err)
	}
	defer rows.Close()
	var out []Webhook
	for rows.Next() {
		w, err := scanWebhook(rows)
		if err != nil {
			return nil, fmt.Errorf("scan webhook: %w", err)
		}
		w.Secret = ""
		out = append(out, w)
	}
	return out, rows.Err()
}

// SetWebhookEnabled turns a webhook on or off. Messages to a disabled
// webhook are cancelled when they come due.
func SetWebhookEnabled(ctx context.Context, tx *db.Tx, orgID, id string, enabled bool) error {
	res, err := tx.ExecContext(ctx, `UPDATE webhooks SET enabled = $1 WHERE org_id = $2 AND id = $3`, enabled, orgID, id)
	if err != nil {
		return fmt.Errorf("update webhook %s: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errs.NotFoundf("webhook %s not found", id)
	}
	return nil
}

// DeleteWebhook removes a webhook. Messages already queued for it are
// cancelled when they come due.
func DeleteWebhook(ctx context.Context, tx *db.Tx, orgID, id string) error {
	res, err := tx.ExecContext(ctx, `DELETE FROM webhooks WHERE org_id = $1 AND id = $2`, orgID, id)
	if err != nil {
		return fmt.Errorf("delete webhook %s: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errs.NotFoundf("webhook %s not found", id)
	}
	return nil
}

// RotateWebhookSecret gives a webhook a new signing secret and returns it,
// to be shown once. Deliveries from then on are signed with the new one.
func RotateWebhookSecret(ctx context.Context, tx *db.Tx, orgID, id string) (string, error) {
	secret := newWebhookSecret()
	res, err := tx.ExecContext(ctx, `UPDATE webhooks SET secret = $1 WHERE org_id = $2 AND id = $3`, secret, orgID, id)
	if err != nil {
		return "", fmt.Errorf("rotate secret of webhook %s: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return "", errs.NotFoundf("webhook %s not found", id)
	}
	return secret, nil
}
