package transport

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/time/rate"
)

func TestPointsBudgetSendsAtOnceWhileUnderTheCeiling(t *testing.T) {
	b := &pointsBudget{perMinute: 10}
	now := time.Unix(1_000_000, 0)
	for i := range 10 {
		if at := b.reserve(now.Add(time.Duration(i)*time.Millisecond), readPoints); !at.Equal(now.Add(time.Duration(i) * time.Millisecond)) {
			t.Fatalf("read %d: sent at %v, want at once", i, at.Sub(now))
		}
	}
}

func TestPointsBudgetWaitsForTheOldestPointsToAgeOut(t *testing.T) {
	b := &pointsBudget{perMinute: 10}
	start := time.Unix(1_000_000, 0)
	for i := range 10 {
		b.reserve(start.Add(time.Duration(i)*time.Second), readPoints)
	}
	// The 11th read asks at start+20s; the first read leaves the window at start+60s.
	if at := b.reserve(start.Add(20*time.Second), readPoints); !at.Equal(start.Add(time.Minute)) {
		t.Fatalf("11th read sent at start+%v, want start+1m0s", at.Sub(start))
	}
	// A write (5 points) asked right after must wait for five more reads to age out, the last of
	// them sent at start+5s (the 11th read took the room the first one left).
	if at := b.reserve(start.Add(21*time.Second), pointsFor(http.MethodPatch)); !at.Equal(start.Add(time.Minute + 5*time.Second)) {
		t.Fatalf("write sent at start+%v, want start+1m5s", at.Sub(start))
	}
}

func TestPointsBudgetKeepsEveryMinuteUnderTheCeiling(t *testing.T) {
	const perMinute = 900
	b := &pointsBudget{perMinute: perMinute}
	start := time.Unix(1_000_000, 0)
	var sent []pointsAt
	// 3,000 requests, a write every tenth, asking 10 ms apart: far faster than the budget.
	for i := range 3000 {
		method := http.MethodGet
		if i%10 == 0 {
			method = http.MethodPatch
		}
		p := pointsFor(method)
		sent = append(sent, pointsAt{at: b.reserve(start.Add(time.Duration(i)*10*time.Millisecond), p), points: p})
	}
	for i := range sent {
		if i > 0 && sent[i].at.Before(sent[i-1].at) {
			t.Fatalf("request %d sent before request %d", i, i-1)
		}
		// The minute GitHub looks back over when request i arrives.
		total := 0
		for _, s := range sent[:i+1] {
			if s.at.After(sent[i].at.Add(-time.Minute)) {
				total += s.points
			}
		}
		if total > perMinute {
			t.Fatalf("request %d: %d points in the minute before it, over %d", i, total, perMinute)
		}
	}
	// 3,000 requests of which 300 writes are 4,200 points: at 900 a minute they need more than
	// four minutes, and the budget should not need much more than five.
	if took := sent[len(sent)-1].at.Sub(start); took < 4*time.Minute || took > 5*time.Minute+time.Second {
		t.Fatalf("3,000 requests took %v, want between 4m and 5m", took)
	}
}

func TestPointsForChargesWritesFive(t *testing.T) {
	for method, want := range map[string]int{http.MethodGet: 1, http.MethodHead: 1, http.MethodPatch: 5, http.MethodPost: 5, http.MethodPut: 5, http.MethodDelete: 5} {
		if got := pointsFor(method); got != want {
			t.Errorf("pointsFor(%s) = %d, want %d", method, got, want)
		}
	}
}

func TestPointsLedgerCarriesTheMinuteToTheNextProcess(t *testing.T) {
	dir := t.TempDir()
	start := time.Now()
	plan := &pointsBudget{perMinute: 10}
	if err := plan.openPointsLedger(dir, "api.github.com", "token-a", start); err != nil {
		t.Fatal(err)
	}
	for range 8 {
		plan.reserve(start, readPoints)
	}
	// The apply's process starts with the plan's 8 points: 2 more go at once, the third waits
	// for the plan's first points to age out.
	apply := &pointsBudget{perMinute: 10}
	if err := apply.openPointsLedger(dir, "api.github.com", "token-a", start.Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		if at := apply.reserve(start.Add(time.Second), readPoints); !at.Equal(start.Add(time.Second)) {
			t.Fatalf("read %d of the apply waited until start+%v", i, at.Sub(start))
		}
	}
	if at := apply.reserve(start.Add(time.Second), readPoints); at.Sub(start).Round(time.Millisecond) != time.Minute {
		t.Fatalf("third read of the apply sent at start+%v, want start+1m0s", at.Sub(start))
	}
	// Another credential, or the same one on another host, starts from an empty minute.
	for _, other := range []struct{ host, identity string }{{"api.github.com", "token-b"}, {"ghes.example.com", "token-a"}} {
		b := &pointsBudget{perMinute: 10}
		if err := b.openPointsLedger(dir, other.host, other.identity, start.Add(time.Second)); err != nil {
			t.Fatal(err)
		}
		if len(b.spent) != 0 {
			t.Fatalf("%s on %s starts with %d reservations of another credential", other.identity, other.host, len(b.spent))
		}
	}
}

