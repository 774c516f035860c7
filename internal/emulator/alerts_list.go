package emulator

import (
	"cmp"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"time"
)

// The alert list filters. The repository operation takes the filters of current github.com
// documentation, which adds severity, assignees and pr to GitHub's OpenAPI description; the
// organization operation has no ref or pr and lists the default branch.
const (
	sortCreated = "created"
	sortUpdated = "updated"
)

var (
	alertStateFilters = []string{"open", "closed", "dismissed", "fixed"}
	alertSeverities   = []string{"critical", "high", "medium", "low", "warning", "note", "error"}
	// alertSorts follows the documentation; the OpenAPI description's "number" is not in it.
	alertSorts = []string{sortCreated, sortUpdated}
	directions = []string{"asc", "desc"}
	// newerAlertFilters are the repository list's filters that GitHub's OpenAPI description of
	// github.com lacks (Config.IgnoreNewerAlertFilters).
	newerAlertFilters = []string{"severity", "assignees", "pr"}
)

// alertQuery is a list request's filters, checked. An empty tool_name, tool_guid, ref or
// assignees is no filter; an empty enum or number is refused, as the schema refuses it.
type alertQuery struct {
	toolName, toolGUID string
	ref                string // full ref; the default branch unless ref or pr named another
	state, severity    string
	assignees          []string // logins, "*" (anyone) or "none"; nil for no filter
	sort               string
	desc               bool
	paging             pageRequest
}

// parseAlertQuery checks a list request's query. perRepository allows ref and pr, which only the
// repository operation has. It returns the problems that make the request invalid.
func parseAlertQuery(q url.Values, perRepository bool) (alertQuery, []string) {
	aq := alertQuery{ref: defaultBranchRef, sort: sortCreated, desc: true}
	var problems []string
	enum := func(key string, allowed []string) string {
		v := q.Get(key)
		if q.Has(key) && !slices.Contains(allowed, v) {
			problems = append(problems, fmt.Sprintf("For '%s', %q is not one of %s.", key, v, enumList(allowed)))
			return ""
		}
		return v
	}
	aq.state = enum("state", alertStateFilters)
	aq.severity = enum("severity", alertSeverities)
	aq.sort = cmp.Or(enum("sort", alertSorts), sortCreated)
	aq.desc = cmp.Or(enum("direction", directions), "desc") == "desc"

	aq.toolName, aq.toolGUID = q.Get("tool_name"), q.Get("tool_guid")
	if aq.toolName != "" && aq.toolGUID != "" {
		problems = append(problems, "Specify the tool by 'tool_name' or by 'tool_guid', not both.")
	}
	if v := q.Get("assignees"); v != "" {
		for _, login := range strings.Split(v, ",") {
			if login = strings.TrimSpace(login); login != "" {
				aq.assignees = append(aq.assignees, login)
			}
		}
	}
	if perRepository {
		ref, more := refFilter(q.Get("ref"), q["pr"])
		problems = append(problems, more...)
		aq.ref = cmp.Or(ref, aq.ref)
	}
	paging, more := parsePaging(q, true)
	aq.paging = paging
	return aq, append(problems, more...)
}

// fullRef turns a branch name into its ref, as GitHub accepts either ("main", "refs/heads/main").
func fullRef(ref string) string {
	if strings.HasPrefix(ref, "refs/") {
		return ref
	}
	return "refs/heads/" + ref
}

// pullRef is the ref GitHub analyses for a pull request.
func pullRef(number int) string { return fmt.Sprintf("refs/pull/%d/merge", number) }

// match reports whether a passes the filters, and the instance it is shown with: its most
// recent on the ref asked for.
func (q alertQuery) match(a *Alert) (*AlertInstance, bool) {
	inst := a.instanceOn(q.ref)
	if inst == nil {
		return nil, false
	}
	switch {
	case q.toolName != "" && a.Tool.Name != q.toolName:
		return nil, false
	case q.toolGUID != "" && (a.Tool.GUID == nil || *a.Tool.GUID != q.toolGUID):
		return nil, false
	case q.state == "closed" && a.State == alertOpen:
		return nil, false
	case q.state != "" && q.state != "closed" && a.State != q.state:
		return nil, false
	case q.severity != "" && shownSeverity(a.Rule) != q.severity:
		return nil, false
	case q.assignees != nil && !assignedToAny(a.Assignees, q.assignees):
		return nil, false
	}
	return inst, true
}

