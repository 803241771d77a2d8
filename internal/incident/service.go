package incident

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/warroom/warroom/internal/actor"
	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/errs"
	"github.com/warroom/warroom/internal/org"
	"github.com/warroom/warroom/internal/record"
)

// Service owns the rules for incidents, rosters and tasks. Exported
// methods begin and commit their own transaction.
type Service struct {
	DB  *db.DB
	Now func() time.Time
	Log *slog.Logger
	// Planner, when set, turns IR plans into tasks (see planned.go).
	Planner Planner
}

// Timeline entry kinds the incident service writes.
const (
	KindDeclared     = "incident_declared"
	KindUpdated      = "incident_updated"
	KindMilestone    = "milestone_set"
	KindRoleAssigned = "role_assigned"
	KindRoleReleased = "role_released"
	KindHandover     = "role_handed_over"
	KindTaskCreated  = "task_created"
	KindTaskUpdated  = "task_updated"
)

func mustWrite(a *actor.Actor) error {
	if !a.Role.CanWrite() {
		return errs.Forbiddenf("your role (%s) can read incidents but not change them", a.Role)
	}
	return nil
}

// change runs fn in a write transaction on an incident the actor may see
// (not found otherwise) and may change (forbidden otherwise).
func (s *Service) change(ctx context.Context, ref string, fn func(tx *db.Tx, i Incident) error) error {
	a := actor.From(ctx)
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		i, err := loadIncidentRow(ctx, tx, a, ref)
		if err != nil {
			return err
		}
		if err := mustWrite(a); err != nil {
			return err
		}
		return fn(tx, i)
	})
}

// readIncident runs fn on an incident the actor may see: in a read
// transaction for ordinary incidents (off the single SQLite writer), in a
// write transaction that audits the read for restricted ones.
func (s *Service) readIncident(ctx context.Context, ref, what string, fn func(tx *db.Tx, i Incident) error) error {
	return ReadVisible(ctx, s.DB, s.Now(), ref, what, fn)
}

// DeclareInput declares an incident.
type DeclareInput struct {
	Title             string     `json:"title"`
	Summary           string     `json:"summary"`
	Type              Type       `json:"type"`
	Severity          Severity   `json:"severity"`
	Phase             Phase      `json:"phase"`
	TLP               TLP        `json:"tlp"`
	Restricted        bool       `json:"restricted"`
	Tags              []string   `json:"tags"`
	Ref               string     `json:"ref"`         // optional; allocated when empty
	Commander         string     `json:"commander"`   // user ID or email; default: the declarer
	Plan              string     `json:"plan"`        // IR plan id; "" picks by type and severity, "none" for no plan
	DetectedAt        *time.Time `json:"detected_at"` // default: now
	FirstCompromiseAt *time.Time `json:"first_compromise_at"`
}

