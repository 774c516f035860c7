package emulator

import (
	"net/http"
	"sync"
	"time"

	"github.com/codescanning/terraform-provider-codescanning/internal/clock"
	"github.com/codescanning/terraform-provider-codescanning/internal/emulator/netsim"
)

// Emulator is one emulated GitHub: its repositories, their default setup configurations, the runs
// that change them, and what clients have asked of it. It is safe for concurrent use.
type Emulator struct {
	cfg     Config
	mux     *http.ServeMux // the routes, which authorize also looks operations up in
	handler http.Handler

	mu sync.Mutex
	// now is the clock that drives runs and the network's rate-limit windows; tests may replace
	// it (before the first request) to step through a run without sleeping.
	now        func() time.Time
	baseURL    string
	repos      map[string]*repoState // by repoKey
	accountIDs map[string]int64      // owner login, lower-cased, to a stable account id
	runs       map[int64]*run
	lastRunID  int64
	lastRepoID int64
	requests   []RecordedRequest
	lastReqID  uint64
	intercept  func(w http.ResponseWriter, r *http.Request) bool

	// network is what lies between a client and GitHub's state (package netsim): faults,
	// latency, secondary and primary rate limits, ETags.
	network *netsim.Network
	// The installation tokens minted (app_auth.go), each to its expiry.
	appTokens       map[string]installationToken
	appTokensIssued int

	// Code scanning data: ids unique across the emulator, as GitHub's are, and the SARIF uploads
	// still being processed.
	lastAnalysisID  int64
	lastDatabaseID  int64
	lastSarifUpload int64
	pendingUploads  []*sarifUpload

	// Code security configurations (security_configurations.go) by id, each organization's
	// defaults for new repositories (configuration id to kind, by lower-cased login), and the
	// repositories the attachment job has yet to reach.
	configs      map[int64]*securityConfiguration
	lastConfigID int64
	orgDefaults  map[string]map[int64]string
	attachQueue  []*repoState
}

// New returns an empty emulator. Add repositories before pointing a client at it.
func New(cfg Config) *Emulator {
	e := &Emulator{
		cfg:         cfg.withDefaults(),
		now:         clock.Or(cfg.Clock).Now,
		repos:       map[string]*repoState{},
		accountIDs:  map[string]int64{},
		runs:        map[int64]*run{},
		appTokens:   map[string]installationToken{},
		configs:     map[int64]*securityConfiguration{},
		orgDefaults: map[string]map[int64]string{},
	}
	e.lastConfigID++
	e.configs[e.lastConfigID] = githubRecommended(e.lastConfigID, e.now())
	e.network = netsim.New(netsim.Config{
		Faults:                 cfg.Faults,
		Latency:                cfg.Latency,
		EnforceSecondaryLimits: cfg.EnforceSecondaryLimits,
		RateLimit:              cfg.RateLimit,
		Credential:             e.credential,
		Now:                    e.clock,
		Sleep:                  cfg.Sleep,
	})
	e.mux = e.routes()
	e.handler = e.mux
	return e
}

// Network is the simulated network in front of the emulator, for tests that change its faults
// mid-run, use up a token's rate limit or count what it did (secondary-limit trips, 304s).
func (e *Emulator) Network() *netsim.Network { return e.network }

// clock reads the emulator's clock, which the network's rate windows follow too.
func (e *Emulator) clock() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.now()
}

// credential is the token r carries and whether the emulator accepts it, for the network's
// per-credential limits.
func (e *Emulator) credential(r *http.Request) (string, bool) {
	token := tokenFrom(r.Header)
	return token, e.authenticate(token) == ""
}

// answer is a response computed while holding the lock and written after releasing it, so a
// slow client never holds up the others.
type answer struct {
	status int
	body   any
	header http.Header // set on the response besides the usual ones
}

// withState runs fn under the lock, after bringing every run and SARIF upload up to date, so fn
// sees the same world a client polling at this instant would.
func (e *Emulator) withState(fn func(now time.Time) answer) answer {
	e.mu.Lock()
	defer e.mu.Unlock()
	now := e.now()
	e.settleRuns(now)
	e.settleSarifUploads(now)
	e.settleAttachments(now)
	return fn(now)
}
