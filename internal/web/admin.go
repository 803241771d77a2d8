package web

import (
	"net/http"
	"time"

	"github.com/warroom/warroom/internal/actor"
	"github.com/warroom/warroom/internal/org"
)

type peoplePage struct {
	Org       org.Organization
	Members   []org.Member
	Roles     []org.IRRole
	NewPerson *org.Member // just added, with a generated password
	Password  string
}

func (s *Server) adminPeople(w http.ResponseWriter, r *http.Request, v *view) error {
	return s.renderPeople(w, r, v, http.StatusOK, peoplePage{})
}

func (s *Server) renderPeople(w http.ResponseWriter, r *http.Request, v *view, status int, d peoplePage) error {
	ctx := r.Context()
	var err error
	if d.Org, err = s.Orgs.Organization(ctx); err != nil {
		return err
	}
	if d.Members, err = s.Orgs.Members(ctx); err != nil {
		return err
	}
	if d.Roles, err = s.Orgs.Roles(ctx); err != nil {
		return err
	}
	v.Title, v.Nav, v.Data = "People and roles", "admin", d
	return s.render(w, status, "admin_people", v)
}

func (s *Server) addPerson(w http.ResponseWriter, r *http.Request, v *view) error {
	f := r.PostForm
	m, pw, err := s.Orgs.AddUser(r.Context(), org.AddUserInput{Email: f.Get("email"), Name: f.Get("name"), Role: actor.Role(f.Get("role")), Password: f.Get("password")})
	if err == nil {
		// The generated password is shown on this response only, never in a URL.
		v.Flash = m.Email + " can now sign in"
		return s.renderPeople(w, r, v, http.StatusOK, peoplePage{NewPerson: &m, Password: pw})
	}
	if v.Form, err = rejected(r, "person", err); err != nil {
		return err
	}
	return s.renderPeople(w, r, v, http.StatusBadRequest, peoplePage{})
}

func (s *Server) setPersonRole(w http.ResponseWriter, r *http.Request, v *view) error {
	_, err := s.Orgs.SetMemberRole(r.Context(), r.PathValue("user"), actor.Role(r.PostFormValue("role")))
	if err == nil {
		return redirect(w, r, "/admin", "role-changed")
	}
	if v.Form, err = rejected(r, "member-"+r.PathValue("user"), err); err != nil {
		return err
	}
	return s.renderPeople(w, r, v, http.StatusBadRequest, peoplePage{})
}

func (s *Server) addRole(w http.ResponseWriter, r *http.Request, v *view) error {
	f := r.PostForm
	_, err := s.Orgs.AddRole(r.Context(), org.IRRole{Key: f.Get("key"), Name: f.Get("name"), Description: f.Get("description")})
	if err == nil {
		return redirect(w, r, "/admin#roles", "role-added")
	}
	if v.Form, err = rejected(r, "role", err); err != nil {
		return err
	}
	return s.renderPeople(w, r, v, http.StatusBadRequest, peoplePage{})
}

type tokensPage struct {
	Tokens  []org.Token
	Created *org.Token
	Secret  string
}

func (s *Server) adminTokens(w http.ResponseWriter, r *http.Request, v *view) error {
	return s.renderTokens(w, r, v, http.StatusOK, tokensPage{})
}

func (s *Server) renderTokens(w http.ResponseWriter, r *http.Request, v *view, status int, d tokensPage) error {
	var err error
	if d.Tokens, err = s.Orgs.Tokens(r.Context()); err != nil {
		return err
	}
	v.Title, v.Nav, v.Data = "API tokens", "tokens", d
	return s.render(w, status, "admin_tokens", v)
}

// createToken shows the secret once, in this response only.
func (s *Server) createToken(w http.ResponseWriter, r *http.Request, v *view) error {
	f := r.PostForm
	in := org.TokenInput{Name: f.Get("name")}
	switch days := f.Get("expires"); days {
	case "never":
		in.NoExpiry = true
	case "", "90":
	default:
		d, err := time.ParseDuration(days + "h")
		if err == nil {
			t := s.now().Add(d * 24)
			in.ExpiresAt = &t
		}
	}
	secret, t, err := s.Orgs.CreateToken(r.Context(), in)
	if err == nil {
		v.Flash = "Token created: copy it now, it is not shown again"
		return s.renderTokens(w, r, v, http.StatusCreated, tokensPage{Created: &t, Secret: secret})
	}
	if v.Form, err = rejected(r, "token", err); err != nil {
		return err
	}
	return s.renderTokens(w, r, v, http.StatusBadRequest, tokensPage{})
}

func (s *Server) revokeToken(w http.ResponseWriter, r *http.Request, v *view) error {
	if err := s.Orgs.RevokeToken(r.Context(), r.PathValue("id")); err != nil {
		return err
	}
	return redirect(w, r, "/admin/tokens", "token-revoked")
}

type sessionsPage struct {
	Sessions []org.Session
	Current  string
}

func (s *Server) adminSessions(w http.ResponseWriter, r *http.Request, v *view) error {
	ss, err := s.Orgs.Sessions(r.Context())
	if err != nil {
		return err
	}
	v.Title, v.Nav, v.Data = "Sessions", "sessions", sessionsPage{Sessions: ss, Current: v.Actor.CredentialID}
	return s.render(w, http.StatusOK, "admin_sessions", v)
}

func (s *Server) revokeSession(w http.ResponseWriter, r *http.Request, v *view) error {
	if err := s.Orgs.RevokeSession(r.Context(), r.PathValue("id")); err != nil {
		return err
	}
	if r.PathValue("id") == v.Actor.CredentialID {
		return redirect(w, r, "/login", "signed-out")
	}
	return redirect(w, r, "/admin/sessions", "session-ended")
}
