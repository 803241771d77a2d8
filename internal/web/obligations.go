package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/goccy/go-yaml"

	"github.com/warroom/warroom/internal/errs"
	"github.com/warroom/warroom/internal/evidence"
	"github.com/warroom/warroom/internal/incident"
	"github.com/warroom/warroom/internal/obligation"
)

// obligationsPage is the data of an incident's notification clocks page:
// each obligation with its countdown and status, and the facts behind
// them as an editable YAML document.
type obligationsPage struct {
	Incident  incident.Incident
	Report    obligation.Report
	Facts     obligation.FactsRecord
	FactsText string
	Evidence  []evidence.Evidence // proofs to choose from
	CanWrite  bool
	All       bool
	// Orphan is a rejected status form for a rule not in the list (it no
	// longer applies, or the page was stale), shown at the top instead.
	Orphan *formState
}

// Statuses feeds the status select.
func (obligationsPage) Statuses() []string { return obligation.NotificationStatuses }

// Left is the countdown to a due instant at now: "in 2d 18h", "overdue 3h 05m".
func (obligationsPage) Left(due string, now time.Time) string {
	t, err := time.Parse(time.RFC3339, due)
	if err != nil {
		return ""
	}
	return incident.Countdown(t, now)
}

// Outcome says how a notice that is dealt with stands against its
// deadline ("submitted on time", "submitted 3h 05m late", "not required"),
// so a deadline that has passed after the submission is not shown as
// overdue; "" while it is still to do.
func (obligationsPage) Outcome(o obligation.IncidentObligation) string {
	n := o.Notification
	switch {
	case n.Status == obligation.NotRequired:
		return "not required"
	case n.Status != obligation.Submitted:
		return ""
	case n.SubmittedAt == nil || o.DueTime().IsZero():
		return "submitted"
	case n.SubmittedAt.After(o.DueTime()):
		return "submitted " + incident.HumanDuration(n.SubmittedAt.Sub(o.DueTime())) + " late"
	}
	return "submitted on time"
}

// Overdue reports whether a due instant has passed.
func (obligationsPage) Overdue(due string, now time.Time) bool {
	t, err := time.Parse(time.RFC3339, due)
	return err == nil && t.Before(now)
}

// DueTime parses a due instant for the time partial.
func (obligationsPage) DueTime(due string) time.Time {
	t, _ := time.Parse(time.RFC3339, due)
	return t
}

// FormName is the name of one obligation's status form, so a rejected
// form shows its errors on the right card.
func (obligationsPage) FormName(rule string) string { return "status-" + rule }

// CitationURL splits "Title <url>" for a link.
func (obligationsPage) CitationURL(c string) string {
	if i := strings.LastIndex(c, " <"); i >= 0 && strings.HasSuffix(c, ">") {
		return c[i+2 : len(c)-1]
	}
	return ""
}

// CitationTitle is the title part of a citation.
func (obligationsPage) CitationTitle(c string) string {
	if i := strings.LastIndex(c, " <"); i >= 0 {
		return c[:i]
	}
	return c
}

func (s *Server) obligationsPage(w http.ResponseWriter, r *http.Request, v *view) error {
	return s.renderObligations(w, r, v, http.StatusOK)
}

func (s *Server) renderObligations(w http.ResponseWriter, r *http.Request, v *view, status int) error {
	ctx, ref := r.Context(), r.PathValue("ref")
	inc, err := s.Incidents.Get(ctx, ref)
	if err != nil {
		return err
	}
	d := obligationsPage{Incident: inc, CanWrite: v.Actor.Role.CanWrite(), All: r.URL.Query().Get("all") == "1"}
	if d.Facts, err = s.Obligations.Facts(ctx, ref); err != nil {
		return err
	}
	if d.Report, err = s.Obligations.Obligations(ctx, ref, d.All); err != nil {
		return err
	}
	if v.Form != nil && strings.HasPrefix(v.Form.Name, "status-") {
		d.Orphan = v.Form
		for _, o := range d.Report.Obligations {
			if "status-"+o.Rule == v.Form.Name {
				d.Orphan = nil
			}
		}
	}
	if d.Facts.Version == 0 {
		d.FactsText = factsTemplate
	} else if b, err := yaml.Marshal(d.Facts.Facts); err == nil {
		d.FactsText = string(b)
	}
	if d.CanWrite {
		if d.Evidence, err = s.Evidence.List(ctx, ref); err != nil {
			return err
		}
	}
	v.Title, v.Nav, v.Data = "Notifications · "+inc.Ref, "incidents", d
	return s.render(w, status, "obligations", v)
}

// factsTemplate starts an incident without facts with the shape to fill.
const factsTemplate = `organisation:
  jurisdictions: []        # where you operate: US, US-NY, EU-DE, GB, BR …
  sectors: []
  entity_types: []         # sec_registrant, hipaa_covered_entity, nis2_essential, dora_financial_entity …
incident:
  affected: []             # - {jurisdiction: US-TX, count: 600}
  data_types: []           # name, ssn, financial_account, payment_card, credentials, health, biometric, personal_data
  data_encrypted: false
  events: {}               # awareness: 2026-03-10T09:00:00Z (with the offset)
`

// saveObligationFacts takes the facts form (a YAML or JSON document).
func (s *Server) saveObligationFacts(w http.ResponseWriter, r *http.Request, v *view) error {
	ref := r.PathValue("ref")
	version, _ := strconv.ParseInt(r.PostForm.Get("version"), 10, 64)
	f, err := obligation.ParseFacts([]byte(r.PostForm.Get("facts")))
	if err == nil {
		if _, err = s.Obligations.PutFacts(r.Context(), ref, *f, version); err == nil {
			return redirect(w, r, "/incidents/"+ref+"/obligations", "obligation-facts")
		}
	}
	st := statusOf(errs.CodeOf(err))
	if v.Form, err = rejected(r, "facts", err); err != nil {
		return err
	}
	return s.renderObligations(w, r, v, st)
}

// setObligationStatus takes one obligation's status form.
func (s *Server) setObligationStatus(w http.ResponseWriter, r *http.Request, v *view) error {
	ref, rule := r.PathValue("ref"), r.PathValue("rule")
	f := r.PostForm
	at, bad := formTime(f, "submitted_at", nil)
	var err error
	if len(bad) > 0 {
		err = badTimes(bad)
	} else {
		in := obligation.StatusInput{Status: f.Get("status"), SubmittedAt: at, SubmittedBy: f.Get("submitted_by"),
			Reference: f.Get("reference"), ProofEvidence: f.Get("proof_evidence"), Rationale: f.Get("rationale")}
		if _, err = s.Obligations.SetStatus(r.Context(), ref, rule, in, 0); err == nil {
			return redirect(w, r, "/incidents/"+ref+"/obligations#o-"+rule, "obligation-status")
		}
	}
	st := statusOf(errs.CodeOf(err))
	if v.Form, err = rejected(r, "status-"+rule, err); err != nil {
		return err
	}
	return s.renderObligations(w, r, v, st)
}
