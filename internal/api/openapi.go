package api

import (
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/warroom/warroom/internal/actor"
	"github.com/warroom/warroom/internal/attack"
	"github.com/warroom/warroom/internal/audit"
	"github.com/warroom/warroom/internal/contact"
	"github.com/warroom/warroom/internal/evidence"
	"github.com/warroom/warroom/internal/incident"
	"github.com/warroom/warroom/internal/ioc"
	"github.com/warroom/warroom/internal/notify"
	"github.com/warroom/warroom/internal/obligation"
	"github.com/warroom/warroom/internal/org"
	"github.com/warroom/warroom/internal/plan"
	"github.com/warroom/warroom/internal/record"
)

// op documents one API operation. The list below is written by hand, apart
// from the routes, so a test can catch a route nobody documented.
type op struct {
	method, path, summary string
	query                 []string // query parameter names
	body                  any      // request body type, nil for none
	status                int
	resp                  any // response body type, nil for none
}

type (
	incidentPage = incident.Page[incident.Incident]
	taskPage     = incident.Page[incident.Task]
	entryPage    = incident.Page[incident.Entry]
	memberPage   = incident.Page[org.Member]
	rolePage     = incident.Page[org.IRRole]
	tokenPage    = incident.Page[org.Token]
	sessionPage  = incident.Page[org.Session]
	auditPage    = incident.Page[audit.Event]
	reportPage   = incident.Page[record.Report]
	storedPage   = incident.Page[plan.Stored]
	webhookPage  = incident.Page[notify.Webhook]
	deliveryPage = incident.Page[notify.Delivery]
	pagePage     = incident.Page[notify.Page]
	contactPage  = incident.Page[contact.Contact]
	iocPage      = incident.Page[ioc.Indicator]
	extractPage  = incident.Page[ioc.Candidate]
	evidencePage = incident.Page[evidence.Evidence]
	custodyPage  = incident.Page[evidence.Event]
	tacticPage   = incident.Page[attack.Tactic]
	rulePage     = incident.Page[obligation.Rule]
	closeInput   struct {
		Note string `json:"note"`
	}
	eventStream struct{}
)

var listQuery = []string{"limit", "cursor"}