// Declare creates an incident. The declarer becomes its incident commander
// unless someone else is named, so a restricted incident is never created
// invisible to the person who declared it.
func (s *Service) Declare(ctx context.Context, in DeclareInput) (Incident, error) {
	a := actor.From(ctx)
	if err := mustWrite(a); err != nil {
		return Incident{}, err
	}
	now := db.Time(s.Now())
	var v errs.Validation
	in.Title = strings.TrimSpace(in.Title)
	checkTitle(&v, in.Title)
	checkSummary(&v, "summary", in.Summary)
	oneOf(&v, "type", in.Type, Types)
	oneOf(&v, "severity", in.Severity, Severities)
	if in.Phase == "" {
		in.Phase = Phases[0]
	}
	oneOf(&v, "phase", in.Phase, Phases)
	if in.TLP == "" {
		in.TLP = "amber"
	}
	oneOf(&v, "tlp", in.TLP, TLPs)
	tags := normaliseTags(&v, in.Tags)
	in.Ref = strings.ToUpper(strings.TrimSpace(in.Ref))
	if in.Ref != "" && !refRE.MatchString(in.Ref) {
		v.Add("ref", "%q is not a reference like IR-2026-0001", in.Ref)
	}
	checkEventTime(&v, "detected_at", in.DetectedAt, now)
	checkEventTime(&v, "first_compromise_at", in.FirstCompromiseAt, now)
	if in.DetectedAt != nil && in.FirstCompromiseAt != nil && in.FirstCompromiseAt.After(*in.DetectedAt) {
		v.Add("first_compromise_at", "is after detected_at: the compromise must come before its detection")
	}
	if err := v.Err(); err != nil {
		return Incident{}, err
	}
	i := Incident{ID: db.NewID(), orgID: a.OrgID, Ref: in.Ref, Title: in.Title, Summary: in.Summary, Type: in.Type,
		Severity: in.Severity, Phase: in.Phase, Status: Open, TLP: in.TLP, Restricted: in.Restricted, Tags: tags,
		CreatedBy: a.UserID, CreatedAt: now, UpdatedAt: now, Version: 1}
	commander := in.Commander
	if commander == "" {
		commander = a.UserID
	}
	err := s.DB.Write(ctx, func(tx *db.Tx) error {
		cmd, err := org.FindMember(ctx, tx, a.OrgID, commander, "commander")
		if err != nil {
			return err
		}
		if i.Ref == "" {
			if i.Ref, err = nextRef(ctx, tx, a.OrgID, now.Year()); err != nil {
				return err
			}
		}
		if err := insertIncident(ctx, tx, i); err != nil {
			return err
		}
		ms := map[string]time.Time{"declared": now, "detected": now}
		if in.DetectedAt != nil {
			ms["detected"] = *in.DetectedAt
		}
		if in.FirstCompromiseAt != nil {
			ms["first_compromise"] = *in.FirstCompromiseAt
		}
		for k, at := range ms {
			if err := setMilestone(ctx, tx, i.ID, k, at, a.UserID, now); err != nil {
				return err
			}
		}
		_, err = record.Append(ctx, tx, a, now, record.NewEntry{OrgID: a.OrgID, IncidentID: i.ID, Kind: KindDeclared,
			Text: fmt.Sprintf("Declared %s %s incident: %s", i.Severity, strings.ToLower(Label(i.Type)), i.Title),
			Payload: map[string]any{"ref": i.Ref, "title": i.Title, "type": i.Type, "severity": i.Severity, "phase": i.Phase,
				"tlp": i.TLP, "restricted": i.Restricted, "tags": i.Tags, "milestones": ms}})
		if err != nil {
			return err
		}
		ic, err := org.FindRole(ctx, tx, a.OrgID, org.RoleIncidentCommander, "commander")
		if err != nil {
			return err
		}
		if _, err := assign(ctx, tx, a, now, i, ic, cmd, "declared the incident"); err != nil {
			return err
		}
		if err := s.applyPlanner(ctx, tx, a, now, i.Ref, true, in.Plan); err != nil {
			return err
		}
		i, err = loadIncident(ctx, tx, a, i.Ref)
		return err
	})
	return i, err
}

// Get returns one incident the actor may see.
func (s *Service) Get(ctx context.Context, ref string) (Incident, error) {
	var out Incident
	err := s.readIncident(ctx, ref, "incident", func(tx *db.Tx, i Incident) error { out = i; return nil })
	return out, err
}

// Patch changes some fields of an incident; nil fields stay as they are.
type Patch struct {
	Title      *string   `json:"title"`
	Summary    *string   `json:"summary"`
	Type       *Type     `json:"type"`
	Severity   *Severity `json:"severity"`
	Phase      *Phase    `json:"phase"`
	Status     *Status   `json:"status"`
	TLP        *TLP      `json:"tlp"`
	Restricted *bool     `json:"restricted"`
	Tags       *[]string `json:"tags"`
}

type change struct {
	From any `json:"from"`
	To   any `json:"to"`
}

// Update applies p. ifVersion, when not zero, must equal the stored
// version (the API's If-Match): a stale write fails instead of silently
// overwriting someone else's change. Closing sets the closed milestone;
// reopening clears it.
func (s *Service) Update(ctx context.Context, ref string, p Patch, ifVersion int64) (Incident, error) {
	var out Incident
	err := s.DB.Write(ctx, func(tx *db.Tx) (err error) {
		out, err = s.update(ctx, tx, ref, p, ifVersion)
		return err
	})
	return out, err
}

