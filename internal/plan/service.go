package plan

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"log/slog"
	"path"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/pmezard/go-difflib/difflib"

	"github.com/warroom/warroom/internal/actor"
	"github.com/warroom/warroom/internal/audit"
	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/errs"
	"github.com/warroom/warroom/internal/org"
)

//go:embed starter/*.yaml
var starters embed.FS

// Service is the plan library and the planner behind incident declaration.
type Service struct {
	DB  *db.DB
	Now func() time.Time
	Log *slog.Logger

	parsed sync.Map // sha256 -> *Plan: stored versions never change
}

// LintError carries every problem of a rejected plan.
type LintError struct{ Problems []Problem }

func (e *LintError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return "the plan has problems:\n" + strings.Join(lines, "\n")
}

// asInvalid turns lint problems into the one error type, one field per
// problem named file:line:column, so every transport can show them.
func asInvalid(problems []Problem) error {
	e := &errs.Error{Code: errs.Invalid, Message: fmt.Sprintf("the plan has %d problem(s)", len(problems)), Err: &LintError{problems}}
	for _, p := range problems {
		e.Fields = append(e.Fields, errs.FieldError{Field: fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Column), Message: p.Message})
	}
	return e
}

func hash(src []byte) string {
	sum := sha256.Sum256(src)
	return hex.EncodeToString(sum[:])
}

// Import adds a version of a plan to the actor's library. The plan is
// linted against the organisation's role catalogue first; every problem is
// returned. Importing the newest version again unchanged is a no-op.
func (s *Service) Import(ctx context.Context, file string, src []byte) (Stored, bool, error) {
	a := actor.From(ctx)
	if !a.Role.CanWrite() {
		return Stored{}, false, errs.Forbiddenf("your role (%s) can read plans but not import them", a.Role)
	}
	var out Stored
	var created bool
	err := s.DB.Write(ctx, func(tx *db.Tx) (err error) {
		out, created, err = s.importTx(ctx, tx, a.OrgID, a.UserID, file, src)
		if err != nil || !created {
			return err
		}
		return audit.Write(ctx, tx, s.Now(), a, "", "plan.import", "plan", out.PlanID, map[string]any{"version": out.Version})
	})
	return out, created, err
}

func (s *Service) importTx(ctx context.Context, tx *db.Tx, orgID, userID, file string, src []byte) (Stored, bool, error) {
	if len(src) > 1<<20 {
		return Stored{}, false, errs.E(errs.TooLarge, "a plan may be at most 1 MiB")
	}
	roles, err := org.ListRoles(ctx, tx, orgID)
	if err != nil {
		return Stored{}, false, err
	}
	catalogue := Roles{}
	for _, r := range roles {
		catalogue[r.Key] = true
	}
	p, problems := Parse(file, src, catalogue)
	if len(problems) > 0 {
		return Stored{}, false, asInvalid(problems)
	}
	st := Stored{PlanID: p.ID, Version: p.Version, Title: p.Title, Types: p.AppliesTo.Types, Severities: p.AppliesTo.Severities,
		Source: string(src), SHA256: hash(src), ImportedBy: userID, ImportedAt: db.Time(s.Now())}
	prev, err := latest(ctx, tx, orgID, p.ID)
	switch {
	case errs.CodeOf(err) == errs.NotFound:
	case err != nil:
		return st, false, err
	case prev.SHA256 == st.SHA256:
		return prev, false, nil
	case p.Version <= prev.Version:
		return st, false, &errs.Error{Code: errs.Conflict, Message: "version not raised",
			Fields: []errs.FieldError{{Field: "version", Message: fmt.Sprintf("plan %s is at version %d in the library; a changed plan needs version %d or higher", p.ID, prev.Version, prev.Version+1)}}}
	}
	if err := insertStored(ctx, tx, orgID, st); err != nil {
		return st, false, err
	}
	return st, true, nil
}

// ImportStarters puts the shipped starter plans into a new organisation's
// library; org.Service calls it in the transaction that creates the
// organisation.
func (s *Service) ImportStarters(ctx context.Context, tx *db.Tx, o org.Organization, creator string) error {
	files, err := fs.Glob(starters, "starter/*.yaml")
	if err != nil {
		return err
	}
	for _, f := range files {
		src, err := starters.ReadFile(f)
		if err != nil {
			return err
		}
		if _, _, err := s.importTx(ctx, tx, o.ID, creator, path.Base(f), src); err != nil {
			return fmt.Errorf("import starter plan %s: %w", f, err)
		}
	}
	return nil
}

