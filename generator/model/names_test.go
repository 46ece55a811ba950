package model

import (
	"testing"
)

// TestUniqueNumbersInOrder gives many names that want the same the
// numbers from 2 in order, skipping a number taken directly, in time
// linear in their count.
func TestUniqueNumbersInOrder(t *testing.T) {
	names := map[string]int{"X3": 1}
	if got := Unique(names, "X"); got != "X" {
		t.Fatalf("first = %q", got)
	}
	want := []string{"X2", "X4", "X5"}
	for i := 0; i < 100000; i++ {
		got := Unique(names, "X")
		if i < len(want) && got != want[i] {
			t.Fatalf("name %d = %q, want %q", i+2, got, want[i])
		}
	}
	if got := Unique(names, "X"); got != "X100003" {
		t.Errorf("last = %q, want X100003", got)
	}
}
