package web

import (
	"net/http"

	"github.com/warroom/warroom/internal/actor"
	"github.com/warroom/warroom/internal/api"
	"github.com/warroom/warroom/internal/errs"
	"github.com/warroom/warroom/internal/org"
)

type loginPage struct {
	Next  string
	Email string
	Error string
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request, v *view) error {
	next := safeNext(r.URL.Query().Get("next"))
	if v.Actor != nil {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return nil
	}
	v.Title, v.Data = "Sign in", loginPage{Next: next}
	return s.render(w, http.StatusOK, "login", v)
}

// loginSubmit signs in and starts a session. Every failure shows the same
// message; the service rate-limits by account and by address.
func (s *Server) loginSubmit(w http.ResponseWriter, r *http.Request, v *view) error {
	email, next := r.PostFormValue("email"), safeNext(r.PostFormValue("next"))
	a, err := s.Orgs.Login(r.Context(), org.LoginInput{Email: email, Password: r.PostFormValue("password"),
		Org: r.PostFormValue("org"), RemoteAddr: remoteAddr(r)})
	if err != nil {
		if c := errs.CodeOf(err); c != errs.Unauthorized && c != errs.TooManyRequests {
			return err
		}
		v.Title, v.Data = "Sign in", loginPage{Next: next, Email: email, Error: errs.MessageOf(err)}
		return s.render(w, statusOf(errs.CodeOf(err)), "login", v)
	}
	secret, ses, err := s.Orgs.CreateSession(actor.With(r.Context(), a), a, r.UserAgent())
	if err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: api.SessionCookie, Value: secret, Path: "/", HttpOnly: true,
		Secure: s.SecureCookies || r.TLS != nil, SameSite: http.SameSiteLaxMode, Expires: ses.CreatedAt.Add(org.SessionMax)})
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request, v *view) error {
	if err := s.Orgs.RevokeSession(r.Context(), v.Actor.CredentialID); err != nil && errs.CodeOf(err) != errs.NotFound {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: api.SessionCookie, Value: "", Path: "/", HttpOnly: true, MaxAge: -1,
		Secure: s.SecureCookies || r.TLS != nil, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, "/login?done=signed-out", http.StatusSeeOther)
	return nil
}