func apiOps() []op {
	return []op{
		{"GET", "/api/v1/openapi.json", "This OpenAPI document", nil, nil, 200, map[string]any{}},
		{"POST", "/api/v1/login", "Exchange email and password for an API token", nil, LoginInput{}, 201, TokenCreated{}},
		{"POST", "/api/v1/logout", "Revoke the token (or session) making this request", nil, nil, 204, nil},
		{"GET", "/api/v1/me", "Who the caller is", nil, nil, 200, Me{}},
		{"GET", "/api/v1/members", "People of the organisation", nil, nil, 200, memberPage{}},
		{"POST", "/api/v1/members", "Add a person (admins)", nil, MemberInput{}, 201, MemberCreated{}},
		{"PATCH", "/api/v1/members/{user}", "Change a person's organisation role (admins)", nil, MemberPatch{}, 200, org.Member{}},
		{"GET", "/api/v1/roles", "The incident-response role catalogue", nil, nil, 200, rolePage{}},
		{"POST", "/api/v1/roles", "Add a role to the catalogue (admins)", nil, RoleInput{}, 201, org.IRRole{}},
		{"GET", "/api/v1/tokens", "API tokens (own; admins see all)", nil, nil, 200, tokenPage{}},
		{"POST", "/api/v1/tokens", "Create an API token; the secret is shown once", nil, TokenInput{}, 201, TokenCreated{}},
		{"DELETE", "/api/v1/tokens/{id}", "Revoke an API token", nil, nil, 204, nil},
		{"GET", "/api/v1/sessions", "Browser sessions (own; admins see all)", nil, nil, 200, sessionPage{}},
		{"DELETE", "/api/v1/sessions/{id}", "Revoke a browser session", nil, nil, 204, nil},
		{"GET", "/api/v1/audit", "Audit log, newest first (admins)", []string{"limit"}, nil, 200, auditPage{}},
		{"GET", "/api/v1/events", "Server-Sent Events: new timeline entries of every visible incident", []string{"after"}, nil, 200, eventStream{}},
		{"GET", "/api/v1/verify", "Verify the hash chain of every visible incident", nil, nil, 200, reportPage{}},
		{"GET", "/api/v1/webhooks", "The organisation's webhooks, without secrets (admins)", nil, nil, 200, webhookPage{}},
		{"POST", "/api/v1/webhooks", "Add a webhook; the response carries its signing secret, once (admins)", nil, WebhookInput{}, 201, notify.Webhook{}},
		{"PATCH", "/api/v1/webhooks/{id}", "Turn a webhook on or off (admins)", nil, WebhookPatch{}, 204, nil},
		{"DELETE", "/api/v1/webhooks/{id}", "Delete a webhook (admins)", nil, nil, 204, nil},
		{"GET", "/api/v1/deliveries", "Outgoing notifications, newest first (admins)", []string{"status"}, nil, 200, deliveryPage{}},
		{"POST", "/api/v1/deliveries/{id}/retry", "Queue a failed notification again (admins)", nil, nil, 204, nil},
		{"GET", "/api/v1/incidents/{ref}/pages", "Pages (escalations) of an incident", nil, nil, 200, pagePage{}},
		{"POST", "/api/v1/incidents/{ref}/pages/{id}/ack", "Acknowledge a page: reminders and escalation stop", nil, nil, 200, notify.Page{}},
		{"GET", "/api/v1/plans", "The plan library: newest version of each plan", nil, nil, 200, storedPage{}},
		{"POST", "/api/v1/plans", "Import a plan (YAML in source); lint problems come back as errors with file:line:column", nil, PlanImport{}, 201, PlanImported{}},
		{"GET", "/api/v1/plans/{id}", "Every version of a plan, newest first", nil, nil, 200, storedPage{}},
		{"GET", "/api/v1/plans/{id}/versions/{version}", "One version of a plan (0: the newest), source and parsed", nil, nil, 200, PlanVersion{}},
		{"GET", "/api/v1/plans/{id}/diff", "Unified diff between two versions", []string{"from", "to"}, nil, 200, PlanDiff{}},
		{"GET", "/api/v1/contacts", "The stakeholder directory, by kind; stale=true lists only contacts not verified in 90 days", []string{"kind", "stale", "q"}, nil, 200, contactPage{}},
		{"POST", "/api/v1/contacts", "Add a contact (responders and admins)", nil, contact.Input{}, 201, contact.Contact{}},
		{"GET", "/api/v1/contacts/{key}", "Get a contact (ETag carries its version)", nil, nil, 200, contact.Contact{}},
		{"PATCH", "/api/v1/contacts/{key}", "Update a contact (send If-Match); a changed channel clears the verification unless verified is true", nil, contact.Patch{}, 200, contact.Contact{}},
		{"DELETE", "/api/v1/contacts/{key}", "Delete a contact (admins)", nil, nil, 204, nil},
		{"POST", "/api/v1/contacts/{key}/verify", "Record that the caller confirmed the contact's details with them now", nil, nil, 200, contact.Contact{}},
		{"GET", "/api/v1/incidents", "List incidents", append([]string{"status", "severity", "type", "phase", "mine", "q", "sort"}, listQuery...), nil, 200, incidentPage{}},
		{"POST", "/api/v1/incidents", "Declare an incident", nil, incident.DeclareInput{}, 201, incident.Incident{}},
		{"GET", "/api/v1/incidents/{ref}", "Get an incident (ETag carries its version)", nil, nil, 200, incident.Incident{}},
		{"PATCH", "/api/v1/incidents/{ref}", "Update an incident (send If-Match)", nil, incident.Patch{}, 200, incident.Incident{}},
		{"POST", "/api/v1/incidents/{ref}/close", "Close an incident with an optional closing note", nil, closeInput{}, 200, incident.Incident{}},
		{"PUT", "/api/v1/incidents/{ref}/milestones/{kind}", "Set a milestone time", nil, MilestoneInput{}, 200, incident.Incident{}},
		{"DELETE", "/api/v1/incidents/{ref}/milestones/{kind}", "Clear a milestone time", nil, nil, 200, incident.Incident{}},
		{"GET", "/api/v1/incidents/{ref}/roster", "Current role holders and hand-over history", nil, nil, 200, incident.Roster{}},
		{"POST", "/api/v1/incidents/{ref}/roster", "Assign a person to a role", nil, incident.AssignInput{}, 201, incident.Assignment{}},
		{"POST", "/api/v1/incidents/{ref}/roster/release", "Release a person from a role", nil, incident.ReleaseInput{}, 200, incident.Roster{}},
		{"POST", "/api/v1/incidents/{ref}/roster/handover", "Hand a role over to another person", nil, incident.HandoverInput{}, 201, incident.Assignment{}},
		{"GET", "/api/v1/incidents/{ref}/tasks", "List tasks", append([]string{"mine", "overdue", "phase", "role", "status"}, listQuery...), nil, 200, taskPage{}},
		{"POST", "/api/v1/incidents/{ref}/tasks", "Create a task", nil, incident.TaskInput{}, 201, incident.Task{}},
		{"GET", "/api/v1/incidents/{ref}/tasks/{number}", "Get a task", nil, nil, 200, incident.Task{}},
		{"PATCH", "/api/v1/incidents/{ref}/tasks/{number}", "Update a task (send If-Match)", nil, incident.TaskPatch{}, 200, incident.Task{}},
		{"GET", "/api/v1/incidents/{ref}/timeline", "List timeline entries", append([]string{"order", "kind"}, listQuery...), nil, 200, entryPage{}},
		{"POST", "/api/v1/incidents/{ref}/timeline", "Add a note (optionally backdated) or a correction", nil, incident.EntryInput{}, 201, incident.Entry{}},
		{"GET", "/api/v1/incidents/{ref}/events", "Server-Sent Events: the incident's new timeline entries", []string{"after"}, nil, 200, eventStream{}},
		{"GET", "/api/v1/incidents/{ref}/verify", "Verify the incident's hash chain", nil, nil, 200, record.Report{}},
		{"GET", "/api/v1/incidents/{ref}/evidence", "The incident's evidence locker, by number", nil, nil, 200, evidencePage{}},
		{"POST", "/api/v1/incidents/{ref}/evidence", "Upload a file as evidence (multipart/form-data: metadata fields, then the content in a part named file; streamed, hashed with MD5, SHA-1 and SHA-256)", nil, EvidenceUpload{}, 201, evidence.Evidence{}},
		{"POST", "/api/v1/incidents/{ref}/evidence/external", "Register an item held elsewhere (a disk image at a location, a seized laptop), with its hashes if known", nil, evidence.ExternalInput{}, 201, evidence.Evidence{}},
		{"GET", "/api/v1/incidents/{ref}/evidence/{id}", "Get an item (id: EV-3 or 3)", nil, nil, 200, evidence.Evidence{}},
		{"GET", "/api/v1/incidents/{ref}/evidence/{id}/download", "Download a stored file (responders and admins); recorded as an access in the chain of custody and audited. Repr-Digest carries the recorded SHA-256", []string{"reason"}, nil, 200, binaryContent{}},
		{"POST", "/api/v1/incidents/{ref}/evidence/{id}/custody", "Record a custody event: transfer, access, export, return or destroy", nil, evidence.CustodyInput{}, 201, evidence.Event{}},
		{"GET", "/api/v1/incidents/{ref}/evidence/{id}/custody", "The item's chain of custody, oldest first, from the incident's record", nil, nil, 200, custodyPage{}},
		{"GET", "/api/v1/incidents/{ref}/iocs", "List indicators, each with the other visible incidents holding it (seen_in); ioc=true leaves out artifacts", append([]string{"type", "ioc", "q"}, listQuery...), nil, 200, iocPage{}},
		{"POST", "/api/v1/incidents/{ref}/iocs", "Add an indicator (validated and normalised); 200 instead of 201 when the incident had it and the sighting was merged", nil, ioc.Input{}, 201, ioc.Indicator{}},
		{"GET", "/api/v1/incidents/{ref}/iocs/{id}", "Get an indicator (ETag carries its version)", nil, nil, 200, ioc.Indicator{}},
		{"PATCH", "/api/v1/incidents/{ref}/iocs/{id}", "Update an indicator's TLP, confidence, source, sightings, tags, note or is_ioc (send If-Match)", nil, ioc.Patch{}, 200, ioc.Indicator{}},
		{"DELETE", "/api/v1/incidents/{ref}/iocs/{id}", "Delete an indicator (the timeline keeps what it was)", nil, nil, 204, nil},
		{"POST", "/api/v1/incidents/{ref}/iocs/sightings", "Report a sweep of one host (warroom sweep --upload): each sighted indicator's first/last seen widen, and one timeline entry records the host, what was covered and every sighting; values the incident does not have are listed as unknown, not added", nil, ioc.SweepReport{}, 200, ioc.SweepResult{}},
		{"POST", "/api/v1/incidents/{ref}/iocs/bulk", "Apply one action (mark_ioc, mark_artifact, set_tlp, add_tag, remove_tag, delete) to up to 500 indicators in one transaction: all change or none does", nil, ioc.BulkInput{}, 200, ioc.BulkResult{}},
		{"POST", "/api/v1/iocs/extract", "Find candidate indicators in text (refanged; doubtful ones flagged with suggest=false); stores nothing", nil, ioc.ExtractInput{}, 200, extractPage{}},
		{"POST", "/api/v1/incidents/{ref}/iocs/import", "Import indicators from a document sent as the body (format stix, misp, csv or text; up to 16 MiB, 10,000 indicators) in one transaction; reports what it took, merged and rejected, with reasons", []string{"format"}, IndicatorDocument{}, 200, ioc.ImportReport{}},
		{"GET", "/api/v1/incidents/{ref}/iocs/export", "Export the incident's indicators (format stix, csv, misp or list; type= one type; all=true adds artifacts; max_tlp= leaves out more restrictive markings) as a file to save", []string{"format", "type", "all", "max_tlp"}, nil, 200, IndicatorExport{}},
		{"POST", "/api/v1/incidents/{ref}/attack", "Record attacker activity: event time and precision, host, account, ATT&CK tactic and technique, links to the incident's indicators and evidence (docs/attack.md)", nil, attack.Input{}, 201, attack.Recorded{}},
		{"GET", "/api/v1/incidents/{ref}/attack/story", "The attacker story: activity grouped by tactic in kill-chain order, in event-time order, with hosts, accounts and techniques reached", nil, nil, 200, attack.Story{}},
		{"GET", "/api/v1/attack/tactics", "The built-in ATT&CK Enterprise tactics in kill-chain order", nil, nil, 200, tacticPage{}},
		{"GET", "/api/v1/attack/techniques", "The imported ATT&CK technique catalogue; q matches an ID prefix or part of a name, all=true includes revoked and deprecated", []string{"q", "tactic", "all", "limit"}, nil, 200, attack.TechniqueList{}},
		{"GET", "/api/v1/incidents/{ref}/obligations/facts", "The incident's notification facts (jurisdictions, entity types, affected people, data types, events; docs/obligations.md); the ETag carries their version, 0 when none were recorded", nil, nil, 200, obligation.FactsRecord{}},
		{"PUT", "/api/v1/incidents/{ref}/obligations/facts", "Replace the incident's notification facts (validated; send If-Match); written to the incident's record", nil, obligation.Facts{}, 200, obligation.FactsRecord{}},
		{"GET", "/api/v1/incidents/{ref}/obligations", "The notifications owed under the cited rules, evaluated now: recipient, status (due, pending_event, not_applicable), due instant, stages, explanation, citations, and what was done about each; all=true includes rules that do not apply. Not legal advice", []string{"all"}, nil, 200, obligation.Report{}},
		{"POST", "/api/v1/incidents/{ref}/obligations/{rule}/status", "Record a notification's status: not_started, drafting, submitted (submitted_at required; submitted_by, reference, proof_evidence EV-n optional) or not_required (rationale required); written to the incident's record", nil, obligation.StatusInput{}, 200, obligation.Notification{}},
		{"GET", "/api/v1/obligations/rules", "The notification rules evaluated for your organisation: the built-in catalogue (origin builtin) followed by the organisation's own rules (origin organisation), with their clocks and citations", nil, nil, 200, rulePage{}},
		{"GET", "/api/v1/obligations/rules/custom", "The organisation's own rules document (admins): the source as uploaded, its version (also the ETag; 0 when none), the parsed rules and any problems under this release", nil, nil, 200, obligation.OrgRules{}},
		{"PUT", "/api/v1/obligations/rules/custom", "Replace the organisation's own rules document (admins; send If-Match). The body is the document in the format of docs/obligations.md as application/yaml, text/plain or application/json; problems come back as errors named file:line:column and change nothing; an id of a built-in rule is refused; \"rules: []\" removes them all. Audited", nil, RulesDocument{}, 200, obligation.OrgRules{}},
	}
}

