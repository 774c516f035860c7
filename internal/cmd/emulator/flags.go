package main

import (
	"cmp"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
	"github.com/codescanning/terraform-provider-codescanning/internal/emulator/netsim"
)

// options is what the command line asks for: where to listen, what to seed, and the emulator's
// knobs.
type options struct {
	addr  string
	owner string
	seed  string
	token string // the one token accepted; "" accepts any non-empty token
	quiet bool   // no request log
	app   bool   // also a GitHub App (access.go)
	// provider is a built provider to write a dev_overrides CLI configuration for ("": none).
	provider string
	appPerm  map[string]string
	scale    scaleSeed
	emuConf  emulator.Config
}

// defaultToken is the token the command suggests when -token is not given (any non-empty token
// is then accepted).
const defaultToken = "emulator-token"

// parseFlags reads the command line into options. Errors name the flag and what it accepts.
func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("emulator", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: go run ./internal/cmd/emulator [flags]\n\n"+
			"Serves the embedded GitHub on loopback, seeded with repositories, alerts, analyses and CodeQL\n"+
			"databases, until interrupted. Point the provider's base_url at the address it prints.\n\nFlags:")
		fs.PrintDefaults()
	}
	c := &o.emuConf

	fs.StringVar(&o.addr, "addr", "127.0.0.1:8080", "loopback `address` to listen on (port 0 picks a free one)")
	fs.StringVar(&c.PathPrefix, "path-prefix", "/api/v3", "`path` the API is served under; with /api/v3 a base_url of just http://HOST:PORT works too")
	fs.StringVar(&o.owner, "owner", "octo-org", "organization that owns the seeded repositories")
	fs.StringVar(&o.seed, "seed", "standard", "what to create: "+strings.Join(seedNames(), ", "))
	fs.IntVar(&o.scale.repositories, "repositories", 100, "with -seed scale: how many repositories")
	fs.IntVar(&o.scale.alerts, "alerts", 20, "with -seed scale: alerts per repository")
	fs.StringVar(&o.token, "token", "", "the only token accepted (default: any non-empty token)")
	fs.BoolVar(&o.quiet, "quiet", false, "do not log each request")
	var tokenPermissions, orgRole, appPermissions string
	fs.StringVar(&tokenPermissions, "token-permissions", "", "make the token a fine-grained token with exactly these repository `permissions`, e.g. administration=write,security_events=read (default: a classic token, allowed everything)")
	fs.StringVar(&orgRole, "org-role", "", "the token's user's role in the organization: "+strings.Join(orgRoles, ", ")+" (a member cannot list the organization's alerts; default: not checked)")
	fs.BoolVar(&o.app, "app", false, "also be a GitHub App: writes its private key to a temporary file and prints an app_auth provider block")
	fs.StringVar(&o.provider, "provider", "", "a built terraform-provider-codescanning (`path`, e.g. make install's): writes a dev_overrides CLI configuration for it into a temporary directory and prints the TF_CLI_CONFIG_FILE to export")
	fs.StringVar(&appPermissions, "app-permissions", "", "the App's repository `permissions`, as -token-permissions (default: all the provider needs)")

	fs.DurationVar(&c.RunQueued, "run-queued", 300*time.Millisecond, "how long a default setup run stays queued")
	fs.DurationVar(&c.RunInProgress, "run-in-progress", 700*time.Millisecond, "how long a default setup run stays in_progress")
	fs.IntVar(&c.NoChangeStatus, "no-change-status", http.StatusOK, "answer to a default setup PATCH that changes nothing: 200 or 202 (GitHub does not document which)")
	fs.BoolVar(&c.ShowPendingConfig, "show-pending-config", false, "GET default-setup shows a requested configuration before its run completes")
	fs.DurationVar(&c.Latency, "latency", 0, "added before every answer, e.g. 25ms")
	fs.BoolVar(&c.EnforceSecondaryLimits, "enforce-secondary-limits", false, "refuse requests over GitHub's secondary rate limits (100 in flight, 900 points a minute)")
	fs.IntVar(&c.RateLimit, "rate-limit", 5000, "requests a token may make per hour (the primary rate limit)")
	fs.BoolVar(&c.AllowRedismiss, "allow-redismiss", false, "let a dismissed alert be dismissed again, as GitHub did before 2025 (github.com now answers 409)")
	fs.DurationVar(&c.SarifProcessing, "sarif-processing", 0, "how long a SARIF upload stays pending")
	fs.StringVar(&c.EnterpriseVersion, "ghes", "", "act as GitHub Enterprise Server of this `release`, e.g. 3.17.2 (keep -path-prefix /api/v3)")

	var faultKinds, faultScript, faultMatch string
	fs.Float64Var(&c.Faults.Probability, "fault-probability", 0, "chance, 0 to 1, that a request meets a fault drawn from -faults")
	fs.StringVar(&faultKinds, "faults", "", "comma-separated faults to draw from (default all): "+faultList())
	fs.StringVar(&faultScript, "fault-script", "", "comma-separated faults for the next requests, in order (\"none\" lets one through); then -fault-probability applies")
	fs.StringVar(&faultMatch, "fault-match", "", "only requests whose \"METHOD /path\" matches this `regexp` meet faults, e.g. '^PATCH '")
	fs.Uint64Var(&c.Faults.Seed, "fault-seed", 0, "seed of the fault draws, for a repeatable sequence (0: different each time)")
	fs.DurationVar(&c.Faults.SlowAnswer, "slow-answer", 50*time.Millisecond, "how late the \"slow\" fault answers")
	fs.DurationVar(&c.Faults.RetryAfter, "retry-after", time.Second, "retry-after of the secondary rate limit faults (whole seconds)")
	fs.DurationVar(&c.Faults.PrimaryReset, "primary-reset", time.Second, "how soon a token's primary limit resets after the \"primary\" fault")
	fs.DurationVar(&c.AttachmentDelay, "attachment-delay", time.Second, "how long a repository stays attaching (or updating) to a code security configuration")
	unlicensed := fs.String("unlicensed-attachment", "failed", "what attaching a configuration with paid features does to a repository without Advanced Security: failed or free-features (GitHub's documentation says the latter, users report the former)")
	fs.IntVar(&c.EnforcedSetupStatus, "enforced-setup-status", http.StatusForbidden, "answer to a repository's default setup PATCH under an enforced configuration: 403 or 422 (GitHub does not document which)")

	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected argument %q: every setting is a flag (see -help)", fs.Arg(0))
	}
	if _, ok := seeds[o.seed]; !ok {
		return o, fmt.Errorf("-seed %q: want one of %s", o.seed, strings.Join(seedNames(), ", "))
	}
	if o.scale.repositories < 1 || o.scale.alerts < 0 {
		return o, errors.New("-repositories must be at least 1 and -alerts at least 0")
	}
	if c.NoChangeStatus != http.StatusOK && c.NoChangeStatus != http.StatusAccepted {
		return o, fmt.Errorf("-no-change-status %d: want 200 or 202", c.NoChangeStatus)
	}
	if c.EnforcedSetupStatus != http.StatusForbidden && c.EnforcedSetupStatus != http.StatusUnprocessableEntity {
		return o, fmt.Errorf("-enforced-setup-status %d: want 403 or 422", c.EnforcedSetupStatus)
	}
	switch *unlicensed {
	case "failed":
		c.UnlicensedAttachment = emulator.UnlicensedAttachmentFails
	case emulator.UnlicensedAttachmentFreeFeatures:
		c.UnlicensedAttachment = emulator.UnlicensedAttachmentFreeFeatures
	default:
		return o, fmt.Errorf("-unlicensed-attachment %q: want failed or free-features", *unlicensed)
	}
	if c.Faults.Probability < 0 || c.Faults.Probability > 1 {
		return o, fmt.Errorf("-fault-probability %v: want a number from 0 to 1", c.Faults.Probability)
	}
	var err error
	if c.Faults.Kinds, err = parseFaults("-faults", faultKinds, false); err != nil {
		return o, err
	}
	if c.Faults.Script, err = parseFaults("-fault-script", faultScript, true); err != nil {
		return o, err
	}
	if faultMatch != "" {
		re, err := regexp.Compile(faultMatch)
		if err != nil {
			return o, fmt.Errorf("-fault-match: %w", err)
		}
		c.Faults.Match = func(r *http.Request) bool { return re.MatchString(r.Method + " " + r.URL.Path) }
	}
	if o.token != "" {
		c.Tokens = []string{o.token}
	}
	perms, err := parsePermissions("-token-permissions", tokenPermissions)
	if err != nil {
		return o, err
	}
	if perms != nil {
		c.TokenPermissions = map[string]map[string]string{cmp.Or(o.token, defaultToken): perms}
	}
	if orgRole != "" {
		if !slices.Contains(orgRoles, orgRole) {
			return o, fmt.Errorf("-org-role %q: want one of %s", orgRole, strings.Join(orgRoles, ", "))
		}
		// Every token authenticates as octocat; the role is that user's.
		c.OrganizationRoles = map[string]string{"octocat": orgRole}
	}
	if o.appPerm, err = parsePermissions("-app-permissions", appPermissions); err != nil {
		return o, err
	}
	if o.appPerm != nil && !o.app {
		return o, errors.New("-app-permissions needs -app")
	}
	return o, nil
}

// parseFaults reads a comma-separated list of fault names; "none" (a request let through) only
// makes sense in a script.
func parseFaults(flagName, list string, allowNone bool) ([]netsim.Fault, error) {
	if strings.TrimSpace(list) == "" {
		return nil, nil
	}
	var out []netsim.Fault
	for _, name := range strings.Split(list, ",") {
		name = strings.TrimSpace(name)
		switch {
		case name == "none" && allowNone:
			out = append(out, netsim.FaultNone)
		case slices.Contains(netsim.AllFaults, netsim.Fault(name)):
			out = append(out, netsim.Fault(name))
		default:
			return nil, fmt.Errorf("%s: unknown fault %q; known faults: %s", flagName, name, faultList())
		}
	}
	return out, nil
}

func faultList() string {
	names := make([]string, len(netsim.AllFaults))
	for i, f := range netsim.AllFaults {
		names[i] = string(f)
	}
	return strings.Join(names, ", ")
}

func seedNames() []string {
	names := make([]string, 0, len(seeds))
	for name := range seeds {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}
