package obligation

import (
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/warroom/warroom/internal/actor"
	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/errs"
	"github.com/warroom/warroom/internal/incident"
	"github.com/warroom/warroom/internal/record"
)

// Timeline entry kinds the obligation service writes.
const (
	KindFactsUpdated  = "obligation_facts_updated"
	KindStatusChanged = "obligation_status_changed"
)

// Notification statuses: what the team has done about one obligation.
const (
	NotStarted  = "not_started"
	Drafting    = "drafting"
	Submitted   = "submitted"
	NotRequired = "not_required"
)

// NotificationStatuses lists them, for validation and documentation.
var NotificationStatuses = []string{NotStarted, Drafting, Submitted, NotRequired}

// Service keeps an incident's facts and the status of each notification,
// and evaluates the rules for it. Everyone who may see the incident reads;
// responders and admins change; every change writes a timeline entry in the
// same transaction. Exported methods own their transaction.
type Service struct {
	DB  *db.DB
	Now func() time.Time
	Log *slog.Logger
	// Rules is the built-in catalogue (validated at start-up). An
	// incident is evaluated against it followed by its organisation's own
	// rules (PutOrgRules).
	Rules *Catalogue

	cache orgCatalogues
}

// FactsRecord is an incident's facts with their version (0: none yet).
type FactsRecord struct {
	Facts     Facts      `json:"facts"`
	Version   int64      `json:"version"`
	UpdatedBy string     `json:"updated_by,omitempty"`
	UpdatedAt *time.Time `json:"updated_at,omitempty"`
}

// Notification is what the team has done about one obligation.
type Notification struct {
	Status        string     `json:"status"`
	SubmittedAt   *time.Time `json:"submitted_at,omitempty"`
	SubmittedBy   string     `json:"submitted_by,omitempty"`
	Reference     string     `json:"reference,omitempty"`
	ProofEvidence string     `json:"proof_evidence,omitempty"` // EV-n in the incident's evidence locker
	Rationale     string     `json:"rationale,omitempty"`
	UpdatedAt     *time.Time `json:"updated_at,omitempty"`
	Version       int64      `json:"version"`

	recipient string // the rule's recipient when the status was recorded
}

// StatusInput changes a notification's status.
type StatusInput struct {
	Status        string     `json:"status"`
	SubmittedAt   *time.Time `json:"submitted_at,omitempty"`
	SubmittedBy   string     `json:"submitted_by,omitempty"`
	Reference     string     `json:"reference,omitempty"`
	ProofEvidence string     `json:"proof_evidence,omitempty"`
	Rationale     string     `json:"rationale,omitempty"`
}

// IncidentObligation is an evaluated obligation with its notification.
type IncidentObligation struct {
	Obligation
	// Origin is where the rule comes from: "builtin", "organisation" (the
	// organisation's own rules) or "removed" (a status recorded for a rule
	// that no longer exists).
	Origin       string       `json:"origin"`
	Notification Notification `json:"notification"`
}

// Report is an incident's obligations at an instant.
type Report struct {
	Obligations  []IncidentObligation `json:"obligations"`
	FactsVersion int64                `json:"facts_version"`
	EvaluatedAt  time.Time            `json:"evaluated_at"`
}

func (s *Service) write(ctx context.Context, ref string, fn func(tx *db.Tx, a *actor.Actor, i incident.Incident) error) error {
	return incident.WriteChangeable(ctx, s.DB, ref, fn)
}

func (s *Service) read(ctx context.Context, ref string, fn func(tx *db.Tx, i incident.Incident) error) error {
	return incident.ReadVisible(ctx, s.DB, s.Now(), ref, "obligations", fn)
}

// Facts returns the incident's facts (empty, version 0, when none were
// recorded).
func (s *Service) Facts(ctx context.Context, ref string) (FactsRecord, error) {
	var out FactsRecord
	err := s.read(ctx, ref, func(tx *db.Tx, i incident.Incident) error {
		var err error
		out, err = loadFacts(ctx, tx, i.ID)
		return err
	})
	return out, err
}

// AnyVersion skips the version check of PutFacts.
const AnyVersion int64 = -1

// PutFacts replaces the incident's facts. ifVersion must be the current
// version (0 when none were recorded: a form opened before anyone saved
// facts must not overwrite them), or AnyVersion. Invalid facts change
// nothing.
func (s *Service) PutFacts(ctx context.Context, ref string, f Facts, ifVersion int64) (FactsRecord, error) {
	if err := f.Validate(); err != nil {
		return FactsRecord{}, err
	}
	f.normalise()
	now := db.Time(s.Now())
	var out FactsRecord
	err := s.write(ctx, ref, func(tx *db.Tx, a *actor.Actor, i incident.Incident) error {
		cur, err := loadFacts(ctx, tx, i.ID)
		if err != nil {
			return err
		}
		if ifVersion != AnyVersion && ifVersion != cur.Version {
			return errs.E(errs.PreconditionFailed, "the facts of %s are at version %d, not %d: someone else changed them; reload and try again", i.Ref, cur.Version, ifVersion)
		}
		out = FactsRecord{Facts: f, Version: cur.Version + 1, UpdatedBy: a.UserID, UpdatedAt: &now}
		if err := storeFacts(ctx, tx, a.OrgID, i.ID, out); err != nil {
			return err
		}
		_, err = record.Append(ctx, tx, a, now, record.NewEntry{OrgID: a.OrgID, IncidentID: i.ID, Kind: KindFactsUpdated,
			Text:    "Notification facts updated: " + f.summary(),
			Payload: map[string]any{"facts": f, "version": out.Version}})
		return err
	})
	if err != nil {
		return FactsRecord{}, err
	}
	return out, nil
}

