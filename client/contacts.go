package client

import (
	"context"
	"net/http"
	"strconv"
	"time"
)

// Contact is an entry of the stakeholder directory.
type Contact struct {
	ID             string     `json:"id"`
	Key            string     `json:"key"`
	Name           string     `json:"name"`
	Kind           string     `json:"kind"`
	Role           string     `json:"role"`
	Organization   string     `json:"organization"`
	UserID         string     `json:"user_id,omitempty"`
	UserEmail      string     `json:"user_email,omitempty"`
	WorkEmail      string     `json:"work_email"`
	Phone          string     `json:"phone"`
	PersonalEmail  string     `json:"personal_email"`
	Signal         string     `json:"signal"`
	OutOfBandNotes string     `json:"out_of_band_notes"`
	Notes          string     `json:"notes"`
	VerifiedAt     *time.Time `json:"verified_at,omitempty"`
	VerifiedBy     string     `json:"verified_by,omitempty"`
	VerifiedByName string     `json:"verified_by_name,omitempty"`
	Stale          bool       `json:"stale"`
	CreatedBy      string     `json:"created_by"`
	CreatedAt      time.Time  `json:"created_at"`
	UpdatedAt      time.Time  `json:"updated_at"`
	Version        int64      `json:"version"`
}

// ContactInput adds a contact.
type ContactInput struct {
	Key            string `json:"key"`
	Name           string `json:"name"`
	Kind           string `json:"kind"`
	Role           string `json:"role,omitempty"`
	Organization   string `json:"organization,omitempty"`
	User           string `json:"user,omitempty"`
	WorkEmail      string `json:"work_email,omitempty"`
	Phone          string `json:"phone,omitempty"`
	PersonalEmail  string `json:"personal_email,omitempty"`
	Signal         string `json:"signal,omitempty"`
	OutOfBandNotes string `json:"out_of_band_notes,omitempty"`
	Notes          string `json:"notes,omitempty"`
	Verified       bool   `json:"verified,omitempty"`
}

// ContactPatch changes some fields of a contact; "" clears a field.
type ContactPatch struct {
	Name           *string `json:"name,omitempty"`
	Kind           *string `json:"kind,omitempty"`
	Role           *string `json:"role,omitempty"`
	Organization   *string `json:"organization,omitempty"`
	User           *string `json:"user,omitempty"`
	WorkEmail      *string `json:"work_email,omitempty"`
	Phone          *string `json:"phone,omitempty"`
	PersonalEmail  *string `json:"personal_email,omitempty"`
	Signal         *string `json:"signal,omitempty"`
	OutOfBandNotes *string `json:"out_of_band_notes,omitempty"`
	Notes          *string `json:"notes,omitempty"`
	Verified       bool    `json:"verified,omitempty"`
}

// ContactFilter selects contacts.
type ContactFilter struct {
	Kind  string
	Stale bool
	Query string
}

// CreateContact adds a contact to the directory.
func (c *Client) CreateContact(ctx context.Context, in ContactInput) (Contact, error) {
	var out Contact
	_, err := c.Do(ctx, http.MethodPost, "/api/v1/contacts", nil, in, &out)
	return out, err
}

// Contacts lists the directory.
func (c *Client) Contacts(ctx context.Context, f ContactFilter) ([]Contact, error) {
	var out Page[Contact]
	q := values("kind", f.Kind, "stale", strconv.FormatBool(f.Stale), "q", f.Query)
	return out.Items, c.get(ctx, "/api/v1/contacts"+q, &out)
}

// Contact returns one contact by key.
func (c *Client) Contact(ctx context.Context, key string) (Contact, error) {
	var out Contact
	return out, c.get(ctx, "/api/v1/contacts/"+esc(key), &out)
}

// UpdateContact changes a contact; version, when not 0, must be current.
func (c *Client) UpdateContact(ctx context.Context, key string, p ContactPatch, version int64) (Contact, error) {
	var out Contact
	_, err := c.Do(ctx, http.MethodPatch, "/api/v1/contacts/"+esc(key), ifMatch(version), p, &out)
	return out, err
}

// VerifyContact records that the caller confirmed the contact's details now.
func (c *Client) VerifyContact(ctx context.Context, key string, version int64) (Contact, error) {
	var out Contact
	_, err := c.Do(ctx, http.MethodPost, "/api/v1/contacts/"+esc(key)+"/verify", ifMatch(version), nil, &out)
	return out, err
}

// DeleteContact removes a contact (admins).
func (c *Client) DeleteContact(ctx context.Context, key string, version int64) error {
	_, err := c.Do(ctx, http.MethodDelete, "/api/v1/contacts/"+esc(key), ifMatch(version), nil, nil)
	return err
}
