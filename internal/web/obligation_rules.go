package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/warroom/warroom/internal/errs"
	"github.com/warroom/warroom/internal/obligation"
)

// orgRulesPage is the admin page of the organisation's own notification
// rules: the rules in force from the document and the document itself,
// editable as YAML.
type orgRulesPage struct {
	Doc      obligation.OrgRules
	Builtin  int    // how many built-in rules are evaluated besides
	Template string // the starting text when there is no document yet
}

func (s *Server) adminObligationRules(w http.ResponseWriter, r *http.Request, v *view) error {
	return s.renderOrgRules(w, r, v, http.StatusOK)
}

func (s *Server) renderOrgRules(w http.ResponseWriter, r *http.Request, v *view, status int) error {
	if s.Obligations == nil {
		return errs.NotFoundf("notification rules are not enabled on this server")
	}
	doc, err := s.Obligations.OrgRules(r.Context())
	if err != nil {
		return err
	}
	d := orgRulesPage{Doc: doc, Template: orgRulesTemplate}
	if s.Obligations.Rules != nil {
		d.Builtin = len(s.Obligations.Rules.Rules)
	}
	v.Title, v.Nav, v.Data = "Notification rules", "obligation-rules", d
	return s.render(w, status, "admin_obligations", v)
}

// saveObligationRules replaces the document with the form's text; the
// problems come back beside it, each with its line and column.
func (s *Server) saveObligationRules(w http.ResponseWriter, r *http.Request, v *view) error {
	if s.Obligations == nil {
		return errs.NotFoundf("notification rules are not enabled on this server")
	}
	version, _ := strconv.ParseInt(r.PostForm.Get("version"), 10, 64)
	// Browsers send a textarea with CRLF line ends; keep the document as
	// the CLI would upload it.
	src := strings.ReplaceAll(r.PostForm.Get("source"), "\r\n", "\n")
	_, err := s.Obligations.PutOrgRules(r.Context(), []byte(src), version)
	if err == nil {
		return redirect(w, r, "/admin/obligations", "obligation-rules")
	}
	st := statusOf(errs.CodeOf(err))
	if v.Form, err = rejected(r, "rules", err); err != nil {
		return err
	}
	return s.renderOrgRules(w, r, v, st)
}

// orgRulesTemplate starts an organisation without rules of its own with
// one to adapt (docs/obligations.md has the whole format).
const orgRulesTemplate = `version: 1
rules:
  - id: yourorg-customer-48h              # your own id: not a built-in rule's
    title: Notify the customer under the master services agreement
    jurisdiction: contract
    regime: MSA clause 9.3
    recipient: {kind: customers, name: Example customer}
    applies: {personal_data: true}
    clock: {event: awareness}
    deadline: {hours: 48, basis: contract, text: Within 48 hours of becoming aware}
    citations:
      - {title: MSA clause 9.3, url: "https://intranet.example/contracts/msa.pdf"}
    confidence: high
    status: in_force
`
