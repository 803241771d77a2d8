package contact_test

import (
	"context"
	"io"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/warroom/warroom/internal/actor"
	"github.com/warroom/warroom/internal/contact"
	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/db/dbtest"
	"github.com/warroom/warroom/internal/errs"
	"github.com/warroom/warroom/internal/org"
)

// world is Acme (admin, responder, viewer) and Other (outsider, an admin
// of another organisation), with a directory service on a clock the test
// moves by hand.
type world struct {
	t        *testing.T
	orgs     *org.Service
	contacts *contact.Service
	now      *time.Time
	ctx      map[string]context.Context
}

func newWorld(t *testing.T, d *db.DB) *world {
	t.Helper()
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	w := &world{t: t, orgs: &org.Service{DB: d, Now: clock, Log: log}, contacts: &contact.Service{DB: d, Now: clock, Log: log},
		now: &now, ctx: map[string]context.Context{}}
	bg := context.Background()
	acme, err := w.orgs.Bootstrap(bg, org.BootstrapInput{OrgName: "Acme", Email: "ada@acme.test", Name: "Ada", Password: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	w.ctx["admin"] = actor.With(bg, &actor.Actor{UserID: acme.Admin.ID, OrgID: acme.Org.ID, Email: acme.Admin.Email, Name: "Ada", Role: actor.Admin})
	for name, role := range map[string]actor.Role{"responder": actor.Responder, "viewer": actor.Viewer} {
		m, _, err := w.orgs.AddUser(w.ctx["admin"], org.AddUserInput{Email: name + "@acme.test", Name: name, Role: role, Password: "correct horse battery"})
		if err != nil {
			t.Fatal(err)
		}
		w.ctx[name] = actor.With(bg, &actor.Actor{UserID: m.ID, OrgID: acme.Org.ID, Email: m.Email, Name: name, Role: role})
	}
	other, err := w.orgs.Bootstrap(bg, org.BootstrapInput{OrgName: "Other", Email: "boss@other.test", Password: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	w.ctx["outsider"] = actor.With(bg, &actor.Actor{UserID: other.Admin.ID, OrgID: other.Org.ID, Email: other.Admin.Email, Role: actor.Admin})
	return w
}

// counsel is a complete, valid outside-counsel entry.
func counsel() contact.Input {
	return contact.Input{Key: "outside-counsel", Name: "Jo Barrister", Kind: "outside_counsel", Role: "Partner, data protection",
		Organization: "Barrister & Co", WorkEmail: "jo@barrister.example", Phone: "+44 20 7946 0958",
		PersonalEmail: "jo.b@mail.example", Signal: "+44 7700 900123", OutOfBandNotes: "Call the mobile first; the firm's switchboard closes at 18:00."}
}

// MustCreate adds a contact through the service as who.
func (w *world) MustCreate(who string, in contact.Input) contact.Contact {
	w.t.Helper()
	c, err := w.contacts.Create(w.ctx[who], in)
	if err != nil {
		w.t.Fatalf("create %s: %v", in.Key, err)
	}
	return c
}

func (w *world) audit(action string) int {
	w.t.Helper()
	evs, err := w.orgs.Audit(w.ctx["admin"], 1000)
	if err != nil {
		w.t.Fatal(err)
	}
	n := 0
	for _, e := range evs {
		if e.Action == action && e.TargetType == "contact" {
			n++
		}
	}
	return n
}

func fieldsOf(err error) []string {
	var out []string
	for _, f := range errs.FieldsOf(err) {
		out = append(out, f.Field)
	}
	slices.Sort(out)
	return out
}

func ptr[T any](v T) *T { return &v }

func TestCreate(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)

		t.Run("OK", func(t *testing.T) {
			in := counsel()
			in.Key, in.WorkEmail = "  Outside-Counsel ", "Jo Barrister <jo@barrister.example>"
			c := w.MustCreate("responder", in)
			if c.Key != "outside-counsel" || c.Phone != "+442079460958" || c.Signal != "+447700900123" || c.WorkEmail != "jo@barrister.example" {
				t.Errorf("not normalised: key %q phone %q signal %q email %q", c.Key, c.Phone, c.Signal, c.WorkEmail)
			}
			if !c.Stale || c.VerifiedAt != nil || c.Version != 1 || !c.OutOfBand() {
				t.Errorf("a new unverified contact: stale %v verified %v version %d", c.Stale, c.VerifiedAt, c.Version)
			}
			got, err := w.contacts.Get(w.ctx["viewer"], "OUTSIDE-COUNSEL")
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(c, got); d != "" {
				t.Errorf("read back (-created +read):\n%s", d)
			}
			if n := w.audit("contact.create"); n != 1 {
				t.Errorf("%d contact.create audit rows, want 1", n)
			}
		})

		t.Run("OKVerifiedAndLinked", func(t *testing.T) {
			c := w.MustCreate("admin", contact.Input{Key: "ciso", Name: "Rita", Kind: "internal", User: "Responder@acme.test",
				Signal: "rita.07", Verified: true})
			if c.Stale || c.VerifiedAt == nil || !c.VerifiedAt.Equal(*w.now) || c.VerifiedByName != "Ada" || c.UserEmail != "responder@acme.test" {
				t.Errorf("verified on creation: %+v", c)
			}
		})

		t.Run("ErrConflict", func(t *testing.T) {
			_, err := w.contacts.Create(w.ctx["admin"], counsel())
			if errs.CodeOf(err) != errs.Conflict || !slices.Equal(fieldsOf(err), []string{"key"}) {
				t.Errorf("duplicate key: %v", err)
			}
		})

		t.Run("ErrInvalidNamesEveryField", func(t *testing.T) {
			long := strings.Repeat("x", 201)
			_, err := w.contacts.Create(w.ctx["admin"], contact.Input{Key: "Bad Key!", Name: "", Kind: "friend", Role: long, Organization: long,
				User: "ghost@acme.test", WorkEmail: "not-an-address", Phone: "020 7946 0958", PersonalEmail: "a@b@c", Signal: "@jo",
				OutOfBandNotes: strings.Repeat("n", 2001), Notes: strings.Repeat("n", 10001)})
			want := []string{"key", "kind", "name", "notes", "organization", "out_of_band_notes", "personal_email", "phone", "role", "signal", "user", "work_email"}
			if errs.CodeOf(err) != errs.Invalid {
				t.Fatalf("got %v, want invalid", err)
			}
			if d := cmp.Diff(want, fieldsOf(err)); d != "" {
				t.Errorf("fields named (-want +got):\n%s", d)
			}
			for _, f := range errs.FieldsOf(err) {
				if f.Message == "" {
					t.Errorf("%s has no message", f.Field)
				}
			}
		})

		t.Run("ErrNoWayToReach", func(t *testing.T) {
			_, err := w.contacts.Create(w.ctx["admin"], contact.Input{Key: "ghost", Name: "Ghost", Kind: "other", OutOfBandNotes: "ask around"})
			if errs.CodeOf(err) != errs.Invalid || !slices.Equal(fieldsOf(err), []string{"channels"}) {
				t.Errorf("no channel: %v", err)
			}
		})

		t.Run("PhoneForms", func(t *testing.T) {
			for in, want := range map[string]string{"+1 202-555-0142": "+12025550142", "+49 30 901820": "+4930901820", "+33 1 23 45 67 89": "+33123456789"} {
				if got, ok := contact.NormalizePhone(in); !ok || got != want {
					t.Errorf("NormalizePhone(%q) = %q, %v; want %q", in, got, ok, want)
				}
			}
			for _, in := range []string{"+44 (0)20 7946 0958", "0044 20 7946 0958", "+0 123 4567", "+1 555", "+1234567890123456", "call me"} {
				if got, ok := contact.NormalizePhone(in); ok {
					t.Errorf("NormalizePhone(%q) accepted as %q", in, got)
				}
			}
		})
	})
}

func TestStale(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		start := *w.now
		in := counsel()
		in.Verified = true
		w.MustCreate("responder", in)
		never := w.MustCreate("responder", contact.Input{Key: "insurer", Name: "Claims hotline", Kind: "cyber_insurer", Phone: "+44 20 7946 0000"})
		if !never.Stale {
			t.Errorf("a contact never verified is not stale")
		}
		stale := func(who string) []string {
			t.Helper()
			cs, err := w.contacts.List(w.ctx[who], contact.Filter{Stale: true})
			if err != nil {
				t.Fatal(err)
			}
			var keys []string
			for _, c := range cs {
				if !c.Stale {
					t.Errorf("the stale filter returned %s, which is not stale", c.Key)
				}
				keys = append(keys, c.Key)
			}
			return keys
		}

		*w.now = start.Add(89 * 24 * time.Hour)
		if c, _ := w.contacts.Get(w.ctx["viewer"], "outside-counsel"); c.Stale {
			t.Errorf("stale after 89 days")
		}
		if got := stale("viewer"); !slices.Equal(got, []string{"insurer"}) {
			t.Errorf("stale after 89 days: %v", got)
		}

		*w.now = start.Add(91 * 24 * time.Hour)
		c, err := w.contacts.Get(w.ctx["viewer"], "outside-counsel")
		if err != nil || !c.Stale || !c.VerifyDue().Equal(start.Add(contact.StaleAfter)) {
			t.Errorf("after 91 days: stale %v, due %v, %v", c.Stale, c.VerifyDue(), err)
		}
		if got := stale("viewer"); !slices.Equal(got, []string{"outside-counsel", "insurer"}) {
			t.Errorf("stale after 91 days: %v", got)
		}

		t.Run("VerifyClearsStale", func(t *testing.T) {
			v, err := w.contacts.MarkVerified(w.ctx["responder"], "outside-counsel", c.Version)
			if err != nil {
				t.Fatal(err)
			}
			if v.Stale || !v.VerifiedAt.Equal(*w.now) || v.VerifiedByName != "responder" || v.Version != c.Version+1 {
				t.Errorf("after verifying: %+v", v)
			}
			if got := stale("viewer"); !slices.Equal(got, []string{"insurer"}) {
				t.Errorf("stale after verifying counsel: %v", got)
			}
			if n := w.audit("contact.verify"); n != 1 {
				t.Errorf("%d contact.verify audit rows", n)
			}
		})

		t.Run("ErrStaleVersion", func(t *testing.T) {
			_, err := w.contacts.MarkVerified(w.ctx["responder"], "outside-counsel", c.Version)
			if errs.CodeOf(err) != errs.PreconditionFailed {
				t.Errorf("verify at an old version: %v", err)
			}
		})
	})
}

