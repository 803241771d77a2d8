package api

import (
	"net/http"

	"github.com/warroom/warroom/internal/contact"
)

func (s *Server) listContacts(w http.ResponseWriter, r *http.Request) error {
	q := query{r: r}
	f := contact.Filter{Kind: contact.Kind(q.str("kind")), Stale: q.bool("stale"), Query: q.str("q")}
	if err := q.err(); err != nil {
		return err
	}
	cs, err := s.Contacts.List(r.Context(), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list(cs))
	return nil
}

func (s *Server) createContact(w http.ResponseWriter, r *http.Request) error {
	var in contact.Input
	if err := s.decode(w, r, &in); err != nil {
		return err
	}
	c, err := s.Contacts.Create(r.Context(), in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/contacts/"+c.Key)
	w.Header().Set("ETag", etag(c.Version))
	writeJSON(w, http.StatusCreated, c)
	return nil
}

func (s *Server) getContact(w http.ResponseWriter, r *http.Request) error {
	c, err := s.Contacts.Get(r.Context(), r.PathValue("key"))
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(c.Version))
	writeJSON(w, http.StatusOK, c)
	return nil
}

func (s *Server) updateContact(w http.ResponseWriter, r *http.Request) error {
	version, err := ifMatch(r)
	if err != nil {
		return err
	}
	var p contact.Patch
	if err := s.decode(w, r, &p); err != nil {
		return err
	}
	c, err := s.Contacts.Update(r.Context(), r.PathValue("key"), p, version)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(c.Version))
	writeJSON(w, http.StatusOK, c)
	return nil
}

func (s *Server) deleteContact(w http.ResponseWriter, r *http.Request) error {
	version, err := ifMatch(r)
	if err != nil {
		return err
	}
	if err := s.Contacts.Delete(r.Context(), r.PathValue("key"), version); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// verifyContact records that the caller confirmed the contact's details
// with the person just now. It takes no body.
func (s *Server) verifyContact(w http.ResponseWriter, r *http.Request) error {
	version, err := ifMatch(r)
	if err != nil {
		return err
	}
	c, err := s.Contacts.MarkVerified(r.Context(), r.PathValue("key"), version)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(c.Version))
	writeJSON(w, http.StatusOK, c)
	return nil
}
