package attack

import (
	"time"
)

// Technique is one entry of the imported ATT&CK catalogue.
type Technique struct {
	ID             string    `json:"id"` // T1059 or T1059.001
	STIXID         string    `json:"stix_id"`
	Name           string    `json:"name"`
	ParentID       string    `json:"parent_id,omitempty"` // T1059 for T1059.001
	Tactics        []string  `json:"tactics"`             // short names, kill-chain order
	IsSubtechnique bool      `json:"is_subtechnique"`
	Revoked        bool      `json:"revoked"`
	RevokedBy      string    `json:"revoked_by,omitempty"` // the technique that replaced it
	Deprecated     bool      `json:"deprecated"`
	URL            string    `json:"url"`
	Modified       time.Time `json:"modified"` // the STIX object's modified time
}

// same reports whether an import would leave the stored technique as it is.
func (t Technique) same(o Technique) bool {
	if t.ID != o.ID || t.STIXID != o.STIXID || t.Name != o.Name || t.ParentID != o.ParentID || t.IsSubtechnique != o.IsSubtechnique ||
		t.Revoked != o.Revoked || t.RevokedBy != o.RevokedBy || t.Deprecated != o.Deprecated || t.URL != o.URL ||
		!t.Modified.Equal(o.Modified) || len(t.Tactics) != len(o.Tactics) {
		return false
	}
	for k := range t.Tactics {
		if t.Tactics[k] != o.Tactics[k] {
			return false
		}
	}
	return true
}

// TechniqueFilter selects catalogue entries.
type TechniqueFilter struct {
	Query  string // ID prefix or part of the name, any case
	Tactic string // tactic ID, short name or name
	All    bool   // include revoked and deprecated techniques
	Limit  int    // 1..MaxTechniques, default MaxTechniques
}

// MaxTechniques bounds one listing; the whole Enterprise catalogue (about
// 800 live techniques and sub-techniques) fits in it.
const MaxTechniques = 2000

// Catalogue describes the loaded catalogue.
type Catalogue struct {
	Loaded     bool       `json:"loaded"`
	Version    string     `json:"version,omitempty"` // ATT&CK version of the last import
	ImportedAt *time.Time `json:"imported_at,omitempty"`
	Techniques int        `json:"techniques"`
}

// TechniqueList is a listing with the catalogue it came from.
type TechniqueList struct {
	Catalogue Catalogue   `json:"catalogue"`
	Items     []Technique `json:"items"`
}