// Obligations evaluates the built-in rules and the organisation's own
// against the incident's facts now. all includes the rules that do not
// apply; a rule whose notification has a status is always included, and
// so is a status recorded for a rule that no longer exists (origin
// "removed", not applicable, last), so what was done stays visible.
func (s *Service) Obligations(ctx context.Context, ref string, all bool) (Report, error) {
	now := s.Now()
	var facts FactsRecord
	var notes map[string]Notification
	var rules *Catalogue
	err := s.read(ctx, ref, func(tx *db.Tx, i incident.Incident) error {
		var err error
		// The incident is one of the actor's organisation: loading it
		// checked that.
		if rules, err = s.catalogueFor(ctx, tx, actor.From(ctx).OrgID); err != nil {
			return err
		}
		if facts, err = loadFacts(ctx, tx, i.ID); err != nil {
			return err
		}
		notes, err = loadNotifications(ctx, tx, i.ID)
		return err
	})
	if err != nil {
		return Report{}, err
	}
	obs, err := Evaluate(rules, &facts.Facts, now)
	if err != nil {
		return Report{}, err
	}
	origin := make(map[string]string, len(rules.Rules))
	for _, r := range rules.Rules {
		origin[r.ID] = r.Origin
	}
	out := Report{Obligations: []IncidentObligation{}, FactsVersion: facts.Version, EvaluatedAt: now.UTC()}
	for _, o := range obs {
		n, ok := notes[o.Rule]
		if !ok {
			n = Notification{Status: NotStarted}
		}
		if all || o.Status != NotApplicable || n.Status != NotStarted {
			out.Obligations = append(out.Obligations, IncidentObligation{Obligation: o, Origin: origin[o.Rule], Notification: n})
		}
	}
	var gone []string
	for rule, n := range notes {
		if _, ok := origin[rule]; !ok && (all || n.Status != NotStarted) {
			gone = append(gone, rule)
		}
	}
	sort.Strings(gone)
	for _, rule := range gone {
		n := notes[rule]
		recipient := n.recipient
		if recipient == "" {
			recipient = rule
		}
		out.Obligations = append(out.Obligations, IncidentObligation{Origin: OriginRemoved, Notification: n, Obligation: Obligation{
			Rule: rule, Recipient: recipient, Status: NotApplicable, Stages: []StageResult{}, Citations: []string{},
			Explanation: fmt.Sprintf("Rule %s is no longer defined (it was removed from your organisation's rules), so it is not evaluated "+
				"and its status can no longer be changed; what was recorded for it stays here and in the incident's record.", rule)}})
	}
	return out, nil
}

var evidenceRefRE = regexp.MustCompile(`^EV-([1-9][0-9]{0,8})$`)

// SetStatus records what the team has done about one obligation:
// submitted needs when (and by whom, the signed-in person by default),
// not_required needs the rationale. A proof must be an item of this
// incident's evidence locker. ifVersion, when not 0, must be current.
func (s *Service) SetStatus(ctx context.Context, ref, rule string, in StatusInput, ifVersion int64) (Notification, error) {
	now := db.Time(s.Now())
	n, evNumber, err := checkStatus(in, now)
	if err != nil {
		return Notification{}, err
	}
	err = s.write(ctx, ref, func(tx *db.Tx, a *actor.Actor, i incident.Incident) error {
		rules, err := s.catalogueFor(ctx, tx, a.OrgID)
		if err != nil {
			return err
		}
		var r *Rule
		for k := range rules.Rules {
			if rules.Rules[k].ID == rule {
				r = &rules.Rules[k]
			}
		}
		if r == nil {
			return errs.NotFoundf("no notification rule %q among the built-in rules and your organisation's; see warroom obligations rules", rule)
		}
		n.recipient = r.Recipient.Name
		if n.Status == Submitted && n.SubmittedBy == "" {
			n.SubmittedBy = a.Name
			if n.SubmittedBy == "" {
				n.SubmittedBy = a.Email
			}
		}
		if evNumber > 0 {
			ok, err := evidenceExists(ctx, tx, i.ID, evNumber)
			if err != nil {
				return err
			}
			if !ok {
				return fieldError("proof_evidence", "%s is not in the evidence locker of %s; upload the proof first", n.ProofEvidence, i.Ref)
			}
		}
		notes, err := loadNotifications(ctx, tx, i.ID)
		if err != nil {
			return err
		}
		cur := notes[rule]
		if ifVersion != 0 && ifVersion != cur.Version {
			return errs.E(errs.PreconditionFailed, "the notification status of %s is at version %d, not %d: someone else changed it; reload and try again", rule, cur.Version, ifVersion)
		}
		n.Version, n.UpdatedAt = cur.Version+1, &now
		if err := storeNotification(ctx, tx, a, i.ID, rule, n); err != nil {
			return err
		}
		_, err = record.Append(ctx, tx, a, now, record.NewEntry{OrgID: a.OrgID, IncidentID: i.ID, Kind: KindStatusChanged,
			Text:    statusText(r, n),
			Payload: map[string]any{"rule": rule, "recipient": r.Recipient.Name, "notification": n}})
		return err
	})
	if err != nil {
		return Notification{}, err
	}
	return n, nil
}