func (s *Service) update(ctx context.Context, tx *db.Tx, ref string, p Patch, ifVersion int64) (Incident, error) {
	a := actor.From(ctx)
	now := db.Time(s.Now())
	i, err := loadIncident(ctx, tx, a, ref)
	if err != nil {
		return i, err
	}
	if err := mustWrite(a); err != nil {
		return i, err
	}
	if ifVersion != 0 && ifVersion != i.Version {
		return i, errs.E(errs.PreconditionFailed, "incident %s is at version %d, not %d: someone else changed it; reload and try again", i.Ref, i.Version, ifVersion)
	}
	next, changes, err := applyPatch(i, p)
	if err != nil {
		return i, err
	}
	if len(changes) == 0 {
		return i, nil
	}
	next.UpdatedAt, next.Version = now, i.Version+1
	if err := saveIncident(ctx, tx, next, i.Version); err != nil {
		return i, err
	}
	if _, ok := changes["status"]; ok {
		if next.Status == Closed {
			err = setMilestone(ctx, tx, i.ID, "closed", now, a.UserID, now)
		} else {
			err = clearMilestone(ctx, tx, i.ID, "closed")
		}
		if err != nil {
			return i, err
		}
	}
	if _, err := record.Append(ctx, tx, a, now, record.NewEntry{OrgID: a.OrgID, IncidentID: i.ID, Kind: KindUpdated,
		Text: describeChanges(changes), Payload: map[string]any{"changes": changes}}); err != nil {
		return i, err
	}
	// A higher severity, another type or a new tag can make more of the
	// plan apply.
	_, sev := changes["severity"]
	_, typ := changes["type"]
	_, tags := changes["tags"]
	_, status := changes["status"]
	if sev || typ || tags || status {
		if err := s.applyPlanner(ctx, tx, a, now, i.Ref, false, ""); err != nil {
			return i, err
		}
	}
	out, err := loadIncident(ctx, tx, a, i.Ref)
	if errs.CodeOf(err) == errs.NotFound {
		// The actor restricted an incident they hold no role on; the
		// change is made and they can no longer see it.
		return next, nil
	}
	return out, err
}

func applyPatch(i Incident, p Patch) (Incident, map[string]change, error) {
	var v errs.Validation
	changes := map[string]change{}
	set := func(field string, from, to any) {
		if from != to {
			changes[field] = change{from, to}
		}
	}
	if p.Title != nil {
		t := strings.TrimSpace(*p.Title)
		checkTitle(&v, t)
		set("title", i.Title, t)
		i.Title = t
	}
	if p.Summary != nil {
		checkSummary(&v, "summary", *p.Summary)
		set("summary", i.Summary, *p.Summary)
		i.Summary = *p.Summary
	}
	if p.Type != nil {
		oneOf(&v, "type", *p.Type, Types)
		set("type", i.Type, *p.Type)
		i.Type = *p.Type
	}
	if p.Severity != nil {
		oneOf(&v, "severity", *p.Severity, Severities)
		set("severity", i.Severity, *p.Severity)
		i.Severity = *p.Severity
	}
	if p.Phase != nil {
		oneOf(&v, "phase", *p.Phase, Phases)
		set("phase", i.Phase, *p.Phase)
		i.Phase = *p.Phase
	}
	if p.Status != nil {
		oneOf(&v, "status", *p.Status, []Status{Open, Closed})
		set("status", i.Status, *p.Status)
		i.Status = *p.Status
	}
	if p.TLP != nil {
		oneOf(&v, "tlp", *p.TLP, TLPs)
		set("tlp", i.TLP, *p.TLP)
		i.TLP = *p.TLP
	}
	if p.Restricted != nil {
		set("restricted", i.Restricted, *p.Restricted)
		i.Restricted = *p.Restricted
	}
	if p.Tags != nil {
		tags := normaliseTags(&v, *p.Tags)
		if strings.Join(tags, ",") != strings.Join(i.Tags, ",") {
			changes["tags"] = change{i.Tags, tags}
		}
		i.Tags = tags
	}
	return i, changes, v.Err()
}

func describeChanges(cs map[string]change) string {
	order := []string{"title", "type", "severity", "phase", "status", "tlp", "restricted", "tags", "owner", "role", "due_at", "depends_on", "summary", "description"}
	var parts []string
	for _, f := range order {
		c, ok := cs[f]
		if !ok {
			continue
		}
		switch f {
		case "summary", "description":
			parts = append(parts, f+" updated")
		case "tags":
			parts = append(parts, fmt.Sprintf("tags %v → %v", c.From, c.To))
		case "depends_on":
			parts = append(parts, fmt.Sprintf("waits for %v → %v", c.From, c.To))
		case "owner", "role":
			parts = append(parts, fmt.Sprintf("%s %s → %s", f, orNone(c.From), orNone(c.To)))
		case "due_at":
			parts = append(parts, fmt.Sprintf("due %s → %s", orNone(c.From), orNone(c.To)))
		case "restricted":
			parts = append(parts, map[bool]string{true: "now restricted (need to know)", false: "no longer restricted"}[c.To == true])
		case "type", "phase", "status", "tlp":
			parts = append(parts, fmt.Sprintf("%s %s → %s", f, Label(c.From), Label(c.To)))
		default:
			parts = append(parts, fmt.Sprintf("%s %v → %v", f, c.From, c.To))
		}
	}
	return strings.Join(parts, "; ")
}

