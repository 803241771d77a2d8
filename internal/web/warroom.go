package web

import (
	"net/http"

	"github.com/warroom/warroom/internal/errs"
	"github.com/warroom/warroom/internal/incident"
	"github.com/warroom/warroom/internal/notify"
	"github.com/warroom/warroom/internal/org"
)

// warRoomPage is everything the incident commander's screen shows.
type warRoomPage struct {
	Incident   incident.Incident
	Roster     incident.Roster
	Slots      []roleSlot
	Phases     []phaseTasks
	Stats      taskStats
	Timeline   []timelineItem
	Kind       string // timeline filter
	Decisions  []incident.Entry
	Members    []org.Member
	Roles      []org.IRRole
	CanWrite   bool
	Commanders []incident.Assignment
	RoleNames  map[string]string // role key -> name, for task cards
	Pages      []notify.Page
	Owed       *owedPanel
}

type roleSlot struct {
	Role    org.IRRole
	Holders []incident.Assignment
	Key     bool // a role every serious incident needs: an empty one is a gap
}

type phaseTasks struct {
	Phase   incident.Phase
	Current bool
	Tasks   []incident.Task
}

type taskStats struct{ Total, Done, Open, Overdue, Blocked int }

type timelineItem struct {
	incident.Entry
	Corrects    *incident.Entry // the entry this one corrects, when on the page
	CorrectedBy []int64         // seqs of entries that correct this one
}

// keyRoles are highlighted when empty on a SEV1 or SEV2 incident.
var keyRoles = map[string]bool{org.RoleIncidentCommander: true, "technical_lead": true, "communications_lead": true, "legal_counsel": true, "scribe": true}

// timelineWindow is how many of the newest entries the war room shows.
const timelineWindow = 300

func (s *Server) warRoom(w http.ResponseWriter, r *http.Request, v *view) error {
	return s.renderWarRoom(w, r, v, http.StatusOK)
}

func (s *Server) renderWarRoom(w http.ResponseWriter, r *http.Request, v *view, status int) error {
	ctx, ref := r.Context(), r.PathValue("ref")
	inc, err := s.Incidents.Get(ctx, ref)
	if err != nil {
		return err
	}
	d := warRoomPage{Incident: inc, Kind: r.URL.Query().Get("kind"), CanWrite: v.Actor.Role.CanWrite()}
	if d.Roster, err = s.Incidents.Roster(ctx, ref); err != nil {
		return err
	}
	if d.Roles, err = s.Orgs.Roles(ctx); err != nil {
		return err
	}
	if d.Members, err = s.Orgs.Members(ctx); err != nil {
		return err
	}
	required := map[string]bool{}
	if inc.PlanID != "" {
		// The plan's required roles are gaps when empty, whatever the severity.
		if _, p, err := s.Plans.Get(ctx, inc.PlanID, inc.PlanVersion); err == nil {
			for _, r := range p.RequiredRoles {
				required[r] = true
			}
		}
	}
	d.Slots = slots(d.Roles, d.Roster, inc.Severity, required)
	d.RoleNames = map[string]string{}
	for _, role := range d.Roles {
		d.RoleNames[role.Key] = role.Name
	}
	for _, as := range d.Roster.Current {
		if as.Role == org.RoleIncidentCommander {
			d.Commanders = append(d.Commanders, as)
		}
	}
	if s.Notify != nil {
		if d.Pages, err = s.Notify.Pages(ctx, inc.ID); err != nil {
			return err
		}
	}
	if d.Owed, err = s.owedPanel(ctx, ref); err != nil {
		return err
	}
	tasks, err := s.Incidents.Tasks(ctx, ref, incident.TaskFilter{})
	if err != nil {
		return err
	}
	d.Phases, d.Stats = groupTasks(tasks, inc.Phase)
	f := incident.TimelineFilter{Desc: true, Limit: timelineWindow}
	if d.Kind != "" {
		f.Kinds = []string{d.Kind}
	}
	tl, err := s.Incidents.Timeline(ctx, ref, f)
	if err != nil && errs.CodeOf(err) != errs.Invalid {
		return err
	}
	d.Timeline = linkCorrections(tl.Items)
	for _, e := range tl.Items {
		if e.Kind == "decision" && len(d.Decisions) < 3 {
			d.Decisions = append(d.Decisions, e)
		}
	}
	v.Title, v.Nav, v.Data = inc.Ref+" "+inc.Title, "incidents", d
	return s.render(w, status, "warroom", v)
}

func slots(roles []org.IRRole, ro incident.Roster, sev incident.Severity, required map[string]bool) []roleSlot {
	var out []roleSlot
	serious := sev == "SEV1" || sev == "SEV2"
	for _, role := range roles {
		sl := roleSlot{Role: role, Key: (keyRoles[role.Key] && serious) || required[role.Key]}
		for _, as := range ro.Current {
			if as.Role == role.Key {
				sl.Holders = append(sl.Holders, as)
			}
		}
		// Show every filled role and the key ones; the rest are offered in
		// the assign form instead of cluttering the panel.
		if len(sl.Holders) > 0 || keyRoles[role.Key] || required[role.Key] {
			out = append(out, sl)
		}
	}
	return out
}

func groupTasks(tasks []incident.Task, current incident.Phase) ([]phaseTasks, taskStats) {
	var st taskStats
	var out []phaseTasks
	for _, p := range incident.Phases {
		pt := phaseTasks{Phase: p, Current: p == current}
		for _, t := range tasks {
			if t.Phase == p {
				pt.Tasks = append(pt.Tasks, t)
			}
		}
		out = append(out, pt)
	}
	for _, t := range tasks {
		st.Total++
		switch {
		case t.Status == "done" || t.Status == "cancelled":
			st.Done++
		default:
			st.Open++
		}
		if t.Overdue {
			st.Overdue++
		}
		if t.Status == "blocked" || (len(t.BlockedBy) > 0 && t.Status != "done" && t.Status != "cancelled") {
			st.Blocked++
		}
	}
	return out, st
}

// linkCorrections pairs corrections with the entries they correct, both
// ways, so the page can show each against the other.
func linkCorrections(es []incident.Entry) []timelineItem {
	byID := map[string]int{}
	out := make([]timelineItem, len(es))
	for i, e := range es {
		out[i] = timelineItem{Entry: e}
		byID[e.ID] = i
	}
	for i, e := range es {
		if e.CorrectsID == "" {
			continue
		}
		if j, ok := byID[e.CorrectsID]; ok {
			target := es[j]
			out[i].Corrects = &target
			out[j].CorrectedBy = append(out[j].CorrectedBy, e.Seq)
		}
	}
	return out
}
