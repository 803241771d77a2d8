package web_test

import (
	"net/url"
	"strings"
)

// analysisCases are the indicator and evidence pages of the busy
// organisation's open incident as who sees them, with every form rejected.
func analysisCases(who, open, secret string) []renderCase {
	inc := "/incidents/" + open
	cs := []renderCase{
		{"Indicators", "indicators", who, inc + "/indicators", nil, 200},
		{"IndicatorsFiltered", "indicators", who, inc + "/indicators?type=domain&ioc=1&q=" + url.QueryEscape(hostile) + "&done=ioc-merged", nil, 200},
		{"IndicatorsExtracted", "indicators", who, inc + "/indicators?done=extracted-3-1", nil, 200},
		{"IndicatorsBadType", "error", who, inc + "/indicators?type=" + url.QueryEscape(hostile), nil, 400},
		{"Evidence", "evidence", who, inc + "/evidence", nil, 200},
		{"EvidenceFile", "evidence_item", who, inc + "/evidence/EV-1?done=custody-recorded", nil, 200},
		{"EvidenceExternal", "evidence_item", who, inc + "/evidence/EV-2", nil, 200},
		{"EvidenceMissing", "error", who, inc + "/evidence/EV-99", nil, 404},
	}
	if who == "viewer" {
		return append(cs,
			renderCase{"RestrictedIndicators", "error", who, "/incidents/" + secret + "/indicators", nil, 404},
			renderCase{"RestrictedEvidence", "error", who, "/incidents/" + secret + "/evidence", nil, 404},
			renderCase{"AddIndicatorAsViewer", "error", who, inc + "/indicators", url.Values{"type": {"domain"}, "value": {"x.example"}}, 403},
			renderCase{"DownloadAsViewer", "error", who, inc + "/evidence/EV-1/download", url.Values{"reason": {"curious"}}, 403},
		)
	}
	return append(cs,
		renderCase{"Extract", "extract", who, inc + "/indicators/extract", nil, 200},
		renderCase{"ExtractReview", "extract", who, inc + "/indicators/extract", url.Values{"text": {"C2 hxxps://evil[.]example/x from 10.0.0.5 and " +
			"45.137.21[.]9; version 1.2.3.4 " + hostile}}, 200},
		renderCase{"ExtractTooLong", "extract", who, inc + "/indicators/extract", url.Values{"text": {strings.Repeat("a", 1<<20+1)}}, 400},
		renderCase{"ExtractedNothingPicked", "extract", who, inc + "/indicators/extracted", url.Values{"text": {hostile}}, 400},
		renderCase{"ExtractedSomeRefused", "extract", who, inc + "/indicators/extracted", url.Values{"pick": {"domain:ok.example", "ipv4:" + hostile, hostile}}, 200},
		renderCase{"AddIndicatorInvalid", "indicators", who, inc + "/indicators", url.Values{"type": {"ipv4"}, "value": {hostile}, "tlp": {"purple"},
			"confidence": {"101"}, "tags": {hostile}}, 400},
		renderCase{"AddIndicatorBadConfidence", "indicators", who, inc + "/indicators", url.Values{"type": {"domain"}, "value": {"x.example"}, "confidence": {"high"}}, 400},
		renderCase{"BulkNothingChosen", "indicators", who, inc + "/indicators/bulk", url.Values{"action": {"delete"}}, 400},
		renderCase{"BulkBadTag", "indicators", who, inc + "/indicators/bulk", url.Values{"action": {"add_tag"}, "tag": {hostile}, "id": {"x"}}, 400},
		renderCase{"ExternalInvalid", "evidence", who, inc + "/evidence/external", url.Values{"name": {""}, "location": {""}, "sha256": {hostile},
			"size": {"big"}}, 400},
		renderCase{"ExternalBadTime", "evidence", who, inc + "/evidence/external", url.Values{"name": {"x"}, "location": {"y"}, "collected_at": {"yesterday"}}, 400},
		renderCase{"UploadNotMultipart", "error", who, inc + "/evidence", url.Values{"name": {"x"}}, 400},
		renderCase{"CustodyInvalid", "evidence_item", who, inc + "/evidence/EV-1/custody", url.Values{"action": {"teleport"}, "reason": {hostile}}, 400},
		renderCase{"CustodyWrongCustodian", "evidence_item", who, inc + "/evidence/EV-1/custody", url.Values{"action": {"transfer"}, "from": {"Nobody"},
			"to": {"Lab"}, "reason": {"x"}}, 400},
		renderCase{"ReturnExternal", "evidence_item", who, inc + "/evidence/EV-2/download", url.Values{"reason": {"look"}}, 400},
	)
}
