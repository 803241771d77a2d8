package notify

import (
	"context"
	"time"

	"github.com/warroom/warroom/internal/actor"
	"github.com/warroom/warroom/internal/audit"
	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/errs"
	"github.com/warroom/warroom/internal/incident"
)

// Service is what people do with notifications, with the rules: anyone
// who can change an incident may acknowledge its pages; only admins manage
// webhooks and see or retry deliveries (they hold addresses and texts of
// every incident, restricted ones included).
type Service struct {
	DB        *db.DB
	Now       func() time.Time
	Escalator *Escalator // nil: acknowledging by token is unavailable
	Worker    *Worker    // nil: retries wait for the next worker
}

func mustAdmin(a *actor.Actor) error {
	if !a.IsAdmin() {
		return errs.Forbiddenf("only organisation admins can manage notifications")
	}
	return nil
}

// Pages lists the pages of an incident the caller has already been
// allowed to see (the caller checks need-to-know by loading the incident).
func (s *Service) Pages(ctx context.Context, incidentID string) ([]Page, error) {
	a := actor.From(ctx)
	var out []Page
	err := s.DB.Read(ctx, func(tx *db.Tx) (err error) { out, err = ListPages(ctx, tx, a.OrgID, incidentID); return err })
	return out, err
}

// IncidentPages lists the pages of an incident the caller may see, under
// the same need-to-know as the incident itself (a read of a restricted one
// is audited).
func (s *Service) IncidentPages(ctx context.Context, ref string) ([]Page, error) {
	var out []Page
	err := incident.ReadVisible(ctx, s.DB, s.Now(), ref, "pages", func(tx *db.Tx, i incident.Incident) (err error) {
		out, err = ListPages(ctx, tx, actor.From(ctx).OrgID, i.ID)
		return err
	})
	return out, err
}

// AcknowledgePage acknowledges a page of incident ref for a person who may
// change the incident. The need-to-know check, the page's belonging to the
// incident and the acknowledgement are one transaction, so a roster change
// cannot slip between them.
func (s *Service) AcknowledgePage(ctx context.Context, ref, pageID string) (Page, error) {
	if s.Escalator == nil {
		return Page{}, errs.E(errs.Internal, "paging is not running on this server")
	}
	var p Page
	err := incident.WriteChangeable(ctx, s.DB, ref, func(tx *db.Tx, a *actor.Actor, i incident.Incident) error {
		pg, err := GetPage(ctx, tx, a.OrgID, pageID)
		if err != nil {
			return err
		}
		if pg.IncidentID != i.ID {
			return errs.NotFoundf("no page %s on %s", pageID, i.Ref)
		}
		by := a.Name
		if by == "" {
			by = a.Email
		}
		p, err = s.Escalator.AcknowledgeTx(ctx, tx, a.OrgID, pageID, by)
		return err
	})
	return p, err
}

// AcknowledgeToken acknowledges through the link in a notification; the
// token is the credential. by names who, when known.
func (s *Service) AcknowledgeToken(ctx context.Context, token, by string) (Page, error) {
	if s.Escalator == nil {
		return Page{}, errs.E(errs.Internal, "paging is not running on this server")
	}
	return s.Escalator.Acknowledge(ctx, token, by)
}

// Webhooks lists the organisation's webhooks, without secrets.
func (s *Service) Webhooks(ctx context.Context) ([]Webhook, error) {
	a := actor.From(ctx)
	if err := mustAdmin(a); err != nil {
		return nil, err
	}
	var out []Webhook
	err := s.DB.Read(ctx, func(tx *db.Tx) (err error) { out, err = ListWebhooks(ctx, tx, a.OrgID); return err })
	return out, err
}

// CreateWebhook adds a webhook and returns it with its signing secret,
// to be shown once.
func (s *Service) CreateWebhook(ctx context.Context, name, url string, format Format) (Webhook, error) {
	a := actor.From(ctx)
	if err := mustAdmin(a); err != nil {
		return Webhook{}, err
	}
	var w Webhook
	err := s.DB.Write(ctx, func(tx *db.Tx) (err error) {
		if w, err = CreateWebhook(ctx, tx, s.Now(), NewWebhook{OrgID: a.OrgID, Name: name, URL: url, Format: format}); err != nil {
			return err
		}
		return audit.Write(ctx, tx, s.Now(), a, "", "webhook.create", "webhook", w.ID, map[string]string{"name": w.Name, "format": string(w.Format)})
	})
	return w, err
}

// SetWebhookEnabled turns a webhook on or off.
func (s *Service) SetWebhookEnabled(ctx context.Context, id string, on bool) error {
	a := actor.From(ctx)
	if err := mustAdmin(a); err != nil {
		return err
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		if err := SetWebhookEnabled(ctx, tx, a.OrgID, id, on); err != nil {
			return err
		}
		return audit.Write(ctx, tx, s.Now(), a, "", "webhook.enabled", "webhook", id, map[string]bool{"enabled": on})
	})
}

// DeleteWebhook removes a webhook.
func (s *Service) DeleteWebhook(ctx context.Context, id string) error {
	a := actor.From(ctx)
	if err := mustAdmin(a); err != nil {
		return err
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		if err := DeleteWebhook(ctx, tx, a.OrgID, id); err != nil {
			return err
		}
		return audit.Write(ctx, tx, s.Now(), a, "", "webhook.delete", "webhook", id, nil)
	})
}

// Deliveries lists outgoing messages, newest first.
func (s *Service) Deliveries(ctx context.Context, status Status) ([]Delivery, error) {
	a := actor.From(ctx)
	if err := mustAdmin(a); err != nil {
		return nil, err
	}
	var out []Delivery
	err := s.DB.Read(ctx, func(tx *db.Tx) (err error) {
		out, err = ListDeliveries(ctx, tx, DeliveryFilter{OrgID: a.OrgID, Status: status, Limit: 200})
		return err
	})
	return out, err
}

// Retry puts a failed delivery back in the queue.
func (s *Service) Retry(ctx context.Context, id string) error {
	a := actor.From(ctx)
	if err := mustAdmin(a); err != nil {
		return err
	}
	err := s.DB.Write(ctx, func(tx *db.Tx) error {
		if err := Retry(ctx, tx, s.Now(), a.OrgID, id); err != nil {
			return err
		}
		return audit.Write(ctx, tx, s.Now(), a, "", "delivery.retry", "outbox", id, nil)
	})
	if err == nil && s.Worker != nil {
		s.Worker.Kick()
	}
	return err
}
