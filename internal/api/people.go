package api

import (
	"net/http"
	"time"

	"github.com/warroom/warroom/internal/actor"
	"github.com/warroom/warroom/internal/incident"
	"github.com/warroom/warroom/internal/org"
)

// LoginInput exchanges a password for an API token (what warroom login does).
type LoginInput struct {
	Email     string `json:"email"`
	Password  string `json:"password"`
	Org       string `json:"org"`
	TokenName string `json:"token_name"`
}

// TokenCreated is the one response that carries a token secret.
type TokenCreated struct {
	Token string    `json:"token"`
	Info  org.Token `json:"info"`
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	var in LoginInput
	if err := s.decode(w, r, &in); err != nil {
		return err
	}
	a, err := s.Orgs.Login(r.Context(), org.LoginInput{Email: in.Email, Password: in.Password, Org: in.Org, RemoteAddr: remoteAddr(r)})
	if err != nil {
		return err
	}
	name := in.TokenName
	if name == "" {
		name = "warroom login " + s.Orgs.Now().UTC().Format("2006-01-02")
	}
	secret, t, err := s.Orgs.CreateToken(actor.With(r.Context(), a), org.TokenInput{Name: name})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, TokenCreated{Token: secret, Info: t})
	return nil
}

// logout revokes the credential that made the request.
func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	a := actor.From(r.Context())
	var err error
	if a.Via == "session" {
		err = s.Orgs.RevokeSession(r.Context(), a.CredentialID)
	} else {
		err = s.Orgs.RevokeToken(r.Context(), a.CredentialID)
	}
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// Me is who the caller is.
type Me struct {
	UserID string           `json:"user_id"`
	Email  string           `json:"email"`
	Name   string           `json:"name"`
	Role   actor.Role       `json:"role"`
	Org    org.Organization `json:"org"`
	Via    string           `json:"via"`
}

func (s *Server) me(w http.ResponseWriter, r *http.Request) error {
	a := actor.From(r.Context())
	o, err := s.Orgs.Organization(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, Me{UserID: a.UserID, Email: a.Email, Name: a.Name, Role: a.Role, Org: o, Via: a.Via})
	return nil
}

func list[T any](items []T) incident.Page[T] {
	if items == nil {
		items = []T{}
	}
	return incident.Page[T]{Items: items}
}

func (s *Server) listMembers(w http.ResponseWriter, r *http.Request) error {
	ms, err := s.Orgs.Members(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list(ms))
	return nil
}

// MemberInput adds a person to the organisation.
type MemberInput struct {
	Email    string     `json:"email"`
	Name     string     `json:"name"`
	Role     actor.Role `json:"role"`
	Password string     `json:"password"`
}

// MemberCreated carries a generated password, shown once.
type MemberCreated struct {
	Member   org.Member `json:"member"`
	Password string     `json:"password,omitempty"`
}

func (s *Server) addMember(w http.ResponseWriter, r *http.Request) error {
	var in MemberInput
	if err := s.decode(w, r, &in); err != nil {
		return err
	}
	m, pw, err := s.Orgs.AddUser(r.Context(), org.AddUserInput{Email: in.Email, Name: in.Name, Role: in.Role, Password: in.Password})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, MemberCreated{Member: m, Password: pw})
	return nil
}

// MemberPatch changes a member's organisation role.
type MemberPatch struct {
	Role actor.Role `json:"role"`
}

func (s *Server) updateMember(w http.ResponseWriter, r *http.Request) error {
	var in MemberPatch
	if err := s.decode(w, r, &in); err != nil {
		return err
	}
	m, err := s.Orgs.SetMemberRole(r.Context(), r.PathValue("user"), in.Role)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, m)
	return nil
}

func (s *Server) listRoles(w http.ResponseWriter, r *http.Request) error {
	rs, err := s.Orgs.Roles(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list(rs))
	return nil
}

// RoleInput adds a role to the catalogue.
type RoleInput struct {
	Key         string `json:"key"`
	Name        string `json:"name"`
	Description string `json:"description"`
}

func (s *Server) addRole(w http.ResponseWriter, r *http.Request) error {
	var in RoleInput
	if err := s.decode(w, r, &in); err != nil {
		return err
	}
	role, err := s.Orgs.AddRole(r.Context(), org.IRRole{Key: in.Key, Name: in.Name, Description: in.Description})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, role)
	return nil
}

func (s *Server) listTokens(w http.ResponseWriter, r *http.Request) error {
	ts, err := s.Orgs.Tokens(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list(ts))
	return nil
}

// TokenInput creates an API token for the caller.
type TokenInput struct {
	Name      string     `json:"name"`
	ExpiresAt *time.Time `json:"expires_at"`
	NoExpiry  bool       `json:"no_expiry"`
}

func (s *Server) createToken(w http.ResponseWriter, r *http.Request) error {
	var in TokenInput
	if err := s.decode(w, r, &in); err != nil {
		return err
	}
	secret, t, err := s.Orgs.CreateToken(r.Context(), org.TokenInput{Name: in.Name, ExpiresAt: in.ExpiresAt, NoExpiry: in.NoExpiry})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, TokenCreated{Token: secret, Info: t})
	return nil
}

func (s *Server) revokeToken(w http.ResponseWriter, r *http.Request) error {
	if err := s.Orgs.RevokeToken(r.Context(), r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) listSessions(w http.ResponseWriter, r *http.Request) error {
	ss, err := s.Orgs.Sessions(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list(ss))
	return nil
}

func (s *Server) revokeSession(w http.ResponseWriter, r *http.Request) error {
	if err := s.Orgs.RevokeSession(r.Context(), r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) listAudit(w http.ResponseWriter, r *http.Request) error {
	q := query{r: r}
	limit := q.int("limit")
	if err := q.err(); err != nil {
		return err
	}
	evs, err := s.Orgs.Audit(r.Context(), limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list(evs))
	return nil
}
