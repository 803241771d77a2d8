package obligation

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/warroom/warroom/internal/actor"
	"github.com/warroom/warroom/internal/audit"
	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/errs"
)

// Where a rule comes from (Rule.Origin, IncidentObligation.Origin).
const (
	OriginBuiltin      = "builtin"
	OriginOrganisation = "organisation"
	// OriginRemoved marks a notification status recorded for a rule that
	// no longer exists (an organisation removed its rule).
	OriginRemoved = "removed"
)

// OrgRulesFile names an organisation's rules document in problems
// ("organisation-rules.yaml:12:7: unknown event ...").
const OrgRulesFile = "organisation-rules.yaml"

// KindRulesReplaced is the audit action of a change to an organisation's
// rules: they belong to no incident, so the audit log is their record.
const KindRulesReplaced = "obligation_rules.replace"

// OrgRules is an organisation's own notification rules document (contracts:
// "notify the customer within 48 hours", the cyber insurer), in the format
// of the built-in catalogue. Version 0: none was uploaded.
type OrgRules struct {
	// Source is the YAML (or JSON) document as uploaded.
	Source    string     `json:"source"`
	Version   int64      `json:"version"`
	UpdatedBy string     `json:"updated_by,omitempty"`
	UpdatedAt *time.Time `json:"updated_at,omitempty"`
	// Rules are the document's rules as evaluated (origin "organisation").
	Rules []Rule `json:"rules"`
	// Problems are what is wrong with the stored document under this
	// release (a newer built-in rule took one of its ids, a word left the
	// vocabulary). Rules with problems are not evaluated; upload a fixed
	// document.
	Problems []string `json:"problems,omitempty"`
}

