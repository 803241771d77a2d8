package web_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/db/dbtest"
	"github.com/warroom/warroom/internal/ioc"
)

// iocsOf lists an incident's indicators through the service as the admin.
func (s *site) iocsOf(ref string) []ioc.Indicator {
	s.t.Helper()
	p, err := s.iocs.List(s.ctx("admin"), ref, ioc.Filter{Limit: 500})
	if err != nil {
		s.t.Fatal(err)
	}
	return p.Items
}

func findIOC(items []ioc.Indicator, value string) (ioc.Indicator, bool) {
	for _, x := range items {
		if x.Value == value {
			return x, true
		}
	}
	return ioc.Indicator{}, false
}

func TestIndicatorPages(t *testing.T) {
	t.Parallel()
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		s := newSite(t, d)
		f := s.MustFill()
		ref := f.open.Ref
		page := "/incidents/" + ref + "/indicators"
		admin, rita, vic := s.signIn("admin"), s.signIn("responder"), s.signIn("viewer")

		t.Run("OKAdd", func(t *testing.T) {
			st, _, loc := rita.submit(page, page, url.Values{"type": {"domain"}, "value": {" Update-Check.EXAMPLE. "}, "is_ioc": {"1"},
				"confidence": {"80"}, "tags": {"c2, phishing"}, "source": {"mail gateway"}})
			x, ok := findIOC(s.iocsOf(ref), "update-check.example")
			if st != http.StatusSeeOther || !ok || loc != page+"?done=ioc-added#i-"+x.ID {
				t.Fatalf("add: %d %q, stored %v", st, loc, ok)
			}
			if x.Confidence != 80 || !x.IsIOC || strings.Join(x.Tags, ",") != "c2,phishing" || x.TLP != string(f.open.TLP) {
				t.Errorf("stored %+v", x)
			}
			_, body := rita.get(page + "?done=ioc-added")
			mustContain(t, body, "Indicator added.", "<code>update-check.example</code>", `name="id" value="`+x.ID+`"`)
			// The same value again merges.
			st, _, loc = rita.submit(page, page, url.Values{"type": {"domain"}, "value": {"update-check.example"}})
			if st != http.StatusSeeOther || !strings.Contains(loc, "done=ioc-merged") {
				t.Errorf("again: %d %q", st, loc)
			}
		})

		t.Run("OKFilter", func(t *testing.T) {
			_, body := rita.get(page + "?type=ipv4")
			mustContain(t, body, "<code>45.137.21.9</code>")
			mustNotContain(t, body, "<code>svc_backup</code>")
			_, body = rita.get(page + "?ioc=1")
			mustNotContain(t, body, "<code>svc_backup</code>") // an artifact
			_, body = rita.get(page + "?q=encryptor")
			mustContain(t, body, strings.Repeat("ab", 32))
			mustNotContain(t, body, "45.137.21.9")
			_, body = rita.get(page + "?q=nothing-like-this")
			mustContain(t, body, "No indicators match.")
		})

		t.Run("OKCorrelationRespectsNeedToKnow", func(t *testing.T) {
			secret := f.restricted.Ref
			_, body := admin.get(page)
			mustContain(t, body, `Also seen in <a href="/incidents/`+secret+`/indicators?q=c2.lockbit-support.example">`+secret+`</a>`)
			_, body = vic.get(page)
			mustContain(t, body, "c2.lockbit-support.example")
			mustNotContain(t, body, secret)
		})

		t.Run("OKViewerReadsOnly", func(t *testing.T) {
			_, body := vic.get(page)
			mustContain(t, body, "45.137.21.9")
			mustNotContain(t, body, `name="id"`, "Add an indicator", "Extract from text")
		})

		t.Run("OKBulk", func(t *testing.T) {
			items := s.iocsOf(ref)
			ip, _ := findIOC(items, "45.137.21.9")
			acct, _ := findIOC(items, "svc_backup")
			r := rita.send(page+"/bulk", url.Values{"id": {ip.ID, acct.ID}, "action": {"add_tag"}, "tag": {"Triage"}, "back": {"type=ipv4"}})
			if r.status != http.StatusOK {
				t.Fatalf("bulk: %d %s", r.status, errorMessage(r.body))
			}
			mustContain(t, r.body, "2 indicators changed.")
			// The filter the person was looking at stays.
			mustNotContain(t, r.body, "<code>svc_backup</code>")
			for _, id := range []string{ip.ID, acct.ID} {
				x, _ := s.iocs.Get(s.ctx("admin"), ref, id)
				if !strings.Contains(strings.Join(x.Tags, ","), "triage") {
					t.Errorf("%s tags %v", x.Value, x.Tags)
				}
			}
			r = rita.send(page+"/bulk", url.Values{"id": {ip.ID, acct.ID}, "action": {"set_tlp"}, "tlp": {"red"}})
			mustContain(t, r.body, "2 indicators changed.")
			r = rita.send(page+"/bulk", url.Values{"id": {ip.ID}, "action": {"set_tlp"}, "tlp": {"red"}})
			mustContain(t, r.body, "0 indicators changed; 1 already was so.")
		})

		t.Run("BulkAllOrNothing", func(t *testing.T) {
			ip, _ := findIOC(s.iocsOf(ref), "45.137.21.9")
			r := rita.send(page+"/bulk", url.Values{"id": {ip.ID, "no-such-id"}, "action": {"delete"}})
			if r.status != http.StatusNotFound {
				t.Errorf("bulk with a missing id: %d", r.status)
			}
			if _, ok := findIOC(s.iocsOf(ref), "45.137.21.9"); !ok {
				t.Error("deleted although the bulk action failed")
			}
		})

		t.Run("OKExtractReviewAdd", func(t *testing.T) {
			text := "Phish from billing@invoices-portal[.]example linking hxxps://invoices-portal[.]example/pay\n" +
				"Beacon to 185.220.101[.]4 and internal 10.0.0.5; version 2.0.1.3\n"
			r := rita.send(page+"/extract", url.Values{"text": {text}})
			if r.status != http.StatusOK {
				t.Fatalf("extract: %d", r.status)
			}
			mustContain(t, r.body, `value="ipv4:185.220.101.4" id="pick-`, `value="url:https://invoices-portal.example/pay"`,
				"as written: <code>185.220.101[.]4</code>")
			// The private address is listed with its reason, not ticked.
			if !strings.Contains(r.body, `value="ipv4:10.0.0.5" id="pick-`) || strings.Contains(r.body, `value="ipv4:10.0.0.5" id="pick-3" checked`) {
				t.Errorf("private address: %s", between(r.body, "10.0.0.5", 200))
			}
			nothing := len(s.iocsOf(ref))
			if nothing == 0 {
				t.Fatal("fixture has no indicators")
			}
			r = rita.send(page+"/extracted", url.Values{"pick": {"ipv4:185.220.101.4", "email:billing@invoices-portal.example", "domain:c2.lockbit-support.example"},
				"is_ioc": {"1"}, "tags": {"phishing"}, "source": {"report"}})
			if r.status != http.StatusSeeOther || r.location != page+"?done=extracted-2-1" {
				t.Fatalf("add extracted: %d %q %s", r.status, r.location, errorMessage(r.body))
			}
			if n := len(s.iocsOf(ref)); n != nothing+2 {
				t.Errorf("%d indicators, want %d", n, nothing+2)
			}
			_, body := rita.get(r.location)
			mustContain(t, body, "2 added, 1 merged into indicators already recorded.")
		})

		t.Run("ExtractAsViewerNotAllowedToAdd", func(t *testing.T) {
			r := vic.send(page+"/extracted", url.Values{"pick": {"ipv4:185.220.101.9"}})
			if r.status != http.StatusForbidden {
				t.Errorf("viewer adds: %d", r.status)
			}
		})

		t.Run("OKImport", func(t *testing.T) {
			csv := "type,value,is_ioc,tags\ndomain,stage2-loader.xyz,true,c2\nipv4,45.137.21.9,true,\nipv4,999.1.1.1,true,\n"
			r := rita.upload(page+"/import", [][2]string{{"csrf", rita.csrf(page)}, {"format", "csv"}}, "iocs.csv", strings.NewReader(csv))
			if r.status != http.StatusOK {
				t.Fatalf("import: %d %s", r.status, errorMessage(r.body))
			}
			mustContain(t, r.body, "Imported: 1 added, 1 merged into indicators already recorded, 1 rejected", "<code>line 4: ipv4 999.1.1.1</code>: value &#34;999.1.1.1&#34; is not an IPv4 address", "stage2-loader.xyz")
			if _, ok := findIOC(s.iocsOf(ref), "stage2-loader.xyz"); !ok {
				t.Error("the imported domain is not stored")
			}
		})

		t.Run("ImportRejected", func(t *testing.T) {
			before := len(s.iocsOf(ref))
			for name, c := range map[string]struct {
				format, doc string
				status      int
			}{"BadFormat": {"yaml", "x", 400}, "NotJSON": {"stix", "{not json", 400}, "TooLarge": {"text", strings.Repeat("a", 16<<20+1), 413}} {
				r := rita.upload(page+"/import", [][2]string{{"csrf", rita.csrf(page)}, {"format", c.format}}, "doc", strings.NewReader(c.doc))
				if r.status != c.status {
					t.Errorf("%s: %d %s", name, r.status, errorMessage(r.body))
				}
			}
			if r := rita.upload(page+"/import", [][2]string{{"format", "csv"}}, "x.csv", strings.NewReader("type,value\ndomain,a.xyz\n")); r.status != http.StatusForbidden {
				t.Errorf("without the token: %d", r.status)
			}
			if r := vic.upload(page+"/import", [][2]string{{"csrf", vic.csrf(page)}, {"format", "csv"}}, "x.csv", strings.NewReader("type,value\ndomain,a.xyz\n")); r.status != http.StatusForbidden {
				t.Errorf("viewer: %d", r.status)
			}
			if n := len(s.iocsOf(ref)); n != before {
				t.Errorf("refused imports added %d indicators", n-before)
			}
		})

		t.Run("RestrictedIsNotFound", func(t *testing.T) {
			for _, p := range []string{"/indicators", "/indicators/extract"} {
				if st, _ := vic.get("/incidents/" + f.restricted.Ref + p); st != http.StatusNotFound {
					t.Errorf("%s: %d", p, st)
				}
			}
			r := vic.send("/incidents/"+f.restricted.Ref+"/indicators/extract", url.Values{"text": {"evil.example"}})
			if r.status != http.StatusNotFound {
				t.Errorf("extract on restricted: %d", r.status)
			}
		})
	})
}

