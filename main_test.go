//go:build unix

package main

import (
	"context"
	"os/signal"
	"syscall"
	"testing"
	"time"
)

// TestSIGTERMCancels: SIGTERM cancels the run's context, as SIGINT does,
// instead of killing the process.
func TestSIGTERMCancels(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		ctx, stop := signal.NotifyContext(context.Background(), stopSignals...)
		if err := syscall.Kill(syscall.Getpid(), sig); err != nil {
			t.Fatal(err)
		}
		select {
		case <-ctx.Done():
		case <-time.After(5 * time.Second):
			t.Errorf("%v did not cancel the context", sig)
		}
		stop()
	}
}
