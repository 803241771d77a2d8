package ioc

import (
	"os"
	"path/filepath"
	"testing"
)

// StixExamplesEnv names the directory of the OASIS STIX 2.1 example
// bundles (APT1, Poison Ivy and the small ones). They are reference data
// beside the project, not part of it, so the repository does not carry
// copies.
const StixExamplesEnv = "WARROOM_STIX_EXAMPLES"

// StixExamplesDir finds the example bundles: $WARROOM_STIX_EXAMPLES, or
// shared/reference/stix-examples beside the checkout. Without them the
// test is skipped on a laptop and fails in CI, where nothing may skip.
func StixExamplesDir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv(StixExamplesEnv)
	if dir == "" {
		// internal/ioc is two levels below the module root.
		dir = filepath.Join("..", "..", "..", "shared", "reference", "stix-examples")
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		if os.Getenv("CI") != "" {
			t.Fatalf("the STIX example bundles are not at %s: set %s in CI", dir, StixExamplesEnv)
		}
		t.Skipf("the STIX example bundles are not at %s; set %s to run this test", dir, StixExamplesEnv)
	}
	return dir
}