// between returns up to n bytes of s around the first sub, for messages.
func between(s, sub string, n int) string {
	i := strings.Index(s, sub)
	if i < 0 {
		return ""
	}
	return s[max(0, i-n/2):min(len(s), i+n/2)]
}

// upload posts a multipart form: fields in order (csrf first when given),
// then the file.
func (b *browser) upload(action string, fields [][2]string, fileName string, content io.Reader) response {
	b.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, f := range fields {
		_ = mw.WriteField(f[0], f[1])
	}
	if fileName != "" {
		w, _ := mw.CreateFormFile("file", fileName)
		_, _ = io.Copy(w, content)
	}
	_ = mw.Close()
	req, _ := http.NewRequest(http.MethodPost, b.base+action, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	for _, c := range b.c.Jar.Cookies(req.URL) {
		req.AddCookie(c)
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return response{status: resp.StatusCode, body: string(raw), header: resp.Header, location: resp.Header.Get("Location")}
}

func TestEvidencePages(t *testing.T) {
	t.Parallel()
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		s := newSite(t, d)
		f := s.MustFill()
		ref := f.open.Ref
		page := "/incidents/" + ref + "/evidence"
		rita, vic := s.signIn("responder"), s.signIn("viewer")
		count := func() int {
			items, err := s.locker.List(s.ctx("admin"), ref)
			if err != nil {
				t.Fatal(err)
			}
			return len(items)
		}

		content := strings.Repeat("MZ\x90\x00 not really a PE ", 1000)
		sum := sha256.Sum256([]byte(content))
		t.Run("OKUpload", func(t *testing.T) {
			r := rita.upload(page, [][2]string{{"csrf", rita.csrf(page)}, {"description", "dropper from the phishing mail"}, {"source_host", "WS-0142"},
				{"method", "copied from quarantine"}}, "invoice.exe", strings.NewReader(content))
			if r.status != http.StatusSeeOther || r.location != page+"/EV-3?done=evidence-added" {
				t.Fatalf("upload: %d %q %s", r.status, r.location, errorMessage(r.body))
			}
			e, err := s.locker.Get(s.ctx("admin"), ref, "EV-3")
			if err != nil || e.SHA256 != hex.EncodeToString(sum[:]) || e.Name != "invoice.exe" || e.SourceHost != "WS-0142" || e.Size != int64(len(content)) {
				t.Fatalf("stored %+v, %v", e, err)
			}
			_, body := rita.get(page + "/EV-3")
			mustContain(t, body, hex.EncodeToString(sum[:]), "dropper from the phishing mail", "Collected", `action="`+page+`/EV-3/download"`)
		})

		t.Run("UploadCSRF", func(t *testing.T) {
			before := count()
			// No token; a wrong token; the token after the file.
			for name, fields := range map[string][][2]string{"Missing": {{"description", "x"}}, "Wrong": {{"csrf", "forged"}}} {
				r := rita.upload(page, fields, "x.bin", strings.NewReader("x"))
				if r.status != http.StatusForbidden {
					t.Errorf("%s token: %d", name, r.status)
				}
			}
			var buf bytes.Buffer
			mw := multipart.NewWriter(&buf)
			w, _ := mw.CreateFormFile("file", "x.bin")
			_, _ = w.Write([]byte("x"))
			_ = mw.WriteField("csrf", rita.csrf(page))
			_ = mw.Close()
			r := rita.do(http.MethodPost, page, nil, map[string]string{"Content-Type": mw.FormDataContentType()})
			if r.status != http.StatusForbidden {
				t.Errorf("token after the file (no body): %d", r.status)
			}
			if n := count(); n != before {
				t.Errorf("%d items added by refused uploads", n-before)
			}
		})

		t.Run("UploadTooLarge", func(t *testing.T) {
			before := count()
			r := rita.upload(page, [][2]string{{"csrf", rita.csrf(page)}}, "big.bin", io.LimitReader(zeros{}, 8<<20+1))
			if r.status != http.StatusRequestEntityTooLarge {
				t.Errorf("too large: %d %s", r.status, errorMessage(r.body))
			}
			if n := count(); n != before {
				t.Error("a too-large upload was added")
			}
		})

		t.Run("UploadNoFile", func(t *testing.T) {
			r := rita.upload(page, [][2]string{{"csrf", rita.csrf(page)}, {"description", "forgot the file"}}, "", nil)
			if r.status != http.StatusBadRequest {
				t.Fatalf("no file: %d", r.status)
			}
			mustContain(t, r.body, "choose a file to upload", ">forgot the file</textarea>")
		})

		t.Run("OKDownloadRecordsAccess", func(t *testing.T) {
			r := rita.send(page+"/EV-3/download", url.Values{"reason": {"sandbox detonation"}})
			if r.status != http.StatusOK || r.body != content {
				t.Fatalf("download: %d, %d bytes", r.status, len(r.body))
			}
			if ct, cd := r.header.Get("Content-Type"), r.header.Get("Content-Disposition"); ct != "application/octet-stream" ||
				cd != `attachment; filename=EV-3-invoice.exe` || r.header.Get("Content-Security-Policy") != "sandbox" ||
				r.header.Get("X-Warroom-Sha256") != hex.EncodeToString(sum[:]) {
				t.Errorf("headers: %q %q %v", ct, cd, r.header)
			}
			h, err := s.locker.History(s.ctx("admin"), ref, "EV-3")
			if err != nil || len(h) != 2 || h[1].Action != "accessed" || h[1].Reason != "sandbox detonation" || h[1].Via != "download" {
				t.Fatalf("history %+v, %v", h, err)
			}
			_, body := rita.get(page + "/EV-3")
			mustContain(t, body, "reason: sandbox detonation", h[1].Hash)
			// A link cannot download: there is no GET route, and the API's
			// GET refuses the session cookie (a link on another site would
			// otherwise write an access in Rita's name).
			if st, _ := rita.get(page + "/EV-3/download"); st != http.StatusNotFound && st != http.StatusMethodNotAllowed {
				t.Errorf("GET download: %d", st)
			}
			if st, body := rita.get("/api/v1" + page + "/EV-3/download?reason=forged"); st != http.StatusForbidden || strings.Contains(body, "not really a PE") {
				t.Errorf("API download with the session cookie: %d", st)
			}
			if h, _ := s.locker.History(s.ctx("admin"), ref, "EV-3"); len(h) != 2 {
				t.Errorf("%d custody events after a refused download, want 2", len(h))
			}
		})

		t.Run("DownloadAsViewerForbidden", func(t *testing.T) {
			r := vic.send(page+"/EV-3/download", url.Values{"reason": {"curious"}})
			if r.status != http.StatusForbidden || strings.Contains(r.body, "not really a PE") {
				t.Errorf("viewer download: %d", r.status)
			}
			_, body := vic.get(page + "/EV-3")
			mustNotContain(t, body, "/download", "Record a custody event")
		})

		t.Run("OKCustodyAndRegister", func(t *testing.T) {
			r := rita.send(page+"/EV-3/custody", url.Values{"action": {"transfer"}, "from": {"Rita Responder"}, "to": {"Malware lab"}, "reason": {"analysis"}})
			if r.status != http.StatusSeeOther {
				t.Fatalf("transfer: %d %s", r.status, errorMessage(r.body))
			}
			e, _ := s.locker.Get(s.ctx("admin"), ref, "EV-3")
			if e.Custodian != "Malware lab" {
				t.Errorf("custodian %q", e.Custodian)
			}
			r = rita.send(page+"/external", url.Values{"name": {"Seized laptop LT-0042"}, "location": {"Safe 2, bag 0113"}, "source_person": {"J. Doe"}})
			if r.status != http.StatusSeeOther || !strings.HasPrefix(r.location, page+"/EV-4") {
				t.Fatalf("register: %d %q %s", r.status, r.location, errorMessage(r.body))
			}
			_, body := rita.get(page)
			mustContain(t, body, "Seized laptop LT-0042", "held at Safe 2, bag 0113", "Malware lab")
		})

		t.Run("RestrictedIsNotFound", func(t *testing.T) {
			secret := "/incidents/" + f.restricted.Ref + "/evidence"
			if st, _ := vic.get(secret); st != http.StatusNotFound {
				t.Errorf("list: %d", st)
			}
			r := vic.upload(secret, [][2]string{{"csrf", vic.csrf(page)}}, "x.bin", strings.NewReader("x"))
			if r.status != http.StatusNotFound {
				t.Errorf("upload: %d", r.status)
			}
		})
	})
}

// zeros reads as endless zero bytes.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}