// SetMilestone records when a milestone happened (nil at clears it).
// "declared" is fixed at declaration and "closed" follows the status.
func (s *Service) SetMilestone(ctx context.Context, ref, kind string, at *time.Time) (Incident, error) {
	a := actor.From(ctx)
	now := db.Time(s.Now())
	var v errs.Validation
	switch kind {
	case "declared", "closed":
		v.Add("kind", "%s is set by declaring or closing the incident", kind)
	default:
		oneOf(&v, "kind", kind, MilestoneKinds)
	}
	checkEventTime(&v, "at", at, now)
	if err := v.Err(); err != nil {
		return Incident{}, err
	}
	var out Incident
	err := s.change(ctx, ref, func(tx *db.Tx, i Incident) (err error) {
		text := fmt.Sprintf("%s time cleared", Label(kind))
		payload := map[string]any{"kind": kind, "at": nil}
		before, err := loadMilestones(ctx, tx, i.ID)
		if err != nil {
			return err
		}
		if prev, ok := before[kind]; ok {
			payload["previous"] = prev.At
		}
		if err := checkMilestoneOrder(before, kind, at); err != nil {
			return err
		}
		if at == nil {
			err = clearMilestone(ctx, tx, i.ID, kind)
		} else {
			t := db.Time(*at)
			text, payload["at"] = fmt.Sprintf("%s at %s", Label(kind), t.Format("2006-01-02 15:04 UTC")), t
			err = setMilestone(ctx, tx, i.ID, kind, t, a.UserID, now)
		}
		if err != nil {
			return err
		}
		if _, err := record.Append(ctx, tx, a, now, record.NewEntry{OrgID: a.OrgID, IncidentID: i.ID, Kind: KindMilestone,
			Text: text, Payload: payload}); err != nil {
			return err
		}
		out, err = loadIncident(ctx, tx, a, i.Ref)
		return err
	})
	return out, err
}

func orNone(v any) string {
	if s, ok := v.(string); ok && s == "" {
		return "(none)"
	}
	return fmt.Sprint(v)
}

// Close closes an incident, writing an optional closing note to the
// timeline first, in the same transaction.
func (s *Service) Close(ctx context.Context, ref, note string, ifVersion int64) (Incident, error) {
	closed := Closed
	note = strings.TrimSpace(note)
	if len(note) > MaxEntryText {
		return Incident{}, &errs.Error{Code: errs.Invalid, Message: "invalid note",
			Fields: []errs.FieldError{{Field: "note", Message: fmt.Sprintf("must be at most %d bytes", MaxEntryText)}}}
	}
	var out Incident
	err := s.change(ctx, ref, func(tx *db.Tx, i Incident) (err error) {
		a := actor.From(ctx)
		if note != "" {
			if _, err := record.Append(ctx, tx, a, s.Now(), record.NewEntry{OrgID: a.OrgID, IncidentID: i.ID, Kind: record.KindNote, Text: note}); err != nil {
				return err
			}
		}
		out, err = s.update(ctx, tx, ref, Patch{Status: &closed}, ifVersion)
		return err
	})
	return out, err
}

// milestoneOrder lists pairs that must happen in this order when both are
// known: a compromise precedes its detection, containment precedes
// eradication, and so on.
var milestoneOrder = [][2]string{
	{"first_compromise", "detected"}, {"detected", "declared"},
	{"first_compromise", "contained"}, {"first_compromise", "eradicated"}, {"first_compromise", "recovered"},
	{"contained", "eradicated"}, {"eradicated", "recovered"},
}

// checkMilestoneOrder refuses setting kind to at when that would put two
// milestones out of order.
func checkMilestoneOrder(current map[string]Milestone, kind string, at *time.Time) error {
	times := map[string]time.Time{}
	for k, m := range current {
		times[k] = m.At
	}
	if at == nil {
		return nil // clearing cannot break the order
	}
	times[kind] = db.Time(*at)
	for _, p := range milestoneOrder {
		a, okA := times[p[0]]
		b, okB := times[p[1]]
		if okA && okB && a.After(b) && (p[0] == kind || p[1] == kind) {
			other := p[1]
			rel := "after"
			if p[1] == kind {
				other, rel = p[0], "before"
			}
			return &errs.Error{Code: errs.Invalid, Message: "milestones out of order",
				Fields: []errs.FieldError{{Field: "at", Message: fmt.Sprintf("%s would be %s %s (%s); %s comes first",
					Label(kind), rel, strings.ToLower(Label(other)), times[other].Format("2006-01-02 15:04 UTC"), Label(p[0]))}}}
		}
	}
	return nil
}
