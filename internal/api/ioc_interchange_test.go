package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/warroom/warroom/client"
	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/db/dbtest"
	"github.com/warroom/warroom/internal/incident"
	"github.com/warroom/warroom/internal/ioc"
	"github.com/warroom/warroom/internal/ioc/ioctest"
)

// TestIndicatorInterchange imports through the API with the Go client
// (strict decoding), exports every format with its headers, and checks
// the problems for a bad format and an oversized body.
func TestIndicatorInterchange(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		a := MustDeclare(t, e, "admin", incident.DeclareInput{Title: "Phishing wave", TLP: "green"})
		resp := e.client("responder")

		doc, err := os.ReadFile(ioctest.StixExample(t, "apt1.json"))
		if err != nil {
			t.Fatal(err)
		}
		rep, err := resp.ImportIndicators(ctx, a.Ref, "stix", bytes.NewReader(doc))
		if err != nil || rep.Took != 12 || rep.Merged != 0 || len(rep.Rejected) != 0 || rep.Ignored["relationship"] != 30 {
			t.Fatalf("import: %+v, %v", rep, err)
		}
		rep, err = resp.ImportIndicators(ctx, a.Ref, "csv", strings.NewReader("type,value,is_ioc\ndomain,hugesoft.org,true\nipv4,not-an-ip,\nipv4,10.0.4.2,false\n"))
		if err != nil || rep.Took != 1 || rep.Merged != 1 || len(rep.Rejected) != 1 || !strings.HasPrefix(rep.Rejected[0].Item, "line 3") {
			t.Fatalf("csv import: %+v, %v", rep, err)
		}

		for format, want := range map[string]struct{ ct, file, has string }{
			"stix": {"application/stix+json;version=2.1", a.Ref + "-indicators.stix.json", `"pattern": "[domain-name:value = 'hugesoft.org']"`},
			"csv":  {"text/csv; charset=utf-8", a.Ref + "-indicators.csv", "domain,hugesoft.org,true,green,50,"},
			"misp": {"application/json", a.Ref + "-indicators.misp.json", `"type": "domain"`},
			"list": {"text/plain; charset=utf-8", a.Ref + "-indicators-domain.txt", "hugesoft.org\narrowservice.net\nmsnhome.org\n"},
		} {
			var out bytes.Buffer
			f := client.ExportFilter{Format: format}
			if format == "list" {
				f.Type = "domain"
			}
			info, err := e.client("viewer").ExportIndicators(ctx, a.Ref, f, &out)
			if err != nil || info.ContentType != want.ct || info.Filename != want.file || !strings.Contains(out.String(), want.has) {
				t.Errorf("export %s: %+v %v\n%.300s", format, info, err, out.String())
			}
		}
		var out bytes.Buffer
		info, err := resp.ExportIndicators(ctx, a.Ref, client.ExportFilter{Format: "list", Type: "ipv4", All: true}, &out)
		if err != nil || out.String() != "10.0.4.2\n" || info.Count != 1 {
			t.Errorf("all=true adds the artifact: %q %+v %v", out.String(), info, err)
		}

		// Problems: a bad or missing format names the allowed ones; a body
		// over the import limit is 413.
		for _, c := range []struct {
			method, path, body string
			status             int
			want               string
		}{
			{"POST", "/iocs/import?format=xml", "<x/>", 400, "use one of stix, misp, csv, text"},
			{"POST", "/iocs/import", "x", 400, "is required: use one of stix, misp, csv, text"},
			{"GET", "/iocs/export?format=pdf", "", 400, "use one of stix, csv, misp, list"},
			{"GET", "/iocs/export?format=list&type=colour", "", 400, "is not allowed; use one of ipv4, ipv6"},
			{"GET", "/iocs/export?format=list&all=maybe", "", 400, "is not true or false"},
			{"POST", "/iocs/import?format=stix", "{not json", 400, "not a STIX bundle"},
			{"POST", "/iocs/import?format=text", strings.Repeat("x", ioc.MaxImportBytes+1), 413, "import limit"},
		} {
			var body io.Reader
			if c.body != "" {
				body = strings.NewReader(c.body)
			}
			req, _ := http.NewRequest(c.method, e.srv.URL+"/api/v1/incidents/"+a.Ref+c.path, body)
			req.Header.Set("Authorization", "Bearer "+resp.Token)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(res.Body)
			res.Body.Close()
			var p struct {
				Detail string `json:"detail"`
				Errors []struct{ Field, Message string }
			}
			_ = json.Unmarshal(b, &p)
			if res.StatusCode != c.status || res.Header.Get("Content-Type") != "application/problem+json" || !strings.Contains(string(b), c.want) {
				t.Errorf("%s %s: %d %s\n%s", c.method, c.path, res.StatusCode, res.Header.Get("Content-Type"), b)
			}
		}
	})
}
