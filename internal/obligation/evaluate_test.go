package obligation

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// fx builds facts from short strings: space-separated organisation
// jurisdictions, entity types, "JURISDICTION:COUNT" affected entries, data
// types, and "event=RFC3339" events.
func fx(jurisdictions, entities, affected, data string, events ...string) *Facts {
	f := &Facts{Incident: IncidentFacts{Events: map[string]string{}}}
	f.Organisation.Jurisdictions = strings.Fields(jurisdictions)
	f.Organisation.EntityTypes = strings.Fields(entities)
	for _, a := range strings.Fields(affected) {
		j, n, _ := strings.Cut(a, ":")
		c, err := strconv.Atoi(n)
		if err != nil {
			panic(a)
		}
		f.Incident.Affected = append(f.Incident.Affected, Affected{Jurisdiction: j, Count: c})
	}
	f.Incident.DataTypes = strings.Fields(data)
	for _, e := range events {
		k, v, _ := strings.Cut(e, "=")
		f.Incident.Events[k] = v
	}
	return f
}

func encrypted(f *Facts) *Facts { f.Incident.DataEncrypted = true; return f }

// A case is one hand-computed expectation. source names the provision the
// expected result comes from, so a reviewer can check it against the law.
type evalCase struct {
	name   string
	rule   string
	source string
	facts  *Facts
	now    string // default 2026-11-27T00:00:00Z
	status Status
	due    string   // RFC 3339 as output; "" for none
	stages []string // dues of the stages in order ("" for none); nil = not checked
	why    string   // a substring of the explanation
}