// ListRules returns the rules evaluated for the caller's organisation: the
// built-in catalogue followed by the organisation's own rules, each with
// its origin. Everyone signed in may read them.
func (s *Service) ListRules(ctx context.Context) ([]Rule, error) {
	a := actor.From(ctx)
	if a == nil {
		return nil, &errs.Error{Code: errs.Unauthorized, Message: "sign in first"}
	}
	var c *Catalogue
	err := s.DB.Read(ctx, func(tx *db.Tx) (err error) {
		c, err = s.catalogueFor(ctx, tx, a.OrgID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return c.Rules, nil
}

func adminOnly(ctx context.Context, what string) (*actor.Actor, error) {
	a := actor.From(ctx)
	if a == nil {
		return nil, &errs.Error{Code: errs.Unauthorized, Message: "sign in first"}
	}
	if !a.IsAdmin() {
		return nil, errs.Forbiddenf("only organisation admins may %s; your role is %s", what, a.Role)
	}
	return a, nil
}

// OrgRules returns the organisation's own rules document (admins).
func (s *Service) OrgRules(ctx context.Context) (OrgRules, error) {
	a, err := adminOnly(ctx, "read the organisation's own notification rules document (everyone may list the rules)")
	if err != nil {
		return OrgRules{}, err
	}
	var out OrgRules
	err = s.DB.Read(ctx, func(tx *db.Tx) (err error) {
		out, err = loadOrgRules(ctx, tx, a.OrgID)
		return err
	})
	if err != nil {
		return OrgRules{}, err
	}
	s.describe(a.OrgID, &out)
	return out, nil
}

// PutOrgRules replaces the organisation's own rules document with src
// (admins). The document is checked like a rules file (every problem is
// a field error named file:line:column) and may not reuse a built-in
// rule's id; "rules: []" removes every rule of the organisation. ifVersion
// must be the current version (0 when none was uploaded) or AnyVersion.
// Nothing changes when the document is refused; a change is audited.
func (s *Service) PutOrgRules(ctx context.Context, src []byte, ifVersion int64) (OrgRules, error) {
	if s.Rules == nil {
		return OrgRules{}, fmt.Errorf("obligation service has no rules")
	}
	a, err := adminOnly(ctx, "change the organisation's notification rules")
	if err != nil {
		return OrgRules{}, err
	}
	if len(src) > MaxRulesFile {
		return OrgRules{}, errs.E(errs.TooLarge, "the rules document is %d bytes; at most %d (%d KiB) are accepted", len(src), MaxRulesFile, MaxRulesFile>>10)
	}
	if len(bytes.TrimSpace(src)) == 0 {
		return OrgRules{}, fieldError("source", "the rules document is empty; send \"version: 1\" and the rules (docs/obligations.md), or \"rules: []\" to remove them all")
	}
	c, problems := parseOrgRules(s.Rules, src, true)
	if len(problems) > 0 {
		e := &errs.Error{Code: errs.Invalid, Message: fmt.Sprintf("the rules document has %d problem(s); nothing was changed", len(problems)), Err: ProblemsError(problems)}
		for _, p := range problems {
			e.Fields = append(e.Fields, errs.FieldError{Field: fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Column), Message: p.Message})
		}
		return OrgRules{}, e
	}
	now := db.Time(s.Now())
	var out OrgRules
	err = s.DB.Write(ctx, func(tx *db.Tx) error {
		cur, err := loadOrgRules(ctx, tx, a.OrgID)
		if err != nil {
			return err
		}
		if ifVersion != AnyVersion && ifVersion != cur.Version {
			return errs.E(errs.PreconditionFailed, "the organisation's rules are at version %d, not %d: someone else changed them; download them again and reapply your change", cur.Version, ifVersion)
		}
		if cur.Version > 0 && cur.Source == string(src) {
			out = cur // unchanged: no new version, nothing to audit
			return nil
		}
		out = OrgRules{Source: string(src), Version: cur.Version + 1, UpdatedBy: a.UserID, UpdatedAt: &now}
		if err := storeOrgRules(ctx, tx, a.OrgID, out); err != nil {
			return err
		}
		ids := make([]string, len(c.Rules))
		for i, r := range c.Rules {
			ids[i] = r.ID
		}
		sum := sha256.Sum256(src)
		return audit.Write(ctx, tx, now, a, "", KindRulesReplaced, "obligation_rules", a.OrgID,
			map[string]any{"version": out.Version, "rules": ids, "sha256": fmt.Sprintf("%x", sum), "previous_version": cur.Version})
	})
	if err != nil {
		return OrgRules{}, err
	}
	s.describe(a.OrgID, &out)
	return out, nil
}

// describe fills the parsed rules and the problems of a stored document.
func (s *Service) describe(orgID string, r *OrgRules) {
	r.Rules = []Rule{}
	if r.Version == 0 || s.Rules == nil {
		return
	}
	c, problems := s.cache.get(s.Rules, orgID, r, s.Log)
	r.Rules, r.Problems = c.Rules[len(s.Rules.Rules):], problems
}

// parseOrgRules checks an organisation's document against the built-in
// catalogue: an id of a built-in rule is a problem, as is anything Parse
// finds. The rules get the origin "organisation".
func parseOrgRules(builtin *Catalogue, src []byte, strict bool) (*Catalogue, []Problem) {
	opt := parseOptions{allowEmpty: true}
	if strict {
		opt.reserved = map[string]bool{}
		for _, r := range builtin.Rules {
			opt.reserved[r.ID] = true
		}
	}
	c, problems := parse(OrgRulesFile, src, opt)
	if c != nil {
		for i := range c.Rules {
			c.Rules[i].Origin = OriginOrganisation
		}
	}
	return c, problems
}

// catalogueFor returns the rules evaluated for an organisation: the
// built-in ones followed by its own.
func (s *Service) catalogueFor(ctx context.Context, tx *db.Tx, orgID string) (*Catalogue, error) {
	if s.Rules == nil {
		return nil, fmt.Errorf("obligation service has no rules")
	}
	return s.cache.catalogue(ctx, tx, s.Rules, orgID, s.Log)
}

// orgCatalogues keeps, per organisation, the merged catalogue of its
// current document, so evaluating does not parse YAML on every request.
// An entry is keyed by the document's digest: a change on another replica
// is seen on the next read.
type orgCatalogues struct {
	mu sync.Mutex
	m  map[string]orgCatalogue
}

type orgCatalogue struct {
	sum      [sha256.Size]byte
	c        *Catalogue
	problems []string
}

func (oc *orgCatalogues) catalogue(ctx context.Context, tx *db.Tx, builtin *Catalogue, orgID string, log *slog.Logger) (*Catalogue, error) {
	doc, err := loadOrgRules(ctx, tx, orgID)
	if err != nil {
		return nil, err
	}
	if doc.Version == 0 {
		return builtin, nil
	}
	c, _ := oc.get(builtin, orgID, &doc, log)
	return c, nil
}

// get parses a stored document (or finds it parsed) and merges it after
// builtin. A stored document passed every check when it was uploaded; a
// later release may disagree. Then a rule whose id a new built-in rule
// took is left out, and a document with any other problem is left out
// whole, since a problem's position does not say which rule it spoils.
// Either way the problems are logged once and shown to admins.
func (oc *orgCatalogues) get(builtin *Catalogue, orgID string, doc *OrgRules, log *slog.Logger) (*Catalogue, []string) {
	sum := sha256.Sum256([]byte(doc.Source))
	oc.mu.Lock()
	defer oc.mu.Unlock()
	if e, ok := oc.m[orgID]; ok && e.sum == sum {
		return e.c, e.problems
	}
	e := orgCatalogue{sum: sum, c: builtin}
	own, problems := parseOrgRules(builtin, []byte(doc.Source), true)
	if len(problems) > 0 {
		for _, p := range problems {
			e.problems = append(e.problems, p.String())
		}
		own = &Catalogue{}
		if loose, other := parseOrgRules(builtin, []byte(doc.Source), false); len(other) == 0 {
			clash := map[string]bool{}
			for _, r := range builtin.Rules {
				clash[r.ID] = true
			}
			for _, r := range loose.Rules {
				if !clash[r.ID] {
					own.Rules = append(own.Rules, r)
				}
			}
		}
		if log != nil {
			log.Warn("an organisation's stored notification rules have problems under this release; the rules concerned are not evaluated",
				"org_id", orgID, "version", doc.Version, "problems", len(problems), "first", e.problems[0])
		}
	}
	merged, err := Merge(builtin, own)
	if err != nil { // cannot happen after the checks above; evaluate the built-in rules rather than none
		e.problems = append(e.problems, err.Error())
	} else {
		e.c = merged
	}
	if oc.m == nil {
		oc.m = map[string]orgCatalogue{}
	}
	oc.m[orgID] = e
	return e.c, e.problems
}
