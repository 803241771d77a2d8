//go:build !windows

package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/warroom/warroom/client"
)

// startChild runs warroom serve in a child process (this test binary,
// see TestMain) and returns it with its URL.
func startChild(t *testing.T, dbFlags []string) (*exec.Cmd, string) {
	t.Helper()
	args, _ := json.Marshal(append([]string{"serve", "--addr", "127.0.0.1:0", "--log-level", "error"}, dbFlags...))
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "WARROOM_TEST_CHILD="+string(args))
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if u, ok := strings.CutPrefix(sc.Text(), "Warroom is listening on "); ok {
				urls <- u
			}
		}
	}()
	select {
	case u := <-urls:
		return cmd, u
	case <-time.After(30 * time.Second):
		t.Fatal("child server did not start")
	}
	return nil, ""
}

// TestCrashLosesNoAcknowledgedWrite appends timeline entries from several
// writers while the server is killed with SIGKILL. After a restart every
// entry the client saw acknowledged must be there and every chain must
// verify.
func TestCrashLosesNoAcknowledgedWrite(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test is not short")
	}
	for name, flags := range dbArgs(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			if code, out, errOut := cli(t, nil, "", append([]string{"admin", "bootstrap", "--org", "Crash Test", "--email", "ic@example.test"}, flags...)...); code != 0 {
				t.Fatalf("bootstrap: %s %s", out, errOut)
			}
			code, token, _ := cli(t, nil, "", append([]string{"admin", "token", "create", "--email", "ic@example.test", "--name", "crash"}, flags...)...)
			if code != 0 {
				t.Fatalf("token create failed")
			}
			token = strings.TrimSpace(token)

			child, url := startChild(t, flags)
			c := client.New(url, token)
			var refs []string
			for range 2 {
				i, err := c.DeclareIncident(ctx, client.DeclareInput{Title: "Crash", Type: "malware", Severity: "SEV2"})
				if err != nil {
					t.Fatal(err)
				}
				refs = append(refs, i.Ref)
			}
			var mu sync.Mutex
			acked := map[string]string{} // entry ID -> incident ref
			var wg sync.WaitGroup
			stop := make(chan struct{})
			for w := range 4 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					ref := refs[w%len(refs)]
					for n := 0; ; n++ {
						select {
						case <-stop:
							return
						default:
						}
						e, err := c.AddEntry(ctx, ref, client.EntryInput{Text: fmt.Sprintf("writer %d entry %d", w, n)})
						if err != nil {
							return // the server died mid-request: not acknowledged
						}
						mu.Lock()
						acked[e.ID] = ref
						mu.Unlock()
					}
				}()
			}
			deadline := time.Now().Add(10 * time.Second)
			for {
				mu.Lock()
				n := len(acked)
				mu.Unlock()
				if n >= 150 || time.Now().After(deadline) {
					break
				}
				time.Sleep(10 * time.Millisecond)
			}
			if err := child.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			_ = child.Wait()
			close(stop)
			wg.Wait()
			if len(acked) < 20 {
				t.Fatalf("only %d entries acknowledged before the kill; the test proves little", len(acked))
			}

			_, url = startChild(t, flags)
			c = client.New(url, token)
			present := map[string]bool{}
			for _, ref := range refs {
				cursor := ""
				for {
					page, err := c.Timeline(ctx, ref, client.TimelineFilter{Limit: 500, Cursor: cursor})
					if err != nil {
						t.Fatal(err)
					}
					for _, e := range page.Items {
						present[e.ID] = true
					}
					if cursor = page.NextCursor; cursor == "" {
						break
					}
				}
			}
			lost := 0
			for id, ref := range acked {
				if !present[id] {
					lost++
					t.Errorf("acknowledged entry %s of %s is missing after the crash", id, ref)
				}
			}
			reports, err := c.VerifyAll(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range reports {
				if !r.OK {
					t.Errorf("%s does not verify after the crash: %+v", r.Ref, r.Problem)
				}
			}
			t.Logf("%d acknowledged entries survived SIGKILL (%d lost)", len(acked), lost)
		})
	}
}
