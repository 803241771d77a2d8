package api_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/warroom/warroom/internal/contact"
	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/db/dbtest"
	"github.com/warroom/warroom/internal/evidence"
	"github.com/warroom/warroom/internal/incident"
	"github.com/warroom/warroom/internal/ioc"
)

// TestBadInput sends malformed requests and checks each gets a specific
// problem (status, code, the field at fault) and changes nothing.
func TestBadInput(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		i := MustDeclare(t, e, "responder", incident.DeclareInput{Title: "Phishing wave", Ref: "IR-2026-0100"})
		if _, err := e.inc.Update(e.ctx("responder"), i.Ref, incident.Patch{Phase: ptr(incident.Phase("containment"))}, 0); err != nil {
			t.Fatal(err)
		}
		if _, err := e.cts.Create(e.ctx("responder"), contact.Input{Key: "outside-counsel", Name: "Jo", Kind: "outside_counsel", Phone: "+44 20 7946 0958"}); err != nil {
			t.Fatal(err)
		}
		ref := "/api/v1/incidents/" + i.Ref
		token := e.client("responder").Token
		indicator, _, err := e.iocs.Add(e.ctx("responder"), i.Ref, ioc.Input{Type: "domain", Value: "phish.example.net"})
		if err != nil {
			t.Fatal(err)
		}
		iocPath := ref + "/iocs/" + indicator.ID
		bigText := `{"text": "` + strings.Repeat("hxxp://evil[.]example ", 4<<10) + `"}`
		big := `{"title": "` + strings.Repeat("A", 70<<10) + `", "type": "malware", "severity": "SEV3"}`
		mp := func(b rawBody) (string, map[string]string) {
			return string(b.data), map[string]string{"Content-Type": b.contentType}
		}
		noFile, noFileH := mp(uploadBody(map[string]string{"name": "x"}, "", nil))
		odd, oddH := mp(uploadBody(map[string]string{"colour": "red"}, "a.txt", []byte("a")))
		badAt, badAtH := mp(uploadBody(map[string]string{"collected_at": "yesterday"}, "a.txt", []byte("a")))
		futureAt, futureAtH := mp(uploadBody(map[string]string{"collected_at": "2999-01-01T00:00:00Z"}, "a.txt", []byte("a")))
		huge, hugeH := mp(uploadBody(nil, "huge.bin", make([]byte, 2<<20))) // the test server's evidence limit is 1 MiB
		tests := []struct {
			name, method, path, body string
			headers                  map[string]string
			status                   int
			code, field              string
		}{
			{"UnknownField", "POST", "/api/v1/incidents", `{"title": "x", "type": "malware", "severity": "SEV3", "colour": "red"}`, nil, 400, "invalid", "colour"},
			{"WrongType", "POST", "/api/v1/incidents", `{"title": 5, "type": "malware", "severity": "SEV3"}`, nil, 400, "invalid", "title"},
			{"WrongTypeBool", "PATCH", ref, `{"restricted": "yes"}`, nil, 400, "invalid", "restricted"},
			{"InvalidSeverity", "POST", "/api/v1/incidents", `{"title": "x", "type": "malware", "severity": "SEV0"}`, nil, 400, "invalid", "severity"},
			{"InvalidPhase", "PATCH", ref, `{"phase": "panic"}`, nil, 400, "invalid", "phase"},
			{"InvalidTime", "POST", ref + "/timeline", `{"text": "x", "event_time": "yesterday"}`, nil, 400, "invalid", "body"},
			{"FutureTime", "POST", ref + "/timeline", `{"text": "x", "event_time": "2999-01-01T00:00:00Z"}`, nil, 400, "invalid", "event_time"},
			{"UnknownKind", "POST", ref + "/timeline", `{"text": "x", "kind": "gossip"}`, nil, 400, "invalid", "kind"},
			{"EmptyText", "POST", ref + "/timeline", `{"text": "   "}`, nil, 400, "invalid", "text"},
			{"Oversize", "POST", "/api/v1/incidents", big, nil, 413, "too_large", ""},
			{"NotJSON", "POST", "/api/v1/incidents", `title=x`, map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, 415, "unsupported_media_type", ""},
			{"EmptyBody", "POST", "/api/v1/incidents", ``, nil, 400, "invalid", ""},
			{"TrailingData", "POST", "/api/v1/incidents", `{"title": "x", "type": "malware", "severity": "SEV3"} {}`, nil, 400, "invalid", ""},
			{"BrokenJSON", "POST", "/api/v1/incidents", `{"title": "x",`, nil, 400, "invalid", ""},
			{"NotAnObject", "POST", "/api/v1/incidents", `[1, 2]`, nil, 400, "invalid", ""},
			{"DuplicateRef", "POST", "/api/v1/incidents", `{"title": "x", "type": "malware", "severity": "SEV3", "ref": "IR-2026-0100"}`, nil, 409, "conflict", "ref"},
			{"BadIfMatch", "PATCH", ref, `{"title": "y"}`, map[string]string{"If-Match": "abc"}, 400, "invalid", "If-Match"},
			{"StaleIfMatch", "PATCH", ref, `{"title": "y"}`, map[string]string{"If-Match": `"1"`}, 412, "precondition_failed", ""},
			{"StaleTaskIfMatch", "PATCH", ref + "/tasks/1", `{"status": "done"}`, map[string]string{"If-Match": `"7"`}, 412, "precondition_failed", ""},
			{"BadLimit", "GET", "/api/v1/incidents?limit=abc", ``, nil, 400, "invalid", "limit"},
			{"LimitTooLarge", "GET", "/api/v1/incidents?limit=9999", ``, nil, 400, "invalid", "limit"},
			{"BadCursor", "GET", "/api/v1/incidents?cursor=zzz", ``, nil, 400, "invalid", "cursor"},
			{"BadFilter", "GET", "/api/v1/incidents?severity=SEV7", ``, nil, 400, "invalid", "severity"},
			{"BadTaskNumber", "GET", ref + "/tasks/abc", ``, nil, 404, "not_found", ""},
			{"MissingTask", "GET", ref + "/tasks/99", ``, nil, 404, "not_found", ""},
			{"UnknownRoute", "GET", "/api/v1/nothing", ``, nil, 404, "not_found", ""},
			{"DependencyCycle", "PATCH", ref + "/tasks/1", `{"depends_on": [1]}`, nil, 400, "invalid", "depends_on"},
			{"UnknownOwner", "POST", ref + "/tasks", `{"title": "x", "owner": "ghost@acme.test"}`, nil, 400, "invalid", "owner"},
			{"ContactBadKind", "POST", "/api/v1/contacts", `{"key": "x", "name": "X", "kind": "lawyer", "phone": "+15555550100"}`, nil, 400, "invalid", "kind"},
			{"ContactBadKey", "POST", "/api/v1/contacts", `{"key": "Not a key", "name": "X", "kind": "other", "phone": "+15555550100"}`, nil, 400, "invalid", "key"},
			{"ContactBadEmail", "POST", "/api/v1/contacts", `{"key": "x", "name": "X", "kind": "other", "work_email": "nope"}`, nil, 400, "invalid", "work_email"},
			{"ContactBadPhone", "POST", "/api/v1/contacts", `{"key": "x", "name": "X", "kind": "other", "phone": "020 7946 0958"}`, nil, 400, "invalid", "phone"},
			{"ContactNoChannel", "POST", "/api/v1/contacts", `{"key": "x", "name": "X", "kind": "other"}`, nil, 400, "invalid", "channels"},
			{"ContactWrongType", "PATCH", "/api/v1/contacts/outside-counsel", `{"kind": 3}`, nil, 400, "invalid", "kind"},
			{"ContactUnknownField", "PATCH", "/api/v1/contacts/outside-counsel", `{"key": "renamed"}`, nil, 400, "invalid", "key"},
			{"ContactDuplicate", "POST", "/api/v1/contacts", `{"key": "outside-counsel", "name": "X", "kind": "other", "phone": "+15555550100"}`, nil, 409, "conflict", "key"},
			{"ContactStaleIfMatch", "PATCH", "/api/v1/contacts/outside-counsel", `{"name": "Y"}`, map[string]string{"If-Match": `"9"`}, 412, "precondition_failed", ""},
			{"ContactStaleVerify", "POST", "/api/v1/contacts/outside-counsel/verify", ``, map[string]string{"If-Match": `"9"`}, 412, "precondition_failed", ""},
			{"ContactDeleteAsResponder", "DELETE", "/api/v1/contacts/outside-counsel", ``, nil, 403, "forbidden", ""},
			{"ContactMissing", "GET", "/api/v1/contacts/nobody", ``, nil, 404, "not_found", ""},
			{"ContactBadStaleFilter", "GET", "/api/v1/contacts?stale=maybe", ``, nil, 400, "invalid", "stale"},
			{"ContactBadKindFilter", "GET", "/api/v1/contacts?kind=lawyer", ``, nil, 400, "invalid", "kind"},
			{"BadLastEventID", "GET", ref + "/events", ``, map[string]string{"Last-Event-ID": "x"}, 400, "invalid", "Last-Event-ID"},
			{"IOCUnknownType", "POST", ref + "/iocs", `{"type": "fingerprint", "value": "x"}`, nil, 400, "invalid", "type"},
			{"IOCBadValue", "POST", ref + "/iocs", `{"type": "ipv4", "value": "999.1.1.1"}`, nil, 400, "invalid", "value"},
			{"IOCBadTLP", "POST", ref + "/iocs", `{"type": "domain", "value": "x.example", "tlp": "white"}`, nil, 400, "invalid", "tlp"},
			{"IOCBadConfidence", "POST", ref + "/iocs", `{"type": "domain", "value": "x.example", "confidence": 101}`, nil, 400, "invalid", "confidence"},
			{"IOCWrongConfidenceType", "POST", ref + "/iocs", `{"type": "domain", "value": "x.example", "confidence": "high"}`, nil, 400, "invalid", "confidence"},
			{"IOCUnknownField", "POST", ref + "/iocs", `{"type": "domain", "value": "x.example", "colour": "red"}`, nil, 400, "invalid", "colour"},
			{"IOCPatchType", "PATCH", iocPath, `{"type": "hostname"}`, nil, 400, "invalid", "type"},
			{"IOCStaleIfMatch", "PATCH", iocPath, `{"note": "x"}`, map[string]string{"If-Match": `"9"`}, 412, "precondition_failed", ""},
			{"IOCStaleDelete", "DELETE", iocPath, ``, map[string]string{"If-Match": `"9"`}, 412, "precondition_failed", ""},
			{"IOCMissing", "GET", ref + "/iocs/nope", ``, nil, 404, "not_found", ""},
			{"IOCBadTypeFilter", "GET", ref + "/iocs?type=colour", ``, nil, 400, "invalid", "type"},
			{"IOCBadCursor", "GET", ref + "/iocs?cursor=zzz", ``, nil, 400, "invalid", "cursor"},
			{"IOCBadIOCFilter", "GET", ref + "/iocs?ioc=maybe", ``, nil, 400, "invalid", "ioc"},
			{"ExtractUnknownField", "POST", "/api/v1/iocs/extract", `{"txt": "x"}`, nil, 400, "invalid", "txt"},
			{"ExtractWrongType", "POST", "/api/v1/iocs/extract", `{"text": 5}`, nil, 400, "invalid", "text"},
			{"ExtractTooLarge", "POST", "/api/v1/iocs/extract", bigText, nil, 413, "too_large", ""},
			{"EvidenceNotMultipart", "POST", ref + "/evidence", `{"name": "x"}`, nil, 415, "unsupported_media_type", ""},
			{"EvidenceMalformedMultipart", "POST", ref + "/evidence", "--x\r\nnot a header\r\n", map[string]string{"Content-Type": "multipart/form-data; boundary=x"}, 400, "invalid", ""},
			{"EvidenceNoFile", "POST", ref + "/evidence", noFile, noFileH, 400, "invalid", "file"},
			{"EvidenceUnknownField", "POST", ref + "/evidence", odd, oddH, 400, "invalid", "colour"},
			{"EvidenceBadCollectedAt", "POST", ref + "/evidence", badAt, badAtH, 400, "invalid", "collected_at"},
			{"EvidenceFutureCollectedAt", "POST", ref + "/evidence", futureAt, futureAtH, 400, "invalid", "collected_at"},
			{"EvidenceTooLarge", "POST", ref + "/evidence", huge, hugeH, 413, "too_large", ""},
			{"EvidenceBadHash", "POST", ref + "/evidence/external", `{"name": "img", "location": "nas", "sha256": "xyz"}`, nil, 400, "invalid", "sha256"},
			{"EvidenceNoLocation", "POST", ref + "/evidence/external", `{"name": "img"}`, nil, 400, "invalid", "location"},
			{"EvidenceWrongSizeType", "POST", ref + "/evidence/external", `{"name": "img", "location": "nas", "size": "big"}`, nil, 400, "invalid", "size"},
			{"EvidenceUnknownAction", "POST", ref + "/evidence/EV-1/custody", `{"action": "lose"}`, nil, 400, "invalid", "action"},
			{"EvidenceCustodyUnknownField", "POST", ref + "/evidence/EV-1/custody", `{"action": "access", "reason": "x", "colour": "red"}`, nil, 400, "invalid", "colour"},
			{"EvidenceCustodyNoReason", "POST", ref + "/evidence/EV-1/custody", `{"action": "transfer", "to": "lab"}`, nil, 400, "invalid", "reason"},
			{"EvidenceCustodyWrongFrom", "POST", ref + "/evidence/EV-1/custody", `{"action": "transfer", "from": "Mallory", "to": "lab", "reason": "r"}`, nil, 400, "invalid", "from"},
			{"EvidenceMissing", "GET", ref + "/evidence/EV-99", ``, nil, 404, "not_found", ""},
			{"EvidenceBadID", "GET", ref + "/evidence/abc/custody", ``, nil, 404, "not_found", ""},
			{"EvidenceDownloadExternal", "GET", ref + "/evidence/EV-1/download", ``, nil, 400, "invalid", ""},
		}
		if _, err := e.ev.Register(e.ctx("responder"), i.Ref, evidence.ExternalInput{Meta: evidence.Meta{Name: "FS01 image"}, Location: "NAS"}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.inc.CreateTask(e.ctx("responder"), i.Ref, incident.TaskInput{Title: "Reset passwords"}); err != nil {
			t.Fatal(err)
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before := fingerprint(t, e, i.Ref)
				req, _ := http.NewRequest(tt.method, e.srv.URL+tt.path, strings.NewReader(tt.body))
				req.Header.Set("Authorization", "Bearer "+token)
				if tt.body != "" {
					req.Header.Set("Content-Type", "application/json")
				}
				for k, v := range tt.headers {
					req.Header.Set(k, v)
				}
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				b, _ := io.ReadAll(resp.Body)
				var p struct {
					Status int    `json:"status"`
					Code   string `json:"code"`
					Detail string `json:"detail"`
					Errors []struct{ Field, Message string }
				}
				if err := json.Unmarshal(b, &p); err != nil {
					t.Fatalf("not problem+json: %s", b)
				}
				if resp.StatusCode != tt.status || p.Code != tt.code || p.Status != tt.status {
					t.Fatalf("got %d %s, want %d %s: %s", resp.StatusCode, p.Code, tt.status, tt.code, b)
				}
				if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" {
					t.Errorf("Content-Type %q", ct)
				}
				if p.Detail == "" {
					t.Errorf("no detail: %s", b)
				}
				if tt.field != "" && (len(p.Errors) == 0 || p.Errors[0].Field != tt.field || p.Errors[0].Message == "") {
					t.Errorf("want an error for field %q: %s", tt.field, b)
				}
				if after := fingerprint(t, e, i.Ref); after != before {
					t.Errorf("the request changed state:\nbefore %s\nafter  %s", before, after)
				}
			})
		}
	})
}

// fingerprint summarises what a rejected request must not change.
func fingerprint(t *testing.T, e *env, ref string) string {
	t.Helper()
	page, err := e.inc.List(e.ctx("admin"), incident.Filter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, i := range page.Items {
		b.WriteString(i.Ref + ":" + i.Title + ":" + string(i.Phase) + ":")
		b.WriteString(strings.Repeat("|", int(i.Version)))
		b.WriteString(strings.Repeat(".", int(i.LastSeq)) + " ")
	}
	cs, err := e.cts.List(e.ctx("admin"), contact.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		fmt.Fprintf(&b, "contact %s v%d ", c.Key, c.Version)
	}
	return b.String()
}

func ptr[T any](v T) *T { return &v }
