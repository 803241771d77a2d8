package sweep

import (
	"os/exec"
	"strings"
	"testing"
)

// TestNoDatabase: the sweep engine runs on hosts (the agent links it), so
// it must not pull in a database driver or a server package. The
// indicator values it needs come from internal/indicator, not internal/ioc.
func TestNoDatabase(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		for _, bad := range []string{"/internal/db", "/internal/ioc", "/internal/incident", "/internal/api", "/internal/web",
			"modernc.org/sqlite", "github.com/jackc/pgx", "database/sql"} {
			if strings.Contains(dep, bad) {
				t.Errorf("internal/sweep depends on %s", dep)
			}
		}
	}
}
