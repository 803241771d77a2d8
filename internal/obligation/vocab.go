package obligation

import (
	"slices"
	"strings"
)

// The controlled vocabularies shared by rules and facts. A word outside
// them is an error in either, so a typo never silently turns a rule off.

// Events are the moments that can start a clock, as facts record them.
var Events = []string{
	"awareness",                 // the organisation became aware of the incident
	"discovery",                 // first known (or knowable with diligence) to anyone in the organisation
	"breach_determination",      // the organisation determined a breach / reportable incident occurred
	"materiality_determination", // the incident was determined to be material (SEC)
	"major_classification",      // the ICT incident was classified as major (DORA)
	"notifiable_assessment",     // the breach was assessed as notifiable (Singapore, Australia)
	"ransom_payment",            // a ransom or extortion payment was made
	"individuals_notified",      // affected individuals were notified (California AG sample copy)
}

var eventWords = map[string]string{
	"awareness":                 "awareness",
	"discovery":                 "discovery",
	"breach_determination":      "the breach determination",
	"materiality_determination": "the materiality determination",
	"major_classification":      "the classification as major",
	"notifiable_assessment":     "the assessment that the breach is notifiable",
	"ransom_payment":            "the ransom payment",
	"individuals_notified":      "the notice to individuals",
}

// EntityTypes are what an organisation can be, for the rules that apply
// only to some kinds of organisation.
var EntityTypes = []string{
	"sec_registrant", "sec_reg_sp_institution", "hipaa_covered_entity", "hipaa_business_associate",
	"nydfs_covered_entity", "ftc_financial_institution", "us_bank", "us_bank_service_provider",
	"sec_reg_sp_service_provider",
	"circia_covered_entity", "ny_public_entity",
	"nis2_essential", "nis2_important", "dora_financial_entity", "cra_manufacturer",
	"uk_pecr_provider", "au_app_entity", "au_soci_responsible_entity", "au_ransomware_reporting_entity",
	"ch_isa_obligated_entity",
	// processor: the organisation holds the affected data on behalf of
	// another (GDPR processor, service provider). Controller-side rules
	// exclude it and processor-side rules require it.
	"processor",
}

// DataTypes are the kinds of data an incident can involve. Every one of
// them is personal data; "personal_data" alone means personal data of no
// more specific kind.
var DataTypes = []string{
	"personal_data", "name", "ssn", "government_id", "drivers_license", "financial_account",
	"payment_card", "credentials", "health", "health_insurance", "biometric",
}

// Sectors an organisation can declare.
var Sectors = []string{
	"finance", "banking", "insurance", "securities", "healthcare", "energy", "transport",
	"telecommunications", "digital_infrastructure", "ict_services", "public_administration",
	"water", "manufacturing", "education", "retail", "technology", "other",
}

// Recipient kinds.
var RecipientKinds = []string{"authority", "individuals", "customers", "media", "board", "card_brands", "insurer", "internal"}

// Confidences a rule can carry.
var Confidences = []string{"high", "medium", "low"}

// Rule statuses.
var Statuses = []string{"in_force", "not_yet_in_force", "proposed"}

// Calendars for business-day deadlines.
var CalendarNames = []string{"us_federal", "brazil", "weekends"}

func oneOf(v []string) string { return strings.Join(v, ", ") }

func known(v []string, s string) bool { return slices.Contains(v, s) }

// EU member states (for EU rules) and the EEA additions.
var (
	euMembers  = strings.Fields("AT BE BG HR CY CZ DK EE FI FR DE GR IE IT LV LT LU MT NL PL PT RO SK SI ES SE")
	eeaExtra   = strings.Fields("IS LI NO")
	usDivision = strings.Fields("AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY AS GU MP PR UM VI")
)

// isoCountries is ISO 3166-1 alpha-2 (officially assigned codes).
var isoCountries = strings.Fields(`AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ
CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR
GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP
KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT
MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW
SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG
UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW`)

// checkJurisdiction returns "" when code is a jurisdiction code Warroom
// understands, else what is wrong. Accepted: an ISO 3166-1 alpha-2 country
// (DE), a subdivision (US-NY; US states are checked against the list, other
// countries' subdivisions only for shape), and the unions EU and EEA, also
// with a member (EU-DE) as the examples write them.
func checkJurisdiction(code string) string {
	country, sub, hasSub := strings.Cut(code, "-")
	switch {
	case country == "EU" || country == "EEA":
		if !hasSub {
			return ""
		}
		if slices.Contains(euMembers, sub) || (country == "EEA" && slices.Contains(eeaExtra, sub)) {
			return ""
		}
		return "is not a member state of " + country
	case !slices.Contains(isoCountries, country):
		return "is not an ISO 3166 country code (like US, DE, BR), a subdivision (US-NY) or EU/EEA"
	case !hasSub:
		return ""
	case country == "US":
		if slices.Contains(usDivision, sub) {
			return ""
		}
		return "is not a US state, DC or territory code (like US-NY)"
	}
	if len(sub) < 1 || len(sub) > 3 || strings.ToUpper(sub) != sub {
		return "has a subdivision part that is not 1-3 upper-case letters or digits (ISO 3166-2)"
	}
	return ""
}

// countryOf returns the ISO country of a jurisdiction code: EU-DE -> DE,
// US-NY -> US, EU -> "".
func countryOf(code string) string {
	c, sub, ok := strings.Cut(code, "-")
	if c == "EU" || c == "EEA" {
		if ok {
			return sub
		}
		return ""
	}
	return c
}

// covers reports whether the rule's jurisdiction r reaches the fact's
// jurisdiction f: US covers US-NY; EU covers DE, EU-DE; EEA covers NO too;
// DE covers EU-DE; US-NY covers only US-NY.
func covers(r, f string) bool {
	if r == f || strings.HasPrefix(f, r+"-") {
		return true
	}
	fc := countryOf(f)
	switch r {
	case "EU":
		return slices.Contains(euMembers, fc)
	case "EEA":
		return slices.Contains(euMembers, fc) || slices.Contains(eeaExtra, fc)
	}
	// A plain country rule (DE) covers EU-DE written the union way.
	return !strings.Contains(r, "-") && fc == r
}