func TestPointsLedgerForgetsWhatIsOlderThanAMinute(t *testing.T) {
	dir := t.TempDir()
	start := time.Now()
	first := &pointsBudget{perMinute: 10}
	if err := first.openPointsLedger(dir, "api.github.com", "token-a", start); err != nil {
		t.Fatal(err)
	}
	for range 10 {
		first.reserve(start, readPoints)
	}
	later := &pointsBudget{perMinute: 10}
	if err := later.openPointsLedger(dir, "api.github.com", "token-a", start.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if len(later.spent) != 0 {
		t.Fatalf("a process started a minute later kept %d old reservations", len(later.spent))
	}
	files, _ := filepath.Glob(filepath.Join(dir, "points-*"))
	if len(files) != 1 {
		t.Fatalf("ledger files: %v, want one", files)
	}
	if content, _ := os.ReadFile(files[0]); len(content) != 0 {
		t.Fatalf("the ledger still holds %q after its minute passed", content)
	}
}

// A line dated in the future (a clock stepped back since it was written, or a cache_dir shared
// with a machine whose clock is ahead) must not hold requests until that time: its points
// count as spent now, so at most a minute of waiting. Nor may a line claim more points than a
// request costs.
func TestPointsLedgerClampsReservationsDatedInTheFuture(t *testing.T) {
	dir := t.TempDir()
	start := time.Now()
	first := &pointsBudget{perMinute: 10}
	if err := first.openPointsLedger(dir, "api.github.com", "token-a", start); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "points-*"))
	if len(files) != 1 {
		t.Fatalf("ledger files: %v, want one", files)
	}
	lines := fmt.Sprintf("%d %d\n%d %d\n", start.Add(time.Hour).UnixNano(), 1, start.Add(-time.Second).UnixNano(), 1_000_000)
	if err := os.WriteFile(files[0], []byte(lines), 0o600); err != nil {
		t.Fatal(err)
	}
	next := &pointsBudget{perMinute: 10}
	if err := next.openPointsLedger(dir, "api.github.com", "token-a", start); err != nil {
		t.Fatal(err)
	}
	// 1 + 5 points are spent: 4 reads go at once, the fifth waits for the 5 to age out.
	for i := range 4 {
		if at := next.reserve(start, readPoints); !at.Equal(start) {
			t.Fatalf("read %d waited until start+%v behind the poisoned ledger", i, at.Sub(start))
		}
	}
	if at := next.reserve(start, readPoints); at.Sub(start).Round(time.Millisecond) != time.Minute-time.Second {
		t.Fatalf("fifth read sent at start+%v, want start+59s (the future line's points count as spent now)", at.Sub(start))
	}
}

// Why the points budget is its own and not x/time/rate (which paces writes, limiter.go): a
// token bucket of the same rate with a minute's burst lets a trailing minute hold nearly twice
// the ceiling, a full bucket and then the minute's refill, where GitHub counts the minute; with
// no burst it keeps under the ceiling but spaces even the first reads a fifteenth of a second
// apart, where the budget sends them at once. Neither carries the minute to the next process
// (TestPointsLedgerCarriesTheMinuteToTheNextProcess).
func TestATokenBucketOfTheSameRateIsNotThePointsBudget(t *testing.T) {
	const perMinute = 900
	start := time.Unix(1_000_000, 0)
	// Reads asked 20 ms apart for a minute, far faster than either allows.
	asked := make([]time.Time, 3000)
	for i := range asked {
		asked[i] = start.Add(time.Duration(i) * 20 * time.Millisecond)
	}
	sendTimes := func(reserve func(time.Time) time.Time) []time.Time {
		sent := make([]time.Time, len(asked))
		for i, at := range asked {
			sent[i] = reserve(at)
		}
		return sent
	}
	// The most reads sent in any minute (sent is in order).
	busiestMinute := func(sent []time.Time) int {
		most, first := 0, 0
		for i := range sent {
			for !sent[first].After(sent[i].Add(-time.Minute)) {
				first++
			}
			most = max(most, i-first+1)
		}
		return most
	}
	bursting := rate.NewLimiter(rate.Limit(perMinute/60.0), perMinute)
	bucket := sendTimes(func(at time.Time) time.Time { return at.Add(bursting.ReserveN(at, 1).DelayFrom(at)) })
	if n := busiestMinute(bucket); n <= perMinute*3/2 {
		t.Fatalf("a token bucket with a minute's burst sent at most %d reads in a minute; this test expects it to go well over %d", n, perMinute)
	}
	b := &pointsBudget{perMinute: perMinute}
	budget := sendTimes(func(at time.Time) time.Time { return b.reserve(at, readPoints) })
	if n := busiestMinute(budget); n > perMinute {
		t.Fatalf("the points budget sent %d reads in a minute, over its %d", n, perMinute)
	}
	steady := rate.NewLimiter(rate.Limit(perMinute/60.0), 1)
	noBurst := sendTimes(func(at time.Time) time.Time { return at.Add(steady.ReserveN(at, 1).DelayFrom(at)) })
	if noBurst[1].Sub(start) < time.Minute/perMinute || !budget[1].Equal(asked[1]) {
		t.Fatalf("second read: a bucket with no burst waited %v, the budget %v; want the bucket to wait and the budget not", noBurst[1].Sub(asked[1]), budget[1].Sub(asked[1]))
	}
}
