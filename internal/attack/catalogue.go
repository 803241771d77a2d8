package attack

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"log/slog"
	"sort"
	"time"

	"github.com/warroom/warroom/internal/actor"
	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/errs"
)

// Service owns the ATT&CK catalogue and the attacker timeline. Exported
// methods begin and commit their own transaction.
type Service struct {
	DB  *db.DB
	Now func() time.Time
	Log *slog.Logger
}

// ImportReport says what an import did.
type ImportReport struct {
	Version    string    `json:"version"` // ATT&CK version of the bundle (x-mitre-collection), if it says
	SHA256     string    `json:"sha256"`  // of the file as read
	ImportedAt time.Time `json:"imported_at"`
	Objects    int       `json:"objects"`    // STIX objects read
	Techniques int       `json:"techniques"` // Enterprise techniques in the bundle
	Added      int       `json:"added"`      // new to the catalogue
	Updated    int       `json:"updated"`    // changed (name, tactics, revoked, deprecated …)
	Unchanged  int       `json:"unchanged"`
	Older      int       `json:"older"`      // kept: the stored entry is newer than the bundle's
	Revoked    int       `json:"revoked"`    // techniques the bundle marks revoked
	Deprecated int       `json:"deprecated"` // and deprecated (not revoked)
	Skipped    int       `json:"skipped"`    // attack-patterns of other domains or without an ATT&CK ID
	// UnknownTactics are tactic short names techniques name that are not
	// built in (a newer ATT&CK): those techniques are stored, but activity
	// can only be filed under the built-in tactics.
	UnknownTactics []string `json:"unknown_tactics"`
}

// Import loads the official ATT&CK Enterprise STIX bundle
// (enterprise-attack.json) into the instance-wide catalogue, in one
// transaction. It is for the operator (warroom attack import, run on the
// server's machine) and needs no actor. Importing the same or a newer
// bundle again updates names, tactics and revocations; a technique missing
// from the bundle is kept, because ATT&CK revokes or deprecates instead of
// deleting, and activity recorded against it must still resolve.
func (s *Service) Import(ctx context.Context, r io.Reader) (ImportReport, error) {
	h := sha256.New()
	b, err := parseBundle(io.TeeReader(r, h), MaxBundleBytes)
	if err != nil {
		return ImportReport{}, err
	}
	rep := ImportReport{Version: b.version, SHA256: hex.EncodeToString(h.Sum(nil)), ImportedAt: db.Time(s.Now()), Objects: b.objects,
		Techniques: len(b.techniques), Skipped: b.skipped, UnknownTactics: b.unknown}
	if rep.UnknownTactics == nil {
		rep.UnknownTactics = []string{}
	}
	ids := make([]string, 0, len(b.techniques))
	for id := range b.techniques {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	err = s.DB.Write(ctx, func(tx *db.Tx) error {
		counts := rep // the transaction may be retried: count afresh
		stored, err := allTechniques(ctx, tx)
		if err != nil {
			return err
		}
		for _, id := range ids {
			t := b.techniques[id]
			t.Modified = db.Time(t.Modified)
			if t.Revoked {
				counts.Revoked++
			} else if t.Deprecated {
				counts.Deprecated++
			}
			old, exists := stored[id]
			switch {
			case !exists:
				counts.Added++
			case old.same(t):
				counts.Unchanged++
				continue
			case old.Modified.After(t.Modified):
				counts.Older++
				continue
			default:
				counts.Updated++
			}
			if err := upsertTechnique(ctx, tx, rep.ImportedAt, t); err != nil {
				return err
			}
		}
		rep = counts
		return insertImport(ctx, tx, rep)
	})
	if err != nil {
		return ImportReport{}, err
	}
	s.Log.Info("attack catalogue imported", "version", rep.Version, "techniques", rep.Techniques, "added", rep.Added, "updated", rep.Updated)
	return rep, nil
}

func signedIn(a *actor.Actor) error {
	if a == nil {
		return &errs.Error{Code: errs.Unauthorized, Message: "sign in first"}
	}
	return nil
}

// TacticList is the built-in tactics, for the API.
func (s *Service) TacticList(ctx context.Context) ([]Tactic, error) {
	if err := signedIn(actor.From(ctx)); err != nil {
		return nil, err
	}
	return Tactics(), nil
}

// Techniques lists the catalogue. It is the same for every organisation
// (public reference data), so any signed-in person may read it.
func (s *Service) Techniques(ctx context.Context, f TechniqueFilter) (TechniqueList, error) {
	out := TechniqueList{Items: []Technique{}}
	if err := signedIn(actor.From(ctx)); err != nil {
		return out, err
	}
	var v errs.Validation
	if f.Tactic != "" {
		t, _, ok := LookupTactic(f.Tactic)
		if !ok {
			v.Add("tactic", "%q is not an ATT&CK Enterprise tactic; use an ID like TA0002 or one of %s", f.Tactic, tacticList())
		}
		f.Tactic = t.ShortName
	}
	if len(f.Query) > 200 {
		v.Add("q", "must be at most 200 bytes")
	}
	if f.Limit == 0 {
		f.Limit = MaxTechniques
	} else if f.Limit < 1 || f.Limit > MaxTechniques {
		v.Add("limit", "must be 1 to %d", MaxTechniques)
	}
	if err := v.Err(); err != nil {
		return out, err
	}
	err := s.DB.Read(ctx, func(tx *db.Tx) error {
		var err error
		if out.Catalogue, err = catalogue(ctx, tx); err != nil {
			return err
		}
		out.Items, err = listTechniques(ctx, tx, f)
		return err
	})
	return out, err
}