func fieldError(field, format string, args ...any) error {
	var v errs.Validation
	v.Add(field, format, args...)
	return v.Err()
}

// checkStatus validates in and returns the notification to store and the
// evidence number of the proof (0: none).
func checkStatus(in StatusInput, now time.Time) (Notification, int, error) {
	var v errs.Validation
	trim := func(field, s string, max int) string {
		s = strings.TrimSpace(s)
		if len([]rune(s)) > max {
			v.Add(field, "at most %d characters", max)
		}
		return s
	}
	n := Notification{Status: in.Status, SubmittedBy: trim("submitted_by", in.SubmittedBy, 200),
		Reference: trim("reference", in.Reference, 200), ProofEvidence: trim("proof_evidence", in.ProofEvidence, 20),
		Rationale: trim("rationale", in.Rationale, 4000)}
	evNumber := 0
	if !known(NotificationStatuses, in.Status) {
		v.Add("status", "unknown status %q; use one of %s", in.Status, oneOf(NotificationStatuses))
	}
	if n.ProofEvidence != "" {
		m := evidenceRefRE.FindStringSubmatch(n.ProofEvidence)
		if m == nil {
			v.Add("proof_evidence", "%q is not an evidence reference like EV-3", n.ProofEvidence)
		} else {
			evNumber, _ = strconv.Atoi(m[1])
		}
	}
	switch in.Status {
	case Submitted:
		if in.SubmittedAt == nil {
			v.Add("submitted_at", "required when the status is submitted: when the notification was made (RFC 3339)")
		} else if in.SubmittedAt.After(now.Add(5 * time.Minute)) {
			v.Add("submitted_at", "%s is in the future", in.SubmittedAt.Format(time.RFC3339))
		} else {
			t := db.Time(*in.SubmittedAt)
			n.SubmittedAt = &t
		}
	case NotRequired:
		if n.Rationale == "" {
			v.Add("rationale", "required when the status is not_required: say why this notification is not owed")
		}
		fallthrough
	default:
		for _, f := range []struct {
			name string
			set  bool
		}{{"submitted_at", in.SubmittedAt != nil}, {"submitted_by", n.SubmittedBy != ""}, {"reference", n.Reference != ""}, {"proof_evidence", n.ProofEvidence != ""}} {
			if f.set {
				v.Add(f.name, "only for status submitted")
			}
		}
	}
	return n, evNumber, v.Err()
}

func statusText(r *Rule, n Notification) string {
	to := r.Recipient.Name + " (" + r.ID + ")"
	switch n.Status {
	case Submitted:
		s := fmt.Sprintf("Notification to %s submitted at %s by %s", to, n.SubmittedAt.UTC().Format(time.RFC3339), n.SubmittedBy)
		if n.Reference != "" {
			s += ", reference " + n.Reference
		}
		if n.ProofEvidence != "" {
			s += ", proof " + n.ProofEvidence
		}
		return s
	case NotRequired:
		return "Notification to " + to + " not required: " + n.Rationale
	case Drafting:
		return "Notification to " + to + " being drafted"
	}
	return "Notification to " + to + " not started"
}

// normalise gives empty lists instead of nil so stored and returned facts
// have one shape.
func (f *Facts) normalise() {
	for _, p := range []*[]string{&f.Organisation.Jurisdictions, &f.Organisation.Sectors, &f.Organisation.EntityTypes, &f.Incident.DataTypes} {
		if *p == nil {
			*p = []string{}
		}
	}
	if f.Incident.Affected == nil {
		f.Incident.Affected = []Affected{}
	}
	if f.Incident.Events == nil {
		f.Incident.Events = map[string]string{}
	}
}

// summary says in a line what the facts are, for the timeline.
func (f *Facts) summary() string {
	n := 0
	for _, a := range f.Incident.Affected {
		n += a.Count
	}
	parts := []string{fmt.Sprintf("%d people affected in %d jurisdictions", n, len(f.Incident.Affected))}
	for _, e := range Events {
		if t, ok := f.event(e); ok {
			parts = append(parts, e+" "+t.UTC().Format(time.RFC3339))
		}
	}
	return strings.Join(parts, "; ")
}