func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, OpenAPIDocument(s.Version))
	return nil
}

// OpenAPIDocument builds the OpenAPI 3.1 description of the API. Schemas
// are derived from the Go types the handlers decode and encode, so they
// cannot drift from the code.
func OpenAPIDocument(version string) map[string]any {
	g := &schemaGen{defs: map[string]any{}}
	paths := map[string]map[string]any{}
	for _, o := range apiOps() {
		operation := map[string]any{"summary": o.summary, "operationId": operationID(o)}
		var params []any
		for _, seg := range strings.Split(o.path, "/") {
			if strings.HasPrefix(seg, "{") {
				params = append(params, map[string]any{"name": strings.Trim(seg, "{}"), "in": "path", "required": true, "schema": map[string]any{"type": "string"}})
			}
		}
		for _, q := range o.query {
			params = append(params, map[string]any{"name": q, "in": "query", "schema": map[string]any{"type": "string"}})
		}
		if params != nil {
			operation["parameters"] = params
		}
		if _, ok := o.body.(RulesDocument); ok {
			text := map[string]any{"schema": map[string]any{"type": "string", "description": "A rules document (docs/obligations.md), YAML or JSON"}}
			operation["requestBody"] = map[string]any{"required": true, "content": map[string]any{"application/yaml": text, "text/plain": text, "application/json": text}}
		} else if _, ok := o.body.(IndicatorDocument); ok {
			operation["requestBody"] = map[string]any{"required": true, "content": map[string]any{"*/*": map[string]any{"schema": map[string]any{"type": "string",
				"description": "The document: a STIX 2.1 bundle, a MISP event, CSV with a header row, or text, as the format parameter says"}}}}
		} else if _, ok := o.body.(EvidenceUpload); ok {
			operation["requestBody"] = map[string]any{"required": true, "content": map[string]any{"multipart/form-data": map[string]any{"schema": g.schema(reflect.TypeOf(o.body))}}}
		} else if o.body != nil {
			operation["requestBody"] = map[string]any{"required": true, "content": map[string]any{"application/json": map[string]any{"schema": g.schema(reflect.TypeOf(o.body))}}}
		}
		resp := map[string]any{"description": http.StatusText(o.status)}
		switch o.resp.(type) {
		case nil:
		case IndicatorExport:
			object, text := map[string]any{"schema": map[string]any{"type": "object"}}, map[string]any{"schema": map[string]any{"type": "string"}}
			resp["content"] = map[string]any{"application/stix+json;version=2.1": object, "application/json": object, "text/csv": text, "text/plain": text}
		case binaryContent:
			resp["content"] = map[string]any{"application/octet-stream": map[string]any{"schema": g.schema(reflect.TypeOf(o.resp))}}
		case eventStream:
			resp["content"] = map[string]any{"text/event-stream": map[string]any{"schema": map[string]any{"type": "string",
				"description": "id: sequence number; event: entry or gone; data: a timeline entry as JSON. Resume with Last-Event-ID."}}}
		default:
			resp["content"] = map[string]any{"application/json": map[string]any{"schema": g.schema(reflect.TypeOf(o.resp))}}
		}
		operation["responses"] = map[string]any{
			itoa(o.status): resp,
			"default":      map[string]any{"description": "Problem", "content": map[string]any{"application/problem+json": map[string]any{"schema": g.schema(reflect.TypeOf(Problem{}))}}},
		}
		if o.path != "/api/v1/login" && o.path != "/api/v1/openapi.json" {
			operation["security"] = []any{map[string]any{"bearer": []any{}}}
		}
		if paths[o.path] == nil {
			paths[o.path] = map[string]any{}
		}
		paths[o.path][strings.ToLower(o.method)] = operation
	}
	return map[string]any{
		"openapi": "3.1.0",
		"info":    map[string]any{"title": "Warroom API", "version": version, "description": "Incident response: incidents, roster, tasks and the hash-chained timeline."},
		"paths":   paths,
		"components": map[string]any{
			"schemas":         g.defs,
			"securitySchemes": map[string]any{"bearer": map[string]any{"type": "http", "scheme": "bearer"}},
		},
	}
}

