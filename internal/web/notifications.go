package web

import (
	"net/http"

	"github.com/warroom/warroom/internal/errs"
	"github.com/warroom/warroom/internal/notify"
)

type notificationsPage struct {
	Webhooks   []notify.Webhook
	Created    *notify.Webhook // just created: its secret is shown once
	Deliveries []notify.Delivery
	Status     string
	Formats    []notify.Format
}

func (s *Server) adminNotifications(w http.ResponseWriter, r *http.Request, v *view) error {
	return s.renderNotifications(w, r, v, http.StatusOK, notificationsPage{})
}

func (s *Server) renderNotifications(w http.ResponseWriter, r *http.Request, v *view, status int, d notificationsPage) error {
	ctx := r.Context()
	var err error
	if d.Webhooks, err = s.Notify.Webhooks(ctx); err != nil {
		return err
	}
	d.Status = r.URL.Query().Get("status")
	if d.Deliveries, err = s.Notify.Deliveries(ctx, notify.Status(d.Status)); err != nil {
		return err
	}
	d.Formats = notify.Formats
	v.Title, v.Nav, v.Data = "Notifications", "notifications", d
	return s.render(w, status, "admin_notifications", v)
}

func (s *Server) createWebhook(w http.ResponseWriter, r *http.Request, v *view) error {
	f := r.PostForm
	wh, err := s.Notify.CreateWebhook(r.Context(), f.Get("name"), f.Get("url"), notify.Format(f.Get("format")))
	if err == nil {
		v.Flash = "Webhook added: copy its signing secret now, it is not shown again"
		return s.renderNotifications(w, r, v, http.StatusCreated, notificationsPage{Created: &wh})
	}
	status := statusOf(errs.CodeOf(err))
	if v.Form, err = rejected(r, "webhook", err); err != nil {
		return err
	}
	return s.renderNotifications(w, r, v, status, notificationsPage{})
}

// changeWebhook enables, disables or deletes a webhook (the form's action).
func (s *Server) changeWebhook(w http.ResponseWriter, r *http.Request, v *view) error {
	id := r.PathValue("id")
	var err error
	switch r.PostFormValue("action") {
	case "enable":
		err = s.Notify.SetWebhookEnabled(r.Context(), id, true)
	case "disable":
		err = s.Notify.SetWebhookEnabled(r.Context(), id, false)
	case "delete":
		err = s.Notify.DeleteWebhook(r.Context(), id)
	default:
		err = fieldError("action", "must be enable, disable or delete")
	}
	if err != nil {
		return err
	}
	return redirect(w, r, "/admin/notifications", "webhook-changed")
}

func (s *Server) retryDelivery(w http.ResponseWriter, r *http.Request, v *view) error {
	if err := s.Notify.Retry(r.Context(), r.PathValue("id")); err != nil {
		return err
	}
	return redirect(w, r, "/admin/notifications?status=pending", "delivery-retried")
}

// acknowledgePage is the war room's Acknowledge button.
func (s *Server) acknowledgePage(w http.ResponseWriter, r *http.Request, v *view) error {
	ref := r.PathValue("ref")
	if _, err := s.Notify.AcknowledgePage(r.Context(), ref, r.PathValue("id")); err != nil {
		return err
	}
	return redirect(w, r, "/incidents/"+ref+"#paging", "acknowledged")
}

type ackPage struct {
	Token string
	Done  bool
	Page  notify.Page
	By    string
}

// ackForm shows the acknowledgement link's page. Opening it changes
// nothing: mail scanners and chat previews fetch links; a person presses
// the button.
func (s *Server) ackForm(w http.ResponseWriter, r *http.Request, v *view) error {
	d := ackPage{Token: r.PathValue("token")}
	if v.Actor != nil {
		d.By = v.Actor.Name
	}
	v.Title, v.Data = "Acknowledge the page", d
	return s.render(w, http.StatusOK, "ack", v)
}

func (s *Server) ackSubmit(w http.ResponseWriter, r *http.Request, v *view) error {
	by := r.PostFormValue("by")
	if v.Actor != nil && by == "" {
		by = v.Actor.Name
	}
	p, err := s.Notify.AcknowledgeToken(r.Context(), r.PathValue("token"), by)
	if err != nil {
		return err
	}
	v.Title, v.Data = "Page acknowledged", ackPage{Done: true, Page: p}
	return s.render(w, http.StatusOK, "ack", v)
}
