package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/warroom/warroom/internal/contact"
	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/db/dbtest"
	"github.com/warroom/warroom/internal/errs"
)

// contactOf reads a contact back through the service as the admin.
func (s *site) contactOf(key string) (contact.Contact, error) {
	s.t.Helper()
	return s.contacts.Get(s.ctx("admin"), key)
}

func TestContactsPage(t *testing.T) {
	t.Parallel()
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		s := newSite(t, d)
		s.MustFill()
		admin, rita, vic := s.signIn("admin"), s.signIn("responder"), s.signIn("viewer")

		t.Run("OK", func(t *testing.T) {
			st, body := rita.get("/contacts")
			if st != http.StatusOK {
				t.Fatalf("status %d", st)
			}
			// Grouped by kind, in the directory's order.
			last := -1
			for _, k := range []string{"Internal", "Outside counsel", "Cyber insurer", "IR / forensics provider", "PR firm"} {
				i := strings.Index(body, `">`+k+` <span class="count-chip">`)
				if i < 0 || i < last {
					t.Errorf("group %q missing or out of order", k)
				}
				last = i
			}
			// Stale is said in words, with when it was last verified.
			mustContain(t, body, "4 contacts have not been verified in the last 90 days", "Stale: never verified", "Stale: last verified <time",
				`<span class="verified-note">Verified <time`, " by Ada Admin</span>")
			if n := strings.Count(body, `class="contact is-stale"`); n != 4 {
				t.Errorf("%d contacts marked stale, want 4", n)
			}
			// Out-of-band channels are on the directory itself, not a click away.
			mustContain(t, body, `<a href="mailto:vic.home@mail.example">vic.home@mail.example</a>`, "<dd>vicv.42</dd>",
				`<a href="https://signal.me/#p/&#43;12025550143">&#43;12025550143</a>`, "Home: &#43;44 1632 960 001",
				`<a href="tel:&#43;442079460958">&#43;442079460958</a>`, "No out-of-band channel")
			mustContain(t, body, `<form method="post" action="/contacts/ciso/verify"`, `<h2 id="add-h">Add a contact</h2>`)
		})

		t.Run("OKViewerReadsOnly", func(t *testing.T) {
			_, body := vic.get("/contacts")
			mustContain(t, body, "vicv.42", `<a class="small" href="/contacts/ciso">Details`)
			mustNotContain(t, body, `method="post" action="/contacts`, "Add a contact")
			_, body = vic.get("/contacts/ir-provider")
			mustContain(t, body, "DFIR Partners", "Stale: last verified")
			mustNotContain(t, body, `method="post" action="/contacts`)
		})

		t.Run("OKFilter", func(t *testing.T) {
			_, body := vic.get("/contacts?stale=1&kind=internal")
			mustContain(t, body, "No contacts match")
			_, body = vic.get("/contacts?q=dfir")
			mustContain(t, body, "Incident hotline")
			mustNotContain(t, body, "Claims line", "Jo Barrister")
		})

		t.Run("AddContact", func(t *testing.T) {
			r := rita.send("/contacts", url.Values{"key": {"Regulator-ICO"}, "name": {"ICO breach line"}, "kind": {"regulator"},
				"organization": {"Information Commissioner's Office"}, "phone": {"+44 303 123 1113"}, "verified": {"1"}})
			if r.status != http.StatusSeeOther || r.location != "/contacts?done=contact-added#c-regulator-ico" {
				t.Fatalf("add: %d -> %q (%s)", r.status, r.location, errorMessage(r.body))
			}
			c, err := s.contactOf("regulator-ico")
			if err != nil || c.Phone != "+443031231113" || c.Stale || c.VerifiedByName != "Rita Responder" {
				t.Fatalf("added: %+v %v", c, err)
			}
			_, body := rita.get("/contacts?done=contact-added")
			mustContain(t, body, `<div class="flash" role="status">Contact added.</div>`, `id="c-regulator-ico"`)
		})

		t.Run("ErrAddContact", func(t *testing.T) {
			before := s.state()
			r := rita.send("/contacts", url.Values{"key": {"bad key"}, "name": {"Kept Name"}, "kind": {"regulator"},
				"work_email": {"nope"}, "phone": {"020 7946 0958"}, "signal": {"@x"}})
			if r.status != http.StatusBadRequest {
				t.Fatalf("status %d, want 400", r.status)
			}
			for id, want := range map[string]string{"contact-key": "lower-case letters", "contact-work_email": "is not an email address",
				"contact-phone": "is not an international number", "contact-signal": "Signal username"} {
				if got := fieldErr(r.body, id); !strings.Contains(got, want) {
					t.Errorf("%s's error %q, want %q", id, got, want)
				}
			}
			mustContain(t, r.body, `value="Kept Name"`, `value="020 7946 0958"`, `<option value="regulator" selected>`)
			r = rita.send("/contacts", url.Values{"key": {"nobody"}, "name": {"No One"}, "kind": {"other"}})
			mustContain(t, r.body, `<span class="field-error">give at least one way to reach them: work_email, phone, personal_email or signal</span>`)
			if s.state() != before {
				t.Errorf("a rejected form changed the directory")
			}
		})

		t.Run("EditContact", func(t *testing.T) {
			c, _ := s.contactOf("ciso")
			_, body := rita.get("/contacts/ciso")
			mustContain(t, body, `<input type="hidden" name="version" value="`+itoa(c.Version)+`">`, `value="vicv.42"`, `value="vic@acme.test"`)
			form := url.Values{"version": {itoa(c.Version)}, "name": {"Vic Viewer"}, "kind": {"internal"}, "role": {"CISO and DPO"},
				"organization": {""}, "user": {"vic@acme.test"}, "work_email": {"vic@acme.test"}, "phone": {"+44 20 7946 0100"},
				"personal_email": {"vic.home@mail.example"}, "signal": {"vicv.42"}, "out_of_band_notes": {"Home: +44 1632 960 001"}, "notes": {""}}
			r := rita.send("/contacts/ciso", form)
			if r.status != http.StatusSeeOther || r.location != "/contacts?done=contact-updated#c-ciso" {
				t.Fatalf("edit: %d -> %q (%s)", r.status, r.location, errorMessage(r.body))
			}
			c2, _ := s.contactOf("ciso")
			if c2.Role != "CISO and DPO" || c2.Phone != "+442079460100" || c2.Version != c.Version+1 || !c2.Stale {
				t.Errorf("after edit (a new phone needs verifying again): %+v", c2)
			}

			t.Run("ErrStale", func(t *testing.T) {
				r := rita.send("/contacts/ciso", form) // the version it was loaded at has passed
				if r.status != http.StatusPreconditionFailed {
					t.Fatalf("status %d, want 412", r.status)
				}
				mustContain(t, r.body, "someone else changed it", `value="CISO and DPO"`)
			})

			t.Run("ErrInvalid", func(t *testing.T) {
				bad := url.Values{"version": {itoa(c2.Version)}, "name": {"Vic"}, "kind": {"internal"}, "work_email": {"vic@"}, "user": {"ghost@acme.test"}}
				r := rita.send("/contacts/ciso", bad)
				if r.status != http.StatusBadRequest {
					t.Fatalf("status %d, want 400", r.status)
				}
				if got := fieldErr(r.body, "edit-work_email"); !strings.Contains(got, "is not an email address") {
					t.Errorf("work email's error %q", got)
				}
				if got := fieldErr(r.body, "edit-user"); !strings.Contains(got, "ghost@acme.test") {
					t.Errorf("user's error %q", got)
				}
				if c3, _ := s.contactOf("ciso"); c3.Version != c2.Version {
					t.Errorf("a rejected edit changed the contact")
				}
			})
		})

		t.Run("VerifiedToday", func(t *testing.T) {
			c, _ := s.contactOf("cyber-insurer")
			if !c.Stale {
				t.Fatal("the insurer starts stale")
			}
			r := rita.send("/contacts/cyber-insurer/verify", url.Values{"version": {itoa(c.Version)}})
			if r.status != http.StatusSeeOther || r.location != "/contacts?done=contact-verified#c-cyber-insurer" {
				t.Fatalf("verify: %d -> %q (%s)", r.status, r.location, errorMessage(r.body))
			}
			if c, _ = s.contactOf("cyber-insurer"); c.Stale || c.VerifiedByName != "Rita Responder" {
				t.Errorf("after verifying: %+v", c)
			}
			r = rita.send("/contacts/ir-provider/verify", url.Values{"back": {"contact"}})
			if r.status != http.StatusSeeOther || r.location != "/contacts/ir-provider?done=contact-verified" {
				t.Errorf("verify from the contact's page: %d -> %q", r.status, r.location)
			}
			_, body := rita.get("/contacts/ir-provider?done=contact-verified")
			mustContain(t, body, "Marked as verified today.", "by Rita Responder</span>")
			mustNotContain(t, body, "Stale:")
		})

		t.Run("ErrForbidden", func(t *testing.T) {
			before := s.state()
			for what, r := range map[string]response{
				"viewer adds":      vic.send("/contacts", url.Values{"key": {"x"}, "name": {"X"}, "kind": {"other"}, "phone": {"+15555550100"}}),
				"viewer edits":     vic.send("/contacts/outside-counsel", url.Values{"name": {"Mallory"}, "kind": {"other"}, "phone": {"+15555550666"}}),
				"viewer verifies":  vic.send("/contacts/outside-counsel/verify", url.Values{}),
				"responder delete": rita.send("/contacts/outside-counsel/delete", url.Values{}),
			} {
				if r.status != http.StatusForbidden || errorCode(r.body) != "403" {
					t.Errorf("%s: %d, want the 403 page", what, r.status)
				}
			}
			if s.state() != before {
				t.Errorf("refused forms changed the directory")
			}
		})

		t.Run("Delete", func(t *testing.T) {
			_, body := admin.get("/contacts/old-pr-firm")
			mustContain(t, body, `<form method="post" action="/contacts/old-pr-firm/delete"`)
			if _, body := rita.get("/contacts/old-pr-firm"); strings.Contains(body, "/delete") {
				t.Errorf("a responder is offered the delete form")
			}
			r := admin.send("/contacts/old-pr-firm/delete", url.Values{})
			if r.status != http.StatusSeeOther || r.location != "/contacts?done=contact-deleted" {
				t.Fatalf("delete: %d -> %q (%s)", r.status, r.location, errorMessage(r.body))
			}
			if _, err := s.contactOf("old-pr-firm"); errs.CodeOf(err) != errs.NotFound {
				t.Errorf("after delete: %v", err)
			}
		})

		t.Run("ErrOtherOrganisation", func(t *testing.T) {
			out := s.signIn("outsider")
			_, body := out.get("/contacts")
			mustNotContain(t, body, "Barrister", "vicv.42", "DFIR")
			if st, _ := out.get("/contacts/ciso"); st != http.StatusNotFound {
				t.Errorf("another organisation's contact: %d", st)
			}
			if r := out.send("/contacts/ciso/verify", url.Values{}); r.status != http.StatusNotFound {
				t.Errorf("verifying another organisation's contact: %d", r.status)
			}
		})
	})
}
