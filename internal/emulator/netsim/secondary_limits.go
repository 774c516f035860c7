package netsim

import (
	"net/http"
	"strconv"
	"sync"
	"time"
)

// GitHub's published secondary rate limits for the REST API: at most 100 requests in flight, and
// at most 900 points a minute, where a GET costs 1 point and a mutating request 5. GitHub does
// not publish how it counts exactly; a trailing one-minute window per credential is close enough
// to tell a client that paces itself from one that does not.
const (
	secondaryMaxInFlight    = 100
	secondaryPointsPerMin   = 900
	secondaryReadPoints     = 1
	secondaryWritePoints    = 5
	secondaryRetryAfterSecs = 60
)

// secondaryLimits counts, per credential, requests in flight and the points spent in the last
// minute, and how many requests went over either limit.
type secondaryLimits struct {
	mu       sync.Mutex
	inFlight map[string]int
	spent    map[string][]pointsAt
	trips    int
}

type pointsAt struct {
	at     time.Time
	points int
}

func newSecondaryLimits() *secondaryLimits {
	return &secondaryLimits{inFlight: map[string]int{}, spent: map[string][]pointsAt{}}
}

// admit counts a request arriving at now and reports whether it goes over a secondary limit.
// release must be called when the request has been answered.
func (s *secondaryLimits) admit(subject, method string, now time.Time) (release func(), over bool) {
	points := secondaryWritePoints
	if method == http.MethodGet || method == http.MethodHead {
		points = secondaryReadPoints
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.inFlight[subject]++
	window := s.spent[subject]
	cutoff := now.Add(-time.Minute)
	i := 0
	for i < len(window) && !window[i].at.After(cutoff) {
		i++
	}
	window = append(window[i:], pointsAt{at: now, points: points})
	s.spent[subject] = window
	total := 0
	for _, p := range window {
		total += p.points
	}
	over = s.inFlight[subject] > secondaryMaxInFlight || total > secondaryPointsPerMin
	if over {
		s.trips++
	}
	return func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.inFlight[subject]--
	}, over
}

// SecondaryLimitTrips is how many requests went over GitHub's secondary rate limits (in flight
// or points a minute), whether or not Config.EnforceSecondaryLimits refused them.
func (n *Network) SecondaryLimitTrips() int {
	n.secondary.mu.Lock()
	defer n.secondary.mu.Unlock()
	return n.secondary.trips
}

// SecondaryLimits counts every request against its credential's secondary limits while next
// serves it, and refuses it as GitHub does when it goes over and Config.EnforceSecondaryLimits
// is set.
func (n *Network) SecondaryLimits(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, _ := n.cfg.Credential(r)
		release, over := n.secondary.admit(token, r.Method, time.Now())
		defer release()
		if over && n.cfg.EnforceSecondaryLimits {
			w.Header().Set("Retry-After", strconv.Itoa(secondaryRetryAfterSecs))
			writeError(w, http.StatusForbidden, MsgSecondaryRateLimit+"secondary-limit.", docsSecondaryRateLimit)
			return
		}
		next.ServeHTTP(w, r)
	})
}
