package plan

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/warroom/warroom/internal/actor"
	"github.com/warroom/warroom/internal/contact"
	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/errs"
	"github.com/warroom/warroom/internal/incident"
	"github.com/warroom/warroom/internal/notify"
	"github.com/warroom/warroom/internal/record"
)

// startPages starts the escalation blocks of a plan that cover the
// incident's severity. A block already started (same plan, version and
// block) is left alone, so re-applying is harmless; a severity raise can
// start a block that did not apply before.
func startPages(ctx context.Context, tx *db.Tx, orgID string, now time.Time, p *Plan, st Stored, i incident.Incident) error {
	for k, e := range p.Escalation {
		if len(e.Severities) > 0 && !slices.Contains(e.Severities, string(i.Severity)) {
			continue
		}
		spec := notify.Spec{Channels: e.Channels}
		if e.RenotifyEvery != "" {
			d, err := parseDuration(e.RenotifyEvery)
			if err != nil {
				return err
			}
			spec.RenotifyEvery = notify.Duration(d)
		}
		for _, l := range e.Levels {
			d, err := parseDuration(l.After)
			if err != nil {
				return err
			}
			spec.Levels = append(spec.Levels, notify.Level{After: notify.Duration(d), Roles: l.Roles, Contacts: l.Contacts})
		}
		_, _, err := notify.NewPage(ctx, tx, notify.Page{OrgID: orgID, IncidentID: i.ID,
			Source: fmt.Sprintf("plan:%s:v%d:%d", st.PlanID, st.Version, k), Spec: spec, StartedAt: now})
		if err != nil && errs.CodeOf(err) != errs.Conflict {
			return fmt.Errorf("start escalation %d of plan %s: %w", k, st.PlanID, err)
		}
	}
	return nil
}

// Resolver tells the escalation engine what a page is about and whom to
// reach: roster roles become the holders' emails, contact keys the
// directory's addresses, and the organisation's webhooks are told at the
// first level — except for restricted incidents, whose titles must not
// reach shared chat channels.
type Resolver struct {
	// PublicURL is the server's address as people reach it, for links.
	PublicURL string
	Now       func() time.Time
}

// Describe implements notify.Resolver.
func (r Resolver) Describe(ctx context.Context, tx *db.Tx, p notify.Page) (notify.IncidentInfo, error) {
	b, err := incident.BriefOf(ctx, tx, p.IncidentID)
	if err != nil {
		return notify.IncidentInfo{}, err
	}
	info := notify.IncidentInfo{Ref: b.Ref, Title: b.Title, Severity: b.Severity}
	if b.Restricted {
		info.Title = "(restricted incident)"
	}
	if r.PublicURL != "" {
		info.Link = strings.TrimRight(r.PublicURL, "/") + "/incidents/" + b.Ref
	}
	return info, nil
}

// Recipients implements notify.Resolver.
func (r Resolver) Recipients(ctx context.Context, tx *db.Tx, p notify.Page, level int) ([]notify.Recipient, error) {
	if level < 0 || level >= len(p.Spec.Levels) {
		return nil, nil
	}
	l := p.Spec.Levels[level]
	var out []notify.Recipient
	holders, err := incident.Holders(ctx, tx, p.IncidentID, l.Roles)
	if err != nil {
		return nil, err
	}
	for _, h := range holders {
		out = append(out, notify.Recipient{Channel: notify.ChannelEmail, Target: h.Email, Name: fmt.Sprintf("%s (%s)", h.Name, h.Role)})
	}
	now := time.Now()
	if r.Now != nil {
		now = r.Now()
	}
	for _, key := range l.Contacts {
		c, err := contact.Find(ctx, tx, p.OrgID, key, now)
		if errs.CodeOf(err) == errs.NotFound {
			continue // the directory changed since the plan was written; the page goes on
		} else if err != nil {
			return nil, err
		}
		addr := c.WorkEmail
		if addr == "" {
			addr = c.PersonalEmail
		}
		if addr != "" {
			out = append(out, notify.Recipient{Channel: notify.ChannelEmail, Target: addr, Name: c.Name})
		}
	}
	if level == 0 {
		b, err := incident.BriefOf(ctx, tx, p.IncidentID)
		if err != nil {
			return nil, err
		}
		if !b.Restricted {
			hooks, err := notify.ListWebhooks(ctx, tx, p.OrgID)
			if err != nil {
				return nil, err
			}
			for _, w := range hooks {
				if w.Enabled {
					out = append(out, notify.Recipient{Channel: notify.ChannelWebhook, Format: w.Format, Target: w.ID, Name: w.Name})
				}
			}
		}
	}
	return out, nil
}

// RecordEvent writes a page's events to the incident's timeline (as the
// system), so who was paged when, and who acknowledged, is in the record.
// Reminders are not recorded: they would drown the timeline.
func RecordEvent(ctx context.Context, tx *db.Tx, e notify.Event) error {
	var text string
	switch e.Kind {
	case notify.PageStarted:
		text = fmt.Sprintf("Paged %s", recipientNames(e.Recipients))
	case notify.PageEscalated:
		text = fmt.Sprintf("Not acknowledged: escalated to level %d, paging %s", e.Level+1, recipientNames(e.Recipients))
	case notify.PageAcknowledged:
		ack := e.Page.AcknowledgedAt
		text = "Page acknowledged by " + e.By
		if ack != nil {
			text += fmt.Sprintf(" after %s", ack.Sub(e.Page.StartedAt).Round(time.Second))
		}
	default:
		return nil
	}
	system := &actor.Actor{UserID: "system", Name: "Warroom"}
	_, err := record.Append(ctx, tx, system, e.At, record.NewEntry{OrgID: e.Page.OrgID, IncidentID: e.Page.IncidentID, Kind: string(e.Kind),
		Text: text, Payload: map[string]any{"page_id": e.Page.ID, "source": e.Page.Source, "level": e.Level, "by": e.By}})
	return err
}

func recipientNames(rs []notify.Recipient) string {
	if len(rs) == 0 {
		return "nobody (no one holds the roles and no contact could be reached)"
	}
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = r.Name
	}
	return strings.Join(parts, ", ")
}