func TestUpdate(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		in := counsel()
		in.Verified = true
		c := w.MustCreate("admin", in)

		t.Run("OKKeepsVerification", func(t *testing.T) {
			u, err := w.contacts.Update(w.ctx["responder"], c.Key, contact.Patch{Role: ptr("Managing partner"), Notes: ptr("Engagement letter signed 2026-03")}, c.Version)
			if err != nil {
				t.Fatal(err)
			}
			if u.Role != "Managing partner" || u.Version != 2 || u.VerifiedAt == nil || u.Stale || u.Phone != c.Phone {
				t.Errorf("after update: %+v", u)
			}
			c = u
		})

		t.Run("OKNoChange", func(t *testing.T) {
			u, err := w.contacts.Update(w.ctx["responder"], c.Key, contact.Patch{Phone: ptr("+44 20-7946-0958")}, 0)
			if err != nil || u.Version != c.Version {
				t.Errorf("the same number typed differently changed the version to %d: %v", u.Version, err)
			}
		})

		t.Run("OKNewNumberClearsVerification", func(t *testing.T) {
			u, err := w.contacts.Update(w.ctx["responder"], c.Key, contact.Patch{Signal: ptr("jobar.99")}, 0)
			if err != nil {
				t.Fatal(err)
			}
			if u.VerifiedAt != nil || !u.Stale || u.Signal != "jobar.99" {
				t.Errorf("a changed channel kept the verification: %+v", u)
			}
			u, err = w.contacts.Update(w.ctx["responder"], c.Key, contact.Patch{Phone: ptr("+44 20 7946 0959"), Verified: true}, 0)
			if err != nil || u.Stale || u.VerifiedByName != "responder" {
				t.Errorf("changed and verified at once: %+v %v", u, err)
			}
			c = u
		})

		t.Run("OKUnlinkUser", func(t *testing.T) {
			u, err := w.contacts.Update(w.ctx["admin"], c.Key, contact.Patch{User: ptr("viewer@acme.test")}, 0)
			if err != nil || u.UserEmail != "viewer@acme.test" {
				t.Fatalf("link: %+v %v", u, err)
			}
			if u, err = w.contacts.Update(w.ctx["admin"], c.Key, contact.Patch{User: ptr("")}, 0); err != nil || u.UserID != "" {
				t.Errorf("unlink: %+v %v", u, err)
			}
			c = u
		})

		t.Run("ErrPreconditionFailed", func(t *testing.T) {
			_, err := w.contacts.Update(w.ctx["responder"], c.Key, contact.Patch{Name: ptr("Jo B.")}, c.Version-1)
			if errs.CodeOf(err) != errs.PreconditionFailed {
				t.Errorf("stale version: %v", err)
			}
			if got, _ := w.contacts.Get(w.ctx["viewer"], c.Key); got.Name != c.Name || got.Version != c.Version {
				t.Errorf("a refused update changed the contact: %+v", got)
			}
		})

		t.Run("ErrInvalid", func(t *testing.T) {
			_, err := w.contacts.Update(w.ctx["responder"], c.Key, contact.Patch{Kind: ptr(contact.Kind("lawyer")), WorkEmail: ptr("jo@"),
				Phone: ptr(""), PersonalEmail: ptr(""), Signal: ptr("")}, 0)
			if d := cmp.Diff([]string{"kind", "work_email"}, fieldsOf(err)); d != "" {
				t.Errorf("fields (-want +got):\n%s", d)
			}
			_, err = w.contacts.Update(w.ctx["responder"], c.Key, contact.Patch{WorkEmail: ptr(""), Phone: ptr(""), PersonalEmail: ptr(""), Signal: ptr("")}, 0)
			if !slices.Equal(fieldsOf(err), []string{"channels"}) {
				t.Errorf("removing every channel: %v", err)
			}
		})

		t.Run("ErrNotFound", func(t *testing.T) {
			if _, err := w.contacts.Update(w.ctx["responder"], "nobody", contact.Patch{Name: ptr("x")}, 0); errs.CodeOf(err) != errs.NotFound {
				t.Errorf("update a missing contact: %v", err)
			}
		})

		if n := w.audit("contact.update"); n != 5 {
			t.Errorf("%d contact.update audit rows, want 5", n)
		}
	})
}