var evalCases = []evalCase{
	// ---------------------------------------------------------------- GDPR
	{name: "72 hours from awareness, shown in Brussels time", rule: "eu-gdpr-art33-supervisory-authority", source: "GDPR Art. 33(1): not later than 72 hours after having become aware",
		facts: fx("EU-DE", "", "EU-FR:12000", "personal_data", "awareness=2026-03-10T09:00:00Z"), status: Due, due: "2026-03-13T10:00:00+01:00", stages: []string{"2026-03-13T10:00:00+01:00", ""}},
	{name: "72 hours across the spring DST change are elapsed hours", rule: "eu-gdpr-art33-supervisory-authority", source: "GDPR Art. 33(1); EU summer time starts 29 March 2026 01:00 UTC",
		facts: fx("EU-DE", "", "", "name", "awareness=2026-03-27T10:00:00+01:00"), status: Due, due: "2026-03-30T11:00:00+02:00", why: "from CET to CEST"},
	{name: "awareness given with a US offset", rule: "eu-gdpr-art33-supervisory-authority", source: "GDPR Art. 33(1); 04:00-05:00 is 09:00 UTC",
		facts: fx("EU-DE", "", "", "name", "awareness=2026-03-10T04:00:00-05:00"), status: Due, due: "2026-03-13T10:00:00+01:00"},
	{name: "waits for awareness", rule: "eu-gdpr-art33-supervisory-authority", source: "GDPR Art. 33(1): the clock runs from awareness",
		facts: fx("EU-DE", "", "", "name"), status: PendingEvent, why: "incident.events.awareness"},
	{name: "a processor notifies its controller instead", rule: "eu-gdpr-art33-supervisory-authority", source: "GDPR Art. 33(1) binds the controller; 33(2) the processor",
		facts: fx("EU-DE", "processor", "", "name", "awareness=2026-03-10T09:00:00Z"), status: NotApplicable, why: "processor"},
	{name: "outside the EEA with no EEA residents", rule: "eu-gdpr-art33-supervisory-authority", source: "GDPR Art. 3 territorial scope",
		facts: fx("US", "", "US-TX:600", "name", "awareness=2026-03-10T09:00:00Z"), status: NotApplicable, why: "outside the territory"},
	{name: "a non-EU organisation with one EU resident affected", rule: "eu-gdpr-art33-supervisory-authority", source: "GDPR Art. 3(2) (offering to people in the Union)",
		facts: fx("US", "", "EU-FR:1", "name", "awareness=2026-03-10T09:00:00Z"), status: Due, due: "2026-03-13T10:00:00+01:00"},
	{name: "zero EU residents do not bring a US organisation in", rule: "eu-gdpr-art33-supervisory-authority", source: "GDPR Art. 3",
		facts: fx("US", "", "EU-FR:0", "name", "awareness=2026-03-10T09:00:00Z"), status: NotApplicable, why: "outside the territory"},
	{name: "no personal data", rule: "eu-gdpr-art33-supervisory-authority", source: "GDPR Art. 4(12): a personal data breach",
		facts: fx("EU-DE", "", "", "", "awareness=2026-03-10T09:00:00Z"), status: NotApplicable, why: "no personal data"},
	{name: "processor to controller without undue delay", rule: "eu-gdpr-art33-2-processor-to-controller", source: "GDPR Art. 33(2)",
		facts: fx("EU-DE", "processor", "", "name", "awareness=2026-03-10T09:00:00Z"), status: Due, due: ""},
	{name: "data subjects without undue delay", rule: "eu-gdpr-art34-data-subjects", source: "GDPR Art. 34(1)",
		facts: fx("EU-FR", "", "", "name", "awareness=2026-03-10T09:00:00Z"), status: Due, due: "", why: "HIGH risk"},
	{name: "encrypted data is exempt from telling data subjects", rule: "eu-gdpr-art34-data-subjects", source: "GDPR Art. 34(3)(a)",
		facts: encrypted(fx("EU-FR", "", "", "name", "awareness=2026-03-10T09:00:00Z")), status: NotApplicable, why: "encryption safe harbour"},

	// ---------------------------------------------------------------- NIS2
	{name: "24h early warning, 72h notification, final one month later clamped to 28 February", rule: "eu-nis2-art23-csirt", source: "NIS2 Art. 23(4)(a),(b),(d); Reg. 1182/71 Art. 3(2)(c)",
		facts: fx("EU-DE", "nis2_essential", "", "", "awareness=2026-01-28T12:00:00+01:00"), status: Due, due: "2026-01-29T12:00:00+01:00",
		stages: []string{"2026-01-29T12:00:00+01:00", "2026-01-31T12:00:00+01:00", "", "2026-02-28T23:59:59+01:00", "2026-02-28T23:59:59+01:00"}, why: "has no day 31"},
	{name: "not an essential or important entity", rule: "eu-nis2-art23-csirt", source: "NIS2 Art. 3 (entities in scope)",
		facts: fx("EU-DE", "", "", "", "awareness=2026-01-28T12:00:00+01:00"), status: NotApplicable, why: "nis2_essential"},
	{name: "service recipients without undue delay", rule: "eu-nis2-art23-service-recipients", source: "NIS2 Art. 23(1)",
		facts: fx("EU-NL", "nis2_important", "", "", "awareness=2026-01-28T12:00:00+01:00"), status: Due, due: ""},

	// ---------------------------------------------------------------- DORA
	{name: "4 hours from classification; intermediate 72h; final one month later on 29 February of a leap year", rule: "eu-dora-art19-major-ict-incident", source: "RTS 2025/301 Art. 5(1)(a)-(c)",
		facts: fx("EU-DE", "dora_financial_entity", "", "", "awareness=2028-01-28T08:00:00+01:00", "major_classification=2028-01-28T10:00:00+01:00"), now: "2028-01-28T12:00:00Z",
		status: Due, due: "2028-01-28T14:00:00+01:00", stages: []string{"2028-01-28T14:00:00+01:00", "2028-01-31T14:00:00+01:00", "2028-02-29T23:59:59+01:00"}, why: "comes later"},
	{name: "no later than 24 hours from awareness when that comes first", rule: "eu-dora-art19-major-ict-incident", source: "RTS 2025/301 Art. 5(1)(a)",
		facts: fx("EU-IE", "dora_financial_entity", "", "", "awareness=2026-05-04T08:00:00+02:00", "major_classification=2026-05-05T06:00:00+02:00"), status: Due, due: "2026-05-05T08:00:00+02:00", why: "which comes first"},
	{name: "classified more than 24 hours after awareness: 4 hours from classification", rule: "eu-dora-art19-major-ict-incident", source: "RTS 2025/301 Art. 5(2)",
		facts: fx("EU-IE", "dora_financial_entity", "", "", "awareness=2026-05-04T08:00:00+02:00", "major_classification=2026-05-06T09:00:00+02:00"), status: Due, due: "2026-05-06T13:00:00+02:00", why: "does not apply"},
	{name: "waits for the classification as major", rule: "eu-dora-art19-major-ict-incident", source: "DORA Art. 19(1): major ICT-related incidents",
		facts: fx("EU-IE", "dora_financial_entity", "", "", "awareness=2026-05-04T08:00:00+02:00"), status: PendingEvent, why: "major_classification"},
	{name: "classified before DORA applied", rule: "eu-dora-art19-major-ict-incident", source: "DORA Art. 64: applies from 17 January 2025",
		facts: fx("EU-IE", "dora_financial_entity", "", "", "awareness=2024-12-01T08:00:00+01:00", "major_classification=2024-12-01T10:00:00+01:00"), status: NotApplicable, why: "applies from 2025-01-17"},
	{name: "clients without undue delay", rule: "eu-dora-art19-3-clients", source: "DORA Art. 19(3)",
		facts: fx("EU-IE", "dora_financial_entity", "", "", "major_classification=2026-05-06T09:00:00+02:00"), status: Due, due: ""},

	// ---------------------------------------------------------------- CRA
	{name: "before the CRA reporting duty applies", rule: "eu-cra-art14-severe-incident", source: "CRA Art. 71(2): Art. 14 applies from 11 September 2026",
		facts: fx("EU-DE", "cra_manufacturer", "", "", "awareness=2026-09-01T10:00:00+02:00"), status: NotApplicable, why: "2026-09-11"},
	{name: "24h early warning, 72h notification, final one month after", rule: "eu-cra-art14-severe-incident", source: "CRA Art. 14(4)",
		facts: fx("EU-DE", "cra_manufacturer", "", "", "awareness=2026-09-15T10:00:00+02:00"), status: Due, due: "2026-09-16T10:00:00+02:00",
		stages: []string{"2026-09-16T10:00:00+02:00", "2026-09-18T10:00:00+02:00", "2026-10-18T23:59:59+02:00", "", ""}},

	// ---------------------------------------------------------------- UK
	{name: "72 hours across the autumn clock change, due in GMT", rule: "uk-gdpr-art33-ico", source: "UK GDPR Art. 33(1); BST ends 25 October 2026 01:00 UTC",
		facts: fx("GB", "", "", "name", "awareness=2026-10-24T10:00:00+01:00"), status: Due, due: "2026-10-27T09:00:00Z", stages: []string{"2026-10-27T09:00:00Z", ""}},
	{name: "individuals without undue delay", rule: "uk-gdpr-art34-individuals", source: "UK GDPR Art. 34",
		facts: fx("GB", "", "", "name", "awareness=2026-10-24T10:00:00+01:00"), status: Due, due: ""},
	{name: "PECR 24 hours", rule: "uk-pecr-ico-24h", source: "PECR reg. 5A; ICO: within 24 hours",
		facts: fx("GB", "uk_pecr_provider", "", "name", "awareness=2026-06-01T09:00:00+01:00"), status: Due, due: "2026-06-02T09:00:00+01:00"},

	// ---------------------------------------------------------------- SEC
	{name: "4 business days over Thanksgiving", rule: "us-sec-8k-item-1-05", source: "Form 8-K Item 1.05 and General Instruction B.1; 5 U.S.C. 6103 (fourth Thursday of November)",
		facts: fx("US", "sec_registrant", "", "", "materiality_determination=2026-11-25T15:00:00-05:00"), status: Due, due: "2026-12-02T23:59:59-05:00",
		stages: []string{"2026-12-02T23:59:59-05:00", ""}, why: "Thu 2026-11-26 is Thanksgiving Day"},
	{name: "4 business days over Juneteenth", rule: "us-sec-8k-item-1-05", source: "Form 8-K B.1; 5 U.S.C. 6103 (19 June)",
		facts: fx("US", "sec_registrant", "", "", "materiality_determination=2026-06-16T11:00:00-04:00"), status: Due, due: "2026-06-23T23:59:59-04:00", why: "Fri 2026-06-19 is Juneteenth"},
	{name: "Independence Day on a Saturday is observed on Friday", rule: "us-sec-8k-item-1-05", source: "5 U.S.C. 6103(b) observed days",
		facts: fx("US", "sec_registrant", "", "", "materiality_determination=2026-07-01T11:00:00-04:00"), status: Due, due: "2026-07-08T23:59:59-04:00", why: "Fri 2026-07-03 is Independence Day (observed)"},
	{name: "Independence Day on a Sunday is observed on Monday", rule: "us-sec-8k-item-1-05", source: "5 U.S.C. 6103(b) observed days",
		facts: fx("US", "sec_registrant", "", "", "materiality_determination=2027-07-01T11:00:00-04:00"), status: Due, due: "2027-07-08T23:59:59-04:00", why: "Mon 2027-07-05 is Independence Day (observed)"},
	{name: "New Year's Day 2028 on a Saturday is observed on Friday 31 December 2027", rule: "us-sec-8k-item-1-05", source: "5 U.S.C. 6103(b)",
		facts: fx("US", "sec_registrant", "", "", "materiality_determination=2027-12-27T11:00:00-05:00"), now: "2027-12-28T00:00:00Z", status: Due, due: "2028-01-03T23:59:59-05:00", why: "Fri 2027-12-31 is New Year's Day (observed)"},
	{name: "Martin Luther King day, third Monday of January", rule: "us-sec-8k-item-1-05", source: "5 U.S.C. 6103(a)",
		facts: fx("US", "sec_registrant", "", "", "materiality_determination=2027-01-15T11:00:00-05:00"), status: Due, due: "2027-01-22T23:59:59-05:00", why: "Mon 2027-01-18 is Birthday of Martin Luther King"},
	{name: "Memorial Day, last Monday of May", rule: "us-sec-8k-item-1-05", source: "5 U.S.C. 6103(a)",
		facts: fx("US", "sec_registrant", "", "", "materiality_determination=2026-05-21T11:00:00-04:00"), status: Due, due: "2026-05-28T23:59:59-04:00", why: "Mon 2026-05-25 is Memorial Day"},
	{name: "a Saturday determination counts from Monday", rule: "us-sec-8k-item-1-05", source: "Form 8-K General Instruction B.1",
		facts: fx("US", "sec_registrant", "", "", "materiality_determination=2026-06-06T11:00:00-04:00"), status: Due, due: "2026-06-11T23:59:59-04:00"},
	{name: "the day is taken in New York: 22:30 Pacific on Tuesday is Wednesday there", rule: "us-sec-8k-item-1-05", source: "Form 8-K B.1; EDGAR runs on Eastern time",
		facts: fx("US", "sec_registrant", "", "", "materiality_determination=2026-12-01T22:30:00-08:00"), status: Due, due: "2026-12-08T23:59:59-05:00", why: "Wed 2026-12-02"},
	{name: "waits for the materiality determination", rule: "us-sec-8k-item-1-05", source: "Form 8-K Item 1.05: four business days after determining materiality",
		facts: fx("US", "sec_registrant", "", "", "awareness=2026-11-20T10:00:00-05:00"), status: PendingEvent, why: "materiality_determination"},
	{name: "not a registrant", rule: "us-sec-8k-item-1-05", source: "Form 8-K applies to Exchange Act registrants",
		facts: fx("US", "", "", "", "materiality_determination=2026-11-25T15:00:00-05:00"), status: NotApplicable, why: "sec_registrant"},

	// ---------------------------------------------------------------- HIPAA
	{name: "individuals within 60 calendar days", rule: "us-hipaa-164-404-individuals", source: "45 CFR 164.404(b)",
		facts: fx("US", "hipaa_covered_entity", "US-NY:10", "health", "discovery=2026-01-05T10:00:00-05:00"), status: Due, due: "2026-03-06T23:59:59-05:00"},
	{name: "secured (encrypted) PHI is not a breach to notify", rule: "us-hipaa-164-404-individuals", source: "45 CFR 164.402 unsecured PHI; HHS guidance",
		facts: encrypted(fx("US", "hipaa_covered_entity", "US-NY:10", "health", "discovery=2026-01-05T10:00:00-05:00")), status: NotApplicable, why: "encryption"},
	{name: "HHS: exactly 500 individuals across states", rule: "us-hipaa-164-408-hhs-500-plus", source: "45 CFR 164.408(b): 500 or more",
		facts: fx("US", "hipaa_covered_entity", "US-NY:300 US-NJ:200", "health", "discovery=2026-01-05T10:00:00-05:00"), status: Due, due: "2026-03-06T23:59:59-05:00"},
	{name: "HHS immediate notice not needed for 499", rule: "us-hipaa-164-408-hhs-500-plus", source: "45 CFR 164.408(b)",
		facts: fx("US", "hipaa_covered_entity", "US-NY:299 US-NJ:200", "health", "discovery=2026-01-05T10:00:00-05:00"), status: NotApplicable, why: "499"},
	{name: "HHS annual log: 60 days after the year of discovery", rule: "us-hipaa-164-408-hhs-under-500", source: "45 CFR 164.408(c)",
		facts: fx("US", "hipaa_covered_entity", "US-NY:299 US-NJ:200", "health", "discovery=2026-05-05T10:00:00-04:00"), status: Due, due: "2027-03-01T23:59:59-05:00", why: "the end of 2026"},
	{name: "HHS annual log in a leap year falls on 29 February", rule: "us-hipaa-164-408-hhs-under-500", source: "45 CFR 164.408(c)",
		facts: fx("US", "hipaa_covered_entity", "US-CA:20", "health", "discovery=2027-06-01T10:00:00-04:00"), status: Due, due: "2028-02-29T23:59:59-05:00"},
	{name: "HHS annual log is not for 500 or more", rule: "us-hipaa-164-408-hhs-under-500", source: "45 CFR 164.408(c)",
		facts: fx("US", "hipaa_covered_entity", "US-CA:500", "health", "discovery=2027-06-01T10:00:00-04:00"), status: NotApplicable, why: "at most 499"},
	{name: "media: more than 500 residents of one State", rule: "us-hipaa-164-406-media", source: "45 CFR 164.406(a)",
		facts: fx("US", "hipaa_covered_entity", "US-NY:501", "health", "discovery=2026-01-05T10:00:00-05:00"), status: Due, due: "2026-03-06T23:59:59-05:00"},
	{name: "media: 500 in one State is not more than 500", rule: "us-hipaa-164-406-media", source: "45 CFR 164.406(a)",
		facts: fx("US", "hipaa_covered_entity", "US-NY:500", "health", "discovery=2026-01-05T10:00:00-05:00"), status: NotApplicable, why: "US-NY"},
	{name: "media: 800 split 400/400 between two States", rule: "us-hipaa-164-406-media", source: "45 CFR 164.406(a) counts residents of a State",
		facts: fx("US", "hipaa_covered_entity", "US-NY:400 US-NJ:400", "health", "discovery=2026-01-05T10:00:00-05:00"), status: NotApplicable, why: "largest single jurisdiction"},
	{name: "business associate within 60 days", rule: "us-hipaa-164-410-business-associate", source: "45 CFR 164.410(b)",
		facts: fx("US", "hipaa_business_associate", "US-NY:10", "health", "discovery=2026-01-05T10:00:00-05:00"), status: Due, due: "2026-03-06T23:59:59-05:00"},

	// ---------------------------------------------------------------- CIRCIA (proposed)
	{name: "CIRCIA incident reports wait for a final rule", rule: "us-circia-covered-cyber-incident", source: "CIRCIA: duty starts with the final rule",
		facts: fx("US", "circia_covered_entity", "", "", "breach_determination=2026-11-20T10:00:00-05:00"), status: NotApplicable, why: "proposed"},
	{name: "CIRCIA ransom reports wait for a final rule", rule: "us-circia-ransom-payment", source: "CIRCIA: duty starts with the final rule",
		facts: fx("US", "circia_covered_entity", "", "", "ransom_payment=2026-11-20T10:00:00-05:00"), status: NotApplicable, why: "proposed"},

	// ---------------------------------------------------------------- NYDFS
	{name: "72 hours across the US spring DST change", rule: "us-nydfs-500-17a-cybersecurity-incident", source: "23 NYCRR 500.17(a)(1); US DST starts 8 March 2026",
		facts: fx("US US-NY", "nydfs_covered_entity", "", "", "breach_determination=2026-03-06T12:00:00-05:00"), status: Due, due: "2026-03-09T13:00:00-04:00", why: "from EST to EDT"},
	{name: "extortion payment 24 hours across the autumn change; explanation in 30 days", rule: "us-nydfs-500-17c-extortion-payment", source: "23 NYCRR 500.17(c); US DST ends 1 November 2026",
		facts: fx("US US-NY", "nydfs_covered_entity", "", "", "ransom_payment=2026-10-31T12:00:00-04:00"), status: Due, due: "2026-11-01T11:00:00-05:00",
		stages: []string{"2026-11-01T11:00:00-05:00", "2026-11-30T23:59:59-05:00"}},
	{name: "no extortion payment made", rule: "us-nydfs-500-17c-extortion-payment", source: "23 NYCRR 500.17(c)",
		facts: fx("US US-NY", "nydfs_covered_entity", "", "", "awareness=2026-10-31T12:00:00-04:00"), status: NotApplicable, why: "no ransom payment"},
	{name: "board report is timely, no fixed hours", rule: "us-nydfs-500-4c-board", source: "23 NYCRR 500.4(c)",
		facts: fx("US US-NY", "nydfs_covered_entity", "", "", "awareness=2026-10-31T12:00:00-04:00"), status: Due, due: ""},

	// ---------------------------------------------------------------- other US federal
	{name: "FTC 30 days, ending in daylight time", rule: "us-ftc-safeguards-314-4j", source: "16 CFR 314.4(j)(1)",
		facts: fx("US", "ftc_financial_institution", "US-CA:500", "name", "discovery=2026-02-10T10:00:00-05:00"), status: Due, due: "2026-03-12T23:59:59-04:00"},
	{name: "FTC: 499 consumers is below the notification event", rule: "us-ftc-safeguards-314-4j", source: "16 CFR 314.2(m) notification event: at least 500 consumers",
		facts: fx("US", "ftc_financial_institution", "US-CA:499", "name", "discovery=2026-02-10T10:00:00-05:00"), status: NotApplicable, why: "at least 500"},
	{name: "banking 36 hours", rule: "us-banking-computer-security-incident-36h", source: "12 CFR 53.3",
		facts: fx("US", "us_bank", "", "", "breach_determination=2026-11-30T20:00:00-05:00"), status: Due, due: "2026-12-02T08:00:00-05:00"},
	{name: "bank service provider as soon as possible", rule: "us-banking-service-provider-to-bank", source: "12 CFR 53.4",
		facts: fx("US", "us_bank_service_provider", "", "", "breach_determination=2026-11-30T20:00:00-05:00"), status: Due, due: ""},
	{name: "Regulation S-P 30 days", rule: "us-sec-reg-s-p-individuals", source: "17 CFR 248.30(a)(4)(iii)",
		facts: fx("US", "sec_reg_sp_institution", "US-NY:5", "ssn", "awareness=2026-01-15T10:00:00-05:00"), status: Due, due: "2026-02-14T23:59:59-05:00"},
	{name: "Regulation S-P before its compliance date", rule: "us-sec-reg-s-p-individuals", source: "Release 34-100155 compliance dates",
		facts: fx("US", "sec_reg_sp_institution", "US-NY:5", "ssn", "awareness=2025-11-01T10:00:00-04:00"), status: NotApplicable, why: "2025-12-03"},
	{name: "Regulation S-P service provider 72 hours, contractual", rule: "us-sec-reg-s-p-service-provider", source: "17 CFR 248.30(a)(5)(i)",
		facts: fx("US", "sec_reg_sp_service_provider", "", "", "awareness=2026-02-01T10:00:00-05:00"), status: Due, due: "2026-02-04T10:00:00-05:00", why: "contractual"},
	{name: "card brands immediately; Visa 3 and 10 working days; Mastercard 24 hours", rule: "pci-dss-card-brands-acquirer", source: "Visa What To Do If Compromised; Mastercard ADC rules",
		facts: fx("US", "", "", "payment_card", "discovery=2026-12-04T15:00:00Z"), status: Due, due: "",
		stages: []string{"", "2026-12-09T23:59:59Z", "2026-12-18T23:59:59Z", "2026-12-05T15:00:00Z"}},

	// ---------------------------------------------------------------- US states
	{name: "California 30 days does not reach a 2025 discovery", rule: "us-ca-1798-82-individuals", source: "SB 446, effective 1 January 2026",
		facts: fx("US", "", "US-CA:10", "ssn", "discovery=2025-12-20T10:00:00-08:00"), status: NotApplicable, why: "2026-01-01"},
	{name: "California residents within 30 calendar days", rule: "us-ca-1798-82-individuals", source: "Cal. Civ. Code 1798.82(a) as amended",
		facts: fx("US", "", "US-CA:10", "ssn", "discovery=2026-01-10T10:00:00-08:00"), status: Due, due: "2026-02-09T23:59:59-08:00"},
	{name: "California AG sample copy 15 days after the notices", rule: "us-ca-1798-82-attorney-general", source: "Cal. Civ. Code 1798.82(f)",
		facts: fx("US", "", "US-CA:501", "ssn", "discovery=2026-01-10T10:00:00-08:00", "individuals_notified=2026-02-01T12:00:00-08:00"), status: Due, due: "2026-02-16T23:59:59-08:00"},
	{name: "California AG not needed for 500 residents", rule: "us-ca-1798-82-attorney-general", source: "1798.82(f): more than 500",
		facts: fx("US", "", "US-CA:500", "ssn", "individuals_notified=2026-02-01T12:00:00-08:00"), status: NotApplicable, why: "at least 501"},
	{name: "California AG waits for the notices to residents", rule: "us-ca-1798-82-attorney-general", source: "1798.82(f)",
		facts: fx("US", "", "US-CA:900", "ssn", "discovery=2026-01-10T10:00:00-08:00"), status: PendingEvent, why: "individuals_notified"},
	{name: "New York residents within 30 days, in daylight time", rule: "us-ny-gbl-899aa-individuals", source: "GBL 899-aa(2) as amended December 2024",
		facts: fx("US", "", "US-NY:10", "ssn", "discovery=2026-03-02T09:00:00-05:00"), status: Due, due: "2026-04-01T23:59:59-04:00"},
	{name: "New York regulators no later than the resident notice", rule: "us-ny-gbl-899aa-regulators", source: "GBL 899-aa(8), aligned with the 30 days of 899-aa(2)",
		facts: fx("US", "", "US-NY:10", "ssn", "discovery=2026-03-02T09:00:00-05:00"), status: Due, due: "2026-04-01T23:59:59-04:00"},
	{name: "New York public entity 72 hours; ransom 24 hours and 30 days", rule: "us-ny-gml-995b-public-entities", source: "GML 995-b",
		facts: fx("US US-NY", "ny_public_entity", "", "", "breach_determination=2026-07-01T09:00:00-04:00", "ransom_payment=2026-07-02T15:00:00-04:00"), status: Due, due: "2026-07-04T09:00:00-04:00",
		stages: []string{"2026-07-04T09:00:00-04:00", "2026-07-03T15:00:00-04:00", "2026-08-01T23:59:59-04:00"}},
	{name: "New York public entity without a ransom payment", rule: "us-ny-gml-995b-public-entities", source: "GML 995-b",
		facts: fx("US US-NY", "ny_public_entity", "", "", "breach_determination=2026-07-01T09:00:00-04:00"), status: Due, due: "2026-07-04T09:00:00-04:00",
		stages: []string{"2026-07-04T09:00:00-04:00", "", ""}, why: "waiting for the ransom payment"},
	{name: "Texas individuals by the 60th day", rule: "us-tx-521-053-individuals", source: "Tex. Bus. & Com. Code 521.053(b)",
		facts: fx("US", "", "US-TX:600", "ssn", "breach_determination=2026-04-01T09:00:00-05:00"), status: Due, due: "2026-05-31T23:59:59-05:00"},
	{name: "Texas AG at 250 residents", rule: "us-tx-521-053-attorney-general", source: "Tex. Bus. & Com. Code 521.053(i): at least 250",
		facts: fx("US", "", "US-TX:250", "ssn", "breach_determination=2026-04-01T09:00:00-05:00"), status: Due, due: "2026-05-01T23:59:59-05:00"},
	{name: "Texas AG not at 249", rule: "us-tx-521-053-attorney-general", source: "521.053(i)",
		facts: fx("US", "", "US-TX:249 US-OK:5000", "ssn", "breach_determination=2026-04-01T09:00:00-05:00"), status: NotApplicable, why: "249"},
	{name: "Florida individuals within 30 days", rule: "us-fl-501-171-individuals", source: "Fla. Stat. 501.171(4)(a)",
		facts: fx("US", "", "US-FL:3", "ssn", "breach_determination=2026-06-15T10:00:00-04:00"), status: Due, due: "2026-07-15T23:59:59-04:00"},
	{name: "Florida Department at 500", rule: "us-fl-501-171-department-of-legal-affairs", source: "Fla. Stat. 501.171(3)(a): 500 or more",
		facts: fx("US", "", "US-FL:500", "ssn", "breach_determination=2026-06-15T10:00:00-04:00"), status: Due, due: "2026-07-15T23:59:59-04:00", stages: []string{"2026-07-15T23:59:59-04:00", ""}},
	{name: "Florida Department not at 499", rule: "us-fl-501-171-department-of-legal-affairs", source: "501.171(3)(a)",
		facts: fx("US", "", "US-FL:499", "ssn", "breach_determination=2026-06-15T10:00:00-04:00"), status: NotApplicable, why: "499"},
	{name: "Colorado 30 days, ending in standard time", rule: "us-co-6-1-716-individuals", source: "C.R.S. 6-1-716(2)(a)",
		facts: fx("US", "", "US-CO:3", "ssn", "breach_determination=2026-10-20T10:00:00-06:00"), status: Due, due: "2026-11-19T23:59:59-07:00"},
	{name: "Colorado AG at 500", rule: "us-co-6-1-716-attorney-general", source: "C.R.S. 6-1-716(2)(f)",
		facts: fx("US", "", "US-CO:500", "ssn", "breach_determination=2026-10-20T10:00:00-06:00"), status: Due, due: "2026-11-19T23:59:59-07:00"},
	{name: "Washington 30 days over the new year", rule: "us-wa-19-255-individuals", source: "RCW 19.255.010(8)",
		facts: fx("US", "", "US-WA:3", "credentials", "discovery=2026-12-15T10:00:00-08:00"), status: Due, due: "2027-01-14T23:59:59-08:00"},
	{name: "Washington AG at 501", rule: "us-wa-19-255-attorney-general", source: "RCW 19.255.010(7): more than 500",
		facts: fx("US", "", "US-WA:501", "credentials", "discovery=2026-12-15T10:00:00-08:00"), status: Due, due: "2027-01-14T23:59:59-08:00", stages: []string{"2027-01-14T23:59:59-08:00", ""}},
	{name: "Washington AG not at 500", rule: "us-wa-19-255-attorney-general", source: "RCW 19.255.010(7)",
		facts: fx("US", "", "US-WA:500", "credentials", "discovery=2026-12-15T10:00:00-08:00"), status: NotApplicable},
	{name: "Massachusetts residents as soon as practicable", rule: "us-ma-93h-residents", source: "M.G.L. c. 93H s. 3(b)",
		facts: fx("US", "", "US-MA:1", "ssn", "awareness=2026-12-15T10:00:00-05:00"), status: Due, due: ""},
	{name: "Massachusetts AG and OCABR as soon as practicable", rule: "us-ma-93h-ag-ocabr", source: "M.G.L. c. 93H s. 3(b)",
		facts: fx("US", "", "US-MA:1", "ssn", "awareness=2026-12-15T10:00:00-05:00"), status: Due, due: ""},
	{name: "names and e-mail addresses alone are not state personal information", rule: "us-ma-93h-residents", source: "M.G.L. c. 93H s. 1 definition",
		facts: fx("US", "", "US-MA:1", "name personal_data", "awareness=2026-12-15T10:00:00-05:00"), status: NotApplicable, why: "data of types"},

	// ---------------------------------------------------------------- rest of the world
	{name: "Canada OPC as soon as feasible", rule: "ca-pipeda-opc", source: "PIPEDA s. 10.1(2)",
		facts: fx("CA", "", "CA:40", "name", "breach_determination=2026-05-01T10:00:00-04:00"), status: Due, due: "", stages: []string{"", ""}},
	{name: "Canada individuals as soon as feasible", rule: "ca-pipeda-individuals", source: "PIPEDA s. 10.1(6)",
		facts: fx("CA", "", "CA:40", "name", "breach_determination=2026-05-01T10:00:00-04:00"), status: Due, due: ""},
	{name: "Australia assessment 30 days, ending in daylight time", rule: "au-ndb-assessment", source: "Privacy Act s. 26WH(2)",
		facts: fx("AU", "au_app_entity", "AU:10", "name", "awareness=2026-09-20T10:00:00+10:00"), status: Due, due: "2026-10-20T23:59:59+11:00"},
	{name: "OAIC statement as soon as practicable", rule: "au-ndb-oaic-statement", source: "Privacy Act s. 26WK(2)",
		facts: fx("AU", "au_app_entity", "AU:10", "name", "breach_determination=2026-09-20T10:00:00+10:00"), status: Due, due: ""},
	{name: "Australia individuals wait for the statement", rule: "au-ndb-individuals", source: "Privacy Act s. 26WL(3)",
		facts: fx("AU", "au_app_entity", "AU:10", "name", "breach_determination=2026-09-20T10:00:00+10:00"), status: PendingEvent, why: "notifiable_assessment"},
	{name: "Australia individuals after the statement", rule: "au-ndb-individuals", source: "Privacy Act s. 26WL(3)",
		facts: fx("AU", "au_app_entity", "AU:10", "name", "notifiable_assessment=2026-09-21T10:00:00+10:00"), status: Due, due: ""},
	{name: "Australia ransomware payment 72 hours", rule: "au-ransomware-payment-report", source: "Cyber Security Act 2024 s. 27(2)",
		facts: fx("AU", "au_ransomware_reporting_entity", "", "", "ransom_payment=2026-06-01T10:00:00+10:00"), status: Due, due: "2026-06-04T10:00:00+10:00"},
	{name: "SOCI 12 hours across the April clock change; written record 84 hours later", rule: "au-soci-critical-cyber-incident-12h", source: "SOCI Act s. 30BC(1),(3); AEDT ends 5 April 2026",
		facts: fx("AU", "au_soci_responsible_entity", "", "", "awareness=2026-04-04T20:00:00+11:00"), status: Due, due: "2026-04-05T07:00:00+10:00",
		stages: []string{"2026-04-05T07:00:00+10:00", "2026-04-08T19:00:00+10:00"}, why: "from AEDT to AEST"},
	{name: "SOCI 72 hours; written record 48 hours later", rule: "au-soci-other-cyber-incident-72h", source: "SOCI Act s. 30BD(1),(3)",
		facts: fx("AU", "au_soci_responsible_entity", "", "", "awareness=2026-04-04T20:00:00+11:00"), status: Due, due: "2026-04-07T19:00:00+10:00",
		stages: []string{"2026-04-07T19:00:00+10:00", "2026-04-09T19:00:00+10:00"}},
	{name: "Singapore PDPC 3 calendar days after the assessment", rule: "sg-pdpa-26d-pdpc", source: "PDPA s. 26D(1)",
		facts: fx("SG", "", "SG:600", "name", "notifiable_assessment=2026-11-27T22:00:00+08:00"), status: Due, due: "2026-11-30T23:59:59+08:00"},
	{name: "Singapore individuals on or after the PDPC", rule: "sg-pdpa-26d-individuals", source: "PDPA s. 26D(2)",
		facts: fx("SG", "", "SG:600", "name", "notifiable_assessment=2026-11-27T22:00:00+08:00"), status: Due, due: ""},
	{name: "Japan preliminary about 5 days; confirmed 30 or 60 days", rule: "jp-appi-26-ppc", source: "APPI Art. 26(1); Enforcement Rules Art. 8; PPC guidance",
		facts: fx("JP", "", "JP:2000", "name", "discovery=2026-12-28T10:00:00+09:00"), status: Due, due: "2027-01-02T23:59:59+09:00",
		stages: []string{"2027-01-02T23:59:59+09:00", "2027-01-27T23:59:59+09:00", "2027-02-26T23:59:59+09:00"}, why: "guidance"},
	{name: "Japan individuals promptly", rule: "jp-appi-26-individuals", source: "APPI Art. 26(2)",
		facts: fx("JP", "", "JP:2000", "name", "discovery=2026-12-28T10:00:00+09:00"), status: Due, due: ""},
	{name: "Brazil 3 business days over Consciência Negra; 20 business days to complete", rule: "br-lgpd-48-anpd", source: "Res. CD/ANPD 15/2024 Art. 6; Lei 14.759/2023",
		facts: fx("BR", "", "BR:100", "name", "awareness=2026-11-18T10:00:00-03:00"), status: Due, due: "2026-11-24T23:59:59-03:00",
		stages: []string{"2026-11-24T23:59:59-03:00", "2026-12-22T23:59:59-03:00"}, why: "Fri 2026-11-20 is Dia Nacional de Zumbi"},
	{name: "Brazil over Good Friday", rule: "br-lgpd-48-anpd", source: "Res. CD/ANPD 15/2024 Art. 6; Good Friday 3 April 2026",
		facts: fx("BR", "", "BR:100", "name", "awareness=2026-04-01T10:00:00-03:00"), status: Due, due: "2026-04-07T23:59:59-03:00", why: "Paixão de Cristo"},
	{name: "Brazil: Carnival is an optional day, counted as a business day", rule: "br-lgpd-48-data-subjects", source: "Res. CD/ANPD 15/2024 Art. 9; Carnival is ponto facultativo",
		facts: fx("BR", "", "BR:100", "name", "awareness=2026-02-16T10:00:00-03:00"), status: Due, due: "2026-02-19T23:59:59-03:00"},
	{name: "Brazil over Tiradentes", rule: "br-lgpd-48-data-subjects", source: "Lei 662/1949 (21 April)",
		facts: fx("BR", "", "BR:100", "name", "awareness=2026-04-17T10:00:00-03:00"), status: Due, due: "2026-04-23T23:59:59-03:00", why: "Tiradentes"},
	{name: "CERT-In 6 hours", rule: "in-cert-in-6h", source: "CERT-In Directions 28 April 2022, direction (ii)",
		facts: fx("IN", "", "", "", "awareness=2026-08-14T22:00:00+05:30"), status: Due, due: "2026-08-15T04:00:00+05:30", stages: []string{"2026-08-15T04:00:00+05:30", ""}},
	{name: "DPDP Board duty not in force for a 2026 breach", rule: "in-dpdp-rule7-board", source: "DPDP Rules 2025 commencement (13 May 2027)",
		facts: fx("IN", "", "IN:100", "name", "awareness=2026-11-20T10:00:00+05:30"), status: NotApplicable, why: "2027-05-13"},
	{name: "DPDP Board: intimation without delay, detailed report in 72 hours", rule: "in-dpdp-rule7-board", source: "DPDP Rules 2025 Rule 7(2)",
		facts: fx("IN", "", "IN:100", "name", "awareness=2027-06-01T10:00:00+05:30"), now: "2027-06-01T12:00:00Z", status: Due, due: "",
		stages: []string{"", "2027-06-04T10:00:00+05:30"}},
	{name: "DPDP individuals not in force yet", rule: "in-dpdp-rule7-individuals", source: "DPDP Rules 2025 commencement",
		facts: fx("IN", "", "IN:100", "name"), status: NotApplicable, why: "not in force yet"},
	{name: "South Africa Regulator as soon as reasonably possible", rule: "za-popia-22-regulator", source: "POPIA s. 22(2)",
		facts: fx("ZA", "", "ZA:5", "name", "discovery=2026-05-01T10:00:00+02:00"), status: Due, due: ""},
	{name: "South Africa data subjects as soon as reasonably possible", rule: "za-popia-22-data-subjects", source: "POPIA s. 22(2)",
		facts: fx("ZA", "", "ZA:5", "name", "discovery=2026-05-01T10:00:00+02:00"), status: Due, due: ""},
	{name: "FDPIC as quickly as possible", rule: "ch-fadp-24-fdpic", source: "FADP Art. 24(1)",
		facts: fx("CH", "", "CH:5", "name", "awareness=2026-05-01T10:00:00+02:00"), status: Due, due: ""},
	{name: "Swiss data subjects, no fixed deadline", rule: "ch-fadp-24-data-subjects", source: "FADP Art. 24(4)",
		facts: fx("CH", "", "CH:5", "name", "awareness=2026-05-01T10:00:00+02:00"), status: Due, due: ""},
	{name: "BACS 24 hours across the October change; 14 days to complete", rule: "ch-isa-74b-ncsc-24h", source: "ISA Art. 74e; Swiss summer time ends 25 October 2026",
		facts: fx("CH", "ch_isa_obligated_entity", "", "", "discovery=2026-10-24T15:00:00+02:00"), status: Due, due: "2026-10-25T14:00:00+01:00",
		stages: []string{"2026-10-25T14:00:00+01:00", "2026-11-08T23:59:59+01:00"}},
}

