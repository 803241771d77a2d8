// Package ioctest finds the reference data the indicator tests read.
package ioctest

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// StixExamplesEnv names the directory of the OASIS STIX 2.1 example
// bundles (APT1, Poison Ivy and the small ones). They are reference data
// beside the project, not part of it, so the repository carries no copies.
const StixExamplesEnv = "WARROOM_STIX_EXAMPLES"

// StixExamplesDir finds the example bundles: $WARROOM_STIX_EXAMPLES, or
// shared/reference/stix-examples beside the checkout. Without them the
// calling test is skipped on a laptop and fails in CI, where nothing may
// skip.
func StixExamplesDir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv(StixExamplesEnv)
	if dir == "" {
		_, file, _, _ := runtime.Caller(0) // <root>/internal/ioc/ioctest/examples.go
		root := filepath.Join(filepath.Dir(file), "..", "..", "..")
		dir = filepath.Join(root, "..", "shared", "reference", "stix-examples")
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		if os.Getenv("CI") != "" {
			t.Fatalf("the STIX example bundles are not at %s: set %s in CI", dir, StixExamplesEnv)
		}
		t.Skipf("the STIX example bundles are not at %s; set %s to run this test", dir, StixExamplesEnv)
	}
	return dir
}

// StixExample returns the path of one example bundle.
func StixExample(t testing.TB, name string) string {
	t.Helper()
	return filepath.Join(StixExamplesDir(t), name)
}
