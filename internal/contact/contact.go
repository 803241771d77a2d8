package contact

import (
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/warroom/warroom/internal/errs"
)

// Kind says what a contact is to the organisation.
type Kind string

// Kinds lists the kinds in the order the directory shows them: the
// organisation's own people first, then the outside parties a breach
// response calls on, in roughly the order it calls them.
var Kinds = []Kind{"internal", "outside_counsel", "cyber_insurer", "ir_provider", "law_enforcement", "regulator", "pr_firm", "key_customer", "other"}

var kindLabels = map[Kind]string{
	"internal": "Internal", "outside_counsel": "Outside counsel", "cyber_insurer": "Cyber insurer",
	"ir_provider": "IR / forensics provider", "law_enforcement": "Law enforcement", "regulator": "Regulator",
	"pr_firm": "PR firm", "key_customer": "Key customer", "other": "Other",
}

// Label is the kind's name for people.
func (k Kind) Label() string {
	if l, ok := kindLabels[k]; ok {
		return l
	}
	return strings.ReplaceAll(string(k), "_", " ")
}

// StaleAfter is how long a verification lasts: a contact whose details
// nobody has confirmed with the person for this long is stale.
const StaleAfter = 90 * 24 * time.Hour

// Contact is one entry of the directory.
type Contact struct {
	ID           string `json:"id"`
	Key          string `json:"key"`
	Name         string `json:"name"`
	Kind         Kind   `json:"kind"`
	Role         string `json:"role"`
	Organization string `json:"organization"`
	// UserID links a contact who is also a Warroom user of the organisation.
	UserID    string `json:"user_id,omitempty"`
	UserEmail string `json:"user_email,omitempty"`
	// Work channels.
	WorkEmail string `json:"work_email"`
	Phone     string `json:"phone"`
	// Out-of-band channels, for when corporate systems are compromised.
	PersonalEmail  string `json:"personal_email"`
	Signal         string `json:"signal"`
	OutOfBandNotes string `json:"out_of_band_notes"`
	Notes          string `json:"notes"`
	// VerifiedAt is when someone last confirmed the details with the
	// person; nil when nobody has since they were entered or changed.
	VerifiedAt     *time.Time `json:"verified_at,omitempty"`
	VerifiedBy     string     `json:"verified_by,omitempty"`
	VerifiedByName string     `json:"verified_by_name,omitempty"`
	// Stale is true when VerifiedAt is nil or older than StaleAfter.
	Stale     bool      `json:"stale"`
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	Version   int64     `json:"version"`
}

// OutOfBand reports whether the contact can be reached without the
// organisation's own email or phone system.
func (c Contact) OutOfBand() bool {
	return c.PersonalEmail != "" || c.Signal != "" || c.OutOfBandNotes != ""
}

// VerifyDue is when the contact becomes (or became) stale; zero when it
// was never verified.
func (c Contact) VerifyDue() time.Time {
	if c.VerifiedAt == nil {
		return time.Time{}
	}
	return c.VerifiedAt.Add(StaleAfter)
}

// IsStale reports whether a contact verified at verifiedAt is stale at now.
func IsStale(verifiedAt *time.Time, now time.Time) bool {
	return verifiedAt == nil || !now.Before(verifiedAt.Add(StaleAfter))
}

// Input creates a contact.
type Input struct {
	Key            string `json:"key"`
	Name           string `json:"name"`
	Kind           Kind   `json:"kind"`
	Role           string `json:"role"`
	Organization   string `json:"organization"`
	User           string `json:"user"` // a member's email or user ID; "" for none
	WorkEmail      string `json:"work_email"`
	Phone          string `json:"phone"`
	PersonalEmail  string `json:"personal_email"`
	Signal         string `json:"signal"`
	OutOfBandNotes string `json:"out_of_band_notes"`
	Notes          string `json:"notes"`
	// Verified says the details were confirmed with the person just now.
	Verified bool `json:"verified"`
}

// Patch changes some fields of a contact; nil fields stay as they are. The
// key never changes: plans refer to it.
type Patch struct {
	Name           *string `json:"name"`
	Kind           *Kind   `json:"kind"`
	Role           *string `json:"role"`
	Organization   *string `json:"organization"`
	User           *string `json:"user"` // "" unlinks
	WorkEmail      *string `json:"work_email"`
	Phone          *string `json:"phone"`
	PersonalEmail  *string `json:"personal_email"`
	Signal         *string `json:"signal"`
	OutOfBandNotes *string `json:"out_of_band_notes"`
	Notes          *string `json:"notes"`
	// Verified marks the (changed) details as confirmed with the person now.
	Verified bool `json:"verified"`
}

