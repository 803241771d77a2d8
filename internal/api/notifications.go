package api

import (
	"net/http"

	"github.com/warroom/warroom/internal/notify"
)

// WebhookInput adds a webhook; the response carries its signing secret, once.
type WebhookInput struct {
	Name   string        `json:"name"`
	URL    string        `json:"url"`
	Format notify.Format `json:"format"`
}

// WebhookPatch turns a webhook on or off.
type WebhookPatch struct {
	Enabled *bool `json:"enabled"`
}

func (s *Server) listPages(w http.ResponseWriter, r *http.Request) error {
	ps, err := s.Notify.IncidentPages(r.Context(), r.PathValue("ref"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list(ps))
	return nil
}

func (s *Server) acknowledgePage(w http.ResponseWriter, r *http.Request) error {
	p, err := s.Notify.AcknowledgePage(r.Context(), r.PathValue("ref"), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, p)
	return nil
}

func (s *Server) listWebhooks(w http.ResponseWriter, r *http.Request) error {
	ws, err := s.Notify.Webhooks(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list(ws))
	return nil
}

func (s *Server) createWebhook(w http.ResponseWriter, r *http.Request) error {
	var in WebhookInput
	if err := s.decode(w, r, &in); err != nil {
		return err
	}
	wh, err := s.Notify.CreateWebhook(r.Context(), in.Name, in.URL, in.Format)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, wh)
	return nil
}

func (s *Server) updateWebhook(w http.ResponseWriter, r *http.Request) error {
	var in WebhookPatch
	if err := s.decode(w, r, &in); err != nil {
		return err
	}
	if in.Enabled == nil {
		return fieldErr("enabled", "is required: true or false")
	}
	if err := s.Notify.SetWebhookEnabled(r.Context(), r.PathValue("id"), *in.Enabled); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) deleteWebhook(w http.ResponseWriter, r *http.Request) error {
	if err := s.Notify.DeleteWebhook(r.Context(), r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) listDeliveries(w http.ResponseWriter, r *http.Request) error {
	st := notify.Status(r.URL.Query().Get("status"))
	switch st {
	case "", notify.Pending, notify.Delivered, notify.Failed, notify.Cancelled:
	default:
		return fieldErr("status", "%q is not pending, delivered, failed or cancelled", st)
	}
	ds, err := s.Notify.Deliveries(r.Context(), st)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list(ds))
	return nil
}

func (s *Server) retryDelivery(w http.ResponseWriter, r *http.Request) error {
	if err := s.Notify.Retry(r.Context(), r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
