package client

import (
	"context"
	"net/http"
	"time"
)

// Members lists the organisation's people.
func (c *Client) Members(ctx context.Context) ([]Member, error) {
	var out Page[Member]
	return out.Items, c.get(ctx, "/api/v1/members", &out)
}

// AddMember adds a person (admins); a generated password comes back once.
func (c *Client) AddMember(ctx context.Context, email, name, role, password string) (MemberCreated, error) {
	var out MemberCreated
	_, err := c.Do(ctx, http.MethodPost, "/api/v1/members", nil,
		map[string]string{"email": email, "name": name, "role": role, "password": password}, &out)
	return out, err
}

// SetMemberRole changes a person's organisation role (admins).
func (c *Client) SetMemberRole(ctx context.Context, user, role string) (Member, error) {
	var out Member
	_, err := c.Do(ctx, http.MethodPatch, "/api/v1/members/"+esc(user), nil, map[string]string{"role": role}, &out)
	return out, err
}

// Roles returns the role catalogue.
func (c *Client) Roles(ctx context.Context) ([]Role, error) {
	var out Page[Role]
	return out.Items, c.get(ctx, "/api/v1/roles", &out)
}

// AddRole extends the role catalogue (admins).
func (c *Client) AddRole(ctx context.Context, key, name, description string) (Role, error) {
	var out Role
	_, err := c.Do(ctx, http.MethodPost, "/api/v1/roles", nil, map[string]string{"key": key, "name": name, "description": description}, &out)
	return out, err
}

// CreateToken creates an API token for the caller.
func (c *Client) CreateToken(ctx context.Context, name string, expiresAt *time.Time, noExpiry bool) (TokenCreated, error) {
	var out TokenCreated
	_, err := c.Do(ctx, http.MethodPost, "/api/v1/tokens", nil, map[string]any{"name": name, "expires_at": expiresAt, "no_expiry": noExpiry}, &out)
	return out, err
}

// Tokens lists API tokens.
func (c *Client) Tokens(ctx context.Context) ([]Token, error) {
	var out Page[Token]
	return out.Items, c.get(ctx, "/api/v1/tokens", &out)
}

// RevokeToken revokes an API token.
func (c *Client) RevokeToken(ctx context.Context, id string) error {
	_, err := c.Do(ctx, http.MethodDelete, "/api/v1/tokens/"+esc(id), nil, nil, nil)
	return err
}

// Logout revokes the client's own token.
func (c *Client) Logout(ctx context.Context) error {
	_, err := c.Do(ctx, http.MethodPost, "/api/v1/logout", nil, nil, nil)
	return err
}