// shownSeverity is the one severity GitHub shows for an alert and filters it by: the security
// severity of a security rule, else the rule's own severity. An alert of a rule with severity
// "error" and security severity "high" is found by severity=high, not severity=error.
func shownSeverity(rule AlertRule) string {
	if rule.SecuritySeverityLevel != nil {
		return *rule.SecuritySeverityLevel
	}
	return rule.Severity
}

// assignedToAny implements the assignees filter: the alert matches if it matches any of the
// terms, where "*" means assigned to anyone and "none" means assigned to no one.
func assignedToAny(assignees, terms []string) bool {
	for _, term := range terms {
		switch {
		case term == "*" && len(assignees) > 0, term == "none" && len(assignees) == 0:
			return true
		case slices.ContainsFunc(assignees, func(login string) bool { return sameLogin(login, term) }):
			return true
		}
	}
	return false
}

// listedAlert is an alert that passed the filters, with the instance it is shown with.
type listedAlert struct {
	repo     *repoState
	alert    *Alert
	instance *AlertInstance
}

// alertKey is an alert's place in a sorted list, and what a cursor holds.
type alertKey struct {
	at     time.Time
	repoID int64
	number int
}

func (k alertKey) compare(o alertKey) int {
	return cmp.Or(k.at.Compare(o.at), cmp.Compare(k.repoID, o.repoID), cmp.Compare(k.number, o.number))
}

func (q alertQuery) keyOf(l listedAlert) alertKey {
	return alertKey{at: alertTime(l.alert, q.sort), repoID: l.repo.id, number: l.alert.Number}
}

// compare orders keys in the direction asked for.
func (q alertQuery) compare(a, b alertKey) int {
	if q.desc {
		return b.compare(a)
	}
	return a.compare(b)
}

// The cursor is opaque to clients, as GitHub's are, but carries the sort it was made for, so a
// cursor reused under another sort is refused rather than silently misread.
func (q alertQuery) cursorOf(k alertKey) string {
	raw := fmt.Sprintf("cursor:v1:%s:%d:%d:%d", q.sort, k.at.UnixNano(), k.repoID, k.number)
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
}

func (q alertQuery) parseCursor(s string) (alertKey, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return alertKey{}, false
	}
	var sortField string
	var nanos, repoID int64
	var number int
	n, err := fmt.Sscanf(strings.ReplaceAll(string(raw), ":", " "), "cursor v1 %s %d %d %d",
		&sortField, &nanos, &repoID, &number)
	if err != nil || n != 4 || sortField != q.sort {
		return alertKey{}, false
	}
	return alertKey{at: time.Unix(0, nanos).UTC(), repoID: repoID, number: number}, true
}

// repoAlerts returns a repository's alerts that pass the filters, in the order asked for,
// walking the store's sorted view rather than sorting. Callers hold the lock.
func (q alertQuery) repoAlerts(st *repoState) []listedAlert {
	ordered := st.alerts.ordered(q.sort)
	out := make([]listedAlert, 0, len(ordered))
	for i := range ordered {
		a := ordered[i]
		if q.desc {
			a = ordered[len(ordered)-1-i]
		}
		if inst, ok := q.match(a); ok {
			out = append(out, listedAlert{repo: st, alert: a, instance: inst})
		}
	}
	return out
}

// page cuts the requested page out of items and returns it with its Link relations, or the
// problems with the cursor given.
func (q alertQuery) page(items []listedAlert, b linkBuilder) ([]listedAlert, []link, []string) {
	p := q.paging
	if !p.cursor {
		lo, hi := p.pageBounds(len(items))
		return items[lo:hi], p.pageLinks(b, len(items)), nil
	}
	position := func(param, cursor string, after bool) (int, []string) {
		k, ok := q.parseCursor(cursor)
		if !ok {
			return 0, []string{fmt.Sprintf("For '%s', %q is not a valid cursor.", param, cursor)}
		}
		return sort.Search(len(items), func(i int) bool {
			c := q.compare(q.keyOf(items[i]), k)
			return c > 0 || (!after && c == 0)
		}), nil
	}
	lo, hi := 0, len(items)
	switch {
	case p.after != nil && *p.after != "":
		start, problems := position("after", *p.after, true)
		if problems != nil {
			return nil, nil, problems
		}
		lo, hi = start, min(start+p.perPage, len(items))
	case p.after != nil:
		hi = min(p.perPage, len(items))
	case *p.before != "":
		end, problems := position("before", *p.before, false)
		if problems != nil {
			return nil, nil, problems
		}
		lo, hi = max(0, end-p.perPage), end
	default:
		lo = max(0, len(items)-p.perPage)
	}

	var links []link
	if lo > 0 {
		cursor := ""
		if lo < len(items) {
			cursor = q.cursorOf(q.keyOf(items[lo]))
		}
		links = append(links, link{b.with("before", cursor), "prev"})
	}
	if hi < len(items) {
		cursor := ""
		if hi > 0 {
			cursor = q.cursorOf(q.keyOf(items[hi-1]))
		}
		links = append(links, link{b.with("after", cursor), "next"})
	}
	return items[lo:hi], links, nil
}

