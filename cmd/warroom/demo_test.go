package main

import (
	"context"
	"strings"
	"testing"

	"github.com/warroom/warroom/client"
)

// TestServeDemo: warroom serve --demo starts with the demo organisation,
// its starter plans and its contacts, and prints working sign-in details.
func TestServeDemo(t *testing.T) {
	ctx := context.Background()
	srv := startServer(t, []string{"--data", t.TempDir(), "--demo"})
	c := client.New(srv.url, "")
	tok, err := c.Login(ctx, "maya.okafor@example.com", "warroom-demo-maya", "", "demo test")
	if err != nil {
		t.Fatalf("the printed demo sign-in does not work: %v", err)
	}
	c.Token = tok.Token
	page, err := c.ListIncidents(ctx, client.IncidentFilter{Status: "open", Sort: "severity"})
	if err != nil || len(page.Items) < 3 || page.Items[0].Severity != "SEV1" || !strings.Contains(page.Items[0].Title, "LockBit") {
		t.Fatalf("demo incidents: %+v %v", page.Items, err)
	}
	plans, err := c.Plans(ctx)
	if err != nil || len(plans) != 8 {
		t.Fatalf("demo plans: %d %v", len(plans), err)
	}
	contacts, err := c.Contacts(ctx, client.ContactFilter{})
	if err != nil || len(contacts) < 6 {
		t.Fatalf("demo contacts: %d %v", len(contacts), err)
	}
	stale, err := c.Contacts(ctx, client.ContactFilter{Stale: true})
	if err != nil || len(stale) != 1 || stale[0].Key != "fbi-field-office" {
		t.Fatalf("stale demo contacts: %+v %v", stale, err)
	}
}