func TestAuthorization(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		c := w.MustCreate("responder", counsel())

		t.Run("ErrForbiddenViewer", func(t *testing.T) {
			v := w.ctx["viewer"]
			_, errC := w.contacts.Create(v, contact.Input{Key: "x", Name: "X", Kind: "other", Phone: "+15555550100"})
			_, errU := w.contacts.Update(v, c.Key, contact.Patch{Name: ptr("Y")}, 0)
			_, errV := w.contacts.MarkVerified(v, c.Key, 0)
			errD := w.contacts.Delete(v, c.Key, 0)
			for what, err := range map[string]error{"create": errC, "update": errU, "verify": errV, "delete": errD} {
				if errs.CodeOf(err) != errs.Forbidden {
					t.Errorf("viewer %s: %v, want forbidden", what, err)
				}
			}
			if cs, err := w.contacts.List(v, contact.Filter{}); err != nil || len(cs) != 1 {
				t.Errorf("viewer reads: %d contacts, %v", len(cs), err)
			}
		})

		t.Run("ErrForbiddenResponderDelete", func(t *testing.T) {
			if err := w.contacts.Delete(w.ctx["responder"], c.Key, 0); errs.CodeOf(err) != errs.Forbidden {
				t.Errorf("responder delete: %v", err)
			}
		})

		t.Run("ErrNotFoundOtherOrganisation", func(t *testing.T) {
			o := w.ctx["outsider"]
			_, errG := w.contacts.Get(o, c.Key)
			_, errU := w.contacts.Update(o, c.Key, contact.Patch{Name: ptr("Mallory")}, 0)
			_, errV := w.contacts.MarkVerified(o, c.Key, 0)
			errD := w.contacts.Delete(o, c.Key, 0)
			for what, err := range map[string]error{"get": errG, "update": errU, "verify": errV, "delete": errD} {
				if errs.CodeOf(err) != errs.NotFound {
					t.Errorf("another organisation's admin, %s: %v, want not found", what, err)
				}
			}
			if cs, err := w.contacts.List(o, contact.Filter{Query: "barrister"}); err != nil || len(cs) != 0 {
				t.Errorf("another organisation lists %d of Acme's contacts (%v)", len(cs), err)
			}
			// Keys are per organisation.
			if _, err := w.contacts.Create(o, counsel()); err != nil {
				t.Errorf("the same key in another organisation: %v", err)
			}
			if got, _ := w.contacts.Get(w.ctx["viewer"], c.Key); got.Name != c.Name || got.Version != c.Version {
				t.Errorf("another organisation changed Acme's contact: %+v", got)
			}
		})

		t.Run("OKAdminDelete", func(t *testing.T) {
			if err := w.contacts.Delete(w.ctx["admin"], c.Key, c.Version+1); errs.CodeOf(err) != errs.PreconditionFailed {
				t.Errorf("delete at a wrong version: %v", err)
			}
			if err := w.contacts.Delete(w.ctx["admin"], c.Key, c.Version); err != nil {
				t.Fatal(err)
			}
			if _, err := w.contacts.Get(w.ctx["admin"], c.Key); errs.CodeOf(err) != errs.NotFound {
				t.Errorf("after delete: %v", err)
			}
			if n := w.audit("contact.delete"); n != 1 {
				t.Errorf("%d contact.delete audit rows", n)
			}
		})
	})
}