func TestEvaluateCases(t *testing.T) {
	c, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]*Rule{}
	for i := range c.Rules {
		byID[c.Rules[i].ID] = &c.Rules[i]
	}
	for _, tc := range evalCases {
		t.Run(tc.rule+"/"+tc.name, func(t *testing.T) {
			r := byID[tc.rule]
			if r == nil {
				t.Fatalf("no rule %s", tc.rule)
			}
			if tc.source == "" {
				t.Fatal("every case cites its source")
			}
			if err := tc.facts.Validate(); err != nil {
				t.Fatalf("facts: %v", err)
			}
			now := "2026-11-27T00:00:00Z"
			if tc.now != "" {
				now = tc.now
			}
			at, err := time.Parse(time.RFC3339, now)
			if err != nil {
				t.Fatalf("case now: %v", err)
			}
			obs, err := Evaluate(&Catalogue{Rules: []Rule{*r}}, tc.facts, at)
			if err != nil {
				t.Fatal(err)
			}
			o := obs[0]
			if o.Status != tc.status || o.Due != tc.due {
				t.Fatalf("got %s due %q, want %s due %q\n%s", o.Status, o.Due, tc.status, tc.due, o.Explanation)
			}
			if tc.stages != nil {
				var got []string
				for _, s := range o.Stages {
					got = append(got, s.Due)
				}
				if !slices.Equal(got, tc.stages) {
					t.Errorf("stage dues %q, want %q\n%s", got, tc.stages, o.Explanation)
				}
			}
			if !strings.Contains(o.Explanation, tc.why) {
				t.Errorf("explanation lacks %q:\n%s", tc.why, o.Explanation)
			}
			if len(o.Citations) == 0 {
				t.Error("no citations in the result")
			}
		})
	}
}

// TestEveryRuleIsTested keeps the catalogue and the cases together: a rule
// added without a hand-computed case fails here.
func TestEveryRuleIsTested(t *testing.T) {
	c, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	tested := map[string]bool{}
	for _, tc := range evalCases {
		tested[tc.rule] = true
	}
	for _, r := range c.Rules {
		if !tested[r.ID] {
			t.Errorf("rule %s has no case in evalCases", r.ID)
		}
	}
	if len(evalCases) < 40 {
		t.Errorf("%d cases; keep at least 40", len(evalCases))
	}
}
