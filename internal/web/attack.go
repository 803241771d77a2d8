package web

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/warroom/warroom/internal/attack"
	"github.com/warroom/warroom/internal/errs"
	"github.com/warroom/warroom/internal/incident"
)

// attackPage is the data of the attacker story page.
type attackPage struct {
	Incident incident.Incident
	Story    attack.Story
	Choices  attack.Choices // only for people who may record
	CanWrite bool
}

// Tactics and Precisions feed the form's selects.
func (attackPage) Tactics() []attack.Tactic       { return attack.Tactics() }
func (attackPage) Precisions() []attack.Precision { return attack.Precisions }

// TechniqueURL is the technique's page on attack.mitre.org, where a
// sub-technique's dot becomes a path segment (T1059.001: T1059/001).
func (attackPage) TechniqueURL(id string) string {
	return "https://attack.mitre.org/techniques/" + strings.ReplaceAll(id, ".", "/") + "/"
}

// Checked keeps a rejected form's boxes ticked.
func (attackPage) Checked(f *formState, name, value string) bool {
	return f != nil && f.Name == "attack" && slices.Contains(f.Values[name], value)
}

// attackTime reads the form's event time. Browsers send seconds when the
// field has them, which formTime (minutes) does not take: the seconds are
// split off, and the time zone applied by formTime as everywhere else.
func attackTime(f url.Values) (*time.Time, []string) {
	t, err := time.Parse("2006-01-02T15:04:05", strings.TrimSpace(f.Get("event_time")))
	if err != nil {
		return formTime(f, "event_time", nil)
	}
	g := url.Values{"event_time": {t.Format("2006-01-02T15:04")}, "event_time_tz": f["event_time_tz"]}
	at, bad := formTime(g, "event_time", nil)
	if at != nil {
		x := at.Add(time.Duration(t.Second()) * time.Second)
		at = &x
	}
	return at, bad
}

func (s *Server) attackPage(w http.ResponseWriter, r *http.Request, v *view) error {
	return s.renderAttack(w, r, v, http.StatusOK)
}

func (s *Server) renderAttack(w http.ResponseWriter, r *http.Request, v *view, status int) error {
	ctx, ref := r.Context(), r.PathValue("ref")
	inc, err := s.Incidents.Get(ctx, ref)
	if err != nil {
		return err
	}
	d := attackPage{Incident: inc, CanWrite: v.Actor.Role.CanWrite()}
	if d.Story, err = s.Attack.Story(ctx, ref); err != nil {
		return err
	}
	if d.CanWrite {
		if d.Choices, err = s.Attack.Choices(ctx, ref); err != nil {
			return err
		}
	}
	v.Title, v.Nav, v.Data = "Attacker story · "+inc.Ref, "incidents", d
	return s.render(w, status, "attack", v)
}

// recordAttack takes the record form; a rejected form is shown again with
// the errors next to its fields.
func (s *Server) recordAttack(w http.ResponseWriter, r *http.Request, v *view) error {
	f := r.PostForm
	ref := r.PathValue("ref")
	at, bad := attackTime(f)
	var err error
	if len(bad) > 0 {
		err = badTimes(bad)
	} else {
		in := attack.Input{Text: f.Get("text"), EventTime: at, Precision: attack.Precision(f.Get("precision")), Host: f.Get("host"),
			Account: f.Get("account"), Tactic: f.Get("tactic"), Technique: f.Get("technique"), Indicators: f["indicator"],
			Evidence: f["evidence"], Corrects: f.Get("corrects")}
		var out attack.Recorded
		if out, err = s.Attack.Record(r.Context(), ref, in); err == nil {
			done := "attack-recorded"
			if len(out.Warnings) > 0 {
				done = "attack-recorded-warning"
			}
			return redirect(w, r, "/incidents/"+out.Entry.IncidentRef+"/attack#e-"+out.Entry.ID, done)
		}
	}
	status := statusOf(errs.CodeOf(err))
	if v.Form, err = rejected(r, "attack", err); err != nil {
		return err
	}
	return s.renderAttack(w, r, v, status)
}

// attackWarning is the confirmation when Record accepted the entry with a
// warning; the page cannot carry the warning itself through the redirect.
const attackWarning = "Attacker activity recorded, but ATT&CK files that technique under other tactics or has deprecated it: " +
	"check the technique (the API and warroom attack record show the details)."