func TestList(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		for _, in := range []contact.Input{
			{Key: "pr", Name: "Avery PR", Kind: "pr_firm", Organization: "Loud & Clear", WorkEmail: "avery@loud.example"},
			{Key: "fbi-field-office", Name: "Special Agent Cole", Kind: "law_enforcement", Organization: "FBI", Phone: "+1 202 555 0142"},
			{Key: "ciso", Name: "Zed", Kind: "internal", Role: "CISO", Signal: "zed.01"},
			{Key: "cto", Name: "Amir", Kind: "internal", Role: "CTO", Phone: "+1 202 555 0199"},
			{Key: "percent", Name: "100%_real Percent", Kind: "other", Phone: "+1 202 555 0100"},
		} {
			w.MustCreate("admin", in)
		}
		keys := func(f contact.Filter) []string {
			t.Helper()
			cs, err := w.contacts.List(w.ctx["viewer"], f)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, c := range cs {
				out = append(out, c.Key)
			}
			return out
		}
		for name, tc := range map[string]struct {
			f    contact.Filter
			want []string
		}{
			"All":          {contact.Filter{}, []string{"cto", "ciso", "fbi-field-office", "pr", "percent"}},
			"Kind":         {contact.Filter{Kind: "internal"}, []string{"cto", "ciso"}},
			"QueryOrg":     {contact.Filter{Query: "fbi"}, []string{"fbi-field-office"}},
			"QueryRole":    {contact.Filter{Query: "cIsO"}, []string{"ciso"}},
			"QueryLiteral": {contact.Filter{Query: "%_"}, []string{"percent"}},
			"QueryNone":    {contact.Filter{Query: "nobody"}, nil},
		} {
			t.Run(name, func(t *testing.T) {
				if d := cmp.Diff(tc.want, keys(tc.f)); d != "" {
					t.Errorf("(-want +got):\n%s", d)
				}
			})
		}
		t.Run("ErrBadKind", func(t *testing.T) {
			if _, err := w.contacts.List(w.ctx["viewer"], contact.Filter{Kind: "lawyer"}); !slices.Equal(fieldsOf(err), []string{"kind"}) {
				t.Errorf("bad kind: %v", err)
			}
		})
	})
}
