package githubclient

import (
	"net/http"
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
// paced by write_delay; the budget is what stops a large refresh, whose reads are not paced,
// from spending 1,000 points in the half-minute it would otherwise take.
type pointsBudget struct {
	perMinute int

	mu sync.Mutex
	// spent holds the points reserved in the last minute, oldest first. A reservation may lie
	// in the future: that is when its request will be sent.
	spent []pointsAt
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
	return at
}