func operationID(o op) string {
	var b strings.Builder
	b.WriteString(strings.ToLower(o.method))
	for _, seg := range strings.Split(strings.TrimPrefix(o.path, "/api/v1/"), "/") {
		seg = strings.Trim(seg, "{}")
		seg = strings.ReplaceAll(seg, ".", "_")
		if seg != "" {
			b.WriteString(strings.ToUpper(seg[:1]) + seg[1:])
		}
	}
	return b.String()
}

func itoa(n int) string { return strconv.Itoa(n) }

// schemaGen turns Go types into JSON Schema (2020-12, as OpenAPI 3.1 uses).
type schemaGen struct{ defs map[string]any }

var timeType = reflect.TypeOf(time.Time{})

func (g *schemaGen) schema(t reflect.Type) map[string]any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == timeType:
		return map[string]any{"type": "string", "format": "date-time"}
	case t == reflect.TypeOf(actor.Role("")):
		return map[string]any{"type": "string", "enum": []string{"viewer", "responder", "admin"}}
	case t == reflect.TypeOf(contact.Kind("")):
		return map[string]any{"type": "string", "enum": contact.Kinds}
	case t == reflect.TypeOf(attack.Precision("")):
		return map[string]any{"type": "string", "enum": attack.Precisions}
	case t == reflect.TypeOf(ioc.Type("")):
		return map[string]any{"type": "string", "enum": ioc.Types}
	case t == reflect.TypeOf(binaryContent{}):
		return map[string]any{"type": "string", "contentMediaType": "application/octet-stream"}
	}
	switch t.Kind() {
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int64, reflect.Int32:
		return map[string]any{"type": "integer"}
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 { // json.RawMessage
			return map[string]any{}
		}
		return map[string]any{"type": "array", "items": g.schema(t.Elem())}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": g.schema(t.Elem())}
	case reflect.Interface:
		return map[string]any{}
	case reflect.Struct:
		name := schemaName(t)
		if _, ok := g.defs[name]; !ok {
			g.defs[name] = map[string]any{} // placeholder stops recursion
			props := map[string]any{}
			g.fields(t, props)
			g.defs[name] = map[string]any{"type": "object", "properties": props}
		}
		return map[string]any{"$ref": "#/components/schemas/" + name}
	}
	return map[string]any{}
}

func (g *schemaGen) fields(t reflect.Type, props map[string]any) {
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		name := strings.Split(tag, ",")[0]
		if f.Anonymous && name == "" {
			ft := f.Type
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			g.fields(ft, props)
			continue
		}
		if !f.IsExported() || name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		props[name] = g.schema(f.Type)
	}
}

func schemaName(t reflect.Type) string {
	n := t.Name()
	if i := strings.IndexByte(n, '['); i >= 0 { // generic Page[T]
		elem := n[i+1 : len(n)-1]
		elem = elem[strings.LastIndexAny(elem, "./")+1:]
		n = n[:i] + "_" + elem
	}
	if n == "" {
		n = "Anonymous"
	}
	pkg := t.PkgPath()
	pkg = pkg[strings.LastIndex(pkg, "/")+1:]
	if pkg != "" && pkg != "api" {
		return pkg + "." + n
	}
	return n
}