// hasAnalysis reports whether code scanning has ever produced results for st. GitHub answers
// the alert list of a repository it never analysed with 404 "no analysis found", not [].
func (st *repoState) hasAnalysis() bool {
	return len(st.analyses) > 0 || len(st.alerts.byNumber) > 0 || st.setup.State == stateConfigured
}

// listRepoAlerts serves GET /repos/{owner}/{repo}/code-scanning/alerts.
func (e *Emulator) listRepoAlerts(w http.ResponseWriter, r *http.Request) {
	var links string
	a := e.withState(func(time.Time) answer {
		st, refusal, ok := e.codeScanningRepo(r, docsListRepoAlerts)
		if !ok {
			return refusal
		}
		query := r.URL.Query()
		if e.cfg.IgnoreNewerAlertFilters {
			for _, key := range newerAlertFilters {
				query.Del(key)
			}
		}
		q, problems := parseAlertQuery(query, true)
		if len(problems) > 0 {
			return invalidRequestFor(docsListRepoAlerts, problems...)
		}
		if !st.hasAnalysis() {
			return errorAnswer(http.StatusNotFound, msgNoAnalysisFound, docsListRepoAlerts)
		}
		page, rels, problems := q.page(q.repoAlerts(st), e.linkBuilderFor(r))
		if len(problems) > 0 {
			return invalidRequestFor(docsListRepoAlerts, problems...)
		}
		links = linkHeader(rels)
		return answer{status: http.StatusOK, body: e.alertsJSON(r, page, false)}
	})
	writeListAnswer(w, a, links)
}

// listOrgAlerts serves GET /orgs/{org}/code-scanning/alerts: the default-branch alerts of every
// repository the organization owns where code scanning may be used. An organization is known
// to the emulator when it owns at least one repository.
func (e *Emulator) listOrgAlerts(w http.ResponseWriter, r *http.Request) {
	var links string
	a := e.withState(func(time.Time) answer {
		org := r.PathValue("org")
		var repos []*repoState
		for _, st := range e.repos {
			if strings.EqualFold(st.repo.Owner, org) {
				repos = append(repos, st)
			}
		}
		if len(repos) == 0 {
			return errorAnswer(http.StatusNotFound, msgNotFound, docsListOrgAlerts)
		}
		q, problems := parseAlertQuery(r.URL.Query(), false)
		if len(problems) > 0 {
			return invalidRequestFor(docsListOrgAlerts, problems...)
		}
		var items []listedAlert
		for _, st := range repos {
			if st.repo.AdvancedSecurity {
				items = append(items, q.repoAlerts(st)...)
			}
		}
		slices.SortFunc(items, func(x, y listedAlert) int { return q.compare(q.keyOf(x), q.keyOf(y)) })
		page, rels, problems := q.page(items, e.linkBuilderFor(r))
		if len(problems) > 0 {
			return invalidRequestFor(docsListOrgAlerts, problems...)
		}
		links = linkHeader(rels)
		return answer{status: http.StatusOK, body: e.alertsJSON(r, page, true)}
	})
	writeListAnswer(w, a, links)
}

// alertsJSON renders a page of alerts; the organization list adds each alert's repository.
// Callers hold the lock.
func (e *Emulator) alertsJSON(r *http.Request, page []listedAlert, withRepository bool) []map[string]any {
	apiBase, webBase := e.urlsFor(r)
	out := make([]map[string]any, len(page))
	for i, l := range page {
		out[i] = e.alertJSON(l.repo, l.alert, l.instance, apiBase, webBase)
		if withRepository {
			out[i]["repository"] = e.simpleRepositoryJSON(l.repo, apiBase, webBase)
		}
	}
	return out
}
