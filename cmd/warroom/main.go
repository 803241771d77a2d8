// Command warroom is the whole of Warroom in one binary: the server
// (warroom serve), local administration (warroom admin …, warroom verify)
// and the command-line client for the API (warroom incident …, warroom
// task …). main is the only place that exits.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
