package web_test

import (
	"net/url"
	"strings"
)

// readOnlyPosts are POST routes that change nothing (the extraction
// review is a POST only because a pasted report is long): they still
// need the token, but the accepted form leaves the state as it was.
var readOnlyPosts = map[string]bool{"/incidents/{ref}/indicators/extract": true}

// analysisForms are valid forms for the indicator and evidence routes of
// the CSRF test, on the fixture's open incident.
func analysisForms(s *site, f fixture) map[string]func() (string, url.Values) {
	open := "/incidents/" + f.open.Ref
	firstIOC := func() string {
		items := s.iocsOf(f.open.Ref)
		if len(items) == 0 {
			s.t.Fatal("the fixture has no indicators")
		}
		return items[0].ID
	}
	return map[string]func() (string, url.Values){
		"/incidents/{ref}/indicators": func() (string, url.Values) {
			return open + "/indicators", url.Values{"type": {"domain"}, "value": {"forged.example"}}
		},
		"/incidents/{ref}/indicators/bulk": func() (string, url.Values) {
			return open + "/indicators/bulk", url.Values{"id": {firstIOC()}, "action": {"add_tag"}, "tag": {"forged"}}
		},
		"/incidents/{ref}/indicators/extract": func() (string, url.Values) {
			return open + "/indicators/extract", url.Values{"text": {"C2 at evil[.]example"}}
		},
		"/incidents/{ref}/indicators/extracted": func() (string, url.Values) {
			return open + "/indicators/extracted", url.Values{"pick": {"domain:forged-extract.example"}}
		},
		"/incidents/{ref}/indicators/import": func() (string, url.Values) {
			return open + "/indicators/import", url.Values{"format": {"text"}}
		},
		"/incidents/{ref}/evidence": func() (string, url.Values) {
			return open + "/evidence", url.Values{"name": {"forged"}}
		},
		"/incidents/{ref}/evidence/external": func() (string, url.Values) {
			return open + "/evidence/external", url.Values{"name": {"Forged laptop"}, "location": {"nowhere"}}
		},
		"/incidents/{ref}/evidence/{label}/custody": func() (string, url.Values) {
			return open + "/evidence/EV-2/custody", url.Values{"action": {"access"}, "reason": {strings.Repeat("forged ", 3)}}
		},
		"/incidents/{ref}/evidence/{label}/download": func() (string, url.Values) {
			return open + "/evidence/EV-1/download", url.Values{"reason": {"forged"}}
		},
	}
}

// streamedRoutes are the multipart forms of the CSRF test: the accepted
// form is sent as multipart, token first, with a small file.
var streamedRoutes = map[string]string{"/incidents/{ref}/evidence": "forged", "/incidents/{ref}/indicators/import": "C2 at evil-forged.xyz\n"}