// Starters returns the shipped starter plans by file name, for tests and
// for linting.
func Starters() (map[string][]byte, error) {
	files, err := fs.Glob(starters, "starter/*.yaml")
	if err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	for _, f := range files {
		b, err := starters.ReadFile(f)
		if err != nil {
			return nil, err
		}
		out[path.Base(f)] = b
	}
	return out, nil
}

// List returns the newest version of every plan in the library.
func (s *Service) List(ctx context.Context) ([]Stored, error) {
	a := actor.From(ctx)
	var all []Stored
	err := s.DB.Read(ctx, func(tx *db.Tx) (err error) { all, err = listStored(ctx, tx, a.OrgID, ""); return err })
	var out []Stored
	for _, st := range all {
		if len(out) == 0 || out[len(out)-1].PlanID != st.PlanID {
			st.Source = ""
			out = append(out, st)
		}
	}
	return out, err
}

// Versions returns every version of one plan, newest first.
func (s *Service) Versions(ctx context.Context, planID string) ([]Stored, error) {
	a := actor.From(ctx)
	var out []Stored
	err := s.DB.Read(ctx, func(tx *db.Tx) (err error) { out, err = listStored(ctx, tx, a.OrgID, planID); return err })
	if err == nil && len(out) == 0 {
		err = errs.NotFoundf("no plan %q in the library", planID)
	}
	for i := range out {
		out[i].Source = ""
	}
	return out, err
}

// Get returns one version of a plan (0: the newest), stored and parsed.
func (s *Service) Get(ctx context.Context, planID string, v int) (Stored, *Plan, error) {
	a := actor.From(ctx)
	var st Stored
	err := s.DB.Read(ctx, func(tx *db.Tx) (err error) {
		if v == 0 {
			st, err = latest(ctx, tx, a.OrgID, planID)
		} else {
			st, err = version(ctx, tx, a.OrgID, planID, v)
		}
		return err
	})
	if err != nil {
		return st, nil, err
	}
	p, err := s.parse(st)
	return st, p, err
}

// Diff returns a unified diff between two versions of a plan.
func (s *Service) Diff(ctx context.Context, planID string, v1, v2 int) (string, error) {
	a, _, err := s.Get(ctx, planID, v1)
	if err != nil {
		return "", err
	}
	b, _, err := s.Get(ctx, planID, v2)
	if err != nil {
		return "", err
	}
	return difflib.GetUnifiedDiffString(difflib.UnifiedDiff{
		A: difflib.SplitLines(a.Source), B: difflib.SplitLines(b.Source),
		FromFile: fmt.Sprintf("%s v%d", planID, v1), ToFile: fmt.Sprintf("%s v%d", planID, v2), Context: 3,
	})
}

// parse decodes a stored version; versions are immutable, so each is
// parsed once. Stored plans were linted on import, so any problem here is
// an internal error.
func (s *Service) parse(st Stored) (*Plan, error) {
	if p, ok := s.parsed.Load(st.SHA256); ok {
		return p.(*Plan), nil
	}
	p, problems := Parse(st.PlanID, []byte(st.Source), nil)
	if p == nil {
		return nil, fmt.Errorf("stored plan %s v%d does not parse: %v", st.PlanID, st.Version, problems)
	}
	s.parsed.Store(st.SHA256, p)
	return p, nil
}

// match picks the plan for an incident: the newest version of the most
// specific plan whose applies_to holds (a plan naming the type beats one
// for every type; one naming severities beats one for all), then by id.
func match(all []Stored, typ, sev string) (Stored, bool) {
	var cands []Stored
	for _, st := range all {
		if len(cands) > 0 && cands[len(cands)-1].PlanID == st.PlanID {
			continue // older version of the same plan
		}
		if (len(st.Types) == 0 || contains(st.Types, typ)) && (len(st.Severities) == 0 || contains(st.Severities, sev)) {
			cands = append(cands, st)
		}
	}
	if len(cands) == 0 {
		return Stored{}, false
	}
	score := func(st Stored) int {
		n := 0
		if len(st.Types) > 0 {
			n += 2
		}
		if len(st.Severities) > 0 {
			n++
		}
		return n
	}
	sort.SliceStable(cands, func(i, j int) bool { return score(cands[i]) > score(cands[j]) })
	return cands[0], true
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