// Filter selects contacts. Zero values mean "any".
type Filter struct {
	Kind  Kind
	Stale bool   // only contacts that need verifying
	Query string // matches key, name, organisation and role
}

var (
	// KeyRE is the form of a contact key; plan escalation levels use the same.
	KeyRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,62}$`)
	// A Signal username: a nickname of 3-32 letters, digits or _ that does
	// not start with a digit, a dot, and at least two digits.
	signalUserRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{2,31}\.[0-9]{2,9}$`)
	e164RE       = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)
)

// fields is a contact's editable fields, checked and normalised together
// so Create and Update apply the same rules.
type fields struct {
	Kind                                    Kind
	Name, Role, Organization                string
	WorkEmail, Phone, PersonalEmail, Signal string
	OutOfBandNotes, Notes                   string
}

func (f *fields) check(v *errs.Validation) {
	f.Name, f.Role, f.Organization = strings.TrimSpace(f.Name), strings.TrimSpace(f.Role), strings.TrimSpace(f.Organization)
	if n := len([]rune(f.Name)); n == 0 || n > 200 {
		v.Add("name", "must be 1 to 200 characters")
	}
	if !slices.Contains(Kinds, f.Kind) {
		v.Add("kind", "%q is not allowed; use one of %s", f.Kind, kindList())
	}
	if len([]rune(f.Role)) > 200 {
		v.Add("role", "must be at most 200 characters")
	}
	if len([]rune(f.Organization)) > 200 {
		v.Add("organization", "must be at most 200 characters")
	}
	f.WorkEmail = checkEmail(v, "work_email", f.WorkEmail)
	f.PersonalEmail = checkEmail(v, "personal_email", f.PersonalEmail)
	f.Phone = checkPhone(v, f.Phone)
	f.Signal = checkSignal(v, f.Signal)
	if len(f.OutOfBandNotes) > 2000 {
		v.Add("out_of_band_notes", "must be at most 2000 bytes")
	}
	if len(f.Notes) > 10000 {
		v.Add("notes", "must be at most 10000 bytes")
	}
	if f.WorkEmail == "" && f.Phone == "" && f.PersonalEmail == "" && f.Signal == "" {
		v.Add("channels", "give at least one way to reach them: work_email, phone, personal_email or signal")
	}
}

func kindList() string {
	s := make([]string, len(Kinds))
	for i, k := range Kinds {
		s[i] = string(k)
	}
	return strings.Join(s, ", ")
}

// checkEmail parses an address with net/mail and returns it bare
// ("Name <a@b>" becomes "a@b"); "" stays "".
func checkEmail(v *errs.Validation, field, s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	a, err := mail.ParseAddress(s)
	if err != nil || len(a.Address) > 254 || !strings.Contains(a.Address[strings.LastIndexByte(a.Address, '@')+1:], ".") {
		v.Add(field, "%q is not an email address like name@example.com", s)
		return s
	}
	return a.Address
}

// NormalizePhone returns a phone number in E.164 form (+ and 7 to 15
// digits) with the spaces and hyphens people type removed, and whether it
// is one. Anything else is refused rather than guessed at: "+44 (0)20 …"
// would become a wrong number if the (0) were dropped or kept silently.
func NormalizePhone(s string) (string, bool) {
	n := strings.NewReplacer(" ", "", "-", "", "\u00a0", "").Replace(strings.TrimSpace(s))
	return n, e164RE.MatchString(n)
}

func checkPhone(v *errs.Validation, s string) string {
	if strings.TrimSpace(s) == "" {
		return ""
	}
	n, ok := NormalizePhone(s)
	if !ok {
		v.Add("phone", "%q is not an international number: + and the country code, then the number, like +44 20 7946 0958 (spaces and hyphens are fine)", s)
		return s
	}
	return n
}

// checkSignal accepts a phone number (normalised like phone) or a Signal
// username like ada.42.
func checkSignal(v *errs.Validation, s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	if strings.HasPrefix(s, "+") {
		if n, ok := NormalizePhone(s); ok {
			return n
		}
	} else if signalUserRE.MatchString(s) {
		return s
	}
	v.Add("signal", "%q is neither an international number like +44 7700 900123 nor a Signal username like ada.42", s)
	return s
}

// normalizeKey lower-cases and trims a key as typed.
func normalizeKey(k string) string { return strings.ToLower(strings.TrimSpace(k)) }

func checkKey(v *errs.Validation, k string) {
	if !KeyRE.MatchString(k) {
		v.Add("key", "%q must be 1-63 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit, like outside-counsel", k)
	}
}
