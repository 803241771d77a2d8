package demo

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/warroom/warroom/internal/actor"
	"github.com/warroom/warroom/internal/attack"
	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/errs"
	"github.com/warroom/warroom/internal/evidence"
	"github.com/warroom/warroom/internal/incident"
	"github.com/warroom/warroom/internal/ioc"
	"github.com/warroom/warroom/internal/obligation"
	"github.com/warroom/warroom/internal/org"
)

// ErrNotEmpty is returned by Seed when the database already holds an
// organisation: restarting with --demo on an existing data directory must
// not add a second copy of the demo (or mix it into real data).
var ErrNotEmpty = errors.New("the database already has an organisation; demo data is only added to an empty database")

// Result is what Seed created: the organisation and how to sign in as
// each of its people.
type Result struct {
	Org   org.Organization
	Users []Login
}

// Login is one demo person's sign-in details, meant to be printed.
type Login struct {
	Email    string
	Name     string
	Role     string // organisation role: admin, responder or viewer
	Password string
	Note     string // their job and what they do in the demo
}

// Options are what Seed needs beyond the database.
type Options struct {
	// Blobs stores the demo's uploaded evidence; without it the demo's
	// evidence is only items registered as held elsewhere.
	Blobs *evidence.Blobs
	// Rules are the obligation rules (default: the built-in catalogue).
	Rules *obligation.Catalogue
}

// orgAge is how long before now the organisation was set up, so people
// exist well before the oldest incident.
const orgAge = 120 * 24 * time.Hour

// Seed fills an empty database with the demo organisation. now is the real
// current time; the demo's history is placed before it and nothing is
// dated after it. Seed returns ErrNotEmpty when an organisation exists.
//
// Seed is not one transaction: it goes through the public services, each
// of which commits its own. A failure part-way (a bug, a lost database)
// leaves a partial demo behind, which the next Seed then refuses to touch.
func Seed(ctx context.Context, d *db.DB, now time.Time, log *slog.Logger, opts Options) (Result, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	rules := opts.Rules
	if rules == nil {
		var err error
		if rules, err = obligation.Builtin(); err != nil {
			return Result{}, err
		}
	}
	log = log.With("component", "demo")
	// Stories are anchored to a whole minute so the demo's times read like
	// ones people wrote down; the anchor is never after now.
	end := now.UTC().Truncate(time.Minute)
	c := &clock{t: end.Add(-orgAge), limit: now}
	s := &seeder{
		orgs:        &org.Service{DB: d, Now: c.Now, Log: log},
		incidents:   &incident.Service{DB: d, Now: c.Now, Log: log},
		iocs:        &ioc.Service{DB: d, Now: c.Now, Log: log},
		locker:      &evidence.Service{DB: d, Now: c.Now, Log: log, Blobs: opts.Blobs},
		attack:      &attack.Service{DB: d, Now: c.Now, Log: log},
		obligations: &obligation.Service{DB: d, Now: c.Now, Log: log, Rules: rules},
		clock:       c,
		end:         end,
		people:      map[string]context.Context{},
	}
	empty, err := s.orgs.IsEmpty(ctx)
	if err != nil {
		return Result{}, fmt.Errorf("check for existing organisations: %w", err)
	}
	if !empty {
		return Result{}, ErrNotEmpty
	}
	res := s.organisation(ctx)
	// Told in the order things happened, so the single clock only moves
	// forward: the ransomware's last half hour comes after the phishing
	// report that arrived in the middle of it.
	s.bec()
	s.insider()
	rw := s.ransomware()
	s.phishing()
	rw.latest()
	if errors.Is(s.err, ErrNotEmpty) {
		return Result{}, ErrNotEmpty
	}
	if s.err != nil {
		return Result{}, fmt.Errorf("seed demo organisation: %w", s.err)
	}
	log.Info("demo organisation seeded", "org", res.Org.Slug, "people", len(res.Users), "incidents", s.declared)
	return res, nil
}

// organisation bootstraps the organisation with its admin and adds
// everyone else.
func (s *seeder) organisation(ctx context.Context) Result {
	people := cast()
	admin := people[0]
	boot, err := s.orgs.Bootstrap(ctx, org.BootstrapInput{OrgName: OrgName, Email: admin.email, Name: admin.name, Password: admin.password()})
	if errs.CodeOf(err) == errs.Conflict {
		// Another process seeded between IsEmpty and here: the slug is
		// taken, which is the same situation IsEmpty guards against.
		s.err = ErrNotEmpty
		return Result{}
	}
	if err != nil {
		s.fail(err, "bootstrap organisation")
		return Result{}
	}
	res := Result{Org: boot.Org}
	s.people[admin.key] = actor.With(ctx, &actor.Actor{UserID: boot.Admin.ID, OrgID: boot.Org.ID, Email: boot.Admin.Email,
		Name: boot.Admin.Name, Role: actor.Admin})
	for _, p := range people {
		if p.key != admin.key {
			s.at(s.clock.Now().Add(time.Hour))
			m, _, err := s.orgs.AddUser(s.people[admin.key], org.AddUserInput{Email: p.email, Name: p.name, Role: p.role, Password: p.password()})
			if err != nil {
				s.fail(err, "add "+p.email)
				return Result{}
			}
			s.people[p.key] = actor.With(ctx, &actor.Actor{UserID: m.ID, OrgID: boot.Org.ID, Email: m.Email, Name: m.Name, Role: p.role})
		}
		res.Users = append(res.Users, Login{Email: p.email, Name: p.name, Role: string(p.role), Password: p.password(),
			Note: p.title + "; " + p.does})
	}
	return res
}

// clock is the services' Now while seeding. It only moves forward and
// never past limit, the real current time.
type clock struct {
	t     time.Time
	limit time.Time
}

// Now returns the story's current time.
func (c *clock) Now() time.Time { return c.t }

// seeder tells the demo's stories through the services. Its first error
// sticks and turns every later step into a no-op, so the stories read as
// the sequence of events they are instead of a wall of error checks.
type seeder struct {
	orgs        *org.Service
	incidents   *incident.Service
	iocs        *ioc.Service
	locker      *evidence.Service
	attack      *attack.Service
	obligations *obligation.Service
	clock       *clock
	end         time.Time                  // the anchor: now, to the minute
	people      map[string]context.Context // person key -> acting as them
	declared    int
	err         error
}

func (s *seeder) fail(err error, what string) {
	if s.err == nil && err != nil {
		s.err = fmt.Errorf("%s: %w", what, err)
	}
}

// at moves the clock to t. Going back would put entries out of order
// against the organisation's event sequence; going past the real now would
// date history in the future. Either is a bug in a story.
func (s *seeder) at(t time.Time) {
	switch {
	case s.err != nil:
	case t.Before(s.clock.t):
		s.fail(fmt.Errorf("%s is before %s", t.Format(time.RFC3339), s.clock.t.Format(time.RFC3339)), "move the demo clock back")
	case t.After(s.clock.limit):
		s.fail(fmt.Errorf("%s is after now (%s)", t.Format(time.RFC3339), s.clock.limit.Format(time.RFC3339)), "move the demo clock into the future")
	default:
		s.clock.t = t
	}
}

// as returns the context of the person with key who; ok is false once
// anything has failed, so callers skip the step.
func (s *seeder) as(who string) (context.Context, bool) {
	if s.err != nil {
		return nil, false
	}
	ctx, found := s.people[who]
	if !found {
		s.fail(fmt.Errorf("no person %q in the cast", who), "act")
		return nil, false
	}
	return ctx, true
}
