package web

import (
	"net/http"

	"github.com/warroom/warroom/internal/contact"
	"github.com/warroom/warroom/internal/errs"
)

type contactGroup struct {
	Kind     contact.Kind
	Contacts []contact.Contact
}

type contactsPage struct {
	Groups []contactGroup
	Total  int
	Stale  int
	Filter contact.Filter
	// FormName and Default feed the shared "contactfields" template.
	FormName string
}

// Default is the value the add form starts with: nothing.
func (contactsPage) Default(string) string { return "" }

// contactList is the directory, by kind, stale contacts flagged in words.
func (s *Server) contactList(w http.ResponseWriter, r *http.Request, v *view) error {
	q := r.URL.Query()
	f := contact.Filter{Kind: contact.Kind(q.Get("kind")), Stale: q.Get("stale") == "1", Query: q.Get("q")}
	return s.renderContacts(w, r, v, http.StatusOK, f)
}

func (s *Server) renderContacts(w http.ResponseWriter, r *http.Request, v *view, status int, f contact.Filter) error {
	cs, err := s.Contacts.List(r.Context(), f)
	if err != nil {
		return err
	}
	d := contactsPage{Filter: f, Total: len(cs), FormName: "contact"}
	for _, c := range cs {
		if n := len(d.Groups); n == 0 || d.Groups[n-1].Kind != c.Kind {
			d.Groups = append(d.Groups, contactGroup{Kind: c.Kind})
		}
		g := &d.Groups[len(d.Groups)-1]
		g.Contacts = append(g.Contacts, c)
		if c.Stale {
			d.Stale++
		}
	}
	v.Title, v.Nav, v.Data = "Stakeholder directory", "contacts", d
	return s.render(w, status, "contacts", v)
}

func (s *Server) addContact(w http.ResponseWriter, r *http.Request, v *view) error {
	f := r.PostForm
	in := contact.Input{Key: f.Get("key"), Name: f.Get("name"), Kind: contact.Kind(f.Get("kind")), Role: f.Get("role"),
		Organization: f.Get("organization"), User: f.Get("user"), WorkEmail: f.Get("work_email"), Phone: f.Get("phone"),
		PersonalEmail: f.Get("personal_email"), Signal: f.Get("signal"), OutOfBandNotes: f.Get("out_of_band_notes"),
		Notes: f.Get("notes"), Verified: f.Get("verified") == "1"}
	c, err := s.Contacts.Create(r.Context(), in)
	if err == nil {
		return redirect(w, r, "/contacts#c-"+c.Key, "contact-added")
	}
	status := statusOf(errs.CodeOf(err))
	if v.Form, err = rejected(r, "contact", err); err != nil {
		return err
	}
	return s.renderContacts(w, r, v, status, contact.Filter{})
}

type contactPage struct {
	Contact  contact.Contact
	FormName string
}

// Default is the value the edit form starts with: what is stored.
func (p contactPage) Default(field string) string {
	c := p.Contact
	return map[string]string{"name": c.Name, "kind": string(c.Kind), "role": c.Role, "organization": c.Organization, "user": c.UserEmail,
		"work_email": c.WorkEmail, "phone": c.Phone, "personal_email": c.PersonalEmail, "signal": c.Signal,
		"out_of_band_notes": c.OutOfBandNotes, "notes": c.Notes}[field]
}

func (s *Server) contactDetail(w http.ResponseWriter, r *http.Request, v *view) error {
	return s.renderContact(w, r, v, http.StatusOK)
}

func (s *Server) renderContact(w http.ResponseWriter, r *http.Request, v *view, status int) error {
	c, err := s.Contacts.Get(r.Context(), r.PathValue("key"))
	if err != nil {
		return err
	}
	v.Title, v.Nav, v.Data = c.Name, "contacts", contactPage{Contact: c, FormName: "edit"}
	return s.render(w, status, "contact", v)
}

// updateContact saves the edit form; the version it was loaded at guards
// against overwriting someone else's change.
func (s *Server) updateContact(w http.ResponseWriter, r *http.Request, v *view) error {
	f := r.PostForm
	var p contact.Patch
	opt := func(name string) *string {
		if _, ok := f[name]; !ok {
			return nil
		}
		val := f.Get(name)
		return &val
	}
	p.Name, p.Role, p.Organization, p.User = opt("name"), opt("role"), opt("organization"), opt("user")
	p.WorkEmail, p.Phone, p.PersonalEmail, p.Signal = opt("work_email"), opt("phone"), opt("personal_email"), opt("signal")
	p.OutOfBandNotes, p.Notes = opt("out_of_band_notes"), opt("notes")
	if k := opt("kind"); k != nil {
		kind := contact.Kind(*k)
		p.Kind = &kind
	}
	p.Verified = f.Get("verified") == "1"
	c, err := s.Contacts.Update(r.Context(), r.PathValue("key"), p, formVersion(r))
	if err == nil {
		return redirect(w, r, "/contacts#c-"+c.Key, "contact-updated")
	}
	status := statusOf(errs.CodeOf(err))
	if v.Form, err = rejected(r, "edit", err); err != nil {
		return err
	}
	return s.renderContact(w, r, v, status)
}

// verifyContact is the "Verified today" button, on the directory and on
// a contact's page; back says which to return to.
func (s *Server) verifyContact(w http.ResponseWriter, r *http.Request, v *view) error {
	key := r.PathValue("key")
	_, err := s.Contacts.MarkVerified(r.Context(), key, formVersion(r))
	back := "/contacts#c-" + key
	if r.PostFormValue("back") == "contact" {
		back = "/contacts/" + key
	}
	if err == nil {
		return redirect(w, r, back, "contact-verified")
	}
	status := statusOf(errs.CodeOf(err))
	if v.Form, err = rejected(r, "verify-"+key, err); err != nil {
		return err
	}
	if r.PostFormValue("back") == "contact" {
		return s.renderContact(w, r, v, status)
	}
	return s.renderContacts(w, r, v, status, contact.Filter{})
}

func (s *Server) deleteContact(w http.ResponseWriter, r *http.Request, v *view) error {
	err := s.Contacts.Delete(r.Context(), r.PathValue("key"), formVersion(r))
	if err == nil {
		return redirect(w, r, "/contacts", "contact-deleted")
	}
	status := statusOf(errs.CodeOf(err))
	if v.Form, err = rejected(r, "delete", err); err != nil {
		return err
	}
	return s.renderContact(w, r, v, status)
}
