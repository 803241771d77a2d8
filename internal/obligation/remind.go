package obligation

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/incident"
	"github.com/warroom/warroom/internal/notify"
)

// ReminderThresholds are the points, in per cent of the time between the
// clock start and the deadline, at which the people responsible are
// reminded of a notification that is neither submitted nor marked not
// required.
var ReminderThresholds = []int{50, 75, 90, 100}

// DefaultReminderRoles are the incident roles reminded by email.
var DefaultReminderRoles = []string{"regulatory_compliance", "legal_counsel", "incident_commander"}

// Reminders sends deadline reminders through the notification outbox, so
// they get the outbox's retries and show in its delivery list.
type Reminders struct {
	DB  *db.DB
	Now func() time.Time
	Log *slog.Logger
	// Rules is the built-in catalogue; each incident is evaluated against
	// it followed by its organisation's own rules.
	Rules *Catalogue
	// PublicURL is the server's address as people reach it, for links.
	PublicURL string
	// Roles whose holders are emailed (DefaultReminderRoles when empty).
	Roles []string

	cache orgCatalogues
}

// Run calls Tick every interval until ctx ends.
func (r *Reminders) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if n, err := r.Tick(ctx); err != nil {
			r.Log.Error("obligation reminders", "err", err)
		} else if n > 0 {
			r.Log.Info("obligation reminders sent", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

type factsRow struct {
	incidentID, orgID string
	facts             Facts
}

// Tick enqueues the reminders due at the current time and returns how
// many messages it enqueued. Each incident is handled in its own
// transaction: the reminder rows and the outbox messages commit together,
// so a reminder is sent once even with several replicas running.
func (r *Reminders) Tick(ctx context.Context) (int, error) {
	var rows []factsRow
	err := r.DB.Read(ctx, func(tx *db.Tx) error {
		q, err := tx.QueryContext(ctx, `SELECT f.incident_id, f.org_id, f.facts FROM obligation_facts f
			JOIN incidents i ON i.id = f.incident_id WHERE i.status = 'open' ORDER BY f.incident_id`)
		if err != nil {
			return fmt.Errorf("list incidents with facts: %w", err)
		}
		defer q.Close()
		for q.Next() {
			var fr factsRow
			var raw string
			if err := q.Scan(&fr.incidentID, &fr.orgID, &raw); err != nil {
				return fmt.Errorf("scan facts: %w", err)
			}
			if err := json.Unmarshal([]byte(raw), &fr.facts); err != nil {
				return fmt.Errorf("decode facts of incident %s: %w", fr.incidentID, err)
			}
			rows = append(rows, fr)
		}
		return q.Err()
	})
	if err != nil {
		return 0, err
	}
	total := 0
	for _, fr := range rows {
		n, err := r.remindIncident(ctx, fr)
		if err != nil {
			// One incident's failure must not stop the others' reminders.
			r.Log.Error("obligation reminders for an incident", "incident_id", fr.incidentID, "err", err)
			continue
		}
		total += n
	}
	return total, nil
}

// crossed returns the highest threshold reached at now, or 0.
func crossed(start, due, now time.Time) int {
	span := due.Sub(start)
	if span <= 0 || now.Before(start) {
		if !now.Before(due) {
			return 100
		}
		return 0
	}
	pct := float64(now.Sub(start)) / float64(span) * 100
	best := 0
	for _, t := range ReminderThresholds {
		if pct >= float64(t) {
			best = t
		}
	}
	return best
}

func (r *Reminders) remindIncident(ctx context.Context, fr factsRow) (int, error) {
	now := r.Now()
	roles := r.Roles
	if len(roles) == 0 {
		roles = DefaultReminderRoles
	}
	sent := 0
	err := r.DB.Write(ctx, func(tx *db.Tx) error {
		rules, err := r.cache.catalogue(ctx, tx, r.Rules, fr.orgID, r.Log)
		if err != nil {
			return err
		}
		obs, err := Evaluate(rules, &fr.facts, now)
		if err != nil {
			return err
		}
		notes, err := loadNotifications(ctx, tx, fr.incidentID)
		if err != nil {
			return err
		}
		var brief *incident.Brief
		for _, o := range obs {
			if o.Status != Due || o.due.IsZero() {
				continue
			}
			if st := notes[o.Rule].Status; st == Submitted || st == NotRequired {
				continue
			}
			th := crossed(o.start, o.due, now)
			if th == 0 {
				continue
			}
			// Only the highest threshold reached is sent; lower ones missed
			// while the server was down are marked so they never arrive late.
			fresh, err := markReminders(ctx, tx, fr, o, th, now)
			if err != nil {
				return err
			}
			if !fresh {
				continue
			}
			if brief == nil {
				b, err := incident.BriefOf(ctx, tx, fr.incidentID)
				if err != nil {
					return err
				}
				brief = &b
			}
			n, err := r.enqueue(ctx, tx, fr, *brief, o, th, roles, now)
			if err != nil {
				return err
			}
			sent += n
		}
		return nil
	})
	return sent, err
}

// markReminders records every threshold up to th for this deadline and
// reports whether th itself is new.
func markReminders(ctx context.Context, tx *db.Tx, fr factsRow, o Obligation, th int, now time.Time) (bool, error) {
	fresh := false
	for _, t := range ReminderThresholds {
		if t > th {
			break
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO obligation_reminders (incident_id, rule, due_at, threshold, org_id, sent_at)
			VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`, fr.incidentID, o.Rule, db.Time(o.due), t, fr.orgID, db.Time(now))
		if err != nil {
			return false, fmt.Errorf("record reminder: %w", db.MapError(err))
		}
		if n, _ := res.RowsAffected(); n == 1 && t == th {
			fresh = true
		}
	}
	return fresh, nil
}

func (r *Reminders) enqueue(ctx context.Context, tx *db.Tx, fr factsRow, b incident.Brief, o Obligation, th int, roles []string, now time.Time) (int, error) {
	info := notify.IncidentInfo{Ref: b.Ref, Title: b.Title, Severity: b.Severity}
	link := ""
	if r.PublicURL != "" {
		link = strings.TrimRight(r.PublicURL, "/") + "/incidents/" + b.Ref
	}
	when := o.due.Format("Mon 2006-01-02 15:04 MST")
	var subject string
	if th >= 100 {
		subject = fmt.Sprintf("[%s] Notification deadline passed: %s", b.Ref, o.Recipient)
	} else {
		subject = fmt.Sprintf("[%s] Notification due in %s: %s", b.Ref, incident.HumanDuration(o.due.Sub(now).Round(time.Minute)), o.Recipient)
	}
	text := fmt.Sprintf("%d%% of the time for this notification has passed.\n\nRule: %s\nRecipient: %s\nDue: %s\n\n%s\n\n"+
		"Mark it submitted (with the reference and the proof) or not required (with the rationale) to stop these reminders.\nNot legal advice.",
		th, o.Rule, o.Recipient, when, o.Explanation)
	holders, err := incident.Holders(ctx, tx, fr.incidentID, roles)
	if err != nil {
		return 0, err
	}
	n := 0
	seen := map[string]bool{}
	for _, h := range holders {
		if !known(roles, h.Role) || seen[h.Email] {
			continue
		}
		seen[h.Email] = true
		if _, err := notify.Enqueue(ctx, tx, now, notify.Message{OrgID: fr.orgID, IncidentID: fr.incidentID, Event: "obligation_reminder",
			Channel: notify.ChannelEmail, Target: h.Email, Recipient: fmt.Sprintf("%s (%s)", h.Name, h.Role), Incident: info,
			Subject: subject, Text: text, Link: link}); err != nil {
			return n, err
		}
		n++
	}
	// Shared chat channels hear about restricted incidents only that
	// something is due, never what.
	if !b.Restricted {
		hooks, err := notify.ListWebhooks(ctx, tx, fr.orgID)
		if err != nil {
			return n, err
		}
		for _, w := range hooks {
			if !w.Enabled {
				continue
			}
			if _, err := notify.Enqueue(ctx, tx, now, notify.Message{OrgID: fr.orgID, IncidentID: fr.incidentID, Event: "obligation_reminder",
				Channel: notify.ChannelWebhook, Target: w.ID, Recipient: w.Name, Incident: info, Subject: subject, Text: text, Link: link}); err != nil {
				return n, err
			}
			n++
		}
	}
	return n, nil
}
