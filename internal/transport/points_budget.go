package transport

import (
	"bufio"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// GitHub's secondary rate limit for the REST API allows 900 points a minute per credential,
// where a GET, HEAD or OPTIONS request costs 1 point and any other request 5. GitHub does not
// say whether a 304 answer costs points, so every request is charged: the budget cannot know
// in advance which answers will be 304s.
const (
	readPoints  = 1
	writePoints = 5
)

// DefaultPointsPerMinute keeps a client 100 points under GitHub's 900, for other clients of
// the same credential (a CI job, a person's gh session) and for the time between reserving a
// point here and GitHub counting it there.
const DefaultPointsPerMinute = 800

// pointsBudget keeps the points one client spends in any trailing minute at or under a
// ceiling, the way GitHub counts them. Requests that would go over wait, in the order they
// asked, until enough of the points spent a minute earlier have aged out. Writes are also
// paced by the Limiter's write delay; the budget is what stops a large refresh, whose reads are not paced,
// from spending 1,000 points in the half-minute it would otherwise take.
type pointsBudget struct {
	perMinute int

	mu sync.Mutex
	// spent holds the points reserved in the last minute, oldest first. A reservation may lie
	// in the future: that is when its request will be sent.
	spent []pointsAt
	// ledger, when not nil, receives every reservation, so that the next provider process of
	// the same credential starts from this one's last minute; see openPointsLedger.
	ledger *os.File
}

type pointsAt struct {
	at     time.Time
	points int
}

// pointsFor is what GitHub charges for a request with method.
func pointsFor(method string) int {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return readPoints
	default:
		return writePoints
	}
}

// reserve books points for a request that wants to be sent at now and returns when it may be
// sent: now, or the first moment after every earlier reservation at which the minute before
// has room for it.
func (b *pointsBudget) reserve(now time.Time, points int) time.Time {
	points = min(points, b.perMinute) // a single request always fits eventually
	b.mu.Lock()
	defer b.mu.Unlock()
	aged := 0
	for aged < len(b.spent) && !b.spent[aged].at.After(now.Add(-time.Minute)) {
		aged++
	}
	b.spent = b.spent[aged:]

	at := now
	if n := len(b.spent); n > 0 && b.spent[n-1].at.After(at) {
		at = b.spent[n-1].at // keep the order requests asked in
	}
	for {
		first, inWindow := 0, 0
		for i, s := range b.spent {
			if s.at.After(at.Add(-time.Minute)) {
				if inWindow == 0 {
					first = i
				}
				inWindow += s.points
			}
		}
		if inWindow+points <= b.perMinute {
			break
		}
		// Wait for the oldest reservation still in the window to leave it, then look again.
		at = b.spent[first].at.Add(time.Minute)
	}
	b.spent = append(b.spent, pointsAt{at: at, points: points})
	if b.ledger != nil {
		// Best effort: a lost line makes the next process a little less careful, no more.
		_, _ = fmt.Fprintf(b.ledger, "%d %d\n", at.UnixNano(), points)
	}
	return at
}

// OpenPointsLedger makes the limiter's points budget, if it has one, share its minute through a
// file in dir; see pointsBudget.openPointsLedger.
func (l *Limiter) OpenPointsLedger(dir, apiHost, identity string, now time.Time) error {
	if l.points == nil || dir == "" {
		return nil
	}
	return l.points.openPointsLedger(dir, apiHost, identity, now)
}

// openPointsLedger makes b share its minute through a file in dir, named by a hash of the API
// host and the credential. A caller may run one process to read and another to change, and CI
// runs such processes back to back, while GitHub counts their points together: each process
// starts from what the earlier ones spent in the last minute. Processes running at the same time do not see each other's points.
func (b *pointsBudget) openPointsLedger(dir, apiHost, identity string, now time.Time) error {
	path := filepath.Join(dir, "points-"+Identity("secondary-limit-points", apiHost, identity)[:32])
	b.spent = append(b.spent[:0], readLedger(path, now)...)
	// Rewrite the file with the last minute only, so it never grows past a minute of requests.
	tmp, err := os.CreateTemp(dir, ".points-*")
	if err != nil {
		return &CacheDirError{Dir: dir, Err: err}
	}
	for _, s := range b.spent {
		_, _ = fmt.Fprintf(tmp, "%d %d\n", s.at.UnixNano(), s.points)
	}
	if err := tmp.Close(); err != nil {
		return &CacheDirError{Dir: dir, Err: err}
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		_ = os.Remove(tmp.Name())
		return &CacheDirError{Dir: dir, Err: err}
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return &CacheDirError{Dir: dir, Err: err}
	}
	b.ledger = f
	return nil
}

// readLedger returns the reservations in path still inside the minute before now, in order,
// none later than now and none of more points than a request costs; a missing or unreadable
// file is an empty minute.
func readLedger(path string, now time.Time) []pointsAt {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	var spent []pointsAt
	lines := bufio.NewScanner(f)
	for lines.Scan() {
		at, points, ok := strings.Cut(lines.Text(), " ")
		nanos, err1 := strconv.ParseInt(at, 10, 64)
		p, err2 := strconv.Atoi(points)
		if !ok || err1 != nil || err2 != nil || p <= 0 {
			continue
		}
		t := time.Unix(0, nanos)
		if t.After(now) {
			// A reservation of a process that has ended was either sent by now or never will be;
			// one dated further ahead comes from a clock that stepped back or from another
			// machine's clock. Taken as is, it would hold every request until that time (an
			// hour ahead stopped all requests for the hour), so its points count as spent now.
			t = now
		}
		if t.After(now.Add(-time.Minute)) {
			spent = append(spent, pointsAt{at: t, points: min(p, writePoints)})
		}
	}
	sort.SliceStable(spent, func(i, j int) bool { return spent[i].at.Before(spent[j].at) })
	return spent
}
